import { eq, sql } from "drizzle-orm";
import { attempts, exercises, exerciseVersions, type GradingJob, teams } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, scoreWithJudge } from "~/domain/grade";
import { type JudgeReport, scoreOutputs } from "~/domain/llm-judge";
import type { Encoding, ModelInfo } from "~/domain/models";
import { saveScored } from "../attempts";
import { reserve, settle } from "../budgets";
import { CpuTimeLimitError, cpuPool } from "../cpu/pool";
import { recordBest } from "../dashboard/rollup";
import { type Db, type DbLike, preparedQuery, statement } from "../db";
import { type CallTags, OFFLINE_JUDGE_MODEL, recordCall } from "../ledger";
import { log } from "../log";
import { getModel } from "../models";
import { providerModelFor } from "../providers";
import { estimateGradingCost, outputBasis } from "./estimate";
import { learnerMessage, recordFailure } from "./failures";
import { handBack, isBusy } from "./hand-back";
import { finishJob, keepOfflineResult, type Lease, LeaseLost, setStage, startCalls } from "./jobs";
import {
  CallFailed,
  type JobRun,
  markGrading,
  type PipelineContext,
  runJudge,
  runTarget,
  Stopped,
  write,
} from "./steps";

export { type PipelineContext, Stopped } from "./steps";

/** What an attempt graded live stores beside the offline breakdown. */
export interface LiveResult {
  report: JudgeReport;
  offlineQuality: number;
  combineRule: string;
  reasons: string[];
  cacheHits: number;
  spentMicros: number;
  savedMicros: number;
}

export type StoredResult = GradeResult & { live?: LiveResult; budgetMessage?: string; warnings?: string[] };

/** Every write of a job reads its fence first: it takes the write lock at once (see model-call.ts). */
const IMMEDIATE = { behavior: "immediate" } as const;

/** How long a job waits for budget that other attempts in flight hold, before it is graded offline. */
const BUDGET_WAIT_MS = 5 * 60_000;
const BUDGET_RETRY_MS = 1_000;

interface Loaded {
  attempt: typeof attempts.$inferSelect;
  exercise: ExerciseFile;
  tags: CallTags;
  model: ModelInfo;
  baselineModel: ModelInfo;
}

function load(database: Db, attemptId: number): Loaded {
  const row = preparedQuery(database, "pipeline.load", prepareLoad).get({ attemptId });
  if (!row) throw new Error(`attempt ${attemptId} does not exist`);
  const exercise = row.content as ExerciseFile;
  return {
    attempt: row.attempt,
    exercise,
    tags: {
      userId: row.attempt.userId,
      teamId: row.attempt.teamId,
      departmentId: row.departmentId,
      courseId: row.courseId,
      exerciseId: row.attempt.exerciseId,
      attemptId,
    },
    model: getModel(row.attempt.modelId, database),
    baselineModel: getModel(exercise.model, database),
  };
}

/** The attempt, its exercise version and attribution: once per job run, prepared once per connection. */
function prepareLoad(database: DbLike) {
  return database
    .select({
      attempt: attempts,
      content: exerciseVersions.content,
      courseId: exercises.courseId,
      departmentId: teams.departmentId,
    })
    .from(attempts)
    .innerJoin(exerciseVersions, eq(exerciseVersions.id, attempts.exerciseVersionId))
    .innerJoin(exercises, eq(exercises.id, attempts.exerciseId))
    .leftJoin(teams, eq(teams.id, attempts.teamId))
    .where(eq(attempts.id, sql.placeholder("attemptId")))
    .prepare();
}

/** The budget reservation an attempt will make (for tests and the budget page). */
type EstimateContext = Pick<PipelineContext, "database" | "provider" | "judge">;

export async function estimateAttemptCost(ctx: EstimateContext, attemptId: number): Promise<number> {
  const l = load(ctx.database, attemptId);
  const [promptTokens] = await cpuPool().countTokens([l.attempt.prompt], l.model.encoding);
  return estimateLiveCost(ctx, l, promptTokens);
}

/**
 * What the attempt is expected to cost. Its texts are counted on the CPU pool, so the grading process never loads a
 * tokenizer on its event loop (a second of blocking, which would cut the calls in flight short).
 */
async function estimateLiveCost(ctx: EstimateContext, l: Loaded, promptTokens: number): Promise<number> {
  const texts = l.exercise.test_inputs.flatMap((t) => (t.expected ? [t.input, t.expected] : [t.input]));
  const counts = await testInputTokens(texts, l.model.encoding);
  return estimateGradingCost({
    exercise: l.exercise,
    model: l.model,
    judgeModel: ctx.judge.model,
    promptTokens,
    count: (t) => counts.get(t) ?? Math.ceil(t.length / 4),
    basis: outputBasis(ctx.database, { id: l.attempt.exerciseId, file: l.exercise }, l.model, ctx.judge.model),
    embeddingModel: ctx.provider.embeddings ? getModel(ctx.provider.embeddings.model, ctx.database) : null,
  });
}

