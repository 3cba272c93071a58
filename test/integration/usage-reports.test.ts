import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UsageSource } from "#db/schema";
import { db } from "~/.server/db";
import { IMPORTERS } from "~/.server/usage/importers";
import { ready } from "./harness";

/**
 * OpenAI, Anthropic and LiteLLM answers saved to files (test/fixtures/usage, written from the published response
 * formats): usage priced at the catalogue's list prices, providers' billed amounts reconciled per day and scope.
 */

const FIXTURES = "test/fixtures/usage";
const dir = mkdtempSync(join(tmpdir(), "tokenwise-reports-"));
const one = <T = number>(q: string, ...p: unknown[]) =>
  db()
    .$client.prepare(q)
    .pluck()
    .get(...p) as T;
const all = <T = Record<string, unknown>>(q: string, ...p: unknown[]) =>
  db()
    .$client.prepare(q)
    .all(...p) as T[];

const load = (source: UsageSource, name: string) =>
  IMPORTERS[source](db(), join(FIXTURES, name), name, { policy: "keep" });
const loadText = (source: UsageSource, name: string, text: string, policy: "keep" | "refuse" = "keep") => {
  writeFileSync(join(dir, name), text);
  return IMPORTERS[source](db(), join(dir, name), name, { policy });
};
const total = (source: string) =>
  one("select coalesce(sum(cost_micros), 0) from usage_records where source = ?", source);

beforeAll(ready);
beforeEach(() => {
  db().$client.exec(
    "delete from usage_records; delete from usage_dim_daily; delete from usage_dims; delete from usage_cost_reports; delete from usage_rollup; delete from usage_team_rollup; delete from usage_use_rollup; delete from usage_department_rollup",
  );
});

