import { SKILL_AREAS } from "~/domain/exercise";
import { toCsv } from "~/lib/csv";
import type { ProgressGrid } from "./grid";
import type { TeamDetail } from "./team";

/** CSV exports of the manager pages. Money as integer micro-dollars and as dollars, both numbers. */

const percent = (share: number) => Math.round(share * 1000) / 10;
const usd = (micros: number) => micros / 1_000_000;

export function gridCsv(grid: ProgressGrid): string {
  const header = [
    "team",
    "department",
    "course",
    "members",
    "exercises",
    "passed",
    "attempted",
    "completion_percent",
    "average_best_score",
    "median_best_score",
  ];
  const rows = grid.cells.map((c) => {
    const team = grid.teams.find((t) => t.id === c.teamId);
    const course = grid.courses.find((x) => x.id === c.courseId);
    return [
      team?.name,
      team?.department,
      course?.title,
      team?.members ?? 0,
      course?.exercises ?? 0,
      c.passed,
      c.attempted,
      percent(c.completion),
      c.averageBest,
      c.medianBest,
    ];
  });
  return toCsv(header, rows);
}

export function teamLearnersCsv(detail: TeamDetail): string {
  const header = [
    "name",
    "email",
    "team",
    "graded_attempts",
    "exercises_attempted",
    "exercises_passed",
    "mean_best_score",
    ...SKILL_AREAS.map((s) => `strength_${s.replace(/-/g, "_")}`),
    "monthly_savings_micros",
    "monthly_savings_usd",
    "monthly_tokens_saved",
  ];
  const rows = detail.learners.map((l) => [
    l.name,
    l.email,
    detail.team.name,
    l.attempts,
    l.exercisesAttempted,
    l.exercisesPassed,
    l.meanBest,
    ...SKILL_AREAS.map((s) => l.skills[s]),
    l.savings.monthlyMicros,
    usd(l.savings.monthlyMicros),
    l.savings.monthlyTokens,
  ]);
  return toCsv(header, rows);
}
