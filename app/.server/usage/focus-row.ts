import { createHash } from "node:crypto";
import { resolveModel } from "~/domain/model-names";
import { cleanText, RowError, requiredText, type UsageDims, type UsageRow } from "./row";
import { decimal, instant, requiredDecimal, tagObject } from "./values";

/**
 * One row of a FOCUS cost-and-usage file (FOCUS 1.0 to 1.2: the columns read here kept their names) as a usage
 * row, or the reason it is skipped. What each column becomes:
 *
 * - cost: EffectiveCost (what the charge cost after discounts, amortised), else BilledCost; ListCost as the list
 *   cost. BillingCurrency must be USD: Tokenwise keeps money in US dollars and converts nothing.
 * - rows whose ServiceCategory is not "AI and Machine Learning" are skipped (a cloud export carries compute,
 *   storage…); a file without the column is taken as all AI.
 * - provider ProviderName, service ServiceName, account BillingAccountId, project SubAccountId (AWS account,
 *   Azure subscription, GCP project), tags Tags.
 * - model: the first of x_Model, ResourceName, the last part of ResourceId (a Bedrock model ARN ends in the
 *   model id), SkuMeter (Azure names the model in its meters) that the catalogue knows, as the catalogue's id;
 *   else the first of them present, else ServiceName (see resolveModel).
 * - usage: ConsumedQuantity in ConsumedUnit (or PricingQuantity in PricingUnit). A token unit ("Tokens",
 *   "1000 Tokens", "1K Tokens", "1M Tokens") counts tokens, as output when SkuMeter, ChargeDescription or the
 *   unit says output or completion, as cached input when they say cache read or cached, else as input. A
 *   request unit counts calls. Other units count nothing but the cost.
 * - key: a hash of the columns that identify a charge (accounts, period, service, resource, SKU, tags, …), not
 *   of its figures, so a restated row of a later export replaces the earlier one instead of adding to it.
 */

export const FOCUS_REQUIRED = ["ChargePeriodStart", "ChargePeriodEnd", "ProviderName", "ServiceName"] as const;
export const FOCUS_COST = ["EffectiveCost", "BilledCost"] as const;

/** The columns read (a Parquet reader fetches only these). */
export const FOCUS_READ = [
  ...FOCUS_REQUIRED,
  ...FOCUS_COST,
  "ListCost",
  "BillingCurrency",
  "BillingAccountId",
  "SubAccountId",
  "ServiceCategory",
  "ChargeCategory",
  "ChargeClass",
  "ChargeFrequency",
  "ChargeDescription",
  "ResourceId",
  "ResourceName",
  "SkuId",
  "SkuPriceId",
  "SkuMeter",
  "RegionId",
  "InvoiceId",
  "CommitmentDiscountId",
  "ConsumedQuantity",
  "ConsumedUnit",
  "PricingQuantity",
  "PricingUnit",
  "Tags",
  "x_Model",
] as const;

/** Columns that identify a charge; their values (not the costs) make the row's key. */
const IDENTITY = [
  "BillingAccountId",
  "SubAccountId",
  "ChargePeriodStart",
  "ChargePeriodEnd",
  "ChargeCategory",
  "ChargeClass",
  "ChargeFrequency",
  "ChargeDescription",
  "ProviderName",
  "ServiceName",
  "ResourceId",
  "SkuId",
  "SkuPriceId",
  "SkuMeter",
  "ConsumedUnit",
  "PricingUnit",
  "RegionId",
  "InvoiceId",
  "CommitmentDiscountId",
  "Tags",
  "x_Model",
] as const;

export type ColumnGetter = (column: (typeof FOCUS_READ)[number]) => unknown;

export type FocusOutcome = UsageRow | { skipped: string };

/** Header problems that make a file unreadable as FOCUS, or an empty list. */
export function focusHeaderProblems(columns: Iterable<string>): string[] {
  const have = new Set(columns);
  const missing: string[] = FOCUS_REQUIRED.filter((c) => !have.has(c));
  if (!FOCUS_COST.some((c) => have.has(c))) missing.push("EffectiveCost or BilledCost");
  return missing.length === 0
    ? []
    : [`the header lacks ${missing.join(", ")}: this does not look like a FOCUS cost-and-usage file`];
}

const TOKEN_UNIT = /^(?:(\d+)\s*([KkMm])?\s+)?(?:[a-z ]*\s)?tokens?$/i;

/** How many tokens one unit of a token unit is ("1K Tokens" → 1000); null when the unit is not tokens. */
export function tokensPerUnit(unit: string): number | null {
  const m = TOKEN_UNIT.exec(unit.trim());
  if (!m) return null;
  const base = m[1] ? Number(m[1]) : 1;
  const multiplier = !m[2] ? 1 : m[2].toLowerCase() === "k" ? 1_000 : 1_000_000;
  return base * multiplier;
}

const text = (get: ColumnGetter, column: (typeof FOCUS_READ)[number]) => cleanText(get(column), column);

const asText = (v: unknown) =>
  v instanceof Date
    ? v.toISOString()
    : v === null || v === undefined
      ? ""
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);

