import { asc, eq } from "drizzle-orm";
import { courses, departments, exercises, modelCalls, teams, users } from "#db/schema";
import type { DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import { toCsv } from "~/lib/csv";
import { ledgerFilter } from "./ledger-filter";
import { divideRounded, millionths, usd } from "./money";
import type { Period } from "./period";

/**
 * The ledger in the FinOps FOCUS column layout (FOCUS 1.x names), one row per ledger row, so a
 * FinOps tool can ingest training spend beside cloud bills. Choices, where FOCUS leaves room:
 *
 * - Amounts: USD with 6 decimals, written from the integer micro-dollars digit by digit (money.ts),
 *   so the file sums back to the ledger exactly. x_BilledCostMicros / x_ListCostMicros repeat them
 *   as integers.
 * - BilledCost = EffectiveCost = ContractedCost = the ledger's cost (list prices, no discounts).
 *   ListCost = cost + cache savings: for a response-cache hit BilledCost is 0 and ListCost is what
 *   the call would have cost (the ledger's savedMicros); for other calls ListCost = BilledCost.
 * - ChargePeriodStart/End: the UTC hour containing the call, [hh:00, hh+1:00), as hourly cloud
 *   usage is reported; the exact call time is in x_CallTimestamp. BillingPeriodStart/End: the
 *   calendar month (UTC) containing the call.
 * - ConsumedQuantity: input + output tokens (cached input tokens are part of the input).
 *   PricingUnit "1M Tokens"; PricingQuantity = tokens / 1,000,000 (exact, 6 decimals).
 * - ListUnitPrice: a call mixes three prices (input, cached input, output), so it is the call's
 *   blended list price per 1M tokens, ListCost / PricingQuantity rounded to the micro-dollar (the
 *   separate prices are in x_InputUnitPrice, x_CachedInputUnitPrice, x_OutputUnitPrice). For a call
 *   that consumed no tokens it is the input list price.
 * - ServiceName and ProviderName: the model provider ("openai", "anthropic", "builtin" for the
 *   offline judge). ResourceId/ResourceName: the model id; ResourceType "Model".
 * - SubAccountId/SubAccountName: the department's cost centre and name, as tagged on the call.
 * - Tags: a JSON object of strings: user (email), team, course (slug), exercise (slug), purpose,
 *   attempt (id); a tag the call does not have is left out.
 * - x_CostState: "settled" (the provider's usage), "unknown" (the answer never arrived, or came without usage:
 *   billed at the app's estimate), or "pending" (in flight, $0 until it settles); ChargeDescription says so too.
 */

export const FOCUS_COLUMNS = [
  "BilledCost",
  "EffectiveCost",
  "ListCost",
  "ContractedCost",
  "BillingCurrency",
  "BillingPeriodStart",
  "BillingPeriodEnd",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ChargeCategory",
  "ChargeFrequency",
  "ChargeDescription",
  "ServiceCategory",
  "ServiceName",
  "ProviderName",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ConsumedQuantity",
  "ConsumedUnit",
  "PricingQuantity",
  "PricingUnit",
  "ListUnitPrice",
  "SubAccountId",
  "SubAccountName",
  "Tags",
  "x_LedgerId",
  "x_CallTimestamp",
  "x_Purpose",
  "x_Status",
  "x_CacheHit",
  "x_InputTokens",
  "x_CachedInputTokens",
  "x_OutputTokens",
  "x_InputUnitPrice",
  "x_CachedInputUnitPrice",
  "x_OutputUnitPrice",
  "x_BilledCostMicros",
  "x_ListCostMicros",
  "x_CostState",
] as const;

export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
export type FocusRecord = Record<FocusColumn, string | number>;

/** A ledger row with the names its tags point at. */
export interface LedgerLine {
  id: number;
  createdAt: Date;
  provider: string;
  model: string;
  purpose: string;
  status: string;
  /** The write-ahead state; absent counts as settled. */
  state?: "pending" | "settled" | "unknown";
  cacheHit: boolean;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  inputMicrosPerM: number;
  cachedInputMicrosPerM: number;
  outputMicrosPerM: number;
  costMicros: number;
  savedMicros: number;
  attemptId: number | null;
  userEmail: string | null;
  team: string | null;
  department: string | null;
  costCentre: string | null;
  courseSlug: string | null;
  exerciseSlug: string | null;
}

const HOUR_MS = 3_600_000;

/** ISO 8601 UTC to the second (the bounds here are whole hours or days). */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function tags(line: LedgerLine): string {
  const entries: [string, string | null][] = [
    ["user", line.userEmail],
    ["team", line.team],
    ["course", line.courseSlug],
    ["exercise", line.exerciseSlug],
    ["purpose", line.purpose],
    ["attempt", line.attemptId === null ? null : String(line.attemptId)],
  ];
  return JSON.stringify(Object.fromEntries(entries.filter(([, v]) => v !== null)));
}

function description(line: LedgerLine, tokens: number): string {
  const what = `${line.model} ${line.purpose} call, ${tokens} tokens (${line.inputTokens} input of which ${line.cachedInputTokens} cached, ${line.outputTokens} output)`;
  if (line.cacheHit) return `${what}, served from the response cache at no charge`;
  if (line.state === "unknown")
    return `${what}, cost unknown (the provider's figure never arrived): charged at the estimate`;
  if (line.state === "pending") return `${what}, in flight: not yet settled`;
  return line.status === "ok" ? what : `${what}, status ${line.status}`;
}

/** One ledger row as a FOCUS row. Pure. */
export function focusRecord(line: LedgerLine): FocusRecord {
  const at = line.createdAt.getTime();
  const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
  const month = Date.UTC(line.createdAt.getUTCFullYear(), line.createdAt.getUTCMonth(), 1);
  const nextMonth = Date.UTC(line.createdAt.getUTCFullYear(), line.createdAt.getUTCMonth() + 1, 1);
  const tokens = line.inputTokens + line.outputTokens;
  const billed = line.costMicros;
  const list = line.costMicros + line.savedMicros;
  const listUnitMicros = tokens > 0 ? divideRounded(BigInt(list) * 1_000_000n, BigInt(tokens)) : line.inputMicrosPerM;
  return {
    BilledCost: usd(billed),
    EffectiveCost: usd(billed),
    ListCost: usd(list),
    ContractedCost: usd(billed),
    BillingCurrency: "USD",
    BillingPeriodStart: isoSeconds(month),
    BillingPeriodEnd: isoSeconds(nextMonth),
    ChargePeriodStart: isoSeconds(hour),
    ChargePeriodEnd: isoSeconds(hour + HOUR_MS),
    ChargeCategory: "Usage",
    ChargeFrequency: "Usage-Based",
    ChargeDescription: description(line, tokens),
    ServiceCategory: "AI and Machine Learning",
    ServiceName: line.provider,
    ProviderName: line.provider,
    ResourceId: line.model,
    ResourceName: line.model,
    ResourceType: "Model",
    ConsumedQuantity: tokens,
    ConsumedUnit: "Tokens",
    PricingQuantity: millionths(tokens),
    PricingUnit: "1M Tokens",
    ListUnitPrice: usd(listUnitMicros),
    SubAccountId: line.costCentre ?? "",
    SubAccountName: line.department ?? "",
    Tags: tags(line),
    x_LedgerId: line.id,
    x_CallTimestamp: line.createdAt.toISOString(),
    x_Purpose: line.purpose,
    x_Status: line.status,
    x_CacheHit: line.cacheHit ? "true" : "false",
    x_InputTokens: line.inputTokens,
    x_CachedInputTokens: line.cachedInputTokens,
    x_OutputTokens: line.outputTokens,
    x_InputUnitPrice: usd(line.inputMicrosPerM),
    x_CachedInputUnitPrice: usd(line.cachedInputMicrosPerM),
    x_OutputUnitPrice: usd(line.outputMicrosPerM),
    x_BilledCostMicros: billed,
    x_ListCostMicros: list,
    x_CostState: line.state ?? "settled",
  };
}

/** The ledger rows the viewer may see in the period, oldest first, with their tags' names. */
export function ledgerLines(database: DbLike, scope: Scope, period: Pick<Period, "from" | "to">): LedgerLine[] {
  const m = modelCalls;
  return database
    .select({
      id: m.id,
      createdAt: m.createdAt,
      provider: m.provider,
      model: m.model,
      purpose: m.purpose,
      status: m.status,
      state: m.state,
      cacheHit: m.cacheHit,
      inputTokens: m.inputTokens,
      cachedInputTokens: m.cachedInputTokens,
      outputTokens: m.outputTokens,
      inputMicrosPerM: m.inputMicrosPerM,
      cachedInputMicrosPerM: m.cachedInputMicrosPerM,
      outputMicrosPerM: m.outputMicrosPerM,
      costMicros: m.costMicros,
      savedMicros: m.savedMicros,
      attemptId: m.attemptId,
      userEmail: users.email,
      team: teams.name,
      department: departments.name,
      costCentre: departments.costCentre,
      courseSlug: courses.slug,
      exerciseSlug: exercises.slug,
    })
    .from(m)
    .leftJoin(users, eq(users.id, m.userId))
    .leftJoin(teams, eq(teams.id, m.teamId))
    .leftJoin(departments, eq(departments.id, m.departmentId))
    .leftJoin(courses, eq(courses.id, m.courseId))
    .leftJoin(exercises, eq(exercises.id, m.exerciseId))
    .where(ledgerFilter(scope, period))
    .orderBy(asc(m.createdAt), asc(m.id))
    .all();
}

/** The FOCUS file: every cell through toCsv, so a name such as "=SUM(…)" cannot run as a formula. */
export function focusCsv(lines: LedgerLine[]): string {
  return toCsv(
    [...FOCUS_COLUMNS],
    lines.map((line) => {
      const record = focusRecord(line);
      return FOCUS_COLUMNS.map((c) => record[c]);
    }),
  );
}
