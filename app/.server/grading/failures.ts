import { type DbLike, statement } from "../db";
import { log } from "../log";
import type { ProviderError } from "../providers";

/**
 * Provider and judge failures: the detail (status, the provider's words, redacted of keys) goes to the log and
 * the grading_failures table for the admin's health page; the learner gets a short reason and a retry.
 */

export type FailureReason = ProviderError["kind"] | "judge_unreadable";

export interface FailureRecord {
  model: string;
  providerModel: string | null;
  purpose: "target" | "judge" | "preview" | "embedding";
  reason: FailureReason;
  message: string;
  final: boolean;
  attemptId: number | null;
}

export function recordFailure(database: DbLike, f: FailureRecord): void {
  try {
    // Every failed try writes one (a 429 storm writes dozens a second): prepared once per connection.
    statement(
      database,
      `insert into grading_failures (model, provider_model, purpose, reason, message, final, attempt_id)
       values (?, ?, ?, ?, ?, ?, ?)`,
    ).run(f.model, f.providerModel, f.purpose, f.reason, f.message, f.final ? 1 : 0, f.attemptId);
  } catch (err) {
    // The health page is worth less than the grading that reports to it.
    log.error(`could not record a grading failure: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const SAVED = "Your prompt is saved";

/** What a learner reads when grading failed: why, in plain words, and what to do; never the provider's text. */
export function learnerMessage(reason: FailureReason, retryBudgetMinutes: number): string {
  const waited = retryBudgetMinutes >= 1 ? `${Math.round(retryBudgetMinutes)} minutes` : "a while";
  switch (reason) {
    case "rate_limited":
      return `The model provider stayed too busy to take this attempt (we kept asking for ${waited}). ${SAVED}: press Retry grading in a few minutes.`;
    case "server":
    case "network":
    case "timeout":
      return `The model provider did not answer (we kept trying for ${waited}). ${SAVED}: press Retry grading once it is back.`;
    case "auth":
      return `Live grading is not set up correctly: the model provider refused our credentials. An administrator can see the details. ${SAVED}.`;
    case "bad_request":
      return `The model provider refused this request. An administrator can see the details. ${SAVED}: press Retry grading, or submit it again.`;
    case "bad_response":
      return `The model provider sent back an answer we could not read. ${SAVED}: press Retry grading.`;
    case "judge_unreadable":
      return `The judge model's verdict could not be read, even after asking it again. ${SAVED} with the outputs already paid for: press Retry grading.`;
  }
}
