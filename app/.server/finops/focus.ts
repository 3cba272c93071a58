import { createHmac } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import { courses, departments, exercises, modelCalls, teams, users } from "#db/schema";
import type { DbLike } from "~/.server/db";
import type { Scope } from "~/.server/scope";
import { toCsv } from "~/lib/csv";
import { type FocusParties, focusParties } from "./focus-parties";
import { ledgerFilter } from "./ledger-filter";
import { divideRounded, millionths, usd } from "./money";
import type { Period } from "./period";

/**
 * The ledger as a FOCUS 1.2 cost-and-usage dataset, one row per ledger row, so a FinOps tool can ingest training
 * spend beside cloud bills. Every column FOCUS 1.2 makes mandatory is present, with the conditional ones that
 * apply to model calls. Choices, where FOCUS leaves room:
 *
 * - Who: ProviderName, InvoiceIssuerName, ServiceName and BillingAccountId come from where the call was sent
 *   (focus-parties.ts: OpenAI, Microsoft for Azure OpenAI, OpenRouter, a self-hosted endpoint by its host, Anthropic;
 *   Tokenwise itself for the offline judge, which costs nothing); PublisherName is the model's maker.
 * - Amounts: USD with 6 decimals, written from the integer micro-dollars digit by digit (money.ts), so the file
 *   sums back to the ledger exactly. x_BilledCostMicros / x_ListCostMicros repeat them as integers.
 *   BilledCost = EffectiveCost = ContractedCost = the ledger's cost (list prices, no discounts); ListCost = cost +
 *   cache savings (a response-cache hit bills 0 and lists what the call would have cost).
 * - ChargeClass is null (no row corrects an earlier billing period), ChargeCategory "Usage", ChargeFrequency
 *   "Usage-Based", PricingCategory "Standard", ServiceCategory "AI and Machine Learning", ServiceSubcategory
 *   "Generative AI".
 * - Periods: ChargePeriodStart/End the UTC hour of the call; BillingPeriodStart/End its calendar month (UTC); the
 *   exact time in x_CallTimestamp.
 * - Quantities: ConsumedQuantity input + output tokens in "Tokens"; PricingQuantity the same per "1M Tokens".
 *   ListUnitPrice is the call's blended list price per 1M tokens with 10 decimals, so PricingQuantity ×
 *   ListUnitPrice rounds to ListCost to the micro-dollar, as FOCUS requires (the separate prices are in
 *   x_InputUnitPrice, x_CachedInputUnitPrice, x_OutputUnitPrice). A call that consumed no tokens but cost something
 *   (an estimate) is priced per request: PricingQuantity 1 "Requests" at its cost.
 * - SubAccountId/Name/Type: the department's cost centre and name, type "Cost centre"; null for a call tagged to no
 *   department.
 * - Tags: a JSON object of strings: user, team, course (slug), exercise (slug), purpose, attempt (id); absent when
 *   the call has none. The user's e-mail is replaced by `user_hash`, an HMAC-SHA256 under the server's secret (the
 *   same person always gets the same value; it cannot be reversed by hashing a list of addresses), unless the admin
 *   chose to export e-mails (setting focusExportEmails).
 * - x_CostState: "settled", "unknown" (billed at the app's estimate) or "pending" (in flight, $0 until it settles).
 */

