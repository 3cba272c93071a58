import type { Config } from "~/.server/config";
import { ITEMS, type ItemsOf } from "./import-report";

/**
 * The APIs a scheduled pull reads, each as stages (reports) paged by a cursor: what URL asks for one page, with
 * which headers, and which cursor comes next. The admin keys come from the server's configuration only, at the
 * moment of the request; they are never stored, logged or shown.
 */

export type PullSourceName = "openai" | "anthropic" | "litellm";

export interface Window {
  start: number;
  end: number;
}

export interface Stage {
  /** For messages and the import's origin: "OpenAI Usage API (completions)". */
  label: string;
  url: (cfg: Config, window: Window, cursor: string | null) => string;
  /** The cursor of the page after `body`, or null when it was the last. */
  next: (body: unknown, cursor: string | null) => string | null;
}

export interface PullSource {
  name: PullSourceName;
  label: string;
  /** Whether the configuration has what a pull needs (its key, its URL). */
  configured: (cfg: Config) => boolean;
  headers: (cfg: Config) => Record<string, string>;
  /** The key, to take out of any error text before it is stored or logged. */
  secret: (cfg: Config) => string | undefined;
  stages: Stage[];
  items: ItemsOf;
  /** Windows end at a day boundary for daily buckets, at the moment of the pull for request logs. */
  dailyBuckets: boolean;
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
/** LiteLLM's query format: "YYYY-MM-DD HH:MM:SS", UTC. */
const litellmTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

function query(params: [string, string][]): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
}

const pageCursor = (body: unknown) => {
  const b = body as { has_more?: unknown; next_page?: unknown };
  return b?.has_more === true && typeof b.next_page === "string" && b.next_page ? b.next_page : null;
};

function openaiStage(report: "completions" | "embeddings" | "costs"): Stage {
  const path = report === "costs" ? "/organization/costs" : `/organization/usage/${report}`;
  const groups = report === "costs" ? ["project_id", "line_item"] : ["project_id", "user_id", "api_key_id", "model"];
  return {
    label: report === "costs" ? "OpenAI Costs API" : `OpenAI Usage API (${report})`,
    url: (cfg, w, cursor) =>
      `${cfg.OPENAI_ADMIN_URL.replace(/\/$/, "")}${path}?${query([
        ["start_time", seconds(w.start)],
        ["end_time", seconds(w.end)],
        ["bucket_width", "1d"],
        ["limit", "31"],
        ...groups.map((g): [string, string] => ["group_by", g]),
        ...(cursor ? [["page", cursor] as [string, string]] : []),
      ])}`,
    next: pageCursor,
  };
}

function anthropicStage(report: "usage" | "cost"): Stage {
  const path = report === "usage" ? "/v1/organizations/usage_report/messages" : "/v1/organizations/cost_report";
  const groups =
    report === "usage"
      ? ["workspace_id", "api_key_id", "model", "service_tier", "context_window"]
      : ["workspace_id", "description"];
  return {
    label: report === "usage" ? "Anthropic usage report (messages)" : "Anthropic cost report",
    url: (cfg, w, cursor) =>
      `${cfg.ANTHROPIC_ADMIN_URL.replace(/\/$/, "")}${path}?${query([
        ["starting_at", rfc3339(w.start)],
        ["ending_at", rfc3339(w.end)],
        ["bucket_width", "1d"],
        ["limit", "31"],
        ...groups.map((g): [string, string] => ["group_by[]", g]),
        ...(cursor ? [["page", cursor] as [string, string]] : []),
      ])}`,
    next: pageCursor,
  };
}

const litellmStage: Stage = {
  label: "LiteLLM spend logs",
  url: (cfg, w, cursor) =>
    `${(cfg.LITELLM_URL ?? "").replace(/\/$/, "")}/spend/logs/v2?${query([
      ["start_date", litellmTime(w.start)],
      ["end_date", litellmTime(w.end)],
      ["page", cursor ?? "1"],
      ["page_size", "100"],
    ])}`,
  next: (body, cursor) => {
    const b = body as { page?: unknown; total_pages?: unknown };
    const page = typeof b?.page === "number" ? b.page : Number(cursor ?? 1);
    return typeof b?.total_pages === "number" && page < b.total_pages ? String(page + 1) : null;
  },
};

export const PULL_SOURCES: Record<PullSourceName, PullSource> = {
  openai: {
    name: "openai",
    label: "OpenAI",
    configured: (cfg) => !!cfg.OPENAI_ADMIN_KEY,
    headers: (cfg) => ({ Authorization: `Bearer ${cfg.OPENAI_ADMIN_KEY}` }),
    secret: (cfg) => cfg.OPENAI_ADMIN_KEY,
    stages: [openaiStage("completions"), openaiStage("embeddings"), openaiStage("costs")],
    items: ITEMS.openai,
    dailyBuckets: true,
  },
  anthropic: {
    name: "anthropic",
    label: "Anthropic",
    configured: (cfg) => !!cfg.ANTHROPIC_ADMIN_KEY,
    headers: (cfg) => ({ "x-api-key": cfg.ANTHROPIC_ADMIN_KEY ?? "", "anthropic-version": "2023-06-01" }),
    secret: (cfg) => cfg.ANTHROPIC_ADMIN_KEY,
    stages: [anthropicStage("usage"), anthropicStage("cost")],
    items: ITEMS.anthropic,
    dailyBuckets: true,
  },
  litellm: {
    name: "litellm",
    label: "LiteLLM",
    configured: (cfg) => !!cfg.LITELLM_URL && !!cfg.LITELLM_API_KEY,
    headers: (cfg) => ({ Authorization: `Bearer ${cfg.LITELLM_API_KEY}` }),
    secret: (cfg) => cfg.LITELLM_API_KEY,
    stages: [litellmStage],
    items: ITEMS.litellm,
    dailyBuckets: false,
  },
};
