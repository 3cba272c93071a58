import { and, eq, inArray, isNull } from "drizzle-orm";
import { attempts, exercises, exerciseVersions, gradingJobs, teams } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { gradeInPool, gradeOfflineAttempt, type OfflineGrader } from "./attempts";
import type { Db, DbLike } from "./db";
import { log } from "./log";

/**
 * Offline attempts have no durable job: the request that stored one grades it at once. When the process dies in
 * between (kill -9, a crash, a deploy), the attempt would stay "queued" or "grading" for ever; at start-up these are
 * graded again, and one whose grading fails is marked failed with the reason, and the learner gets a retry button.
 */

/** What grading one stored attempt offline needs: its version's content and its attribution tags. */
export function offlineTarget(database: DbLike, attemptId: number) {
  const row = database
    .select({
      userId: attempts.userId,
      teamId: attempts.teamId,
      departmentId: teams.departmentId,
      exerciseId: attempts.exerciseId,
      courseId: exercises.courseId,
      content: exerciseVersions.content,
    })
    .from(attempts)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .leftJoin(teams, eq(teams.id, attempts.teamId))
    .where(eq(attempts.id, attemptId))
    .get();
  if (!row) return null;
  return {
    tags: { userId: row.userId, teamId: row.teamId, departmentId: row.departmentId },
    exercise: { id: row.exerciseId, courseId: row.courseId, content: row.content as ExerciseFile },
  };
}

/** Grades (again) one stored offline attempt; false when it does not exist. */
export async function regradeOffline(database: Db, attemptId: number, grade: OfflineGrader = gradeInPool) {
  const target = offlineTarget(database, attemptId);
  if (!target) return false;
  await gradeOfflineAttempt(database, target.tags, target.exercise, attemptId, grade);
  return true;
}

/** Offline attempts (no grading job) left unfinished by a process that stopped. */
export function unfinishedOfflineAttempts(database: DbLike): number[] {
  return database
    .select({ id: attempts.id })
    .from(attempts)
    .leftJoin(gradingJobs, eq(gradingJobs.attemptId, attempts.id))
    .where(and(inArray(attempts.status, ["queued", "grading"]), isNull(gradingJobs.id)))
    .all()
    .map((r) => r.id);
}

/** Run once at start-up, before any request can be grading: every unfinished offline attempt is graded again. */
export async function recoverOfflineAttempts(database: Db, grade: OfflineGrader = gradeInPool) {
  const ids = unfinishedOfflineAttempts(database);
  for (const id of ids) await regradeOffline(database, id, grade);
  if (ids.length > 0) log.info(`graded ${ids.length} offline attempts left unfinished by the previous process`);
  return ids;
}