describe("OpenAI usage and costs", () => {
  it("prices the usage buckets at list prices, by the catalogue's model", async () => {
    const summary = await load("openai", "openai-usage-completions.json");
    expect(summary).toMatchObject({ status: "done", rowsRead: 5, rowsAdded: 5, rowsBad: 0, unit: "result" });
    expect(
      all(
        `select d.project, d.user, d.api_key as apiKey, d.model, d.tier, r.calls, r.input_tokens as input, r.cached_input_tokens as cached,
                r.output_tokens as output, r.cost_micros as cost from usage_records r join usage_dims d on d.id = r.dim_id
          order by r.period_start, r.cost_micros desc`,
      ),
    ).toEqual([
      {
        project: "proj_platform",
        user: "user-tom",
        apiKey: "key_platform",
        model: "o1",
        tier: "frontier",
        calls: 50,
        input: 100_000,
        cached: 0,
        output: 20_000,
        cost: 2_700_000,
      },
      {
        project: "proj_platform",
        user: "user-tom",
        apiKey: "key_platform",
        model: "gpt-4.1",
        tier: "medium",
        calls: 500,
        input: 500_000,
        cached: 0,
        output: 50_000,
        cost: 1_400_000,
      },
      {
        project: "proj_support",
        user: "user-ana",
        apiKey: "key_support",
        model: "gpt-4o-mini",
        tier: "small",
        calls: 2000,
        input: 1_000_000,
        cached: 200_000,
        output: 100_000,
        cost: 195_000,
      },
      {
        project: "proj_support",
        user: "user-ana",
        apiKey: "key_support",
        model: "gpt-4o-mini",
        tier: "small",
        calls: 4000,
        input: 2_000_000,
        cached: 1_000_000,
        output: 200_000,
        cost: 345_000,
      },
      // A fine-tuned model the catalogue cannot price: its tokens count, its money comes from the Costs API.
      {
        project: "proj_support",
        user: "user-ana",
        apiKey: "key_support",
        model: "ft:gpt-3.5-turbo-0125:acme::abc123",
        tier: "unknown",
        calls: 10,
        input: 10_000,
        cached: 0,
        output: 1_000,
        cost: 0,
      },
    ]);
    expect(one("select tags from usage_dims where model like 'ft:%'")).toBe('{"batch":true,"service_tier":"default"}');
  });

  it("makes usage add up to the Costs API's bill per day and project, whatever the order, and adds nothing when re-imported", async () => {
    await load("openai", "openai-costs.json");
    // Bills before any usage: each day and project is one adjustment row carrying the whole bill.
    expect(total("openai")).toBe(4_610_000);
    await load("openai", "openai-usage-completions.json");
    const embeddings = await load("openai", "openai-usage-embeddings.json");
    expect(embeddings).toMatchObject({ rowsAdded: 1, rowsSkipped: 0 });
    expect(total("openai")).toBe(4_610_000);
    expect(
      all(
        "select r.period_start as day, d.project, r.cost_micros as cost from usage_records r join usage_dims d on d.id = r.dim_id where d.model = 'billing adjustment' order by 1, 2",
      ),
    ).toEqual([
      { day: Date.UTC(2026, 0, 5), project: "proj_platform", cost: -100_000 },
      { day: Date.UTC(2026, 0, 5), project: "proj_support", cost: -5_000 },
      { day: Date.UTC(2026, 0, 6), project: "proj_support", cost: 55_000 },
    ]);
    const before = all("select record_key, cost_micros from usage_records order by 1");
    for (const name of ["openai-costs.json", "openai-usage-completions.json", "openai-usage-embeddings.json"]) {
      const again = await load("openai", name);
      expect(again).toMatchObject({ rowsAdded: 0, rowsUpdated: 0 });
    }
    expect(all("select record_key, cost_micros from usage_records order by 1")).toEqual(before);
    // The rollups (every team unallocated, no rules) hold the billed total too.
    expect(one("select sum(cost_micros) from usage_rollup where grain = 'day' and source = 'openai'")).toBe(4_610_000);
  });

  it("reconciles a Costs API answer not grouped by project against all of that day's usage", async () => {
    await load("openai", "openai-usage-completions.json");
    const ungrouped = {
      object: "page",
      data: [
        {
          start_time: 1767571200,
          end_time: 1767657600,
          results: [
            {
              object: "organization.costs.result",
              amount: { value: "4.25", currency: "usd" },
              line_item: null,
              project_id: null,
            },
          ],
        },
      ],
    };
    await loadText("openai", "ungrouped.json", JSON.stringify(ungrouped));
    // 5 January: usage listed at 4.295 (both projects), billed 4.25; 6 January has no bill, so no adjustment.
    expect(one("select sum(cost_micros) from usage_records where period_start < ?", Date.UTC(2026, 0, 6))).toBe(
      4_250_000,
    );
    expect(one("select count(*) from usage_records where record_key like 'adjust|%'")).toBe(1);
  });

  it("names the path of a bad result and keeps the rest", async () => {
    const page = {
      object: "page",
      data: [
        {
          start_time: 1767571200,
          end_time: 1767657600,
          results: [
            { object: "organization.usage.completions.result", input_tokens: -5, num_model_requests: 1 },
            {
              object: "organization.usage.completions.result",
              input_tokens: 10,
              num_model_requests: 1,
              model: "gpt-4o",
            },
            { object: "organization.costs.result", amount: { value: 1, currency: "eur" }, project_id: "p" },
            { object: "organization.usage.images.result", images: 2, num_model_requests: 2 },
            { object: "organization.usage.completions.result", input_tokens: 1.5, num_model_requests: 1 },
          ],
        },
        { start_time: "yesterday", end_time: 1, results: [] },
      ],
    };
    const summary = await loadText("openai", "bad.json", JSON.stringify(page));
    expect(summary).toMatchObject({ status: "done", rowsAdded: 1, rowsSkipped: 1, rowsBad: 4 });
    expect(summary.errors.map((e) => e.field)).toEqual([
      "data[0].results[0].input_tokens",
      "data[0].results[2].amount.currency",
      "data[0].results[4].input_tokens",
      "data[1].start_time",
    ]);
    expect(summary.errors[1].message).toMatch(/USD only/);
    const refused = await loadText("openai", "bad.json", JSON.stringify(page), "refuse");
    expect(refused.status).toBe("refused");
  });

  it("refuses files that are not JSON, or not an API page", async () => {
    expect((await loadText("openai", "x.json", "{not json")).message).toMatch(/not valid JSON/);
    const notPage = await loadText("openai", "y.json", JSON.stringify({ hello: "world" }));
    expect(notPage.errors[0]).toMatchObject({ field: "data" });
    expect(notPage.errors[0].message).toMatch(/not a Usage or Costs API page/);
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    expect((await loadText("openai", "deep.json", deep)).status).not.toBe("running");
  });
});

