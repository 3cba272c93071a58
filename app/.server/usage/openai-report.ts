import { z } from "zod";
import { costMicros } from "~/domain/cost";
import { DecimalError, dollarsToMicros } from "~/domain/decimal";
import { resolveModel } from "~/domain/model-names";
import type { CostLine, ReadItem } from "./reader";
import { jsonPath } from "./report-json";
import { cleanText, RowError, type UsageRow } from "./row";
import type { Catalogue } from "./sources";

/**
 * OpenAI's organisation Usage API (completions and embeddings buckets, grouped by project, user, API key and
 * model) and Costs API (billed amounts by project and line item), as their pages arrive:
 * `{ "object": "page", "data": [bucket…], "has_more", "next_page" }`, each bucket
 * `{ "start_time", "end_time", "results": […] }` in Unix seconds, each result tagged by its `object`.
 *
 * Usage results carry tokens and request counts but no money: they are priced at the catalogue's list prices
 * (a model the catalogue does not know costs $0 here) and the Costs API's billed amounts correct each day and
 * project (usage/cost-reports.ts). Other usage kinds (images, audio, moderations…) are skipped, their cost comes
 * in through the Costs API. A result's key is its bucket and grouping, so a bucket pulled again replaces itself.
 */

const id = z.string().min(1).max(512).nullable().optional();
const tokens = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const usageResult = z.object({
  object: z.enum(["organization.usage.completions.result", "organization.usage.embeddings.result"]),
  input_tokens: tokens,
  output_tokens: tokens.optional(),
  input_cached_tokens: tokens.optional(),
  num_model_requests: tokens,
  project_id: id,
  user_id: id,
  api_key_id: id,
  model: id,
  batch: z.boolean().nullable().optional(),
  service_tier: id,
});

const costResult = z.object({
  object: z.literal("organization.costs.result"),
  amount: z.object({
    value: z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, "must be a decimal number")]),
    currency: z.string(),
  }),
  line_item: id,
  project_id: id,
});

const bucket = z.object({
  start_time: z.number().int().min(946_684_800).max(4_102_444_800),
  end_time: z.number().int().min(946_684_800).max(4_102_444_800),
  results: z.array(z.unknown()).max(100_000),
});

export const pageSchema = z.object({
  data: z.array(z.unknown()).max(10_000),
  has_more: z.boolean().optional(),
  next_page: z.string().max(4096).nullable().optional(),
});

function firstIssue(error: z.ZodError, prefix: string): RowError {
  const issue = error.issues[0];
  return new RowError(jsonPath(prefix, issue.path), issue.message);
}

function usageRow(r: z.infer<typeof usageResult>, start: number, end: number, cat: Catalogue): UsageRow {
  const kind = r.object === "organization.usage.completions.result" ? "completions" : "embeddings";
  const model = resolveModel([r.model], cat.tiers) ?? { model: `(any ${kind} model)`, tier: "unknown" };
  const input = r.input_tokens;
  const cached = Math.min(input, r.input_cached_tokens ?? 0);
  const output = r.output_tokens ?? 0;
  const prices = cat.prices.get(model.model);
  const list = prices ? costMicros(prices, { input, cachedInput: cached, output }) : 0;
  const tags: Record<string, string | boolean> = {};
  if (r.batch) tags.batch = true;
  if (r.service_tier) tags.service_tier = r.service_tier;
  return {
    key: [kind, start, r.project_id, r.user_id, r.api_key_id, r.model, r.batch, r.service_tier]
      .map((v) => v ?? "")
      .join("|"),
    dims: {
      source: "openai",
      provider: "OpenAI",
      service: "OpenAI API",
      account: null,
      project: cleanText(r.project_id, "project_id"),
      apiKey: cleanText(r.api_key_id, "api_key_id"),
      workspace: null,
      user: cleanText(r.user_id, "user_id"),
      model: model.model,
      tier: model.tier,
      tags,
    },
    periodStart: start * 1000,
    periodEnd: end * 1000,
    calls: r.num_model_requests,
    inputTokens: input,
    cachedInputTokens: cached,
    outputTokens: output,
    costMicros: list,
    listCostMicros: prices ? list : null,
  };
}

function costLine(r: z.infer<typeof costResult>, start: number, at: string): CostLine {
  if (r.amount.currency.toLowerCase() !== "usd")
    throw new RowError(`${at}.amount.currency`, `is ${r.amount.currency}: Tokenwise reads costs in USD only`);
  let amountMicros: number;
  try {
    amountMicros = dollarsToMicros(r.amount.value);
  } catch (error) {
    if (error instanceof DecimalError) throw new RowError(`${at}.amount.value`, error.message);
    throw error;
  }
  return {
    day: Math.floor((start * 1000) / 86_400_000) * 86_400_000,
    scope: r.project_id ?? "",
    item: r.line_item ?? "(all line items)",
    amountMicros,
  };
}

/** The items of one page; `prefix` places it in the file ("[2]" for the third page of an array). */
export function* openaiItems(
  page: unknown,
  prefix: string,
  cat: Catalogue,
  counter: { n: number },
): Generator<ReadItem> {
  const parsed = pageSchema.safeParse(page);
  if (!parsed.success) {
    const e = firstIssue(parsed.error, prefix);
    yield {
      kind: "bad",
      at: ++counter.n,
      field: e.field || prefix || "(file)",
      message: `${e.message} (not a Usage or Costs API page)`,
    };
    return;
  }
  for (const [b, rawBucket] of parsed.data.data.entries()) {
    const at = jsonPath(prefix, ["data", b]);
    const bk = bucket.safeParse(rawBucket);
    if (!bk.success) {
      const e = firstIssue(bk.error, at);
      yield { kind: "bad", at: ++counter.n, field: e.field, message: e.message };
      continue;
    }
    for (const [i, result] of bk.data.results.entries()) {
      const where = `${at}.results[${i}]`;
      const object = (result as { object?: unknown })?.object;
      const n = ++counter.n;
      try {
        if (object === "organization.costs.result") {
          const r = costResult.safeParse(result);
          if (!r.success) throw firstIssue(r.error, where);
          yield { kind: "cost", at: n, line: costLine(r.data, bk.data.start_time, where) };
        } else if (
          typeof object === "string" &&
          object.startsWith("organization.usage.") &&
          !/completions|embeddings/.test(object)
        ) {
          yield { kind: "skip", at: n, reason: `${object} (its cost comes through the Costs API)` };
        } else {
          const r = usageResult.safeParse(result);
          if (!r.success) throw firstIssue(r.error, where);
          yield { kind: "row", at: n, row: usageRow(r.data, bk.data.start_time, bk.data.end_time, cat) };
        }
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        yield {
          kind: "bad",
          at: n,
          field: error.field.startsWith(where) ? error.field : `${where}.${error.field}`,
          message: error.message,
        };
      }
    }
  }
}
