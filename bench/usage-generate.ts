/**
 * Writes the FOCUS 1.2 CSV that bench/usage-scale.ts imports: `rows` AI usage rows (default 5,000,000) over 90
 * days, hourly, as a cloud export has them: 400 sub-accounts (each tagged with one of 200 teams), 8 models, and an
 * input, output and cache-read meter per sub-account, model and hour in use. Every 25th row is a compute row the
 * import skips. Seeded, so every run writes the same file (about 2.5 GB for 5M rows; in bench/.out, ignored by git).
 *
 *   npx tsx bench/usage-generate.ts [rows] [path]
 */
import { createWriteStream, existsSync, statSync } from "node:fs";
import type { Db } from "~/.server/db";
import { rng } from "./org-generate";

export const USAGE_DEFAULT_PATH = "bench/.out/usage-focus.csv";
export const USAGE_DAYS = 90;
export const USAGE_START = Date.UTC(2026, 0, 1);
export const USAGE_TEAMS = 200;
const SUB_ACCOUNTS = 400;

const COLUMNS = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingAccountType",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ContractedCost",
  "ContractedUnitPrice",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "ListUnitPrice",
  "PricingCategory",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "RegionId",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceCategory",
  "ServiceName",
  "SkuId",
  "SkuMeter",
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "Tags",
];

/** Bedrock model ids and their list prices (USD per 1M input, output, cache-read tokens). */
const MODELS: [string, number, number, number][] = [
  ["anthropic.claude-3-5-haiku-20241022-v1:0", 0.8, 4, 0.08],
  ["anthropic.claude-sonnet-4-20250514-v1:0", 3, 15, 0.3],
  ["anthropic.claude-opus-4-20250514-v1:0", 15, 75, 1.5],
  ["amazon.nova-micro-v1:0", 0.035, 0.14, 0.00875],
  ["amazon.nova-lite-v1:0", 0.06, 0.24, 0.015],
  ["meta.llama3-1-8b-instruct-v1:0", 0.22, 0.22, 0.22],
  ["mistral.mistral-large-2407-v1:0", 2, 6, 2],
  ["openai.gpt-oss-120b-1:0", 0.15, 0.6, 0.15],
];

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, "Z");
const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Cost of `tokens` at `usdPerM`, as USD text with up to 10 decimals (FOCUS files carry many). */
function cost(tokens: number, usdPerM: number): string {
  return ((tokens * usdPerM) / 1e6).toFixed(10).replace(/0+$/, "").replace(/\.$/, "");
}