describe("Anthropic usage and cost reports", () => {
  it("prices the messages usage report (cache reads as cached input, writes as input) and reconciles the cost report", async () => {
    const usage = await load("anthropic", "anthropic-usage.json");
    expect(usage).toMatchObject({ status: "done", rowsAdded: 2 });
    expect(
      all(
        "select d.workspace, d.api_key as apiKey, d.model, d.tier, r.calls, r.input_tokens as input, r.cached_input_tokens as cached, r.cost_micros as cost from usage_records r join usage_dims d on d.id = r.dim_id order by cost desc",
      ),
    ).toEqual([
      {
        workspace: "wrkspc_01Support",
        apiKey: "apikey_01Support",
        model: "claude-3-5-haiku",
        tier: "small",
        calls: null,
        input: 1_600_000,
        cached: 500_000,
        cost: 1_720_000,
      },
      {
        workspace: null,
        apiKey: "apikey_01Research",
        model: "claude-opus-4",
        tier: "frontier",
        calls: null,
        input: 10_000,
        cached: 0,
        cost: 525_000,
      },
    ]);
    const cost = await load("anthropic", "anthropic-cost.json");
    expect(cost.message).toMatch(/2 billed amounts reconciled/);
    // 180.0 cents and 52.5 cents.
    expect(total("anthropic")).toBe(1_800_000 + 525_000);
  });
});

describe("LiteLLM spend logs", () => {
  it("reads each request with its key alias, team, user and tags, from a v2 page or JSON Lines alike", async () => {
    const page = await load("litellm", "litellm-spend-logs.json");
    expect(page).toMatchObject({ status: "done", rowsAdded: 3, rowsBad: 0 });
    const rows = all(
      `select r.record_key as id, d.provider, d.api_key as apiKey, d.workspace, d.user, d.model, d.tags, r.calls, r.input_tokens as input,
              r.cached_input_tokens as cached, r.cost_micros as cost, r.period_start as at
         from usage_records r join usage_dims d on d.id = r.dim_id order by r.period_start`,
    );
    expect(rows).toEqual([
      {
        id: "chatcmpl-9a1b2c3d",
        provider: "openai",
        apiKey: "support-bot",
        workspace: "support",
        user: "omar.haddad@tokenwise.example",
        model: "gpt-4o-mini",
        tags: '{"feature":"summaries","team":"support-emea"}',
        calls: 1,
        input: 1000,
        cached: 400,
        cost: 1500,
        at: Date.UTC(2026, 0, 5, 9),
      },
      // No zone on its times: read as UTC. Metadata and tags as JSON strings, as some versions write them.
      {
        id: "msg_01XyZ",
        provider: "anthropic",
        apiKey: "1f0e",
        workspace: "support",
        user: "grace.kim@tokenwise.example",
        model: "claude-3-5-haiku",
        tags: '{"nightly-batch":true}',
        calls: 1,
        input: 500,
        cached: 0,
        cost: 2000,
        at: Date.UTC(2026, 0, 5, 10),
      },
      {
        id: "chatcmpl-failed-1",
        provider: "openai",
        apiKey: "88dc",
        workspace: null,
        user: null,
        model: "gpt-4o-mini",
        tags: "{}",
        calls: 1,
        input: 0,
        cached: 0,
        cost: 0,
        at: Date.UTC(2026, 0, 6, 8),
      },
    ]);
    const lines = await load("litellm", "litellm-spend-logs.jsonl");
    expect(lines).toMatchObject({ status: "done", rowsAdded: 0, rowsUnchanged: 3 });
  });

  it("reports a broken log by its path, and a broken JSON line by its number", async () => {
    const summary = await loadText(
      "litellm",
      "bad.jsonl",
      [
        JSON.stringify({ request_id: "ok-1", startTime: "2026-01-05T09:00:00Z", spend: 0.01, model: "gpt-4o" }),
        JSON.stringify({ request_id: "", startTime: "2026-01-05T09:00:00Z" }),
        JSON.stringify({ request_id: "bad-time", startTime: "yesterday", spend: 1 }),
        JSON.stringify({ request_id: "bad-spend", startTime: "2026-01-05T09:00:00Z", spend: "a lot" }),
        JSON.stringify({ request_id: "bad-tags", startTime: "2026-01-05T09:00:00Z", request_tags: { a: 1 } }),
      ].join("\n"),
    );
    expect(summary).toMatchObject({ rowsAdded: 1, rowsBad: 4 });
    expect(summary.errors.map((e) => [e.at, e.field])).toEqual([
      [2, "line 2.request_id"],
      [3, "line 3.startTime"],
      [4, "line 4.spend"],
      [5, "line 5.request_tags"],
    ]);
    const broken = await loadText(
      "litellm",
      "broken.jsonl",
      `${JSON.stringify({ request_id: "x", startTime: "2026-01-05T09:00:00Z" })}\n{oops\n`,
    );
    expect(broken.status).toBe("failed");
    expect(broken.message).toMatch(/^Stopped \(result 2\): this line is not valid JSON/);
  });
});
