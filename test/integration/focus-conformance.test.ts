import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { departments, modelCalls, teams, usageRecords } from "#db/schema";
import { db } from "~/.server/db";
import { parseMillionths } from "~/.server/finops/money";
import { type CallRecord, OFFLINE_JUDGE_MODEL, recordCall } from "~/.server/ledger";
import { setSetting } from "~/.server/settings";
import { importFocusFile } from "~/.server/usage/import-file";
import { loader as focusLoader } from "~/routes/finops.focus";
import { parseCsv, parseCsvObjects } from "../support/csv-parse";
import { FOCUS_12, focusProblems, productMatches } from "../support/focus-conformance";
import { call, get, makeUser, ready } from "./harness";

/**
 * The ledger's FOCUS export held to FOCUS 1.2's column rules (test/support/focus-conformance.ts, written from the
 * specification), on ledger rows of every kind in July 2023 (a month no other test writes to): paid calls at awkward
 * prices, a cache hit, the offline judge, an estimate without tokens, a call tagged to nobody. Then the file is read
 * back by Tokenwise's own FOCUS importer and must come to the ledger's total.
 */

const PERIOD = "from=2023-07-01&to=2023-08-01";
let adminCookie = "";
let email = "";

const model = (over: Partial<CallRecord["model"]>): CallRecord["model"] => ({
  id: "gpt-4.1-mini",
  provider: "openai",
  tier: "small",
  inputMicrosPerM: 400_000,
  cachedInputMicrosPerM: 100_000,
  outputMicrosPerM: 1_600_000,
  priceAsOf: "2025-04-14",
  ...over,
});

function spend(at: string, call: Omit<CallRecord, "tags" | "latencyMs" | "status">, tags: CallRecord["tags"]) {
  const { id } = recordCall(db(), { ...call, latencyMs: 5, status: "ok", tags });
  db()
    .update(modelCalls)
    .set({ createdAt: new Date(at) })
    .where(eq(modelCalls.id, id))
    .run();
  return id;
}

async function exportFile(): Promise<string> {
  const res = (await call(focusLoader, get(`/finops/focus?${PERIOD}`, adminCookie))) as Response;
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Disposition")).toMatch(/focus-1\.2/);
  return res.text();
}

function ledgerTotal(): number {
  return (
    db()
      .select({ n: sql<number>`coalesce(sum(${modelCalls.costMicros}), 0)` })
      .from(modelCalls)
      .where(
        sql`${modelCalls.createdAt} >= ${Date.UTC(2023, 6, 1)} and ${modelCalls.createdAt} < ${Date.UTC(2023, 7, 1)}`,
      )
      .get()?.n ?? 0
  );
}

beforeAll(async () => {
  await ready();
  const dept = db()
    .insert(departments)
    .values({ name: "=Focus dept", costCentre: "CC-FOCUS" })
    .returning({ id: departments.id })
    .get().id;
  const team = db()
    .insert(teams)
    .values({ name: "Focus team", departmentId: dept })
    .returning({ id: teams.id })
    .get().id;
  const user = await makeUser({ teamId: team });
  const admin = await makeUser({ roles: ["admin"] });
  adminCookie = admin.cookie;
  email = user.email;
  const tags = { userId: user.id, teamId: team, departmentId: dept, courseId: null, exerciseId: null, attemptId: null };
  spend(
    "2023-07-03T09:15:00Z",
    { model: model({}), purpose: "target", tokens: { input: 1_234, cachedInput: 200, output: 77 } },
    tags,
  );
  spend(
    "2023-07-03T09:16:00Z",
    {
      model: model({
        id: "claude-sonnet-4",
        provider: "anthropic",
        inputMicrosPerM: 3_000_000,
        cachedInputMicrosPerM: 300_000,
        outputMicrosPerM: 15_000_000,
      }),
      purpose: "judge",
      tokens: { input: 333, output: 1 },
    },
    tags,
  );
  spend(
    "2023-07-04T00:00:00Z",
    {
      model: model({ inputMicrosPerM: 1_234_567 }),
      purpose: "target",
      tokens: { input: 7, output: 3 },
      cacheHit: true,
      savedMicros: 13,
    },
    tags,
  );
  spend(
    "2023-07-05T12:00:00Z",
    { model: OFFLINE_JUDGE_MODEL, purpose: "judge", tokens: { input: 500, output: 20 } },
    tags,
  );
  const estimate = spend(
    "2023-07-06T23:59:59Z",
    { model: model({}), purpose: "target", tokens: { input: 1_000, output: 0 } },
    tags,
  );
  db()
    .update(modelCalls)
    .set({ state: "unknown", inputTokens: 0, outputTokens: 0, costMicros: 999 })
    .where(eq(modelCalls.id, estimate))
    .run();
  spend(
    "2023-07-31T23:00:00Z",
    { model: model({}), purpose: "preview", tokens: { input: 1_000_000, output: 250_000 } },
    {
      userId: null,
      teamId: null,
      departmentId: null,
      courseId: null,
      exerciseId: null,
      attemptId: null,
    },
  );
});

