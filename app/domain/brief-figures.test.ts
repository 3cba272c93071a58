import { describe, expect, it } from "vitest";
import {
  BRIEF_FIGURES,
  briefFigureConflicts,
  briefFigureTexts,
  briefFigureValues,
  renderBrief,
  unknownBriefFigures,
} from "./brief-figures";
import { estimateCall } from "./estimate";

// gpt-4.1-mini's prices in micro-dollars per 1M tokens.
const model = { inputMicrosPerM: 400_000, cachedInputMicrosPerM: 100_000, outputMicrosPerM: 1_600_000 };
const exercise = {
  model: "gpt-4.1-mini",
  volume: { calls: 40_000, per: "day" as const },
  output_tokens: { baseline: 140, target: 70 },
  par_tokens: 80,
  checks: [
    { id: "budget", kind: "max_tokens" as const, label: "At most 150 tokens", value: 150, required: true },
    {
      id: "keeps",
      kind: "contains" as const,
      label: "Keeps {{input}}",
      value: "{{input}}",
      required: true,
      case_sensitive: false,
    },
  ],
};
const counts = { startingPrompt: 600, avgInput: 70 };

describe("brief figures", () => {
  it("renders every figure from the same estimate the live panel uses", () => {
    const panel = estimateCall({
      promptTokens: 600,
      avgInputTokens: 70,
      outputTokens: 140,
      model,
      volume: exercise.volume,
    });
    const atPar = estimateCall({
      promptTokens: 80,
      avgInputTokens: 70,
      outputTokens: 70,
      model,
      volume: exercise.volume,
    });
    const texts = briefFigureTexts(exercise, model, counts);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(BRIEF_FIGURES).sort());
    expect(texts).toMatchObject({
      calls_per_day: "40,000",
      calls_per_month: "1,200,000",
      model: "gpt-4.1-mini",
      input_price: "$0.40",
      cached_input_price: "$0.10",
      output_price: "$1.60",
      start_tokens: "600",
      par_tokens: "80",
      budget_tokens: "150",
    });
    // 1.2M calls × (670 × $0.40 + 140 × $1.60) / 1M = $590.40; at par 1.2M × (150 × 0.40 + 70 × 1.60) / 1M = $206.40
    expect(panel.monthlyMicros).toBe(590_400_000);
    expect(texts.start_monthly_cost).toBe("$590");
    expect(atPar.monthlyMicros).toBe(206_400_000);
    expect(texts.par_monthly_cost).toBe("$206");
    expect(texts.monthly_saving).toBe("$384");
  });

  it("quotes list prices exactly, to the tenth of a cent where the catalogue has one", () => {
    // gpt-4.1-nano: $0.10 input, $0.025 cached input, $0.40 output; gpt-4o-mini caches at $0.075.
    const nano = { inputMicrosPerM: 100_000, cachedInputMicrosPerM: 25_000, outputMicrosPerM: 400_000 };
    expect(briefFigureTexts(exercise, nano, counts)).toMatchObject({
      input_price: "$0.10",
      cached_input_price: "$0.025",
      output_price: "$0.40",
    });
    const mini = { inputMicrosPerM: 150_000, cachedInputMicrosPerM: 75_000, outputMicrosPerM: 600_000 };
    expect(briefFigureTexts(exercise, mini, counts).cached_input_price).toBe("$0.075");
  });

  it("replaces known placeholders, tolerating spaces inside, and leaves unknown ones as written", () => {
    const texts = briefFigureTexts(exercise, model, counts);
    expect(renderBrief("At [[ start_tokens ]] tokens: **[[start_monthly_cost]] a month**; [[nope]].", texts)).toBe(
      "At 600 tokens: **$590 a month**; [[nope]].",
    );
  });

  it("names every unknown placeholder with its offset, and the list of known ones", () => {
    const brief = "ok [[par_tokens]]\nbad [[monthly_cost]] and [[__proto__]] and [[constructor]]";
    const found = unknownBriefFigures(brief);
    expect(found.map((p) => brief.slice(p.offset, p.offset + 10))).toEqual(["[[monthly_", "[[__proto_", "[[construc"]);
    expect(found[0].message).toContain('"[[monthly_cost]]" is not a figure a brief can quote');
    expect(found[0].message).toContain("start_monthly_cost");
  });

  it("accepts literal figures that agree with the data, within a brief's rounding", () => {
    const v = briefFigureValues(exercise, model, counts);
    const brief = `It runs 40,000 calls a day (1.2 million calls a month). The prompt is about 620 tokens and
costs about $590 a month; a rewrite under 80 tokens (at most 150 tokens, says the check) costs $0.2k a month,
saving $384/month. Placeholders are not literals: [[start_monthly_cost]] a month.`;
    expect(briefFigureConflicts(brief, v)).toEqual([]);
  });

  it("refuses each kind of literal that contradicts the data, at its offset", () => {
    const v = briefFigureValues(exercise, model, counts);
    const brief = `The prompt alone costs about $290 a month.
Write it in under 100 tokens.
It is about 950 tokens long.
It runs 50,000 calls a day.`;
    const found = briefFigureConflicts(brief, v);
    expect(found.map((p) => brief.slice(p.offset).split("\n")[0])).toEqual([
      "$290 a month.",
      "under 100 tokens.",
      "about 950 tokens long.",
      "50,000 calls a day.",
    ]);
    expect(found[0].message).toContain("matches none of this exercise's monthly figures (starting prompt $590");
    expect(found[1].message).toContain("is neither par (80) nor the token limit of the checks (150)");
  });

  it("accepts a monthly amount that is the starting prompt's cost on another catalogue model", () => {
    const v = briefFigureValues(exercise, model, counts);
    expect(briefFigureConflicts("It used to cost $150,000 a month on a frontier model.", v, [149_000_000_000])).toEqual(
      [],
    );
    expect(briefFigureConflicts("It used to cost $150k a month.", v, [120_000_000_000])).toHaveLength(1);
  });
});
