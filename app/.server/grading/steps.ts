import type { ExerciseFile } from "~/domain/exercise";
import {
  buildJudgeMessages,
  type ChatMessage,
  type CriterionVerdict,
  type JudgedOutput,
  judgeSkipReason,
  judgeWithRepair,
  type ParsedVerdict,
  parseJudgeVerdict,
  verdictJsonSchema,
} from "~/domain/llm-judge";
import type { ModelInfo } from "~/domain/models";
import { type OutputCheckResult, runOutputChecks } from "~/domain/output-checks";
import type { Config } from "../config";
import { type Db, type DbLike, immediateWrite, statement } from "../db";
import type { CallTags } from "../ledger";
import type { Limiter, ModelProvider, ProviderError } from "../providers";
import { judgeCallEstimate, type OutputBasis, targetCallEstimate } from "./estimate";
import { type FailureReason, recordFailure } from "./failures";
import { assertLease, type Lease, LeaseLost, setWaiting, type Waiting } from "./jobs";
import { type CallSpec, callModel, JUDGE_MAX_OUTPUT_TOKENS, targetMaxTokens } from "./model-call";

/**
 * The paid steps of a live grading job: the target run per test input, then the judge per output. Each result is
 * stored per test input as soon as it is paid for (under the job's lease), so a job that fails or is resumed keeps
 * every output it paid for and a retry pays only for what is missing.
 */

export interface PipelineContext {
  database: Db;
  provider: ModelProvider;
  limiter: Limiter;
  judge: { model: ModelInfo; providerModel: string };
  cfg: Pick<Config, "CACHE_TTL_HOURS" | "SEMANTIC_CACHE_THRESHOLD" | "LLM_RETRY_BUDGET_MINUTES">;
  /** Who runs the job (owner.ts); its pending ledger rows carry it. */
  owner: string;
  /** Hard stop: in-flight calls are cancelled (their cost is then unknown). */
  signal?: AbortSignal;
  /** Soft stop (shutdown drain), aborted when it begins: calls in flight finish, no new one is sent. */
  drain?: AbortSignal;
}

/** The job stopped without an outcome (drained, or its lease was lost): what was paid for is stored. */
export class Stopped extends Error {}

/** A call failed for good: the reason for the learner and the health page, the detail for the log. */
export class CallFailed extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface JobRun {
  ctx: PipelineContext;
  lease: Lease;
  attemptId: number;
  exercise: ExerciseFile;
  prompt: string;
  model: ModelInfo;
  providerModel: string;
  tags: CallTags;
  basis: OutputBasis;
}

export interface TargetOutput {
  text: string;
  outputTokens: number;
  /** The stored row when a previous run had it (its verdict may be there too); null when this run just wrote it. */
  stored: StoredOutput | null;
}

/** What a previous run of the job stored for one test input. */
interface StoredOutput {
  output: string | null;
  outputTokens: number | null;
  checks: unknown;
  verdict: unknown;
  judgeModel: string | null;
}

