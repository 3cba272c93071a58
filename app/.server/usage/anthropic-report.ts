import { z } from "zod";
import { costMicros } from "~/domain/cost";
import { DecimalError, scaledInteger } from "~/domain/decimal";
import { resolveModel } from "~/domain/model-names";
import type { CostLine, ReadItem } from "./reader";
import { jsonPath } from "./report-json";
import { cleanText, RowError, type UsageRow } from "./row";
import type { Catalogue } from "./sources";
import { instant } from "./values";

/**
 * Anthropic's Admin API reports, page by page: the messages usage report
 * (`/v1/organizations/usage_report/messages`: tokens per time bucket, grouped by workspace, API key, model,
 * service tier, context window) and the cost report (`/v1/organizations/cost_report`: amounts per workspace and
 * description). Both answer `{ "data": [{ "starting_at", "ending_at", "results": […] }], "has_more", "next_page" }`
 * with RFC 3339 bucket bounds.
 *
 * Usage carries no request count (calls stay unknown, so per-call figures leave it out) and no money: input is
 * uncached + cache reads + cache writes, cache reads are the cached share, and it is priced at the catalogue's
 * list prices (cache writes at the input price); the cost report's billed amounts correct each day and workspace.
 * Cost amounts are decimal strings in cents ("123.45" is $1.2345), read exactly.
 */

const id = z.string().min(1).max(512).nullable().optional();
const tokens = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const usageResult = z.object({
  uncached_input_tokens: tokens,
  cache_read_input_tokens: tokens.optional(),
  cache_creation: z
    .object({ ephemeral_1h_input_tokens: tokens.optional(), ephemeral_5m_input_tokens: tokens.optional() })
    .nullable()
    .optional(),
  output_tokens: tokens,
  workspace_id: id,
  api_key_id: id,
  model: id,
  service_tier: id,
  context_window: id,
});

const costResult = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal number of cents, as a string"),
  currency: z.string(),
  workspace_id: id,
  description: id,
  model: id,
  cost_type: id,
  token_type: id,
});

const bucket = z.object({ starting_at: z.string(), ending_at: z.string(), results: z.array(z.unknown()).max(100_000) });
export const anthropicPageSchema = z.object({
  data: z.array(z.unknown()).max(10_000),
  has_more: z.boolean().optional(),
  next_page: z.string().max(4096).nullable().optional(),
});

const DAY_MS = 86_400_000;

function firstIssue(error: z.ZodError, prefix: string): RowError {
  const issue = error.issues[0];
  return new RowError(jsonPath(prefix, issue.path), issue.message);
}

function usageRow(r: z.infer<typeof usageResult>, start: number, end: number, cat: Catalogue): UsageRow {
  const model = resolveModel([r.model], cat.tiers) ?? { model: "(any Claude model)", tier: "unknown" };
  const cacheRead = r.cache_read_input_tokens ?? 0;
  const cacheWrite =
    (r.cache_creation?.ephemeral_1h_input_tokens ?? 0) + (r.cache_creation?.ephemeral_5m_input_tokens ?? 0);
  const input = r.uncached_input_tokens + cacheRead + cacheWrite;
  const prices = cat.prices.get(model.model);
  const list = prices ? costMicros(prices, { input, cachedInput: cacheRead, output: r.output_tokens }) : 0;
  const tags: Record<string, string> = {};
  if (r.service_tier) tags.service_tier = r.service_tier;
  if (r.context_window) tags.context_window = r.context_window;
  return {
    key: ["messages", start, r.workspace_id, r.api_key_id, r.model, r.service_tier, r.context_window]
      .map((v) => v ?? "")
      .join("|"),
    dims: {
      source: "anthropic",
      provider: "Anthropic",
      service: "Claude API",
      account: null,
      project: null,
      apiKey: cleanText(r.api_key_id, "api_key_id"),
      workspace: cleanText(r.workspace_id, "workspace_id"),
      user: null,
      model: model.model,
      tier: model.tier,
      tags,
    },
    periodStart: start,
    periodEnd: end,
    calls: null,
    inputTokens: input,
    cachedInputTokens: cacheRead,
    outputTokens: r.output_tokens,
    costMicros: list,
    listCostMicros: prices ? list : null,
  };
}

function costLine(r: z.infer<typeof costResult>, start: number, at: string): CostLine {
  if (r.currency.toUpperCase() !== "USD")
    throw new RowError(`${at}.currency`, `is ${r.currency}: Tokenwise reads costs in USD only`);
  let amountMicros: number;
  try {
    // Cents to micro-dollars: × 10^4.
    amountMicros = scaledInteger(r.amount, 4);
  } catch (error) {
    if (error instanceof DecimalError) throw new RowError(`${at}.amount`, error.message);
    throw error;
  }
  const item = [r.description, r.model, r.cost_type, r.token_type].filter(Boolean).join(" · ") || "(all costs)";
  return { day: Math.floor(start / DAY_MS) * DAY_MS, scope: r.workspace_id ?? "", item, amountMicros };
}

/** The items of one page of either report. */
export function* anthropicItems(
  page: unknown,
  prefix: string,
  cat: Catalogue,
  counter: { n: number },
): Generator<ReadItem> {
  const parsed = anthropicPageSchema.safeParse(page);
  if (!parsed.success) {
    const e = firstIssue(parsed.error, prefix);
    yield {
      kind: "bad",
      at: ++counter.n,
      field: e.field || "(file)",
      message: `${e.message} (not a usage or cost report page)`,
    };
    return;
  }
  for (const [b, rawBucket] of parsed.data.data.entries()) {
    const at = jsonPath(prefix, ["data", b]);
    const n0 = ++counter.n;
    const bk = bucket.safeParse(rawBucket);
    let start: number;
    let end: number;
    try {
      if (!bk.success) throw firstIssue(bk.error, at);
      start = instant(bk.data.starting_at, `${at}.starting_at`);
      end = instant(bk.data.ending_at, `${at}.ending_at`);
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      yield { kind: "bad", at: n0, field: error.field, message: error.message };
      continue;
    }
    for (const [i, result] of (bk.data?.results ?? []).entries()) {
      const where = `${at}.results[${i}]`;
      const n = i === 0 ? n0 : ++counter.n;
      try {
        if (result && typeof result === "object" && "amount" in result) {
          const r = costResult.safeParse(result);
          if (!r.success) throw firstIssue(r.error, where);
          yield { kind: "cost", at: n, line: costLine(r.data, start, where) };
        } else {
          const r = usageResult.safeParse(result);
          if (!r.success) throw firstIssue(r.error, where);
          yield { kind: "row", at: n, row: usageRow(r.data, start, end, cat) };
        }
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        const field = error.field.startsWith(where) ? error.field : `${where}.${error.field}`;
        yield { kind: "bad", at: n, field, message: error.message };
      }
    }
  }
}
