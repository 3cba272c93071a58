import { SKILL_AREAS } from "~/domain/exercise";
import { median } from "./stats";
import { lastWeeks } from "./windows";

/** Skill strengths and weekly trends of a learner or team, from attempt rows. Pure. */

export type SkillArea = (typeof SKILL_AREAS)[number];
export type SkillStrengths = Record<SkillArea, number | null>;

export interface BestOnExercise {
  skill: SkillArea;
  /** The best score (0–1000) among the learner's graded attempts on one exercise. */
  bestScore: number;
}

/**
 * Strength in a skill area, 0–100: the mean of the learner's best score on each exercise of that
 * skill they attempted, divided by 10. Exercises not attempted do not count (null when none), so
 * "not tried yet" is never shown as "weak".
 */
export function skillStrengths(bests: BestOnExercise[]): SkillStrengths {
  const out = Object.fromEntries(SKILL_AREAS.map((s) => [s, null])) as SkillStrengths;
  for (const skill of SKILL_AREAS) {
    const scores = bests.filter((b) => b.skill === skill).map((b) => b.bestScore);
    if (scores.length > 0) out[skill] = Math.round(scores.reduce((s, v) => s + v, 0) / scores.length / 10);
  }
  return out;
}

export interface WeekPoint {
  week: string;
  /** Monday 00:00 UTC, ISO string. */
  start: string;
  attempts: number;
  /** Median score of the week's graded attempts; null in a week without any. */
  medianScore: number | null;
}

/** Attempts and median score per ISO week over the last `weeks` weeks (oldest first, empty weeks included). */
export function weeklyTrend(rows: { createdAt: Date; score: number | null }[], now: Date, weeks = 12): WeekPoint[] {
  const buckets = lastWeeks(now, weeks).map((w) => ({ ...w, scores: [] as number[], attempts: 0 }));
  for (const row of rows) {
    const t = row.createdAt.getTime();
    if (t > now.getTime()) continue;
    for (let i = buckets.length - 1; i >= 0; i--) {
      if (t >= buckets[i].start.getTime()) {
        buckets[i].attempts++;
        if (row.score !== null) buckets[i].scores.push(row.score);
        break;
      }
    }
  }
  return buckets.map((b) => ({
    week: b.key,
    start: b.start.toISOString(),
    attempts: b.attempts,
    medianScore: b.scores.length ? median(b.scores) : null,
  }));
}