export async function generateUsage(rows: number, path = USAGE_DEFAULT_PATH): Promise<void> {
  const out = createWriteStream(path);
  const write = (line: string) =>
    out.write(line) ? Promise.resolve() : new Promise<void>((resolve) => out.once("drain", () => resolve()));
  await write(`${COLUMNS.join(",")}\n`);
  const random = rng(42);
  const hours = USAGE_DAYS * 24;
  // Rows per hour, as whole (sub-account, model) pairs of three meters each.
  const pairsPerHour = Math.max(1, Math.ceil(rows / hours / 3.04));
  let written = 0;
  for (let h = 0; h < hours && written < rows; h++) {
    const start = USAGE_START + h * 3_600_000;
    const day = new Date(start);
    const month = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1);
    const nextMonth = Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + 1, 1);
    for (let p = 0; p < pairsPerHour && written < rows; p++) {
      const account = (h * 7919 + p * 104_729) % SUB_ACCOUNTS;
      const [model, pin, pout, pcache] = MODELS[Math.floor(random() * MODELS.length)];
      const team = `team-${String(account % USAGE_TEAMS).padStart(3, "0")}`;
      const tags = quote(
        JSON.stringify({ team, env: account % 3 === 0 ? "staging" : "prod", app: `app-${account % 37}` }),
      );
      const arn = `arn:aws:bedrock:us-east-1::foundation-model/${model}`;
      const input = 1000 + Math.floor(random() * 2_000_000);
      for (const [meter, tokens, price] of [
        ["Input Tokens", input, pin],
        ["Output Tokens", Math.floor(input * (0.1 + random() * 0.3)), pout],
        ["Cache Read Input Tokens", Math.floor(input * random() * 0.5), pcache],
      ] as const) {
        const c = cost(tokens, price);
        const line = [
          c,
          "123456789012",
          "Contoso Payer",
          "Billing Account",
          "USD",
          iso(nextMonth),
          iso(month),
          "Usage",
          "",
          `${model} ${meter}`,
          "Usage-Based",
          iso(start + 3_600_000),
          iso(start),
          tokens,
          "Tokens",
          c,
          price,
          c,
          "AWS",
          c,
          price,
          "Standard",
          (tokens / 1e6).toFixed(6),
          "1000000 Tokens",
          "AWS",
          "Anthropic",
          "us-east-1",
          arn,
          "",
          "Foundation Model",
          "AI and Machine Learning",
          "Amazon Bedrock",
          `SKU-${model.length}-${meter.length}`,
          meter,
          `SKU-${model.length}-${meter.length}-OD`,
          String(100_000_000_000 + account),
          `account-${account}`,
          tags,
        ].join(",");
        await write(`${line}\n`);
        written++;
        if (written % 25 === 0 && written < rows) {
          await write(
            `0.096,123456789012,Contoso Payer,Billing Account,USD,${iso(nextMonth)},${iso(month)},Usage,,m5.large,Usage-Based,${iso(start + 3_600_000)},${iso(start)},1,Hours,0.096,0.096,0.096,AWS,0.096,0.096,Standard,1,Hours,AWS,AWS,us-east-1,i-${account}${p},,Virtual Machine,Compute,Amazon Elastic Compute Cloud,EC2-M5L,BoxUsage,EC2-M5L-OD,${100_000_000_000 + account},account-${account},${tags}\n`,
          );
          written++;
        }
      }
    }
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

if (process.argv[1]?.endsWith("usage-generate.ts")) {
  const rows = Number(process.argv[2] ?? 5_000_000);
  const path = process.argv[3] ?? USAGE_DEFAULT_PATH;
  if (existsSync(path)) console.log(`[usage-generate] overwriting ${path}`);
  const t = performance.now();
  await generateUsage(rows, path);
  console.log(
    `[usage-generate] ${rows.toLocaleString("en-US")} rows, ${(statSync(path).size / 1e9).toFixed(2)} GB in ${((performance.now() - t) / 1000).toFixed(0)} s`,
  );
}

/**
 * The teams the generated usage is tagged with (`team=team-000` … `team-199`), ten to each of 20 departments, for a
 * benchmark's database; call it inside the caller's transaction. `s` is the database's better-sqlite3 client.
 */
export function insertBenchTeams(s: Db["$client"]): void {
  for (let d = 0; d < USAGE_TEAMS / 10; d++) {
    const dept = s
      .prepare("insert into departments (name, cost_centre) values (?, ?) returning id")
      .pluck()
      .get(`Department ${d}`, `CC-B${d}`) as number;
    for (let t = d * 10; t < d * 10 + 10; t++)
      s.prepare("insert into teams (name, department_id) values (?, ?)").run(
        `team-${String(t).padStart(3, "0")}`,
        dept,
      );
  }
}

/**
 * The benchmark's 200 attribution rules: `app=app-0` shared by the first three teams (by tokens), then one rule per
 * `team=` tag; `team(n)` is team-n's id. Call it inside the caller's transaction, after insertBenchTeams.
 */
export function insertBenchRules(s: Db["$client"], team: (n: number) => number): void {
  s.prepare(
    "insert into usage_rules (position, field, match, value, target_kind, shared_team_ids, split_by, updated_at) values (0, 'tag', 'is', 'app=app-0', 'shared', ?, 'tokens', 0)",
  ).run(JSON.stringify([team(0), team(1), team(2)]));
  for (let t = 0; t < USAGE_TEAMS - 1; t++)
    s.prepare(
      "insert into usage_rules (position, field, match, value, target_kind, team_id, updated_at) values (?, 'tag', 'is', ?, 'team', ?, 0)",
    ).run(t + 1, `team=team-${String(t).padStart(3, "0")}`, team(t));
}
