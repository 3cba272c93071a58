import { asc, eq, inArray } from "drizzle-orm";
import { attempts, exercises } from "#db/schema";
import { gradeOfflineAttempt, submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { gradeHere } from "~/.server/cpu/tasks";
import { rebuildRollups } from "~/.server/dashboard/rollup";
import type { Db } from "~/.server/db";
import { listSessionUsers } from "~/.server/users";
import { DEMO_TEAM_USAGE } from "./demo-usage";
import { refreshTeamTraining } from "./training-dates";

/**
 * The demo's trained teams really trained: every member but the demo learner (who starts clean) passes
 * every published exercise of the first course with its reference solution, graded by the real grader, and those
 * attempts are dated to the team's training day, so team_training (usage/training-dates.ts) finds the day the
 * demo's usage changed on. Returns the attempts made.
 */
export async function seedDemoTraining(
  database: Db,
  now: Date,
  teams: Map<string, number>,
  skipEmail: string,
): Promise<number> {
  const DAY_MS = 86_400_000;
  const course = database
    .select({ courseId: exercises.courseId })
    .from(exercises)
    .where(eq(exercises.status, "published"))
    .orderBy(asc(exercises.courseId))
    .get();
  if (!course) return 0;
  const slugs = database
    .select({ slug: exercises.slug })
    .from(exercises)
    .where(eq(exercises.courseId, course.courseId))
    .all()
    .map((e) => e.slug);
  const people = listSessionUsers(database);
  let made = 0;
  for (const t of DEMO_TEAM_USAGE) {
    if (t.trainedDaysAgo === null) continue;
    const members = people.filter((u) => u.teamId !== null && u.teamId === teams.get(t.team));
    // Every member but the demo learner, so the team stays trained (half its members, rounded up, completed a course)
    // when a new hire or a company sign-in joins it later.
    const learners = members.filter((u) => u.email !== skipEmail);
    const day = Math.floor(now.getTime() / DAY_MS) * DAY_MS - t.trainedDaysAgo * DAY_MS;
    const ids: number[] = [];
    for (const user of learners)
      for (const slug of slugs) {
        const exercise = getPublishedExercise(database, slug);
        if (!exercise) continue;
        const id = submitAttempt(database, user, exercise, exercise.content.reference_solution);
        await gradeOfflineAttempt(database, { ...user, userId: user.id }, exercise, id, gradeHere);
        ids.push(id);
      }
    // On the training day, an hour apart from 09:00 UTC.
    ids.forEach((id, i) => {
      const at = new Date(day + 9 * 3_600_000 + i * 60_000);
      database
        .update(attempts)
        .set({ createdAt: at, gradedAt: at })
        .where(inArray(attempts.id, [id]))
        .run();
    });
    made += ids.length;
  }
  rebuildRollups(database);
  refreshTeamTraining(database, true);
  return made;
}
