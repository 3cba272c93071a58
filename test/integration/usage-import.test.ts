import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parquetWriteFile } from "hyparquet-writer";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/.server/db";
import { importFocusFile } from "~/.server/usage/import-file";
import { parseCsv } from "~/lib/csv-parse";
import { ready } from "./harness";

const FIXTURES = "test/fixtures/usage";
const dir = mkdtempSync(join(tmpdir(), "tokenwise-usage-"));

const sql = <T = unknown>(query: string, ...params: unknown[]) =>
  db()
    .$client.prepare(query)
    .all(...params) as T[];
const one = <T = number>(query: string, ...params: unknown[]) =>
  db()
    .$client.prepare(query)
    .pluck()
    .get(...params) as T;

function clear() {
  db().$client.exec(
    "delete from usage_records; delete from usage_dim_daily; delete from usage_dims; delete from usage_dirty_days",
  );
}

/** Writes `text` to a temp file and imports it under `name` (its extension picks the format). */
async function importText(text: string | Buffer, name: string, policy: "keep" | "refuse" = "keep") {
  const path = join(dir, name);
  writeFileSync(path, text);
  return importFocusFile(db(), path, name, { policy });
}

const importFixture = (name: string, policy: "keep" | "refuse" = "keep") =>
  importFocusFile(db(), join(FIXTURES, name), name, { policy });

/** Everything stored, in a comparable shape: one entry per record with its dimensions. */
function storedRows() {
  return sql(
    `select d.provider, d.service, d.account, d.project, d.model, d.tier, d.tags, r.period_start, r.period_end, r.calls,
            r.input_tokens, r.cached_input_tokens, r.output_tokens, r.cost_micros, r.list_cost_micros
       from usage_records r join usage_dims d on d.id = r.dim_id order by r.record_key`,
  );
}

/** usage_dim_daily must equal a grouping of the rows it is kept from (the triggers' invariant). */
function expectDailyRollupExact() {
  const fromRows = sql(
    `select cast(period_start / 86400000 as integer) * 86400000 as day, dim_id, count(*) as records, sum(coalesce(calls, 0)) as calls,
            sum(input_tokens) as input, sum(output_tokens) as output, sum(cost_micros) as cost
       from usage_records group by 1, 2 order by 1, 2`,
  );
  const rollup = sql(
    `select day, dim_id, records, calls, input_tokens as input, output_tokens as output, cost_micros as cost
       from usage_dim_daily where records > 0 order by 1, 2`,
  );
  expect(rollup).toEqual(fromRows);
}

const header = readFileSync(join(FIXTURES, "focus-1.2.csv"), "utf8").split("\r\n")[0];
const columns = header.split(",");

/** A CSV line with one column set to `value` (quoted as needed). */
function edit(line: string, column: string, value: string): string {
  const parsed = parseCsv(`${line}\n`);
  if (!parsed.ok) throw new Error("fixture");
  const fields = parsed.records[0].fields;
  fields[columns.indexOf(column)] = value;
  return fields.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(",");
}

beforeAll(async () => {
  await ready();
});
beforeEach(clear);

