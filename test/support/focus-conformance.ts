/**
 * FOCUS 1.2's column rules, written down from the specification (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag
 * v1.2, specification/columns/*.md and attributes/*.md) as data plus the checks that read it, so a test can hold a
 * file to them. Each rule says where it comes from. Only what a check can decide from the file is here.
 */

type DataType = "String" | "Decimal" | "Date/Time" | "JSON";
interface ColumnRule {
  level: "Mandatory" | "Recommended" | "Conditional";
  nulls: boolean;
  type: DataType;
  allowed?: readonly string[];
}

/** Every FOCUS 1.2 column: feature level, "Allows nulls" and data type from its Content Constraints table. */
export const FOCUS_12: Record<string, ColumnRule> = {
  AvailabilityZone: { level: "Recommended", nulls: true, type: "String" },
  BilledCost: { level: "Mandatory", nulls: false, type: "Decimal" },
  BillingAccountId: { level: "Mandatory", nulls: false, type: "String" },
  BillingAccountName: { level: "Mandatory", nulls: true, type: "String" },
  BillingAccountType: { level: "Conditional", nulls: false, type: "String" },
  BillingCurrency: { level: "Mandatory", nulls: false, type: "String" },
  BillingPeriodEnd: { level: "Mandatory", nulls: false, type: "Date/Time" },
  BillingPeriodStart: { level: "Mandatory", nulls: false, type: "Date/Time" },
  CapacityReservationId: { level: "Conditional", nulls: true, type: "String" },
  CapacityReservationStatus: { level: "Conditional", nulls: true, type: "String" },
  ChargeCategory: {
    level: "Mandatory",
    nulls: false,
    type: "String",
    allowed: ["Usage", "Purchase", "Tax", "Credit", "Adjustment"],
  },
  ChargeClass: { level: "Mandatory", nulls: true, type: "String", allowed: ["Correction"] },
  ChargeDescription: { level: "Mandatory", nulls: true, type: "String" },
  ChargeFrequency: {
    level: "Recommended",
    nulls: false,
    type: "String",
    allowed: ["One-Time", "Recurring", "Usage-Based"],
  },
  ChargePeriodEnd: { level: "Mandatory", nulls: false, type: "Date/Time" },
  ChargePeriodStart: { level: "Mandatory", nulls: false, type: "Date/Time" },
  CommitmentDiscountCategory: { level: "Conditional", nulls: true, type: "String", allowed: ["Spend", "Usage"] },
  CommitmentDiscountId: { level: "Conditional", nulls: true, type: "String" },
  CommitmentDiscountName: { level: "Conditional", nulls: true, type: "String" },
  CommitmentDiscountQuantity: { level: "Conditional", nulls: true, type: "Decimal" },
  CommitmentDiscountStatus: { level: "Conditional", nulls: true, type: "String", allowed: ["Used", "Unused"] },
  CommitmentDiscountType: { level: "Conditional", nulls: true, type: "String" },
  CommitmentDiscountUnit: { level: "Conditional", nulls: true, type: "String" },
  ConsumedQuantity: { level: "Conditional", nulls: true, type: "Decimal" },
  ConsumedUnit: { level: "Conditional", nulls: true, type: "String" },
  ContractedCost: { level: "Mandatory", nulls: false, type: "Decimal" },
  ContractedUnitPrice: { level: "Conditional", nulls: true, type: "Decimal" },
  EffectiveCost: { level: "Mandatory", nulls: false, type: "Decimal" },
  InvoiceId: { level: "Recommended", nulls: true, type: "String" },
  InvoiceIssuerName: { level: "Mandatory", nulls: false, type: "String" },
  ListCost: { level: "Mandatory", nulls: false, type: "Decimal" },
  ListUnitPrice: { level: "Conditional", nulls: true, type: "Decimal" },
  PricingCategory: {
    level: "Conditional",
    nulls: true,
    type: "String",
    allowed: ["Standard", "Dynamic", "Committed", "Other"],
  },
  PricingCurrency: { level: "Conditional", nulls: true, type: "String" },
  PricingCurrencyContractedUnitPrice: { level: "Conditional", nulls: true, type: "Decimal" },
  PricingCurrencyEffectiveCost: { level: "Conditional", nulls: true, type: "Decimal" },
  PricingCurrencyListUnitPrice: { level: "Conditional", nulls: true, type: "Decimal" },
  PricingQuantity: { level: "Mandatory", nulls: true, type: "Decimal" },
  PricingUnit: { level: "Mandatory", nulls: true, type: "String" },
  ProviderName: { level: "Mandatory", nulls: false, type: "String" },
  PublisherName: { level: "Mandatory", nulls: false, type: "String" },
  RegionId: { level: "Conditional", nulls: true, type: "String" },
  RegionName: { level: "Conditional", nulls: true, type: "String" },
  ResourceId: { level: "Conditional", nulls: true, type: "String" },
  ResourceName: { level: "Conditional", nulls: true, type: "String" },
  ResourceType: { level: "Conditional", nulls: true, type: "String" },
  ServiceCategory: {
    level: "Mandatory",
    nulls: false,
    type: "String",
    allowed: [
      "AI and Machine Learning",
      "Analytics",
      "Business Applications",
      "Compute",
      "Databases",
      "Developer Tools",
      "Multicloud",
      "Identity",
      "Integration",
      "Internet of Things",
      "Management and Governance",
      "Media",
      "Migration",
      "Mobile",
      "Networking",
      "Security",
      "Storage",
      "Web",
      "Other",
    ],
  },
  ServiceName: { level: "Mandatory", nulls: false, type: "String" },
  ServiceSubcategory: { level: "Recommended", nulls: false, type: "String" },
  SkuId: { level: "Conditional", nulls: true, type: "String" },
  SkuMeter: { level: "Conditional", nulls: true, type: "String" },
  SkuPriceDetails: { level: "Conditional", nulls: true, type: "JSON" },
  SkuPriceId: { level: "Conditional", nulls: true, type: "String" },
  SubAccountId: { level: "Conditional", nulls: true, type: "String" },
  SubAccountName: { level: "Conditional", nulls: true, type: "String" },
  SubAccountType: { level: "Conditional", nulls: true, type: "String" },
  Tags: { level: "Conditional", nulls: true, type: "JSON" },
};

