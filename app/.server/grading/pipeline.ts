import { and, eq } from "drizzle-orm";
import {
  attemptOutputs,
  attempts,
  budgetReservations,
  exercises,
  exerciseVersions,
  type GradingJob,
  gradingJobs,
  modelCalls,
  teams,
} from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, scoreWithJudge } from "~/domain/grade";
import {
  buildJudgeMessages,
  type ChatMessage,
  type CriterionVerdict,
  type JudgedOutput,
  type JudgeReport,
  judgeSkipReason,
  judgeWithRepair,
  parseJudgeVerdict,
  scoreOutputs,
} from "~/domain/llm-judge";
import type { ModelInfo } from "~/domain/models";
import { type OutputCheckResult, runOutputChecks } from "~/domain/output-checks";
import { attemptColumns } from "../attempts";
import { reserve, settle } from "../budgets";
import type { Config } from "../config";
import { cpuPool } from "../cpu/pool";
import { recordBest } from "../dashboard/rollup";
import type { Db } from "../db";
import { type CallTags, OFFLINE_JUDGE_MODEL, recordCall } from "../ledger";
import { log } from "../log";
import { getModel } from "../models";
import type { Limiter, ModelProvider } from "../providers";
import { providerModelFor } from "../providers";
import { countTokens } from "../tokenizer.server";
import { backoffDelayMs } from "./backoff";
import { finishJob, rescheduleJob, setStage } from "./jobs";
import { type CallSpec, callModel, estimateGradingCost, JUDGE_MAX_OUTPUT_TOKENS, targetMaxTokens } from "./model-call";

export interface PipelineContext {
  database: Db;
  provider: ModelProvider;
  limiter: Limiter;
  judge: { model: ModelInfo; providerModel: string };
  cfg: Pick<Config, "LLM_MAX_RETRIES" | "LLM_TIMEOUT_MS" | "CACHE_TTL_HOURS" | "SEMANTIC_CACHE_THRESHOLD"> &
    Partial<Config>;
  leaseMs: number;
  /** Aborted when the worker is torn down: in-flight calls are cancelled and nothing more is written. */
  signal?: AbortSignal;
}

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

/** A provider failure that may succeed later (429, 5xx, timeout): the job is rescheduled. */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The worker that ran this job went away (or lost its lease): stop without writing anything. */
class Abandoned extends Error {}

const TEMPERATURE = 0;

interface Loaded {
  attempt: typeof attempts.$inferSelect;
  exercise: ExerciseFile;
  courseId: number;
  tags: CallTags;
  model: ModelInfo;
  baselineModel: ModelInfo;
}