describe("FOCUS import", () => {
  it("imports the AI rows of a FOCUS 1.2 CSV, skips compute, and reads tokens, calls, models and costs", async () => {
    const summary = await importFixture("focus-1.2.csv");
    expect(summary).toMatchObject({ status: "done", rowsRead: 10, rowsAdded: 9, rowsSkipped: 1, rowsBad: 0 });
    // 0.96 + 1.2 + 0.04 + 1.6 − 0.5 + 0.375 + 0.24 + 0.4 + 0 dollars
    expect(one("select sum(cost_micros) from usage_records")).toBe(4_315_000);
    const byModel = sql<{ model: string; tier: string; input: number; cached: number; output: number; calls: number }>(
      `select d.model, d.tier, sum(input_tokens) as input, sum(cached_input_tokens) as cached, sum(output_tokens) as output,
              sum(coalesce(calls, 0)) as calls from usage_records r join usage_dims d on d.id = r.dim_id group by 1, 2 order by 1`,
    );
    expect(byModel).toEqual([
      // The credit has no resource: its model is the service, and it carries only its (negative) cost.
      { model: "Amazon Bedrock", tier: "unknown", input: 0, cached: 0, output: 0, calls: 0 },
      // Bedrock's model ARN, read as the catalogue's id: input, a cache read (also input), output and another account.
      { model: "claude-3-5-haiku", tier: "small", input: 3_700_000, cached: 500_000, output: 300_000, calls: 0 },
      // Vertex: not in the catalogue, so kept as named; the request meter counts calls.
      { model: "gemini-2.0-flash", tier: "unknown", input: 4_000_000, cached: 0, output: 0, calls: 12_000 },
      // Azure names the model in the meter; "1K Tokens".
      { model: "gpt-4o-mini", tier: "small", input: 2_500_000, cached: 0, output: 400_000, calls: 0 },
    ]);
    expect(sql("select distinct provider, service from usage_dims order by 1")).toEqual([
      { provider: "AWS", service: "Amazon Bedrock" },
      { provider: "Google Cloud", service: "Vertex AI" },
      { provider: "Microsoft", service: "Azure OpenAI Service" },
    ]);
    const tags = sql<{ tags: string }>("select distinct tags from usage_dims where project = '210987654321'");
    expect(tags.map((t) => JSON.parse(t.tags))).toEqual([{ app: "helpdesk", team: "support-emea" }]);
    expectDailyRollupExact();
  });

  it("adds nothing when the same file is imported again, and replaces a restated row's figures", async () => {
    await importFixture("focus-1.2.csv");
    const before = storedRows();
    const again = await importFixture("focus-1.2.csv");
    expect(again).toMatchObject({ status: "done", rowsAdded: 0, rowsUpdated: 0, rowsUnchanged: 9 });
    expect(storedRows()).toEqual(before);

    // A later export restates the Azure output row (0.24 → 0.30): the same charge, new figures.
    const restated = readFileSync(join(FIXTURES, "focus-1.2.csv"), "utf8")
      .split("\r\n")
      .map((l) => (l.includes("Outp glbl") ? edit(edit(l, "EffectiveCost", "0.3"), "BilledCost", "0.3") : l))
      .join("\r\n");
    const result = await importText(restated, "restated.csv");
    expect(result).toMatchObject({ rowsAdded: 0, rowsUpdated: 1, rowsUnchanged: 8 });
    expect(one("select sum(cost_micros) from usage_records")).toBe(4_315_000 + 60_000);
    expectDailyRollupExact();
  });

  it("reads FOCUS 1.0 files, with LF line ends", async () => {
    const summary = await importFixture("focus-1.0.csv");
    expect(summary).toMatchObject({ status: "done", rowsAdded: 4, rowsBad: 0 });
    expect(one("select sum(cost_micros) from usage_records")).toBe(3_800_000);
  });

  it("reads the same rows from gzipped CSV and from Parquet as from the CSV", async () => {
    await importFixture("focus-1.2.csv");
    const fromCsv = storedRows();

    clear();
    expect(await importText(gzipSync(readFileSync(join(FIXTURES, "focus-1.2.csv"))), "export.csv.gz")).toMatchObject({
      status: "done",
      rowsAdded: 9,
    });
    expect(storedRows()).toEqual(fromCsv);

    clear();
    const parsed = parseCsv(readFileSync(join(FIXTURES, "focus-1.2.csv"), "utf8"));
    if (!parsed.ok) throw new Error("fixture");
    const [header, ...records] = parsed.records.map((r) => r.fields);
    const decimals = new Set([
      "BilledCost",
      "EffectiveCost",
      "ListCost",
      "ContractedCost",
      "ConsumedQuantity",
      "PricingQuantity",
    ]);
    const dates = new Set(["ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd"]);
    const path = join(dir, "export.parquet");
    await parquetWriteFile({
      filename: path,
      columnData: header.map((name, i) => ({
        name,
        data: records.map((r) =>
          r[i] === "" ? null : decimals.has(name) ? Number(r[i]) : dates.has(name) ? new Date(r[i]) : r[i],
        ),
        type: decimals.has(name) ? "DOUBLE" : dates.has(name) ? "TIMESTAMP" : "STRING",
      })),
    });
    expect(await importFocusFile(db(), path, "export.parquet", { policy: "keep" })).toMatchObject({
      status: "done",
      rowsAdded: 9,
      rowsSkipped: 1,
      unit: "row",
    });
    // The key hashes each row's identifying values as the file gives them; Parquet gives the same figures.
    const strip = (rows: unknown[]) => rows.map((r) => ({ ...(r as object) }));
    expect(
      strip(storedRows())
        .map((r) => JSON.stringify(r))
        .sort(),
    ).toEqual(
      strip(fromCsv)
        .map((r) => JSON.stringify(r))
        .sort(),
    );
  });

  it("keeps two identical charges of one file as two rows, and still as two when imported again", async () => {
    const text = readFileSync(join(FIXTURES, "focus-1.2.csv"), "utf8");
    const [head, first] = text.split("\r\n");
    const file = `${head}\r\n${first}\r\n${first}\r\n`;
    expect(await importText(file, "twice.csv")).toMatchObject({ rowsAdded: 2 });
    expect(await importText(file, "twice.csv")).toMatchObject({ rowsAdded: 0, rowsUnchanged: 2 });
    expect(one("select sum(cost_micros) from usage_records")).toBe(1_920_000);
  });
});

