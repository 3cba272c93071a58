import { randomBytes } from "node:crypto";
import type { ChatMessage } from "~/domain/llm-judge";
import type { ModelInfo } from "~/domain/models";
import type { Db } from "../../db";
import { type CallSpec, callModel } from "../../grading/model-call";
import { createOwner } from "../../grading/owner";
import type { PipelineContext } from "../../grading/pipeline";
import type { CallTags } from "../../ledger";

/** The pieces of live grading calibration needs; the route passes liveGrading()?.ctx, tests a fake's. */
export type PreviewContext = Pick<PipelineContext, "provider" | "limiter" | "judge" | "cfg" | "signal"> & {
  database: Db;
};

/** Previews write their pending ledger rows as this process (never released: it lives as long as the process). */
const PREVIEW_OWNER = createOwner();
/**
 * A preview is a page waiting for its answer: a failing call is retried for this long at most, and an open
 * breaker (the provider down) fails it at once rather than keeping the instructor waiting.
 */
const PREVIEW_RETRY_BUDGET_MS = 20_000;

/** What a calibration's model calls cost, shown beside its LLM grades. */
export interface Spend {
  calls: number;
  cacheHits: number;
  costMicros: number;
}

/** One calibration's calls: where they go, how the ledger tags them, and what they have spent so far. */
export interface PreviewRun {
  ctx: PreviewContext;
  tags: CallTags;
  spend: Spend;
}

/** A call that failed or was cancelled: the prompt it was for shows this message instead of an LLM grade. */
export class PreviewCallFailed extends Error {}

export interface PreviewSpec {
  model: ModelInfo;
  providerModel: string;
  messages: ChatMessage[];
  params: { temperature: number; maxTokens: number; json: boolean };
  testInput: string;
  /** Only replies that pass this are cached (an unreadable verdict must not be served again). */
  cacheable?: (text: string) => boolean;
  jsonSchema?: CallSpec["jsonSchema"];
}

/**
 * One model call through the provider's limiter, behind the exact cache only (a preview must show
 * what this very prompt produces, not a similar one's reply), written to the ledger as "preview".
 */
export async function previewCall(run: PreviewRun, spec: PreviewSpec): Promise<{ text: string; outputTokens: number }> {
  const { ctx, tags, spend } = run;
  const outcome = await callModel(
    {
      database: ctx.database,
      provider: ctx.provider,
      limiter: ctx.limiter,
      cacheTtlHours: ctx.cfg.CACHE_TTL_HOURS,
      tags,
      signal: ctx.signal,
      owner: PREVIEW_OWNER.id,
      keyPrefix: `preview:${randomBytes(6).toString("hex")}`,
      retryBudgetMs: Math.min(PREVIEW_RETRY_BUDGET_MS, ctx.cfg.LLM_RETRY_BUDGET_MINUTES * 60_000),
      waitForProvider: false,
    },
    {
      ...spec,
      purpose: "preview",
      promptText: spec.messages.map((m) => m.content).join("\n"),
      semanticThreshold: null,
      // A preview is not reserved per call (the calibration holds one reservation): the row's estimate is 0.
      estimateMicros: 0,
    },
  );
  if ("aborted" in outcome) throw new PreviewCallFailed("The preview was cancelled.");
  spend.calls++;
  if (!outcome.ok) throw new PreviewCallFailed(`The call to ${spec.providerModel} failed: ${outcome.error.message}`);
  if (outcome.cacheHit) spend.cacheHits++;
  spend.costMicros += outcome.costMicros;
  return outcome;
}
