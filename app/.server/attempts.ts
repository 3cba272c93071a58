import { and, desc, eq, ne } from "drizzle-orm";
import { type Attempt, attempts } from "#db/schema";
import type { GradeResult } from "~/domain/grade";
import type { SessionUser } from "./auth";
import { type PublishedExercise, saveDraft } from "./catalog";
import { cpuPool } from "./cpu/pool";
import type { GradeArgs } from "./cpu/tasks";
import { recordBest } from "./dashboard/rollup";
import { type Db, type DbLike, statement, writeTransaction } from "./db";
import { enqueueJob } from "./grading/jobs";
import { OFFLINE_JUDGE_MODEL, recordCall } from "./ledger";
import { log } from "./log";
import { getModel } from "./models";

/**
 * Submitting: the attempt (and the draft) are stored before grading starts, so nothing the learner
 * typed is lost if grading fails; a failure is stored on the attempt with its reason. With a provider
 * the durable job grades it (the worker is poked); without, the caller grades it offline next
 * (gradeOfflineAttempt), off the event loop.
 */
export function submitAttempt(
  database: Db,
  user: SessionUser,
  exercise: PublishedExercise,
  prompt: string,
  modelId: string = exercise.content.model,
  live: { poke(): void } | null = null,
): number {
  const attemptId = writeTransaction(database, (tx) => {
    saveDraft(tx, user.id, exercise.id, prompt);
    const id = tx
      .insert(attempts)
      .values({
        userId: user.id,
        teamId: user.teamId,
        exerciseId: exercise.id,
        exerciseVersionId: exercise.versionId,
        modelId,
        prompt,
        status: "queued",
      })
      .returning({ id: attempts.id })
      .get().id;
    if (live) enqueueJob(tx, id, new Date());
    return id;
  });
  if (live) live.poke();
  return attemptId;
}

/**
 * How an offline grade is computed: on the CPU pool by default (`owner`, the learner, takes turns with other learners
 * there); the demo seed grades on its own thread.
 */
export type OfflineGrader = (args: GradeArgs, owner: number) => GradeResult | Promise<GradeResult>;

export const gradeInPool: OfflineGrader = async (args, owner) => (await cpuPool().grade([args], { owner }))[0];

/**
 * Grades a stored attempt with the offline judge and stores the score (or the failure, e.g. the pool's time
 * limit, with its message). Never throws.
 */
export async function gradeOfflineAttempt(
  database: Db,
  tags: { userId: number; teamId: number | null; departmentId: number | null },
  exercise: { id: number; courseId: number; content: PublishedExercise["content"] },
  attemptId: number,
  grade: OfflineGrader = gradeInPool,
): Promise<void> {
  const started = performance.now();
  try {
    database.update(attempts).set({ status: "grading" }).where(eq(attempts.id, attemptId)).run();
    const attempt = database.select().from(attempts).where(eq(attempts.id, attemptId)).get()!;
    const result = await grade(
      {
        prompt: attempt.prompt,
        exercise: exercise.content,
        model: getModel(attempt.modelId),
        baselineModel: getModel(exercise.content.model),
      },
      tags.userId,
    );
    writeTransaction(database, (tx) => {
      recordCall(tx, {
        model: OFFLINE_JUDGE_MODEL,
        purpose: "judge",
        tokens: { input: result.tokens.prompt, output: 0 },
        latencyMs: performance.now() - started,
        status: "ok",
        tags: { ...tags, courseId: exercise.courseId, exerciseId: exercise.id, attemptId },
      });
      tx.update(attempts).set(attemptColumns(result)).where(eq(attempts.id, attemptId)).run();
      recordBest(tx, { ...attempt, passed: result.score.passed, score: result.score.score });
    });
  } catch (err) {
    log.error(`grading attempt ${attemptId} failed`, err);
    database
      .update(attempts)
      .set({ status: "failed", error: err instanceof Error ? err.message : String(err), gradedAt: new Date() })
      .where(eq(attempts.id, attemptId))
      .run();
  }
}

