import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Config, parseConfig } from "~/.server/config";
import { db } from "~/.server/db";
import { isDue, runDuePulls, runPull } from "~/.server/usage/pulls";
import { FAKE_KEYS, type FakeUsageApis, startFakeUsageApis } from "../fakes/usage-apis";
import { ready } from "./harness";

/**
 * Scheduled pulls against fake OpenAI, Anthropic and LiteLLM admin APIs on loopback, serving the fixtures' buckets
 * and logs one per page: pagination, 429 storms with Retry-After, errors, resumption, and keys kept out of storage.
 */

const fixture = (name: string) => JSON.parse(readFileSync(`test/fixtures/usage/${name}`, "utf8"));
const NOW = new Date("2026-01-08T12:00:00Z");
const one = <T = number>(q: string, ...p: unknown[]) =>
  db()
    .$client.prepare(q)
    .pluck()
    .get(...p) as T;
const total = (source: string) =>
  one("select coalesce(sum(cost_micros), 0) from usage_records where source = ?", source);

let fake: FakeUsageApis;
let cfg: Config;
const waits: number[] = [];
const deps = () => ({ sleep: async (ms: number) => void waits.push(ms), random: () => 0.5 });

beforeAll(async () => {
  await ready();
  fake = await startFakeUsageApis({
    openai: {
      completions: fixture("openai-usage-completions.json").data,
      embeddings: fixture("openai-usage-embeddings.json").data,
      costs: fixture("openai-costs.json").data,
    },
    anthropic: { usage: fixture("anthropic-usage.json").data, cost: fixture("anthropic-cost.json").data },
    litellm: fixture("litellm-spend-logs.json").data,
  });
  cfg = parseConfig({
    SESSION_SECRET: "x".repeat(32),
    DATABASE_PATH: process.env.DATABASE_PATH,
    OPENAI_ADMIN_KEY: FAKE_KEYS.openai,
    OPENAI_ADMIN_URL: `${fake.url}/v1`,
    ANTHROPIC_ADMIN_KEY: FAKE_KEYS.anthropic,
    ANTHROPIC_ADMIN_URL: fake.url,
    LITELLM_URL: fake.url,
    LITELLM_API_KEY: FAKE_KEYS.litellm,
    USAGE_PULL_BACKFILL_DAYS: "7",
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  db().$client.exec(
    "delete from usage_records; delete from usage_dim_daily; delete from usage_dims; delete from usage_cost_reports; delete from usage_pulls; delete from usage_rollup; delete from usage_team_rollup; delete from usage_use_rollup; delete from usage_department_rollup",
  );
  fake.calls.length = 0;
  fake.script.length = 0;
  waits.length = 0;
});

describe("pulling OpenAI's Usage and Costs APIs", () => {
  it("pages through completions, embeddings and costs with the admin key, and reconciles to the bill", async () => {
    const report = await runPull(db(), "openai", cfg, NOW, deps());
    expect(report).toMatchObject({ status: "done", pages: 6 });
    expect(total("openai")).toBe(4_610_000);
    const first = fake.calls[0];
    expect(first.path).toBe("/v1/organization/usage/completions");
    expect(first.headers.authorization).toBe(`Bearer ${FAKE_KEYS.openai}`);
    expect(first.query.getAll("group_by")).toEqual(["project_id", "user_id", "api_key_id", "model"]);
    expect([first.query.get("start_time"), first.query.get("bucket_width")]).toEqual([
      String(Date.UTC(2026, 0, 1) / 1000),
      "1d",
    ]);
    expect(fake.calls.map((c) => [c.path.split("/").pop(), c.query.get("page")])).toEqual([
      ["completions", null],
      ["completions", "page_1"],
      ["embeddings", null],
      ["embeddings", "page_1"],
      ["costs", null],
      ["costs", "page_1"],
    ]);
    // The key is in the server's configuration only: not in any stored row.
    const dump =
      JSON.stringify(db().$client.prepare("select * from usage_imports").all()) +
      JSON.stringify(db().$client.prepare("select * from usage_pulls").all());
    expect(dump).not.toContain(FAKE_KEYS.openai);
  });

  it("waits out a 429 storm as Retry-After says, then carries on", async () => {
    fake.script.push({ status: 429, retryAfter: "7" }, { status: 429, retryAfter: "2" }, { status: 503 });
    const report = await runPull(db(), "openai", cfg, NOW, deps());
    expect(report.status).toBe("done");
    expect(waits).toEqual([7000, 2000, 4000]);
    expect(total("openai")).toBe(4_610_000);
  });

  it("stops when the API keeps failing, and resumes at the same page the next time without counting twice", async () => {
    // Two good pages, then the third request (embeddings, first page) fails six times.
    const failing = Array.from({ length: 6 }, () => ({ status: 500 as const }));
    let calls = 0;
    const fetchFn: typeof fetch = async (input, init) => {
      calls++;
      if (calls === 3) fake.script.push(...failing);
      return fetch(input, init);
    };
    const stopped = await runPull(db(), "openai", cfg, NOW, { ...deps(), fetchFn });
    expect(stopped).toMatchObject({ status: "failed", pages: 2 });
    expect(stopped.message).toMatch(/gave up after 6 tries: HTTP 500\. The pull resumes from this page/);
    expect(one("select stage from usage_pulls where source = 'openai'")).toBe(1);
    const resumed = await runPull(db(), "openai", cfg, NOW, deps());
    expect(resumed).toMatchObject({ status: "done", pages: 4 });
    expect(fake.calls.filter((c) => c.status === 200).map((c) => c.path.split("/").pop())).toEqual([
      "completions",
      "completions",
      "embeddings",
      "embeddings",
      "costs",
      "costs",
    ]);
    expect(total("openai")).toBe(4_610_000);
    expect(one("select count(*) from usage_records where source = 'openai'")).toBe(6 + 3);
  });

  it("pauses at its deadline and finishes the window on the next run", async () => {
    const paused = await runPull(db(), "openai", cfg, NOW, { ...deps(), deadline: 0 });
    expect(paused.status).toBe("paused");
    expect(isDue(db(), "openai", NOW, cfg)).toBe(true);
    expect((await runPull(db(), "openai", cfg, NOW, deps())).status).toBe("done");
    expect(isDue(db(), "openai", NOW, cfg)).toBe(false);
    expect(isDue(db(), "openai", new Date(NOW.getTime() + 7 * 3_600_000), cfg)).toBe(true);
  });

  it("fails clearly on a refused key or a garbage page, never echoing the key", async () => {
    const wrong = await runPull(db(), "openai", { ...cfg, OPENAI_ADMIN_KEY: "sk-admin-wrong-key-1234" }, NOW, deps());
    expect(wrong.status).toBe("failed");
    expect(wrong.message).toMatch(/refused the admin key \(HTTP 401\)/);
    expect(wrong.message).not.toContain("sk-admin-wrong-key-1234");
    fake.script.push({ raw: '{"object": "page", "data": [' });
    const garbage = await runPull(db(), "openai", cfg, NOW, deps());
    expect(garbage.message).toMatch(/not JSON/);
    expect((await runPull(db(), "openai", cfg, NOW, deps())).status).toBe("done");
    expect(total("openai")).toBe(4_610_000);
  });
});

describe("pulling Anthropic's and LiteLLM's reports", () => {
  it("reads Anthropic's usage and cost reports with its headers and group_by[] parameters", async () => {
    const report = await runPull(db(), "anthropic", cfg, NOW, deps());
    expect(report).toMatchObject({ status: "done", pages: 2 });
    expect(total("anthropic")).toBe(2_325_000);
    const usage = fake.calls[0];
    expect(usage.path).toBe("/v1/organizations/usage_report/messages");
    expect([usage.headers["x-api-key"], usage.headers["anthropic-version"]]).toEqual([
      FAKE_KEYS.anthropic,
      "2023-06-01",
    ]);
    expect(usage.query.getAll("group_by[]")).toEqual([
      "workspace_id",
      "api_key_id",
      "model",
      "service_tier",
      "context_window",
    ]);
    expect(usage.query.get("starting_at")).toBe("2026-01-01T00:00:00Z");
  });

  it("pages through LiteLLM's spend logs", async () => {
    const report = await runPull(db(), "litellm", cfg, NOW, deps());
    expect(report).toMatchObject({ status: "done", pages: 3 });
    expect(fake.calls.map((c) => c.query.get("page"))).toEqual(["1", "2", "3"]);
    expect(fake.calls[0].query.get("start_date")).toBe("2026-01-01 00:00:00");
    expect(total("litellm")).toBe(3_500);
  });

  it("runs every configured source that is due, and skips the rest", async () => {
    const reports = await runDuePulls(db(), { ...cfg, LITELLM_URL: undefined }, NOW, deps());
    expect(reports.map((r) => [r.source, r.status])).toEqual([
      ["openai", "done"],
      ["anthropic", "done"],
    ]);
    expect(await runDuePulls(db(), cfg, NOW, deps())).toEqual([
      expect.objectContaining({ source: "litellm", status: "done" }),
    ]);
  });
});