/**
 * Token counts of an exercise's test inputs and expected outputs, by text: the same texts come with every attempt at
 * the exercise, so they are counted on the CPU pool once per process and kept (a count never changes), not sent to the
 * pool with every attempt. Bounded: emptied when full.
 */
const inputCounts = new Map<string, number>();
const INPUT_COUNTS_LIMIT = 5_000;

async function testInputTokens(texts: string[], encoding: Encoding): Promise<Map<string, number>> {
  const key = (t: string) => `${encoding}\u0000${t}`;
  const missing = [...new Set(texts.filter((t) => !inputCounts.has(key(t))))];
  if (missing.length > 0) {
    const counts = await cpuPool().countTokens(missing, encoding);
    if (inputCounts.size + missing.length > INPUT_COUNTS_LIMIT) inputCounts.clear();
    for (const [i, t] of missing.entries()) inputCounts.set(key(t), counts[i]);
  }
  return new Map(texts.map((t) => [t, inputCounts.get(key(t)) ?? Math.ceil(t.length / 4)]));
}

/** The offline grade (checks, offline judge, tokens, cost) on the CPU pool, off the event loop. */
async function offlineGrade(l: Loaded): Promise<GradeResult> {
  const [result] = await cpuPool().grade([
    { prompt: l.attempt.prompt, exercise: l.exercise, model: l.model, baselineModel: l.baselineModel },
  ]);
  return result;
}

/**
 * Runs (or resumes) one grading job under its lease. Never throws: every outcome is written to the job and the
 * attempt, unless the job was stopped (drain, lost lease), when what was paid for is kept for the next run.
 */
export async function runJob(ctx: PipelineContext, job: GradingJob): Promise<void> {
  const lease: Lease = { jobId: job.id, fence: job.fence, owner: ctx.owner };
  let l: Loaded;
  try {
    l = load(ctx.database, job.attemptId);
    markGrading(ctx.database, l.attempt.id);
  } catch (err) {
    if (isBusy(err) && job.tries < BUSY_RUNS) return busyRun(ctx, lease, job.tries);
    return failAttempt(ctx, lease, job.attemptId, { reason: null, detail: errorMessage(err) });
  }
  try {
    // A job resumed after its gates passed (its budget hold is there) starts its calls at once. Its offline grade was
    // kept when its calls began (the prompt is not graded again: after a restart the CPU pool's threads are still
    // starting, and every resumed job waited for them); a job without one grades the prompt offline meanwhile.
    const kept = (job.offlineResult ?? null) as GradeResult | null;
    const resumed = kept !== null || heldReservation(ctx, l.attempt.id) !== null;
    const offlineP = kept ? Promise.resolve(kept) : offlineGrade(l);
    // Awaited below (before scoring); meanwhile a failure must not count as unhandled.
    offlineP.catch(() => undefined);
    if (resumed && !kept)
      offlineP.then(
        (offline) => keep(ctx, lease, offline),
        () => undefined,
      );
    const early = resumed ? kept : await offlineP;
    if (early) {
      // Cheap gates first: a prompt that fails its required checks or games the judge costs no model call.
      const gatesFail = early.checks.some((c) => c.required && !c.passed) || early.judge.gaming.injection !== null;
      if (gatesFail) return finishOffline(ctx, lease, l, early);
    }

    const providerModel = providerModelFor(l.model, ctx.provider.name);
    if (!providerModel) {
      const note = `Graded by the offline judge: the configured model provider does not serve ${l.model.id}.`;
      return finishOffline(ctx, lease, l, early ?? (await offlineP), note);
    }
    const reservation = await holdBudget(ctx, l, async () => (early ?? (await offlineP)).tokens.prompt);
    if (!reservation.ok) {
      const waitedMs = Date.now() - l.attempt.createdAt.getTime();
      if (reservation.heldByOthers && waitedMs < BUDGET_WAIT_MS) {
        // The money is reserved by attempts being graded right now, not spent: wait for them to settle.
        handBack(ctx.database, lease, { delayMs: BUDGET_RETRY_MS, waiting: "budget", note: reservation.message });
        return;
      }
      return finishOffline(ctx, lease, l, early ?? (await offlineP), reservation.message);
    }

    const run: JobRun = {
      ctx,
      lease,
      attemptId: l.attempt.id,
      exercise: l.exercise,
      prompt: l.attempt.prompt,
      model: l.model,
      providerModel,
      tags: l.tags,
      basis: outputBasis(ctx.database, { id: l.attempt.exerciseId, file: l.exercise }, l.model, ctx.judge.model),
    };
    startCalls(ctx.database, lease, resumed ? null : early);
    const indexes = l.exercise.test_inputs.map((_, i) => i);
    // Every call is let finish (settled), so a failure never leaves paid calls behind to be issued again.
    const outputs = allOrThrow(await Promise.allSettled(indexes.map((i) => runTarget(run, i))));
    setStage(ctx.database, lease, "judging");
    const judged = allOrThrow(await Promise.allSettled(indexes.map((i) => runJudge(run, i, outputs[i]))));
    const report = scoreOutputs({
      rubric: l.exercise.rubric,
      judgeModel: ctx.judge.model.id,
      targetModel: l.model.id,
      outputs: judged,
    });
    finishLive(run, l, early ?? (await offlineP), report, reservation);
  } catch (err) {
    handleFailure(ctx, { ...lease, tries: job.tries }, l, err);
  }
}

