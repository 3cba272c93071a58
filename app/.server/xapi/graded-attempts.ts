import { and, asc, eq, type SQL, sql } from "drizzle-orm";
import { attempts, courses, exercises, exerciseVersions, modelCalls, users } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { learnerBrief } from "../brief";
import type { DbLike } from "../db";
import type { ExerciseTokenCounts } from "../exercise-tokens";
import type { GradedAttempt } from "./statement";

/** Graded attempts matching `where` (a condition on attempts/users), in attempt id order. */
export function gradedAttempts(database: DbLike, where: SQL | undefined, limit?: number): GradedAttempt[] {
  const content = exerciseVersions.content;
  const query = database
    .select({
      attemptId: attempts.id,
      createdAt: attempts.createdAt,
      gradedAt: attempts.gradedAt,
      passed: attempts.passed,
      score: attempts.score,
      quality: attempts.quality,
      efficiency: attempts.efficiency,
      promptTokens: attempts.promptTokens,
      baselineTokens: attempts.baselineTokens,
      costPerCallMicros: attempts.costPerCallMicros,
      monthlyCostMicros: attempts.monthlyCostMicros,
      baselineMonthlyCostMicros: attempts.baselineMonthlyCostMicros,
      gradingCostMicros: sql<number>`(select coalesce(sum(${modelCalls.costMicros}), 0) from ${modelCalls} where ${modelCalls.attemptId} = ${attempts.id})`,
      modelId: attempts.modelId,
      judge: attempts.judge,
      name: users.name,
      email: users.email,
      slug: exercises.slug,
      title: sql<string>`json_extract(${content}, '$.title')`,
      content,
      tokenCounts: exerciseVersions.tokenCounts,
      skill: sql<string>`json_extract(${content}, '$.skill')`,
      difficulty: sql<number>`json_extract(${content}, '$.difficulty')`,
      version: exerciseVersions.version,
      courseSlug: courses.slug,
      courseTitle: courses.title,
    })
    .from(attempts)
    .innerJoin(users, eq(users.id, attempts.userId))
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .where(and(eq(attempts.status, "scored"), where))
    .orderBy(asc(attempts.id));
  const rows = limit === undefined ? query.all() : query.limit(limit).all();
  return rows.map((r) => ({
    attemptId: r.attemptId,
    createdAt: r.createdAt,
    gradedAt: r.gradedAt,
    passed: r.passed === true,
    score: r.score ?? 0,
    quality: r.quality,
    efficiency: r.efficiency,
    promptTokens: r.promptTokens,
    baselineTokens: r.baselineTokens,
    costPerCallMicros: r.costPerCallMicros,
    monthlyCostMicros: r.monthlyCostMicros,
    baselineMonthlyCostMicros: r.baselineMonthlyCostMicros,
    gradingCostMicros: r.gradingCostMicros,
    modelId: r.modelId,
    judge: r.judge,
    learner: { name: r.name, email: r.email },
    exercise: {
      slug: r.slug,
      title: r.title,
      brief: learnerBrief(database, r.content as ExerciseFile, r.tokenCounts as ExerciseTokenCounts | null),
      skill: r.skill,
      difficulty: r.difficulty,
      version: r.version,
    },
    course: { slug: r.courseSlug, title: r.courseTitle },
  }));
}