/** servicesubcategory.md: the AI and Machine Learning subcategories (each has exactly one parent category). */
export const AI_SUBCATEGORIES = [
  "AI Platforms",
  "Bots",
  "Generative AI",
  "Machine Learning",
  "Natural Language Processing",
  "Other (AI and Machine Learning)",
];

/** attributes/numeric_format.md: an integer, a decimal or E notation; no sign for positives, no separators. */
const NUMERIC = /^-?(0|[1-9]\d*)(\.\d+)?(E-?\d+)?$/;
/** attributes/datetime_format.md: extended ISO 8601 in UTC, 'YYYY-MM-DDTHH:mm:ssZ'. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
/** attributes/currency_format.md: ISO 4217 alphabetic codes. */
const CURRENCY = /^[A-Z]{3}$/;

/** Exact decimal as [digits, scale] for products; throws on anything not numeric. */
function decimal(text: string): { units: bigint; scale: number } {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain decimal: ${text}`);
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`) * (m[1] ? -1n : 1n);
  return { units, scale: frac.length };
}

/** Does `quantity × price`, rounded half up to `cost`'s scale, equal `cost`? (pricingquantity.md, listunitprice.md) */
export function productMatches(quantity: string, price: string, cost: string): boolean {
  const q = decimal(quantity);
  const p = decimal(price);
  const c = decimal(cost);
  const productScale = q.scale + p.scale;
  const product = q.units * p.units;
  if (productScale <= c.scale) return product * 10n ** BigInt(c.scale - productScale) === c.units;
  const divisor = 10n ** BigInt(productScale - c.scale);
  const rounded = (product * 2n + divisor) / (divisor * 2n);
  return rounded === c.units;
}

/**
 * Every problem found in a FOCUS 1.2 file (header and rows as strings, "" as null), each naming the row (1 is the
 * first after the header) and the column. Empty when the file conforms to what is checked here.
 */