export const FOCUS_COLUMNS = [
  // Mandatory in FOCUS 1.2
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "InvoiceIssuerName",
  "ListCost",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ServiceCategory",
  "ServiceName",
  // Recommended and conditional columns that apply to model calls
  "ChargeFrequency",
  "ServiceSubcategory",
  "InvoiceId",
  "ConsumedQuantity",
  "ConsumedUnit",
  "ListUnitPrice",
  "PricingCategory",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "SkuId",
  "SkuPriceId",
  "SubAccountId",
  "SubAccountName",
  "SubAccountType",
  "Tags",
  // Tokenwise's own
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
/** A FOCUS row; null is an empty cell (FOCUS's null). */
export type FocusRecord = Record<FocusColumn, string | number | null>;

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

/** How e-mails go into Tags: as they are, hashed under a secret, or not at all. */
export type EmailTags = { mode: "plain" } | { mode: "hashed"; secret: string } | { mode: "omitted" };

export interface FocusOptions {
  emails: EmailTags;
  /** Where the ledger's providers were reached (the configured endpoint); see focus-parties.ts. */
  parties: (provider: string) => FocusParties;
}

/** Without options: no e-mails at all, and calls taken as sent to the providers' own APIs. */
export const FOCUS_DEFAULTS: FocusOptions = {
  emails: { mode: "omitted" },
  parties: focusParties({ provider: "none" }),
};

const HOUR_MS = 3_600_000;

/** ISO 8601 UTC to the second (the bounds here are whole hours or days). */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** `micros / tokens` dollars per 1M tokens, i.e. micro-dollars per token, with 10 decimals. Exact digits. */
function perMillionTokens(micros: number, tokens: number): string {
  const scaled = divideRounded(BigInt(micros) * 10_000_000_000n, BigInt(tokens));
  const digits = String(scaled).padStart(11, "0");
  return `${digits.slice(0, -10)}.${digits.slice(-10)}`;
}

export function hashEmail(email: string, secret: string): string {
  return createHmac("sha256", secret).update(`focus-tag:${email.trim().toLowerCase()}`).digest("hex");
}

function tags(line: LedgerLine, emails: EmailTags): string {
  const user: [string, string | null] =
    emails.mode === "plain" || emails.mode === "omitted" || line.userEmail === null
      ? ["user", emails.mode === "plain" ? line.userEmail : null]
      : ["user_hash", hashEmail(line.userEmail, emails.secret)];
  const entries: [string, string | null][] = [
    user,
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

/** One ledger row as a FOCUS 1.2 row. Pure. */
export function focusRecord(line: LedgerLine, options: FocusOptions = FOCUS_DEFAULTS): FocusRecord {
  const at = line.createdAt.getTime();
  const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
  const month = Date.UTC(line.createdAt.getUTCFullYear(), line.createdAt.getUTCMonth(), 1);
  const nextMonth = Date.UTC(line.createdAt.getUTCFullYear(), line.createdAt.getUTCMonth() + 1, 1);
  const tokens = line.inputTokens + line.outputTokens;
  const billed = line.costMicros;
  const list = line.costMicros + line.savedMicros;
  const perRequest = tokens === 0 && list > 0;
  const parties = options.parties(line.provider);
  const costCentre = line.costCentre || null;
  return {
    BilledCost: usd(billed),
    BillingAccountId: parties.billingAccountId,
    BillingAccountName: parties.billingAccountName,
    BillingCurrency: "USD",
    BillingPeriodEnd: isoSeconds(nextMonth),
    BillingPeriodStart: isoSeconds(month),
    ChargeCategory: "Usage",
    ChargeClass: null,
    ChargeDescription: description(line, tokens),
    ChargePeriodEnd: isoSeconds(hour + HOUR_MS),
    ChargePeriodStart: isoSeconds(hour),
    ContractedCost: usd(billed),
    EffectiveCost: usd(billed),
    InvoiceIssuerName: parties.invoiceIssuerName,
    ListCost: usd(list),
    PricingQuantity: perRequest ? "1" : millionths(tokens),
    PricingUnit: perRequest ? "Requests" : "1M Tokens",
    ProviderName: parties.providerName,
    PublisherName: parties.publisherOf(line.model),
    ServiceCategory: "AI and Machine Learning",
    ServiceName: parties.serviceName,
    ChargeFrequency: "Usage-Based",
    ServiceSubcategory: "Generative AI",
    InvoiceId: null,
    ConsumedQuantity: tokens,
    ConsumedUnit: "Tokens",
    ListUnitPrice: perRequest ? usd(list) : tokens > 0 ? perMillionTokens(list, tokens) : usd(line.inputMicrosPerM),
    PricingCategory: "Standard",
    ResourceId: line.model,
    ResourceName: line.model,
    ResourceType: "Model",
    SkuId: line.model,
    SkuPriceId: `${line.model}:${line.inputMicrosPerM}/${line.cachedInputMicrosPerM}/${line.outputMicrosPerM}`,
    SubAccountId: costCentre,
    SubAccountName: costCentre === null ? null : line.department,
    SubAccountType: costCentre === null ? null : "Cost centre",
    Tags: tags(line, options.emails),
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

/** The FOCUS file: every cell through toCsv, so a name such as "=SUM(…)" cannot run as a formula; null is empty. */
export function focusCsv(lines: LedgerLine[], options: FocusOptions = FOCUS_DEFAULTS): string {
  return toCsv(
    [...FOCUS_COLUMNS],
    lines.map((line) => {
      const record = focusRecord(line, options);
      return FOCUS_COLUMNS.map((c) => record[c] ?? "");
    }),
  );
}