/** The attempt's columns for a scored result: the summary figures plus the full breakdown as JSON. */
export function attemptColumns(result: GradeResult) {
  return {
    status: "scored" as const,
    judge: result.judge.judge,
    passed: result.score.passed,
    score: result.score.score,
    quality: result.score.quality,
    efficiency: result.score.efficiency,
    promptTokens: result.tokens.prompt,
    baselineTokens: result.tokens.baseline,
    costPerCallMicros: result.cost.perCallMicros,
    baselineCostPerCallMicros: result.cost.baselinePerCallMicros,
    monthlyCostMicros: result.cost.monthlyMicros,
    baselineMonthlyCostMicros: result.cost.baselineMonthlyMicros,
    result,
    error: null,
    gradedAt: new Date(),
  };
}

/**
 * Writes a scored result (attemptColumns' columns; `judge` names the judge when it is not the offline one's) as one
 * statement prepared per connection: live grading scores an attempt every few calls, and drizzle built this update
 * afresh each time (most of its cost in a worker process just restarted, whose code is not optimised yet).
 */
export function saveScored(database: DbLike, attemptId: number, result: GradeResult, judge = result.judge.judge): void {
  const c = attemptColumns(result);
  statement(
    database,
    `update attempts set status = 'scored', judge = ?, passed = ?, score = ?, quality = ?, efficiency = ?,
       prompt_tokens = ?, baseline_tokens = ?, cost_per_call_micros = ?, baseline_cost_per_call_micros = ?,
       monthly_cost_micros = ?, baseline_monthly_cost_micros = ?, result = ?, error = null, graded_at = ?
     where id = ?`,
  ).run(
    judge,
    c.passed ? 1 : 0,
    c.score,
    c.quality,
    c.efficiency,
    c.promptTokens,
    c.baselineTokens,
    c.costPerCallMicros,
    c.baselineCostPerCallMicros,
    c.monthlyCostMicros,
    c.baselineMonthlyCostMicros,
    JSON.stringify(c.result),
    c.gradedAt.getTime(),
    attemptId,
  );
}

/** Ownership is part of the query: a learner can only ever load their own attempt. */
export function getOwnAttempt(database: DbLike, userId: number, attemptId: number): Attempt | null {
  return (
    database
      .select()
      .from(attempts)
      .where(and(eq(attempts.id, attemptId), eq(attempts.userId, userId)))
      .get() ?? null
  );
}

export function listOwnAttempts(database: DbLike, userId: number, exerciseId: number, limit = 20) {
  return database
    .select({
      id: attempts.id,
      createdAt: attempts.createdAt,
      status: attempts.status,
      passed: attempts.passed,
      score: attempts.score,
      quality: attempts.quality,
      promptTokens: attempts.promptTokens,
      costPerCallMicros: attempts.costPerCallMicros,
      judge: attempts.judge,
    })
    .from(attempts)
    .where(and(eq(attempts.userId, userId), eq(attempts.exerciseId, exerciseId)))
    .orderBy(desc(attempts.createdAt), desc(attempts.id))
    .limit(limit)
    .all();
}

/**
 * The learner's best scored attempt on an exercise (passing first, then by score), excluding one attempt. One row
 * is read, whatever the learner's history: a learner with hundreds of 20,000-character attempts must not make every
 * view of the exercise load them all.
 */
export function getBestAttempt(database: DbLike, userId: number, exerciseId: number, excludeId?: number) {
  return (
    database
      .select()
      .from(attempts)
      .where(
        and(
          eq(attempts.userId, userId),
          eq(attempts.exerciseId, exerciseId),
          eq(attempts.status, "scored"),
          excludeId === undefined ? undefined : ne(attempts.id, excludeId),
        ),
      )
      .orderBy(desc(attempts.passed), desc(attempts.score), desc(attempts.id))
      .limit(1)
      .get() ?? null
  );
}
