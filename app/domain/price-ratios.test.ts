import { describe, expect, it } from "vitest";
import { priceRatioConflicts } from "./price-ratios";
import type { PricedModel } from "./quoted-prices";

const model = (id: string, input: number, output: number): PricedModel => ({
  id,
  inputMicrosPerM: input * 1_000_000,
  cachedInputMicrosPerM: input * 250_000,
  outputMicrosPerM: output * 1_000_000,
  priceAsOf: "2025-04-14",
});
const mini = model("gpt-4.1-mini", 0.4, 1.6);
const haiku = model("claude-3-5-haiku", 0.8, 4);
const catalogue = [mini, haiku];

describe("price ratios a brief or a lesson states", () => {
  it("accepts the ratio of the exercise's model, or of the model named before it in the sentence", () => {
    const brief = `Output costs [[output_price]] per 1M on \`[[model]]\`, four times the [[input_price]] input price.
On \`claude-3-5-haiku\` an output token costs **five times** an input token. At 4 times the input price, say.`;
    expect(priceRatioConflicts(brief, catalogue, mini)).toEqual([]);
  });

  it("refuses a ratio that the catalogue's prices do not give, at the phrase", () => {
    const brief = "The reply costs [[output_price]] per 1M, four times the [[input_price]] input price.";
    const [problem] = priceRatioConflicts(brief, catalogue, haiku);
    expect(brief.slice(problem.offset, problem.offset + 10)).toBe("four times");
    expect(problem.message).toBe(
      '"four times the input price" does not hold for claude-3-5-haiku in the model catalogue: its output price $4.00 per 1M is 5 times its input price $0.80',
    );
    expect(priceRatioConflicts("On `claude-3-5-haiku` output is 4 times an input token.", catalogue)).toHaveLength(1);
  });

  it("leaves a lesson's ratio alone when no model is named before it", () => {
    expect(priceRatioConflicts("An output token costs four times an input token on most models.", catalogue)).toEqual(
      [],
    );
  });
});
