import { type Db, type DbLike, statement } from "../db";
import type { CallTags } from "../ledger";
import type { Limiter, ModelProvider, ProviderError } from "../providers";

/** Why a call is not going out right now, shown to the learner ("waiting for the model provider"). */
export type WaitReason = "provider" | "rate_limit";

/** Where a model call runs and whom it answers to: shared by live grading and calibration previews. */
export interface CallEnv {
  database: Db;
  provider: ModelProvider;
  limiter: Limiter;
  cacheTtlHours: number;
  tags: CallTags;
  /** Who writes the pending rows (owner.ts). */
  owner: string;
  /**
   * The idempotency key of the step without its call number, e.g. "grading:12:target:0"; each request to the
   * provider gets `<prefix>:<n>`, n counting the step's requests whose outcome was settled or given up.
   */
  keyPrefix: string;
  /** A failing call is retried until this long after its first try (LLM_RETRY_BUDGET_MINUTES). */
  retryBudgetMs: number;
  /** While the provider's breaker is open: wait within the budget (grading) or fail at once (previews). */
  waitForProvider: boolean;
  /** Hard stop: a call in flight is cancelled (its cost is then unknown) and nothing more is sent. */
  signal?: AbortSignal;
  /**
   * Soft stop (shutdown drain), aborted when the drain begins: calls in flight finish and are settled, no new request
   * is sent, and a call waiting out a backoff or an open breaker stops waiting at once (it would send nothing more).
   */
  drain?: AbortSignal;
  /** Fencing: throws when the caller lost the right to write (its lease); run inside each write's transaction. */
  guard?: (tx: DbLike) => void;
  /** The call is waiting (or, with null, no longer waiting): for the learner's progress. */
  onWait?: (why: WaitReason | null) => void;
  /** Every failed try, retried (`final` false) or not: for the grading health page. */
  onFailure?: (error: ProviderError, final: boolean) => void;
}

/**
 * The next request key of a step: `<prefix>:<n>` with n one more than the step's rows so far (one indexed range
 * read). Keys are never reused across rows; a request retried after the provider rejected it keeps its key.
 */
export function nextKey(database: DbLike, prefix: string): string {
  const from = `${prefix}:`;
  // ';' is the character after ':', so [prefix:, prefix;) is exactly the keys under this prefix.
  const to = `${prefix};`;
  const row = statement(
    database,
    "select count(*) as n from model_calls where idempotency_key >= ? and idempotency_key < ?",
  ).get(from, to) as { n: number };
  return `${from}${row.n + 1}`;
}

/** Resolves after `ms`, or at once when any of `signals` aborts; never keeps the process alive on its own. */
export function sleep(ms: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  const watched = signals.filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve) => {
    if (ms <= 0 || watched.some((s) => s.aborted)) return resolve();
    const done = () => {
      clearTimeout(timer);
      for (const s of watched) s.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref?.();
    for (const s of watched) s.addEventListener("abort", done, { once: true });
  });
}
