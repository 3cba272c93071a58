import { describe, expect, it } from "vitest";
import { FOCUS_COLUMNS, type FocusOptions, focusCsv, focusRecord, hashEmail, type LedgerLine } from "./focus";
import { focusParties } from "./focus-parties";

const PLAIN: FocusOptions = { emails: { mode: "plain" }, parties: focusParties({ provider: "none" }) };

const LINE: LedgerLine = {
  id: 7,
  createdAt: new Date("2025-11-30T23:41:05.123Z"),
  provider: "openai",
  model: "gpt-4o",
  purpose: "target",
  status: "ok",
  cacheHit: false,
  inputTokens: 1_000,
  cachedInputTokens: 200,
  outputTokens: 500,
  inputMicrosPerM: 2_500_000,
  cachedInputMicrosPerM: 1_250_000,
  outputMicrosPerM: 10_000_000,
  costMicros: 7_250,
  savedMicros: 0,
  attemptId: 42,
  userEmail: "ada@example.com",
  team: "Alpha",
  department: "Research",
  costCentre: "CC-100",
  courseSlug: "prompt-compression",
  exerciseSlug: "trim-the-fat",
};

describe("focusRecord", () => {
  it("bills the ledger cost in USD with 6 decimals, list = billed for a call that was paid for", () => {
    const r = focusRecord(LINE);
    expect([r.BilledCost, r.EffectiveCost, r.ListCost, r.ContractedCost, r.BillingCurrency]).toEqual([
      "0.007250",
      "0.007250",
      "0.007250",
      "0.007250",
      "USD",
    ]);
    expect([r.x_BilledCostMicros, r.x_ListCostMicros]).toEqual([7_250, 7_250]);
  });

  it("puts the charge in the call's UTC hour and the billing period in its calendar month", () => {
    const r = focusRecord(LINE);
    expect([r.ChargePeriodStart, r.ChargePeriodEnd]).toEqual(["2025-11-30T23:00:00Z", "2025-12-01T00:00:00Z"]);
    expect([r.BillingPeriodStart, r.BillingPeriodEnd]).toEqual(["2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z"]);
    expect(r.x_CallTimestamp).toBe("2025-11-30T23:41:05.123Z");
  });

  it("describes the resource, quantity and department with FOCUS's fixed values", () => {
    const r = focusRecord(LINE, PLAIN);
    expect(r).toMatchObject({
      ChargeCategory: "Usage",
      ServiceCategory: "AI and Machine Learning",
      ServiceName: "OpenAI API",
      ProviderName: "OpenAI",
      PublisherName: "OpenAI",
      InvoiceIssuerName: "OpenAI",
      BillingAccountId: "openai:api.openai.com",
      ChargeClass: null,
      ResourceId: "gpt-4o",
      ResourceType: "Model",
      ConsumedQuantity: 1_500,
      ConsumedUnit: "Tokens",
      PricingUnit: "1M Tokens",
      PricingQuantity: "0.001500",
      // 7,250 micro-dollars for 1,500 tokens = $4.8333333333 per 1M tokens, blended (× 0.0015 = 0.007250 exactly)
      ListUnitPrice: "4.8333333333",
      SubAccountId: "CC-100",
      SubAccountName: "Research",
      SubAccountType: "Cost centre",
    });
    expect(JSON.parse(String(r.Tags))).toEqual({
      user: "ada@example.com",
      team: "Alpha",
      course: "prompt-compression",
      exercise: "trim-the-fat",
      purpose: "target",
      attempt: "42",
    });
  });

  it("bills a cache hit at 0 with what it would have cost as ListCost", () => {
    const r = focusRecord({ ...LINE, cacheHit: true, costMicros: 0, savedMicros: 7_250 });
    expect([r.BilledCost, r.EffectiveCost, r.ListCost]).toEqual(["0.000000", "0.000000", "0.007250"]);
    expect(r.ChargeDescription).toMatch(/served from the response cache at no charge$/);
  });

  it("leaves out tags the call does not have and empties the sub-account of an unattributed call", () => {
    const r = focusRecord(
      {
        ...LINE,
        purpose: "preview",
        attemptId: null,
        team: null,
        department: null,
        costCentre: null,
        courseSlug: null,
        exerciseSlug: null,
      },
      PLAIN,
    );
    expect(JSON.parse(String(r.Tags))).toEqual({ user: "ada@example.com", purpose: "preview" });
    expect([r.SubAccountId, r.SubAccountName, r.SubAccountType]).toEqual([null, null, null]);
  });

  it("hashes e-mails in Tags under the secret unless told otherwise, and leaves them out without options", () => {
    const hashed = JSON.parse(String(focusRecord(LINE, { ...PLAIN, emails: { mode: "hashed", secret: "s1" } }).Tags));
    expect(hashed.user).toBeUndefined();
    expect(hashed.user_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed.user_hash).toBe(hashEmail(" ADA@example.com ", "s1"));
    expect(hashed.user_hash).not.toBe(hashEmail("ada@example.com", "s2"));
    expect(JSON.stringify(focusRecord(LINE))).not.toContain("ada@example.com");
  });

  it("exports an embeddings call of the semantic cache as usage of its model, tagged like the call it served", () => {
    const r = focusRecord({
      ...LINE,
      model: "text-embedding-3-large",
      purpose: "embedding",
      inputTokens: 123_457,
      cachedInputTokens: 0,
      outputTokens: 0,
      inputMicrosPerM: 130_000,
      cachedInputMicrosPerM: 130_000,
      outputMicrosPerM: 0,
      costMicros: 16_049,
    });
    expect(r).toMatchObject({
      BilledCost: "0.016049",
      ResourceId: "text-embedding-3-large",
      ConsumedQuantity: 123_457,
      x_Purpose: "embedding",
      ChargeDescription:
        "text-embedding-3-large embedding call, 123457 tokens (123457 input of which 0 cached, 0 output)",
    });
    expect(JSON.parse(String(r.Tags))).toMatchObject({ purpose: "embedding", attempt: "42", team: "Alpha" });
  });

  it("prices a call with no tokens at the input list price", () => {
    const r = focusRecord({ ...LINE, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costMicros: 0 });
    expect([r.ConsumedQuantity, r.ListUnitPrice]).toEqual([0, "2.500000"]);
  });

  it("prices a call that cost something without tokens (an estimate) per request, so quantity × price = cost", () => {
    const r = focusRecord({ ...LINE, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, costMicros: 1_234 });
    expect([r.PricingQuantity, r.PricingUnit, r.ListUnitPrice, r.ListCost]).toEqual([
      "1",
      "Requests",
      "0.001234",
      "0.001234",
    ]);
  });
});

describe("focusCsv", () => {
  it("writes the header and one record per line, escaping a department name that is a formula", () => {
    const csv = focusCsv([{ ...LINE, department: '=HYPERLINK("http://x")' }]);
    const [header, record] = csv.split("\r\n");
    expect(header).toBe(FOCUS_COLUMNS.join(","));
    expect(record).toContain(`,"'=HYPERLINK(""http://x"")",`);
  });
});