const TEMPERATURE = 0;

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** One prepared read per test input and job run (drizzle's query building cost more than the read). */
function storedRow(run: JobRun, testInput: string): StoredOutput | null {
  const row = statement(
    run.ctx.database,
    `select output, output_tokens as outputTokens, checks, verdict, judge_model as judgeModel from attempt_outputs
     where attempt_id = ? and test_input = ?`,
  ).get(run.attemptId, testInput) as (StoredOutput & { checks: string | null; verdict: string | null }) | undefined;
  return row ? { ...row, checks: parseJson(row.checks), verdict: parseJson(row.verdict) } : null;
}

/** One target call per test input, skipped when a previous run of this job already stored its output. */
export async function runTarget(run: JobRun, index: number): Promise<TargetOutput> {
  const t = run.exercise.test_inputs[index];
  const done = storedRow(run, t.name);
  if (done?.output != null) return { text: done.output, outputTokens: done.outputTokens ?? 0, stored: done };

  const content = run.prompt.replaceAll("{{input}}", t.input);
  // An estimate only (the pending row's, charged if the answer is lost): about four characters a token, without the
  // tokenizer, which a restarted worker may still be loading when its resumed jobs send their first calls.
  const inputTokens = Math.ceil(content.length / 4);
  const res = await call(run, `target:${index}`, {
    purpose: "target",
    model: run.model,
    providerModel: run.providerModel,
    messages: [{ role: "user", content }],
    params: { temperature: TEMPERATURE, maxTokens: targetMaxTokens(run.exercise), json: false },
    testInput: t.name,
    promptText: run.prompt,
    semanticThreshold: run.ctx.cfg.SEMANTIC_CACHE_THRESHOLD,
    estimateMicros: targetCallEstimate(run.model, inputTokens, run.basis),
    // Stored in the transaction that settles the call (fenced there).
    keep: (tx, answer) => {
      assertLease(tx, run.lease);
      statement(
        tx,
        `insert into attempt_outputs (attempt_id, test_input, output, output_tokens, target_call_id) values (?, ?, ?, ?, ?)
         on conflict (attempt_id, test_input) do update set output = excluded.output,
           output_tokens = excluded.output_tokens, target_call_id = excluded.target_call_id`,
      ).run(run.attemptId, t.name, answer.text, answer.outputTokens, answer.callId);
    },
  });
  // Just written, without a verdict: the judge step need not read it back.
  return { text: res.text, outputTokens: res.outputTokens, stored: null };
}

export async function runJudge(run: JobRun, index: number, out: TargetOutput): Promise<JudgedOutput> {
  const t = run.exercise.test_inputs[index];
  const { ctx, exercise } = run;
  const row = out.stored;
  const checks: OutputCheckResult[] = runOutputChecks(out.text, exercise.output_checks, out.outputTokens);
  const base = {
    testInput: { name: t.name, input: t.input },
    output: out.text,
    outputTokens: out.outputTokens,
    checks,
  };
  if (row?.checks != null && row.verdict !== undefined && row.judgeModel) {
    const stored = row.verdict as CriterionVerdict[] | { skippedReason: string } | null;
    if (Array.isArray(stored)) return { ...base, verdicts: stored };
    if (stored && "skippedReason" in stored) return { ...base, verdicts: null, skippedReason: stored.skippedReason };
  }
  const skip = judgeSkipReason(out.text, checks, t);
  if (skip) {
    write(run, (tx) => storeVerdict(tx, run, t.name, checks, { skippedReason: skip }, null));
    return { ...base, verdicts: null, skippedReason: skip };
  }
  const messages = buildJudgeMessages({ exercise, testInput: t, output: out.text });
  const estimate = judgeCallEstimate(
    ctx.judge.model,
    {
      inputTokens: Math.ceil(t.input.length / 4),
      expectedTokens: t.expected ? Math.ceil(t.expected.length / 4) : 0,
    },
    run.basis,
  );
  const schema = verdictJsonSchema(exercise.rubric);
  // A reply is parsed once: to decide whether to cache it, then reused by judgeWithRepair.
  let parsed: { reply: string; verdict: ParsedVerdict } | null = null;
  const parse = (reply: string): ParsedVerdict => {
    if (parsed?.reply !== reply) parsed = { reply, verdict: parseJudgeVerdict(reply, exercise.rubric) };
    return parsed.verdict;
  };
  let lastCallId: number | null = null;
  // The verdict is stored with the settlement of the reply it was read from; a reply that cannot be read stores nothing.
  let stored = false;
  const judged = await judgeWithRepair(
    async (msgs: ChatMessage[], kind) => {
      const res = await call(run, `${kind === "repair" ? "repair" : "judge"}:${index}`, {
        purpose: "judge",
        model: ctx.judge.model,
        providerModel: ctx.judge.providerModel,
        messages: msgs,
        params: { temperature: 0, maxTokens: JUDGE_MAX_OUTPUT_TOKENS, json: true },
        jsonSchema: schema,
        // The judged output scopes the cache: a verdict is never reused for a different output.
        testInput: `${t.name}\u0000${out.text}`,
        promptText: msgs.map((m) => m.content).join("\n"),
        semanticThreshold: null,
        bypassCache: kind === "repair",
        cacheable: (text) => parse(text).ok,
        estimateMicros: estimate,
        keep: (tx, answer) => {
          const verdict = parse(answer.text);
          if (!verdict.ok) return;
          assertLease(tx, run.lease);
          storeVerdict(tx, run, t.name, checks, verdict.verdicts, answer.callId);
          stored = true;
        },
      });
      lastCallId = res.callId;
      return res.text;
    },
    messages,
    exercise.rubric,
    parse,
  );
  if (!judged.ok) throw new CallFailed("judge_unreadable", judged.error);
  // Stored already by the call that answered it; written here only if a path of callModel ever skips `keep`.
  if (!stored) write(run, (tx) => storeVerdict(tx, run, t.name, checks, judged.verdicts, lastCallId));
  return { ...base, verdicts: judged.verdicts };
}

/** Writes an output's checks and verdict; the caller holds the fence. */
function storeVerdict(
  tx: DbLike,
  run: JobRun,
  testInput: string,
  checks: OutputCheckResult[],
  verdict: CriterionVerdict[] | { skippedReason: string },
  judgeCallId: number | null,
) {
  statement(
    tx,
    `update attempt_outputs set checks = ?, verdict = ?, judge_call_id = ?, judge_model = ?
     where attempt_id = ? and test_input = ?`,
  ).run(JSON.stringify(checks), JSON.stringify(verdict), judgeCallId, run.ctx.judge.model.id, run.attemptId, testInput);
}

/** A write of the job, fenced: refused (Stopped) once another worker holds the job. */
export function write<T>(run: JobRun, fn: (tx: DbLike) => T): T {
  try {
    // Immediate: the fence is read, then the job written, under one write lock (see model-call.ts).
    return immediateWrite(run.ctx.database, (tx) => {
      assertLease(tx, run.lease);
      return fn(tx);
    });
  } catch (err) {
    if (err instanceof LeaseLost) throw new Stopped(err.message);
    throw err;
  }
}

/** One model call of this job, keyed by job, step and test input; a failure that outlived its retries throws. */
async function call(
  run: JobRun,
  step: string,
  spec: CallSpec,
): Promise<{ text: string; outputTokens: number; callId: number }> {
  const { ctx, lease } = run;
  const outcome = await callModel(
    {
      database: ctx.database,
      provider: ctx.provider,
      limiter: ctx.limiter,
      cacheTtlHours: ctx.cfg.CACHE_TTL_HOURS,
      tags: run.tags,
      owner: ctx.owner,
      keyPrefix: `grading:${lease.jobId}:${step}`,
      retryBudgetMs: ctx.cfg.LLM_RETRY_BUDGET_MINUTES * 60_000,
      waitForProvider: true,
      signal: ctx.signal,
      drain: ctx.drain,
      guard: (tx) => assertLease(tx, lease),
      onWait: (why) => showWaiting(run, why),
      onFailure: (error) => recordCallFailure(run, spec, error),
    },
    spec,
  ).catch((err: unknown) => {
    // The fence refused a write (another worker holds the job now): nothing was sent on it; the job just stops.
    if (err instanceof LeaseLost) throw new Stopped(err.message);
    throw err;
  });
  if (outcome.ok) return outcome;
  if ("aborted" in outcome) throw new Stopped("the job was stopped");
  throw new CallFailed(
    outcome.error.kind,
    `${spec.purpose} call to ${spec.providerModel} failed: ${outcome.error.message}`,
  );
}

/**
 * What the job's `waiting` column holds, as this run last wrote it (the claim cleared it, and no one else writes it
 * while the lease holds). A job's eight calls each report their waits and recoveries, and every call that gives up
 * clears it, waited or not: written only when it changes, one autocommit instead of several per failed try.
 */
const shownWaiting = new WeakMap<JobRun, Waiting>();

function showWaiting(run: JobRun, why: Waiting): void {
  if ((shownWaiting.get(run) ?? null) === why) return;
  setWaiting(run.ctx.database, run.lease, why);
  shownWaiting.set(run, why);
}

/** Every failed try, for the health page; the one that ends the attempt is recorded again, final, by the pipeline. */
function recordCallFailure(run: JobRun, spec: CallSpec, error: ProviderError) {
  recordFailure(run.ctx.database, {
    model: spec.model.id,
    providerModel: spec.providerModel,
    purpose: spec.purpose,
    reason: error.kind,
    message: error.message,
    final: false,
    attemptId: run.attemptId,
  });
}

export function markGrading(database: Db, attemptId: number) {
  statement(database, "update attempts set status = 'grading' where id = ?").run(attemptId);
}