describe("FOCUS import of bad input", () => {
  const good = readFileSync(join(FIXTURES, "focus-1.2.csv"), "utf8").split("\r\n")[1];
  const badFile = [
    header,
    good, // line 2
    edit(good, "ChargePeriodStart", "2026-01-05 10:00:00"), // line 3: no time zone
    edit(good, "BillingCurrency", "EUR"), // line 4
    "1,2,3", // line 5: wrong field count
    edit(good, "Tags", '{"team":{"nested":true}}'), // line 6
    edit(good, "EffectiveCost", "1,5"), // line 7
    edit(good, "ProviderName", "AWS\u0000"), // line 8
    edit(edit(good, "SkuMeter", "Output Tokens"), "ChargeDescription", "multi\nline"), // lines 9-10, good
    edit(good, "ChargePeriodEnd", "2026-01-05T09:00:00Z"), // line 11: ends before it starts
  ].join("\n");

  it("keeps the good rows and names the line and field of each bad one", async () => {
    const summary = await importText(badFile, "bad.csv", "keep");
    expect(summary).toMatchObject({ status: "done", rowsAdded: 2, rowsBad: 7 });
    expect(summary.errors.map((e) => [e.at, e.field])).toEqual([
      [3, "ChargePeriodStart"],
      [4, "BillingCurrency"],
      [5, "(record)"],
      [6, "Tags.team"],
      [7, "EffectiveCost"],
      [8, "ProviderName"],
      [11, "ChargePeriodEnd"],
    ]);
    expect(summary.errors[0].message).toMatch(/no time zone/);
    expect(summary.errors[1].message).toMatch(/USD only/);
    expect(summary.errors[2].message).toMatch(/has 3 fields where the header has 44/);
  });

  it("refuses the whole file when asked, writing nothing, with the same errors", async () => {
    const summary = await importText(badFile, "bad.csv", "refuse");
    expect(summary).toMatchObject({ status: "refused", rowsAdded: 0, rowsBad: 7 });
    expect(summary.message).toMatch(/^Refused: 7 bad rows, so nothing was imported/);
    expect(one("select count(*) from usage_records")).toBe(0);
    expect(one("select status from usage_imports where id = ?", summary.id)).toBe("refused");
  });

  it("reports a stray quote as a bad row, and stops at a quote never closed, keeping the rows before it", async () => {
    const stray = await importText(
      `${header}\n${good}\n${good.replace("Input Tokens", 'Input "Tokens')}\n${good}\n`,
      "q.csv",
    );
    expect(stray).toMatchObject({ status: "done", rowsBad: 1, rowsAdded: 2 });
    expect(stray.errors[0]).toMatchObject({ at: 3, field: "(record)" });
    expect(stray.errors[0].message).toMatch(/cannot be read as CSV: Invalid Opening Quote/);

    clear();
    const plain = edit(good, "Tags", ""); // no quotes in it, so the one below is never closed
    const unclosed = await importText(`${header}\n${plain}\n"${plain}\n${plain}\n`, "u.csv");
    expect(unclosed.status).toBe("failed");
    expect(unclosed.message).toMatch(/^Stopped \(line 3\): the CSV cannot be read past this point: Quote Not Closed/);
    expect(unclosed.message).toMatch(/The 1 good row before it was kept/);
    expect(one("select count(*) from usage_records")).toBe(1);
  });

  it("refuses a file that is not FOCUS, an empty file, an unknown extension and broken gzip, with reasons", async () => {
    expect((await importText("a,b\n1,2\n", "other.csv")).message).toMatch(
      /the header lacks ChargePeriodStart, ChargePeriodEnd, ProviderName, ServiceName, EffectiveCost or BilledCost/,
    );
    expect((await importText("", "empty.csv")).message).toMatch(/the file is empty/);
    expect((await importText(`${header}\n`, "x.xlsx")).message).toMatch(/use .csv, .csv.gz or .parquet/);
    expect((await importText("not gzip at all", "x.csv.gz")).message).toMatch(/not valid gzip/);
    expect((await importText("PAR1 nonsense", "x.parquet")).message).toMatch(/not a readable Parquet file/);
    expect(one("select count(*) from usage_records")).toBe(0);
  });

  it("refuses a record over a megabyte instead of holding it", async () => {
    const huge = edit(good, "ChargeDescription", "x".repeat(1_100_000));
    const summary = await importText(`${header}\n${good}\n${huge}\n`, "huge.csv");
    expect(summary.status).toBe("failed");
    expect(summary.message).toMatch(/line 3/);
  });

  it("copes with a header repeating a column by refusing the file", async () => {
    copyFileSync(join(FIXTURES, "focus-1.2.csv"), join(dir, "dup.csv"));
    const summary = await importText(`${header},BilledCost\n${good},1\n`, "dup.csv");
    expect(summary.message).toMatch(/names the column "BilledCost" twice/);
  });
});
