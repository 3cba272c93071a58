import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Fake admin APIs on loopback, speaking the wire formats of OpenAI's Usage and Costs APIs
 * (/v1/organization/usage/{completions,embeddings}, /v1/organization/costs: Bearer key, start_time/end_time in
 * Unix seconds, limit, page cursors), Anthropic's usage and cost reports (/v1/organizations/usage_report/messages,
 * /v1/organizations/cost_report: x-api-key and anthropic-version headers, RFC 3339 bounds, group_by[]) and
 * LiteLLM's /spend/logs/v2 (Bearer key, start_date/end_date, page/page_size, total_pages). Each serves the buckets
 * or logs it is given that fall in the requested window, `pageSize` per page, and can be scripted to answer
 * 429 (with Retry-After), 500, 401 or garbage for the next requests.
 */

export interface FakeUsageData {
  openai?: { completions?: unknown[]; embeddings?: unknown[]; costs?: unknown[] };
  anthropic?: { usage?: unknown[]; cost?: unknown[] };
  litellm?: unknown[];
}

export type Scripted =
  | { status: 429; retryAfter?: string }
  | { status: 500 | 502 | 503 | 401 | 400 }
  | { raw: string }
  | { hang: true };

export interface RecordedCall {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  status: number;
}

export interface FakeUsageApis {
  url: string;
  calls: RecordedCall[];
  script: Scripted[];
  data: FakeUsageData;
  pageSize: number;
  close(): Promise<void>;
}

const KEYS = {
  openai: "sk-admin-openai-secret",
  anthropic: "sk-ant-admin01-secret",
  litellm: "sk-litellm-master-secret",
};
export const FAKE_KEYS = KEYS;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Buckets whose start lies in [from, to), a page of them from `offset`, and the cursor after it. */
function page<T>(items: T[], startOf: (t: T) => number, from: number, to: number, cursor: string | null, size: number) {
  const inWindow = items.filter((t) => startOf(t) >= from && startOf(t) < to);
  const offset = cursor ? Number(cursor.replace(/^page_/, "")) : 0;
  const slice = inWindow.slice(offset, offset + size);
  const more = offset + size < inWindow.length;
  return { slice, more, next: more ? `page_${offset + size}` : null, total: inWindow.length };
}

export async function startFakeUsageApis(data: FakeUsageData = {}, pageSize = 1): Promise<FakeUsageApis> {
  const fake: FakeUsageApis = {
    url: "",
    calls: [],
    script: [],
    data,
    pageSize,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const record = (status: number) =>
      fake.calls.push({ path: url.pathname, query: url.searchParams, headers: req.headers, status });
    const scripted = fake.script.shift();
    if (scripted) {
      if ("hang" in scripted) return record(0);
      if ("raw" in scripted) {
        record(200);
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(scripted.raw);
      }
      record(scripted.status);
      const headers: Record<string, string> = {};
      if (scripted.status === 429 && "retryAfter" in scripted && scripted.retryAfter)
        headers["retry-after"] = scripted.retryAfter;
      return send(res, scripted.status, { error: { message: `scripted ${scripted.status}`, type: "fake" } }, headers);
    }
    const p = url.pathname;
    const q = url.searchParams;
    if (p.startsWith("/v1/organization/")) {
      if (req.headers.authorization !== `Bearer ${KEYS.openai}`) {
        record(401);
        return send(res, 401, { error: { message: "Invalid admin key", type: "invalid_request_error" } });
      }
      const report = p.endsWith("/costs")
        ? "costs"
        : p.endsWith("/completions")
          ? "completions"
          : p.endsWith("/embeddings")
            ? "embeddings"
            : null;
      if (!report || !q.get("start_time")) {
        record(400);
        return send(res, 400, { error: { message: "start_time is required" } });
      }
      const from = Number(q.get("start_time"));
      const to = q.get("end_time") ? Number(q.get("end_time")) : Number.POSITIVE_INFINITY;
      const buckets = (data.openai?.[report] ?? []) as { start_time: number }[];
      const pg = page(buckets, (b) => b.start_time, from, to, q.get("page"), fake.pageSize);
      record(200);
      return send(res, 200, { object: "page", data: pg.slice, has_more: pg.more, next_page: pg.next });
    }
    if (p.startsWith("/v1/organizations/")) {
      if (req.headers["x-api-key"] !== KEYS.anthropic || req.headers["anthropic-version"] !== "2023-06-01") {
        record(401);
        return send(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
      }
      const report = p.endsWith("/usage_report/messages") ? "usage" : p.endsWith("/cost_report") ? "cost" : null;
      const from = Date.parse(q.get("starting_at") ?? "");
      if (!report || Number.isNaN(from)) {
        record(400);
        return send(res, 400, {
          type: "error",
          error: { type: "invalid_request_error", message: "starting_at is required" },
        });
      }
      const to = q.get("ending_at") ? Date.parse(q.get("ending_at") as string) : Number.POSITIVE_INFINITY;
      const buckets = (data.anthropic?.[report] ?? []) as { starting_at: string }[];
      const pg = page(buckets, (b) => Date.parse(b.starting_at), from, to, q.get("page"), fake.pageSize);
      record(200);
      return send(res, 200, { data: pg.slice, has_more: pg.more, next_page: pg.next });
    }
    if (p === "/spend/logs/v2") {
      if (req.headers.authorization !== `Bearer ${KEYS.litellm}`) {
        record(401);
        return send(res, 401, { error: { message: "Authentication Error, Invalid proxy server token passed" } });
      }
      const utc = (v: string | null) => Date.parse(`${(v ?? "").replace(" ", "T")}Z`);
      const from = utc(q.get("start_date"));
      const to = utc(q.get("end_date"));
      const size = Number(q.get("page_size") ?? 50);
      const pageNo = Number(q.get("page") ?? 1);
      const logs = ((data.litellm ?? []) as { startTime: string }[]).filter((l) => {
        const at = Date.parse(/Z$/.test(l.startTime) ? l.startTime : `${l.startTime.replace(" ", "T")}Z`);
        return at >= from && at < to;
      });
      const perPage = Math.min(size, fake.pageSize);
      record(200);
      return send(res, 200, {
        data: logs.slice((pageNo - 1) * perPage, pageNo * perPage),
        total: logs.length,
        page: pageNo,
        page_size: perPage,
        total_pages: Math.max(1, Math.ceil(logs.length / perPage)),
      });
    }
    record(404);
    send(res, 404, { error: { message: `no route ${p}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