describe("the FOCUS export against FOCUS 1.2's column rules", () => {
  it("has every mandatory column and breaks none of the rules checked, on every kind of ledger row", async () => {
    const text = await exportFile();
    const [header] = parseCsv(text);
    const rows = parseCsvObjects(text);
    expect(rows).toHaveLength(6);
    expect(focusProblems(header, rows)).toEqual([]);
    const mandatory = Object.entries(FOCUS_12).filter(([, r]) => r.level === "Mandatory");
    expect(mandatory.length).toBe(21);
    for (const [name] of mandatory) expect(header).toContain(name);
  });

  it("names real parties, never 'builtin', and sums to the ledger to the micro-dollar", async () => {
    const rows = parseCsvObjects(await exportFile());
    const parties = rows.map((r) => [r.ProviderName, r.PublisherName, r.InvoiceIssuerName, r.ServiceName]);
    expect(parties).toContainEqual(["OpenAI", "OpenAI", "OpenAI", "OpenAI API"]);
    expect(parties).toContainEqual(["Anthropic", "Anthropic", "Anthropic", "Claude API"]);
    expect(parties).toContainEqual(["Tokenwise", "Tokenwise", "Tokenwise", "Tokenwise offline judge"]);
    expect(JSON.stringify(rows)).not.toMatch(/"builtin"/);
    for (const r of rows) expect(r.BillingAccountId).not.toBe("");
    expect(rows.reduce((s, r) => s + parseMillionths(r.BilledCost), 0)).toBe(ledgerTotal());
  });

  it("hashes e-mails in Tags by default and writes them only when the admin opts in", async () => {
    const hashed = await exportFile();
    expect(hashed).not.toContain(email);
    expect(JSON.parse(parseCsvObjects(hashed)[0].Tags).user_hash).toMatch(/^[0-9a-f]{64}$/);
    setSetting(db(), "focusExportEmails", true, null);
    try {
      expect(JSON.parse(parseCsvObjects(await exportFile())[0].Tags).user).toBe(email);
    } finally {
      setSetting(db(), "focusExportEmails", false, null);
    }
  });

  it("is read back by the FOCUS importer to the same total", async () => {
    const dir = mkdtempSync(join(tmpdir(), "focus-roundtrip-"));
    const file = join(dir, "tokenwise-focus.csv");
    writeFileSync(file, await exportFile());
    const summary = await importFocusFile(db(), file, "tokenwise-focus.csv", { policy: "refuse" });
    expect(summary).toMatchObject({ status: "done", rowsBad: 0, rowsAdded: 6 });
    const imported = db()
      .select({ n: sql<number>`sum(${usageRecords.costMicros})` })
      .from(usageRecords)
      .where(eq(usageRecords.importId, summary.id))
      .get()?.n;
    expect(imported).toBe(ledgerTotal());
  });
});

describe("the conformance check itself", () => {
  it("catches a broken row: a wrong allowed value, a null where none is allowed, a bad date, a price that does not multiply", async () => {
    const text = await exportFile();
    const [header] = parseCsv(text);
    const good = parseCsvObjects(text)[0];
    const bad = [
      { ...good, ChargeClass: "Refund" },
      { ...good, BillingAccountId: "" },
      { ...good, ChargePeriodStart: "2023-07-03 09:00:00" },
      { ...good, ListUnitPrice: "1.5" },
      { ...good, BilledCost: "$1.00" },
      { ...good, Tags: '{"a":{"b":1}}' },
      { ...good, SubAccountType: "" },
    ];
    const problems = focusProblems(header, bad);
    for (const [i, column] of [
      "ChargeClass",
      "BillingAccountId",
      "ChargePeriodStart",
      "ListUnitPrice",
      "BilledCost",
      "Tags",
      "SubAccountType",
    ].entries())
      expect(problems.some((p) => p.startsWith(`row ${i + 1}, ${column}:`))).toBe(true);
    expect(
      focusProblems(
        header.filter((h) => h !== "InvoiceIssuerName"),
        [],
      ),
    ).toEqual(["header: mandatory column InvoiceIssuerName missing"]);
    expect(focusProblems([...header, "Custom"], [])).toEqual([
      "header: Custom is neither a FOCUS 1.2 column nor a custom column prefixed x_",
    ]);
  });

  it("multiplies exactly: quantity × unit price rounds to the cost or it does not", () => {
    expect(productMatches("0.001500", "4.8333333333", "0.007250")).toBe(true);
    expect(productMatches("0.001500", "4.833333", "0.007250")).toBe(true);
    expect(productMatches("1.250000", "2.1", "2.625000")).toBe(true);
    expect(productMatches("1.250000", "2.1", "2.625001")).toBe(false);
  });
});
