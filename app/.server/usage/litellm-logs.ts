import { z } from "zod";
import { DecimalError, dollarsToMicros } from "~/domain/decimal";
import { resolveModel } from "~/domain/model-names";
import type { ReadItem } from "./reader";
import { jsonPath } from "./report-json";
import { cleanText, RowError, type TagValue, type UsageRow } from "./row";
import type { Catalogue } from "./sources";
import { instant } from "./values";

/**
 * LiteLLM proxy spend logs (its LiteLLM_SpendLogs rows, as `/spend/logs` answers them: an array, or `/spend/logs/v2`:
 * `{ "data": [...], "total", "page", "page_size", "total_pages" }`), one row per request, keyed by its request_id.
 * LiteLLM already prices each request (`spend`, in USD), and tags it: the virtual key's alias, team and user
 * (metadata.user_api_key_alias, user_api_key_team_alias, user_api_key_user_email) and request tags ("key:value" or
 * plain), which map straight to dimensions and tags for attribution. LiteLLM writes timestamps in UTC, some
 * versions without a zone: those are read as UTC.
 */

const text = z.union([z.string(), z.number()]).nullable().optional();
const metadata = z
  .union([z.string(), z.record(z.unknown())])
  .nullable()
  .optional()
  .transform((m, ctx) => {
    if (typeof m !== "string") return m ?? {};
    try {
      const parsed: unknown = JSON.parse(m || "{}");
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      ctx.addIssue({ code: "custom", message: "is not valid JSON" });
      return {};
    }
  });

export const spendLog = z.object({
  request_id: z.string().min(1).max(512),
  call_type: text,
  api_key: text,
  spend: z
    .union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?([eE]-?\d+)?$/)])
    .nullable()
    .optional(),
  prompt_tokens: z.number().int().min(0).nullable().optional(),
  completion_tokens: z.number().int().min(0).nullable().optional(),
  startTime: z.string(),
  endTime: z.string().nullable().optional(),
  model: text,
  model_group: text,
  custom_llm_provider: text,
  user: text,
  end_user: text,
  team_id: text,
  metadata,
  request_tags: z
    .union([z.array(z.unknown()), z.string()])
    .nullable()
    .optional(),
  status: text,
});

export const litellmPage = z.union([z.array(z.unknown()), z.object({ data: z.array(z.unknown()) })]);

/** LiteLLM may write "2025-01-31T10:00:00" (a UTC time without its zone). */
function utc(value: string, field: string): number {
  const v = value.trim();
  return instant(/[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v}Z`, field);
}

function tagsOf(raw: unknown): Record<string, TagValue> {
  let list: unknown = raw;
  if (typeof raw === "string") {
    try {
      list = JSON.parse(raw);
    } catch {
      throw new RowError("request_tags", "is not a JSON list");
    }
  }
  if (list === null || list === undefined) return {};
  if (!Array.isArray(list)) throw new RowError("request_tags", "must be a list of tags");
  const tags: Record<string, TagValue> = {};
  for (const t of list.slice(0, 200)) {
    const tag = cleanText(t, "request_tags", 256);
    if (tag === null) continue;
    const at = tag.indexOf(":");
    if (at > 0) tags[tag.slice(0, at).trim()] = tag.slice(at + 1).trim();
    else tags[tag] = true;
  }
  return tags;
}

function str(v: unknown): string | null {
  return typeof v === "string" || typeof v === "number" ? String(v) : null;
}

function cachedTokens(meta: Record<string, unknown>): number {
  for (const key of ["additional_usage_values", "usage_object"]) {
    const usage = meta[key] as
      | { prompt_tokens_details?: { cached_tokens?: unknown }; cache_read_input_tokens?: unknown }
      | undefined;
    const n = usage?.prompt_tokens_details?.cached_tokens ?? usage?.cache_read_input_tokens;
    if (typeof n === "number" && Number.isSafeInteger(n) && n >= 0) return n;
  }
  return 0;
}

export function litellmRow(log: z.infer<typeof spendLog>, cat: Catalogue): UsageRow {
  const meta = log.metadata as Record<string, unknown>;
  const start = utc(log.startTime, "startTime");
  const end = log.endTime ? utc(log.endTime, "endTime") : start;
  let cost: number;
  try {
    cost = log.spend === null || log.spend === undefined ? 0 : dollarsToMicros(log.spend);
  } catch (error) {
    if (error instanceof DecimalError) throw new RowError("spend", error.message);
    throw error;
  }
  const model = resolveModel([str(log.model_group), str(log.model)], cat.tiers) ?? {
    model: "(unknown model)",
    tier: "unknown",
  };
  const input = log.prompt_tokens ?? 0;
  return {
    key: log.request_id,
    dims: {
      source: "litellm",
      provider: cleanText(log.custom_llm_provider, "custom_llm_provider") ?? "litellm",
      service: "LiteLLM proxy",
      account: null,
      project: cleanText(
        meta.user_api_key_project_alias ?? meta.user_api_key_project_id,
        "metadata.user_api_key_project_alias",
      ),
      apiKey: cleanText(meta.user_api_key_alias ?? log.api_key, "metadata.user_api_key_alias"),
      workspace: cleanText(
        meta.user_api_key_team_alias ?? log.team_id ?? meta.user_api_key_team_id,
        "metadata.user_api_key_team_alias",
      ),
      user: cleanText(
        meta.user_api_key_user_email ?? log.user ?? log.end_user ?? meta.user_api_key_user_id,
        "metadata.user_api_key_user_email",
      ),
      model: model.model,
      tier: model.tier,
      tags: tagsOf(log.request_tags),
    },
    periodStart: start,
    periodEnd: Math.max(start, end),
    calls: 1,
    inputTokens: input,
    cachedInputTokens: Math.min(input, cachedTokens(meta)),
    outputTokens: log.completion_tokens ?? 0,
    costMicros: cost,
    listCostMicros: null,
  };
}

/** The items of one value: a page, a list of logs, or (JSON Lines) one log. */
export function* litellmItems(
  value: unknown,
  prefix: string,
  cat: Catalogue,
  counter: { n: number },
): Generator<ReadItem> {
  const logs = Array.isArray(value)
    ? value.map((v, i) => [v, jsonPath(prefix, [i])] as const)
    : value && typeof value === "object" && "data" in value && Array.isArray((value as { data: unknown }).data)
      ? (value as { data: unknown[] }).data.map((v, i) => [v, jsonPath(prefix, ["data", i])] as const)
      : [[value, prefix] as const];
  for (const [raw, where] of logs) {
    const n = ++counter.n;
    const parsed = spendLog.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      yield { kind: "bad", at: n, field: jsonPath(where, issue.path) || "(log)", message: issue.message };
      continue;
    }
    try {
      yield { kind: "row", at: n, row: litellmRow(parsed.data, cat) };
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      yield { kind: "bad", at: n, field: jsonPath(where, [error.field]), message: error.message };
    }
  }
}