/** Keeps a resumed job's offline grade for its next run; only a saving, so a failure is logged, never thrown. */
function keep(ctx: PipelineContext, lease: Lease, offline: GradeResult): void {
  try {
    keepOfflineResult(ctx.database, lease, offline);
  } catch (err) {
    log.error(`grading job ${lease.jobId}: could not keep its offline grade`, err);
  }
}

/** The values, or the first failure thrown (a stop outranks a failure: the job is then resumed, not failed). */
function allOrThrow<T>(results: PromiseSettledResult<T>[]): T[] {
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  const stop = rejected.find((r) => r.reason instanceof Stopped);
  if (stop) throw stop.reason;
  if (rejected.length > 0) throw rejected[0].reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

type Hold =
  | { ok: true; reservationId: number; warnings: string[] }
  | { ok: false; message: string; heldByOthers: boolean };

function heldReservation(ctx: PipelineContext, attemptId: number) {
  const row = statement(
    ctx.database,
    "select id from budget_reservations where attempt_id = ? and status = 'held' limit 1",
  ).get(attemptId) as { id: number } | undefined;
  return row ?? null;
}

async function holdBudget(ctx: PipelineContext, l: Loaded, promptTokens: () => Promise<number>): Promise<Hold> {
  const held = heldReservation(ctx, l.attempt.id);
  if (held) return { ok: true, reservationId: held.id, warnings: [] };
  const amountMicros = await estimateLiveCost(ctx, l, await promptTokens());
  return reserve(ctx.database, {
    teamId: l.tags.teamId,
    departmentId: l.tags.departmentId,
    attemptId: l.attempt.id,
    amountMicros,
    now: new Date(),
  });
}

function finishOffline(ctx: PipelineContext, lease: Lease, l: Loaded, offline: GradeResult, budgetMessage?: string) {
  const result: StoredResult = budgetMessage ? { ...offline, budgetMessage } : offline;
  try {
    ctx.database.transaction((tx) => {
      finishJob(tx, lease, "scored");
      recordCall(tx, {
        model: OFFLINE_JUDGE_MODEL,
        purpose: "judge",
        tokens: { input: offline.tokens.prompt, output: 0 },
        latencyMs: 0,
        status: "ok",
        tags: l.tags,
        idempotencyKey: `grading:${lease.jobId}:offline`,
      });
      saveScored(tx, l.attempt.id, result);
      recordBest(tx, { ...l.attempt, passed: result.score.passed, score: result.score.score });
      closeHeld(tx, l.attempt.id, "released");
    }, IMMEDIATE);
  } catch (err) {
    if (!(err instanceof LeaseLost)) throw err;
  }
}

function finishLive(
  run: JobRun,
  l: Loaded,
  offline: GradeResult,
  report: JudgeReport,
  reservation: { reservationId: number; warnings: string[] },
) {
  const { database, judge } = run.ctx;
  const { combined, score } = scoreWithJudge(l.exercise, offline, report);
  const spent = ledgerTotals(database, l.attempt.id);
  const result: StoredResult = {
    ...offline,
    score,
    live: {
      report,
      offlineQuality: combined.offlineQuality,
      combineRule: combined.rule,
      reasons: combined.reasons,
      ...spent,
    },
    warnings: reservation.warnings,
  };
  write(run, (tx) => {
    finishJob(tx, run.lease, "scored");
    saveScored(tx, l.attempt.id, result, `${judge.model.id} (LLM judge) + ${offline.judge.judge}`);
    recordBest(tx, { ...l.attempt, passed: result.score.passed, score: result.score.score });
    settle(tx, reservation.reservationId);
  });
}

/** Ends the attempt's budget hold, if one is still held. */
function closeHeld(tx: DbLike, attemptId: number, status: "settled" | "released") {
  statement(tx, "update budget_reservations set status = ? where attempt_id = ? and status = 'held'").run(
    status,
    attemptId,
  );
}

function ledgerTotals(database: Db, attemptId: number) {
  return statement(
    database,
    `select coalesce(sum(cache_hit), 0) as cacheHits, coalesce(sum(cost_micros), 0) as spentMicros,
       coalesce(sum(saved_micros), 0) as savedMicros from model_calls where attempt_id = ?`,
  ).get(attemptId) as { cacheHits: number; spentMicros: number; savedMicros: number };
}

/** Runs of a job whose offline grade hit the CPU pool's time limit, before that fails the attempt. */
const CPU_LIMIT_RUNS = 3;

/** Runs of a job that met a busy database, before that fails the attempt. */
const BUSY_RUNS = 10;

/**
 * Another process held the database longer than busy_timeout (a backup, a long import): nothing is lost, the job goes
 * back to the queue with the outputs it paid for.
 */
function busyRun(ctx: PipelineContext, lease: Lease, tries: number): void {
  log.info(`grading job ${lease.jobId}: the database was busy; run ${tries} of ${BUSY_RUNS}, trying again shortly`);
  handBack(ctx.database, lease, { delayMs: 1_000 });
}

function handleFailure(ctx: PipelineContext, run: Lease & { tries: number }, l: Loaded, err: unknown) {
  const { tries, ...lease } = run;
  if (err instanceof CpuTimeLimitError && tries < CPU_LIMIT_RUNS) {
    // The pool's threads were starting or busy (a restart under load): the job goes back to the queue, the outputs
    // it paid for kept; a prompt that really is too heavy fails after CPU_LIMIT_RUNS runs.
    log.info(`grading job ${lease.jobId}: ${err.message}; run ${tries} of ${CPU_LIMIT_RUNS}, trying again shortly`);
    handBack(ctx.database, lease, { delayMs: 2_000 });
    return;
  }
  if (isBusy(err) && tries < BUSY_RUNS) return busyRun(ctx, lease, tries);
  if (err instanceof Stopped) {
    // Drained or taken over: whatever was paid for is stored; the next run does the rest. A drained job is handed
    // back at once (fenced: a job taken over is left alone).
    log.info(`grading job ${lease.jobId} stopped: ${err.message}`);
    if (ctx.drain?.aborted) handBack(ctx.database, lease);
    return;
  }
  if (err instanceof CallFailed) {
    const failedModel = err.reason === "judge_unreadable" || /^judge/.test(err.message) ? ctx.judge.model : l.model;
    recordFailure(ctx.database, {
      model: failedModel.id,
      providerModel: providerModelFor(failedModel, ctx.provider.name),
      purpose: /^judge/.test(err.message) || err.reason === "judge_unreadable" ? "judge" : "target",
      reason: err.reason,
      message: err.message,
      final: true,
      attemptId: l.attempt.id,
    });
    return failAttempt(ctx, lease, l.attempt.id, { reason: err.reason, detail: err.message });
  }
  failAttempt(ctx, lease, l.attempt.id, { reason: null, detail: errorMessage(err) });
}

/** The attempt failed: the learner reads a short reason and may retry; the detail goes to the log. */
function failAttempt(
  ctx: PipelineContext,
  lease: Lease,
  attemptId: number,
  why: { reason: CallFailed["reason"] | null; detail: string },
) {
  log.error(`grading job ${lease.jobId} (attempt ${attemptId}) failed: ${why.detail}`);
  const message = why.reason
    ? learnerMessage(why.reason, ctx.cfg.LLM_RETRY_BUDGET_MINUTES)
    : "Grading failed because of an error on our side; it has been logged. Your prompt is saved: press Retry grading.";
  try {
    ctx.database.transaction((tx) => {
      finishJob(tx, lease, "failed", why.detail);
      statement(tx, "update attempts set status = 'failed', error = ?, graded_at = ? where id = ?").run(
        message,
        Date.now(),
        attemptId,
      );
      // Release what was held but not spent; spent calls are already in the ledger.
      closeHeld(tx, attemptId, "settled");
    }, IMMEDIATE);
  } catch (err) {
    if (err instanceof LeaseLost) return;
    // The failure could not be written (the database busy past busy_timeout): the next run writes it.
    if (!isBusy(err)) throw err;
    log.info(`grading job ${lease.jobId}: its failure could not be written (database busy); handing it back`);
    handBack(ctx.database, lease, { delayMs: 1_000 });
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
