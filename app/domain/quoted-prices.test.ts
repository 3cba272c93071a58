import { describe, expect, it } from "vitest";
import { type PricedModel, quotedPriceConflicts } from "./quoted-prices";

const model = (id: string, input: number, cached: number, output: number): PricedModel => ({
  id,
  inputMicrosPerM: input * 1_000_000,
  cachedInputMicrosPerM: cached * 1_000_000,
  outputMicrosPerM: output * 1_000_000,
  priceAsOf: "2025-04-14",
});
const nano = model("gpt-4.1-nano", 0.1, 0.025, 0.4);
const mid = model("gpt-4.1", 2, 0.5, 8);
const mini = model("gpt-4.1-mini", 0.4, 0.1, 1.6);
const sonnet = model("claude-sonnet-4", 3, 0.3, 15);
const catalogue = [nano, mid, mini, sonnet];

/** The quoted text at each problem's offset, up to the end of its line. */
const at = (text: string, own: PricedModel | null = null) =>
  quotedPriceConflicts(text, catalogue, own).map((p) => text.slice(p.offset).split("\n")[0]);

describe("prices quoted next to a model id", () => {
  it("accepts every form the content uses when the price is the catalogue's", () => {
    const text = `It ran on \`gpt-4.1\` ($2.00 per 1M input, $8 per 1M output); on \`gpt-4.1-nano\` ($0.10 in, $0.40 out)
it costs less. Cached input on \`gpt-4.1\` costs **$0.50 per 1M instead of $2.00**, and \`claude-sonnet-4\` bills
$0.30 instead of $3.00 per 1M. On \`gpt-4.1-mini\` ($0.40 / $1.60) the $1.60 output price is four times the input.
Every clause on \`gpt-4.1\` ($2.00 in / $8.00 out per 1M) costs $900 + $48 = **$948**, $4,860 in a month.`;
    expect(at(text)).toEqual([]);
  });

  it("refuses a price that is none of the model's, and one that is another kind's, at the price", () => {
    const text = `On \`gpt-4.1-nano\` ($0.15 per 1M input tokens) the reply costs **$0.10 per 1M output**.
Cached input on \`gpt-4.1\` costs $0.25 per 1M.`;
    const found = quotedPriceConflicts(text, catalogue);
    expect(found.map((p) => text.slice(p.offset, p.offset + 5))).toEqual(["$0.15", "$0.10", "$0.25"]);
    expect(found[0].message).toBe(
      '"$0.15 per 1M input" is not gpt-4.1-nano\'s input price in the model catalogue (input $0.10, cached input $0.025, output $0.40 per 1M, as of 2025-04-14)',
    );
    expect(found[1].message).toContain("is not gpt-4.1-nano's output price");
    expect(found[2].message).toContain('"$0.25 per 1M" is not a price of gpt-4.1');
  });

  it("reads [[model]] as the exercise's model, points to the placeholders, and skips rendered placeholders", () => {
    const brief = "It runs on `[[model]]` ([[input_price]] per 1M input tokens, $1.50 per 1M output tokens).";
    const [problem] = quotedPriceConflicts(brief, catalogue, mini);
    expect(brief.slice(problem.offset, problem.offset + 5)).toBe("$1.50");
    expect(problem.message).toContain("is not gpt-4.1-mini's output price");
    expect(problem.message).toContain("write [[input_price]], [[cached_input_price]] or [[output_price]] instead");
    expect(at("It runs on `[[model]]` at $0.40 per 1M input tokens.", mini)).toEqual([]);
  });

  it("checks a price only against a model named before it in the same sentence", () => {
    expect(at("A frontier model at ~$15.00 per 1M tokens against $0.10 for a nano one.")).toEqual([]);
    expect(at("It runs on `gpt-4.1`.\n\nA frontier model costs $15.00 per 1M input tokens.")).toEqual([]);
    expect(at("On `gpt-4.1` ($2.00 per 1M). The article puts a frontier model at $15.00 per 1M tokens.")).toEqual([]);
    // Ids are case-sensitive and whole: the article's "GPT-4o" and a longer id are not gpt-4.1.
    expect(at("The article names GPT-4.1 at $15.00 per 1M tokens.")).toEqual([]);
    expect(at("On `gpt-4.1-mini` input is $0.40 per 1M tokens.")).toEqual([]);
    expect(at("On `gpt-4.1` it is $15.00 per 1M input tokens.")).toEqual(["$15.00 per 1M input tokens."]);
  });

  it("checks table columns headed input, cached input or output in rows that name a model", () => {
    const table = `| model | input | cached input | cached share |
| --- | --- | --- | --- |
| \`gpt-4.1-nano\` | $0.10 | $0.03 | 25% |
| \`claude-sonnet-4\` | $3.00 | $0.30 | 10% |
| a frontier model | $15.00 | $1.50 | 10% |

| model (tier) | input price | input a month |
| --- | --- | --- |
| \`gpt-4.1\` (medium) | $2.50 | $1,200 |`;
    const found = quotedPriceConflicts(table, catalogue);
    expect(found.map((p) => table.slice(p.offset, p.offset + 5))).toEqual(["$0.03", "$2.50"]);
    expect(found[0].message).toContain("is not gpt-4.1-nano's cached input price");
  });
});