function load(database: Db, attemptId: number): Loaded {
  const row = database
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
    .where(eq(attempts.id, attemptId))
    .get();
  if (!row) throw new Error(`attempt ${attemptId} does not exist`);
  const exercise = row.content as ExerciseFile;
  return {
    attempt: row.attempt,
    exercise,
    courseId: row.courseId,
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

/** The budget reservation an attempt will make (for tests and the budget page). */
export function estimateAttemptCost(ctx: PipelineContext, attemptId: number): number {
  const l = load(ctx.database, attemptId);
  return estimateLiveCost(ctx, l, countTokens(l.attempt.prompt, l.model.encoding));
}

/** An upper bound of what grading this attempt can cost: reserved before the first call. */
function estimateLiveCost(ctx: PipelineContext, l: Loaded, promptTokens: number): number {
  return estimateGradingCost({
    exercise: l.exercise,
    model: l.model,
    judgeModel: ctx.judge.model,
    promptTokens,
    count: (t) => countTokens(t, l.model.encoding),
    embeddingModel: ctx.provider.embeddings ? getModel(ctx.provider.embeddings.model, ctx.database) : null,
  });
}

/** The offline grade (checks, offline judge, tokens, cost) on the CPU pool, off the event loop. */
async function offlineGrade(l: Loaded): Promise<GradeResult> {
  const [result] = await cpuPool().grade([
    { prompt: l.attempt.prompt, exercise: l.exercise, model: l.model, baselineModel: l.baselineModel },
  ]);
  return result;
}

/** Runs (or resumes) one grading job. Never throws: every outcome is written to the job and the attempt. */
export async function runJob(ctx: PipelineContext, job: GradingJob): Promise<void> {
  const { database } = ctx;
  let loaded: Loaded;
  try {
    loaded = load(database, job.attemptId);
  } catch (err) {
    failAttempt(database, job, errorMessage(err));
    return;
  }
  const l = loaded;
  database.update(attempts).set({ status: "grading" }).where(eq(attempts.id, l.attempt.id)).run();
  try {
    const offline = await offlineGrade(l);
    // Cheap gates first: a prompt that fails its required checks or games the judge costs no model call.
    const gatesFail = offline.checks.some((c) => c.required && !c.passed) || offline.judge.gaming.injection !== null;
    if (gatesFail) return finishOffline(ctx, job, l, offline);

    const reservation = holdBudget(ctx, l, offline.tokens.prompt);
    if (!reservation.ok) return finishOffline(ctx, job, l, offline, reservation.message);

    setStage(database, job.id, "target");
    const outputs = await Promise.all(l.exercise.test_inputs.map((t) => runTarget(ctx, l, t)));
    setStage(database, job.id, "judging");
    const judged = await Promise.all(l.exercise.test_inputs.map((t, i) => runJudge(ctx, l, t, outputs[i])));
    if (!stillOwner(ctx, job)) return;
    const report = scoreOutputs({
      rubric: l.exercise.rubric,
      judgeModel: ctx.judge.model.id,
      targetModel: l.model.id,
      outputs: judged,
    });
    finishLive(ctx, job, l, offline, report, reservation);
  } catch (err) {
    handleFailure(ctx, job, err);
  }
}

function holdBudget(ctx: PipelineContext, l: Loaded, promptTokens: number) {
  const held = ctx.database
    .select()
    .from(budgetReservations)
    .where(and(eq(budgetReservations.attemptId, l.attempt.id), eq(budgetReservations.status, "held")))
    .get();
  if (held) return { ok: true as const, reservationId: held.id, warnings: [] as string[] };
  return reserve(ctx.database, {
    teamId: l.tags.teamId,
    departmentId: l.tags.departmentId,
    attemptId: l.attempt.id,
    amountMicros: estimateLiveCost(ctx, l, promptTokens),
    now: new Date(),
  });
}

interface TargetOutput {
  text: string;
  outputTokens: number;
}

/** One target call per test input, skipped when a previous run of this job already stored its output. */
async function runTarget(
  ctx: PipelineContext,
  l: Loaded,
  t: ExerciseFile["test_inputs"][number],
): Promise<TargetOutput> {
  const done = ctx.database
    .select()
    .from(attemptOutputs)
    .where(and(eq(attemptOutputs.attemptId, l.attempt.id), eq(attemptOutputs.testInput, t.name)))
    .get();
  if (done?.output != null) return { text: done.output, outputTokens: done.outputTokens ?? 0 };

  const messages: ChatMessage[] = [{ role: "user", content: l.attempt.prompt.replaceAll("{{input}}", t.input) }];
  const providerModel = providerModelFor(l.model, ctx.cfg as Config);
  const params = { temperature: TEMPERATURE, maxTokens: targetMaxTokens(l.exercise), json: false };
  const { text, outputTokens, callId } = await cachedCall(ctx, l, {
    purpose: "target",
    model: l.model,
    providerModel,
    messages,
    params,
    testInput: t.name,
    promptText: l.attempt.prompt,
  });
  ctx.database
    .insert(attemptOutputs)
    .values({ attemptId: l.attempt.id, testInput: t.name, output: text, outputTokens, targetCallId: callId })
    .onConflictDoUpdate({
      target: [attemptOutputs.attemptId, attemptOutputs.testInput],
      set: { output: text, outputTokens, targetCallId: callId },
    })
    .run();
  return { text, outputTokens };
}

async function runJudge(
  ctx: PipelineContext,
  l: Loaded,
  t: ExerciseFile["test_inputs"][number],
  out: TargetOutput,
): Promise<JudgedOutput> {
  const row = ctx.database
    .select()
    .from(attemptOutputs)
    .where(and(eq(attemptOutputs.attemptId, l.attempt.id), eq(attemptOutputs.testInput, t.name)))
    .get()!;
  const checks: OutputCheckResult[] = runOutputChecks(out.text, l.exercise.output_checks, out.outputTokens);
  const base = {
    testInput: { name: t.name, input: t.input },
    output: out.text,
    outputTokens: out.outputTokens,
    checks,
  };
  if (row.checks != null && row.verdict !== undefined && row.judgeModel) {
    const stored = row.verdict as CriterionVerdict[] | { skippedReason: string } | null;
    if (Array.isArray(stored)) return { ...base, verdicts: stored };
    if (stored && "skippedReason" in stored) return { ...base, verdicts: null, skippedReason: stored.skippedReason };
  }
  const skip = judgeSkipReason(out.text, checks, t);
  if (skip) {
    storeVerdict(ctx, l, t.name, checks, { skippedReason: skip }, null);
    return { ...base, verdicts: null, skippedReason: skip };
  }
  const messages = buildJudgeMessages({ exercise: l.exercise, testInput: t, output: out.text });
  let lastCallId: number | null = null;
  const run = await judgeWithRepair(
    async (msgs, kind) => {
      const res = await cachedCall(ctx, l, {
        purpose: "judge",
        model: ctx.judge.model,
        providerModel: ctx.judge.providerModel,
        messages: msgs,
        params: { temperature: 0, maxTokens: JUDGE_MAX_OUTPUT_TOKENS, json: true },
        // The judged output scopes the cache: a verdict is never reused for a different output.
        testInput: `${t.name}\u0000${out.text}`,
        promptText: msgs.map((m) => m.content).join("\n"),
        exactOnly: true,
        bypassCache: kind === "repair",
        cacheable: (text) => parseJudgeVerdict(text, l.exercise.rubric).ok,
      });
      lastCallId = res.callId;
      return res.text;
    },
    messages,
    l.exercise.rubric,
  );
  if (!run.ok) throw new Error(run.error);
  storeVerdict(ctx, l, t.name, checks, run.verdicts, lastCallId);
  return { ...base, verdicts: run.verdicts };
}

function storeVerdict(
  ctx: PipelineContext,
  l: Loaded,
  testInput: string,
  checks: OutputCheckResult[],
  verdict: CriterionVerdict[] | { skippedReason: string },
  judgeCallId: number | null,
) {
  ctx.database
    .update(attemptOutputs)
    .set({ checks, verdict, judgeCallId, judgeModel: ctx.judge.model.id })
    .where(and(eq(attemptOutputs.attemptId, l.attempt.id), eq(attemptOutputs.testInput, testInput)))
    .run();
}

type PipelineCallSpec = Omit<CallSpec, "semanticThreshold"> & { exactOnly?: boolean };

/** One model call for this attempt (see callModel); a retryable failure reschedules the job. */
async function cachedCall(
  ctx: PipelineContext,
  l: Loaded,
  spec: PipelineCallSpec,
): Promise<{ text: string; outputTokens: number; callId: number }> {
  const { exactOnly, ...rest } = spec;
  const outcome = await callModel(
    {
      database: ctx.database,
      provider: ctx.provider,
      limiter: ctx.limiter,
      cacheTtlHours: ctx.cfg.CACHE_TTL_HOURS,
      tags: l.tags,
      signal: ctx.signal,
    },
    { ...rest, semanticThreshold: exactOnly ? null : ctx.cfg.SEMANTIC_CACHE_THRESHOLD },
  );
  if (outcome.ok) return outcome;
  if ("aborted" in outcome) throw new Abandoned("the worker stopped");
  const msg = `${spec.purpose} call to ${spec.providerModel} failed: ${outcome.error.message}`;
  if (outcome.error.retryable) throw new RetryLater(msg, outcome.error.retryAfterMs);
  throw new Error(msg);
}

function finishOffline(ctx: PipelineContext, job: GradingJob, l: Loaded, offline: GradeResult, budgetMessage?: string) {
  const { database } = ctx;
  const result: StoredResult = budgetMessage ? { ...offline, budgetMessage } : offline;
  database.transaction((tx) => {
    recordCall(tx, {
      model: OFFLINE_JUDGE_MODEL,
      purpose: "judge",
      tokens: { input: offline.tokens.prompt, output: 0 },
      latencyMs: 0,
      status: "ok",
      tags: l.tags,
    });
    tx.update(attempts).set(attemptColumns(result)).where(eq(attempts.id, l.attempt.id)).run();
    recordBest(tx, { ...l.attempt, passed: result.score.passed, score: result.score.score });
  });
  finishJob(database, job.id, "scored");
}

function finishLive(
  ctx: PipelineContext,
  job: GradingJob,
  l: Loaded,
  offline: GradeResult,
  report: JudgeReport,
  reservation: { reservationId: number; warnings: string[] },
) {
  const { database } = ctx;
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
  database.transaction((tx) => {
    tx.update(attempts)
      .set({ ...attemptColumns(result), judge: `${ctx.judge.model.id} (LLM judge) + ${offline.judge.judge}` })
      .where(eq(attempts.id, l.attempt.id))
      .run();
    recordBest(tx, { ...l.attempt, passed: result.score.passed, score: result.score.score });
    settle(tx, reservation.reservationId);
  });
  finishJob(database, job.id, "scored");
}

function ledgerTotals(database: Db, attemptId: number) {
  const rows = database.select().from(modelCalls).where(eq(modelCalls.attemptId, attemptId)).all();
  return {
    cacheHits: rows.filter((r) => r.cacheHit).length,
    spentMicros: rows.reduce((s, r) => s + r.costMicros, 0),
    savedMicros: rows.reduce((s, r) => s + r.savedMicros, 0),
  };
}

/**
 * Fencing: `tries` is bumped on every claim, so a worker whose lease expired and was taken over
 * (a slow worker, not a dead one) finds a different value and must not write the outcome.
 */
function stillOwner(ctx: PipelineContext, job: GradingJob): boolean {
  const row = ctx.database
    .select({ tries: gradingJobs.tries, stage: gradingJobs.stage })
    .from(gradingJobs)
    .where(eq(gradingJobs.id, job.id))
    .get();
  return !!row && row.tries === job.tries && row.stage !== "scored" && row.stage !== "failed";
}

function handleFailure(ctx: PipelineContext, job: GradingJob, err: unknown) {
  if (err instanceof Abandoned || !stillOwner(ctx, job)) return;
  const message = errorMessage(err);
  if (err instanceof RetryLater && job.tries <= ctx.cfg.LLM_MAX_RETRIES) {
    const delay = backoffDelayMs(job.tries, { retryAfterMs: err.retryAfterMs });
    log.info(`grading job ${job.id}: ${message}; retry ${job.tries} in ${delay} ms`);
    rescheduleJob(ctx.database, job.id, delay, message);
    return;
  }
  failAttempt(ctx.database, job, message);
}

function failAttempt(database: Db, job: GradingJob, message: string) {
  log.error(`grading job ${job.id} failed: ${message}`);
  database.transaction((tx) => {
    finishJob(tx, job.id, "failed", message);
    tx.update(attempts)
      .set({ status: "failed", error: message, gradedAt: new Date() })
      .where(eq(attempts.id, job.attemptId))
      .run();
    // Release what was held but not spent; spent calls are already in the ledger.
    tx.update(budgetReservations)
      .set({ status: "settled" })
      .where(and(eq(budgetReservations.attemptId, job.attemptId), eq(budgetReservations.status, "held")))
      .run();
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