export function focusProblems(header: string[], rows: Record<string, string>[]): string[] {
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(FOCUS_12))
    if (rule.level === "Mandatory" && !header.includes(name)) problems.push(`header: mandatory column ${name} missing`);
  for (const name of header)
    if (!(name in FOCUS_12) && !name.startsWith("x_"))
      problems.push(`header: ${name} is neither a FOCUS 1.2 column nor a custom column prefixed x_`);
  if (new Set(header).size !== header.length) problems.push("header: a column appears twice");

  rows.forEach((row, i) => {
    const at = (column: string, what: string) => problems.push(`row ${i + 1}, ${column}: ${what}`);
    const value = (column: string) => (header.includes(column) && row[column] !== "" ? row[column] : null);
    for (const column of header) {
      const rule = FOCUS_12[column];
      if (!rule) continue;
      const v = value(column);
      if (v === null) {
        if (!rule.nulls) at(column, "is null but the column does not allow nulls");
        continue;
      }
      if (rule.type === "Decimal" && !NUMERIC.test(v)) at(column, `"${v}" is not in FOCUS's numeric format`);
      if (rule.type === "Date/Time" && (!DATETIME.test(v) || Number.isNaN(Date.parse(v))))
        at(column, `"${v}" is not a UTC date/time as YYYY-MM-DDTHH:mm:ssZ`);
      if (rule.allowed && !rule.allowed.includes(v)) at(column, `"${v}" is not one of its allowed values`);
      if (rule.type === "JSON") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(v);
        } catch {
          at(column, "is not JSON");
          continue;
        }
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) at(column, "is not a JSON object");
        else
          for (const [k, x] of Object.entries(parsed))
            if (typeof x === "object" && x !== null) at(column, `key ${k} holds an object or array`);
      }
      if (v !== v.trim()) at(column, "has leading or trailing white space");
    }
    const currency = value("BillingCurrency");
    if (currency !== null && !CURRENCY.test(currency)) at("BillingCurrency", `"${currency}" is not an ISO 4217 code`);
    const category = value("ChargeCategory");
    const correction = value("ChargeClass") === "Correction";
    const usageOrPurchase = category === "Usage" || category === "Purchase";
    if (usageOrPurchase && !correction)
      for (const column of ["PricingQuantity", "PricingUnit", "ListUnitPrice", "PricingCategory"])
        if (header.includes(column) && value(column) === null) at(column, `must not be null for a ${category} row`);
    if (category === "Purchase" && value("ChargeFrequency") === "Usage-Based")
      at("ChargeFrequency", 'must not be "Usage-Based" for a purchase');
    const quantity = value("PricingQuantity");
    const listPrice = value("ListUnitPrice");
    const listCost = value("ListCost");
    if (
      !correction &&
      quantity !== null &&
      listPrice !== null &&
      listCost !== null &&
      !productMatches(quantity, listPrice, listCost)
    )
      at("ListUnitPrice", `${quantity} × ${listPrice} does not match ListCost ${listCost}`);
    const pairs: [string, string][] = [
      ["SubAccountId", "SubAccountType"],
      ["BillingAccountId", "BillingAccountType"],
      ["ConsumedQuantity", "ConsumedUnit"],
    ];
    for (const [id, dependent] of pairs)
      if (header.includes(dependent) && (value(id) === null) !== (value(dependent) === null))
        at(dependent, `must be null exactly when ${id} is`);
    const sub = value("ServiceSubcategory");
    if (sub !== null && value("ServiceCategory") === "AI and Machine Learning" && !AI_SUBCATEGORIES.includes(sub))
      at("ServiceSubcategory", `"${sub}" is not a subcategory of AI and Machine Learning`);
    const [cs, ce, bs, be] = ["ChargePeriodStart", "ChargePeriodEnd", "BillingPeriodStart", "BillingPeriodEnd"].map(
      (c) => Date.parse(value(c) ?? ""),
    );
    if (!(cs < ce)) at("ChargePeriodEnd", "is not after ChargePeriodStart");
    if (!(bs < be)) at("BillingPeriodEnd", "is not after BillingPeriodStart");
    if (!(bs <= cs && ce <= be)) at("ChargePeriodStart", "the charge period is not inside the billing period");
  });
  return problems;
}