function identityOf(get: ColumnGetter): string {
  return createHash("sha256")
    .update(IDENTITY.map((column) => asText(get(column))).join("\u0000"))
    .digest("base64url")
    .slice(0, 22);
}

/** The columns a row's dimensions are made of. */
const DIMENSION_COLUMNS = [
  "ProviderName",
  "ServiceName",
  "BillingAccountId",
  "SubAccountId",
  "x_Model",
  "ResourceName",
  "ResourceId",
  "SkuMeter",
  "Tags",
] as const;

/**
 * Dimensions already read, by their columns' raw text: a cloud export repeats a few thousand combinations over
 * millions of rows, so each is cleaned, parsed and matched to the catalogue once. The same object comes back
 * each time, which the store also caches its id by. Emptied when it grows past MEMO_LIMIT.
 */
const memo = new Map<string, UsageDims>();
const MEMO_LIMIT = 50_000;

function dimsOf(get: ColumnGetter, tiers: ReadonlyMap<string, string>): UsageDims {
  const raw = DIMENSION_COLUMNS.map((column) => asText(get(column))).join("\u0001");
  const known = memo.get(raw);
  if (known) return known;
  const { model, tier } = modelOf(get, tiers);
  const dims: UsageDims = {
    source: "focus",
    provider: requiredText(get("ProviderName"), "ProviderName"),
    service: requiredText(get("ServiceName"), "ServiceName"),
    account: text(get, "BillingAccountId"),
    project: text(get, "SubAccountId"),
    apiKey: null,
    workspace: null,
    user: null,
    model,
    tier,
    tags: tagObject(get("Tags"), "Tags"),
  };
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(raw, dims);
  return dims;
}

function modelOf(get: ColumnGetter, tiers: ReadonlyMap<string, string>): { model: string; tier: string } {
  const id = text(get, "ResourceId");
  const idTail = id ? (id.split("/").pop() ?? id) : null;
  const names = [text(get, "x_Model"), text(get, "ResourceName"), idTail, text(get, "SkuMeter")];
  return resolveModel([...names, requiredText(get("ServiceName"), "ServiceName")], tiers) as {
    model: string;
    tier: string;
  };
}

/** One FOCUS row as a usage row. `tiers` maps catalogue model ids to tiers. */
export function focusRow(get: ColumnGetter, tiers: ReadonlyMap<string, string>): FocusOutcome {
  const category = text(get, "ServiceCategory");
  if (category !== null && category !== "AI and Machine Learning") return { skipped: `ServiceCategory ${category}` };
  const currency = text(get, "BillingCurrency");
  if (currency !== null && currency !== "USD")
    throw new RowError("BillingCurrency", `is ${currency}: Tokenwise reads costs in USD only`);
  const periodStart = instant(get("ChargePeriodStart"), "ChargePeriodStart");
  const periodEnd = instant(get("ChargePeriodEnd"), "ChargePeriodEnd");
  if (periodEnd < periodStart) throw new RowError("ChargePeriodEnd", "is before ChargePeriodStart");
  const costColumn =
    get("EffectiveCost") !== undefined && get("EffectiveCost") !== "" && get("EffectiveCost") !== null
      ? "EffectiveCost"
      : "BilledCost";
  const costMicros = requiredDecimal(get(costColumn), costColumn, 6);
  const listCostMicros = decimal(get("ListCost"), "ListCost", 6);

  const usage = { calls: null as number | null, input: 0, cached: 0, output: 0 };
  const [quantityColumn, unitColumn] =
    text(get, "ConsumedUnit") !== null
      ? (["ConsumedQuantity", "ConsumedUnit"] as const)
      : (["PricingQuantity", "PricingUnit"] as const);
  const unit = text(get, unitColumn);
  if (unit !== null) {
    const perUnit = tokensPerUnit(unit);
    if (perUnit !== null) {
      const tokens = decimal(get(quantityColumn), quantityColumn, 0) ?? 0;
      if (tokens < 0) throw new RowError(quantityColumn, "is negative");
      const n = tokens * perUnit;
      if (!Number.isSafeInteger(n)) throw new RowError(quantityColumn, "is too large");
      const about = `${text(get, "SkuMeter") ?? ""} ${text(get, "ChargeDescription") ?? ""} ${unit}`;
      if (/output|completion|generat/i.test(about)) usage.output = n;
      else if (/cache[ds]?[ -_]?(read|hit)|cached/i.test(about)) {
        usage.input = n;
        usage.cached = n;
      } else usage.input = n;
    } else if (/^(requests?|calls?|api calls?|api requests?)$/i.test(unit)) {
      usage.calls = decimal(get(quantityColumn), quantityColumn, 0) ?? 0;
    }
  }

  return {
    key: identityOf(get),
    dims: dimsOf(get, tiers),
    periodStart,
    periodEnd,
    calls: usage.calls,
    inputTokens: usage.input,
    cachedInputTokens: usage.cached,
    outputTokens: usage.output,
    costMicros,
    listCostMicros,
  };
}
