import { describe, expect, it } from "vitest";
import { cpuGrowth } from "../../test/support/cpu-growth";
import { bestMatch, instructionTokens, normalizePrompt, promptSimilarity, vectorCosine } from "./similarity";

/** The default SEMANTIC_CACHE_THRESHOLD. */
const THRESHOLD = 0.97;

const PROMPT = [
  "You are a support assistant for an online bookshop. Read the customer's message below and decide which team",
  "should handle it. The billing team handles refunds, double charges and invoices. The delivery team handles late,",
  "lost or damaged parcels. The accounts team handles passwords, email changes and closing an account. Keep the reply",
  "short and friendly, address the customer by name when they give one, and never promise a refund yourself. Label",
  'the message as billing, delivery or accounts, then reply in JSON with the fields "team" and "reason".',
].join(" ");

const sim = (a: string, b: string) => promptSimilarity({ text: a }, { text: b });

function edited(from: string, to: string): string {
  expect(PROMPT).toContain(from);
  return PROMPT.replace(from, to);
}

describe("near-identical prompts score at or above the default threshold", () => {
  it("scores the same prompt 1", () => {
    expect(sim(PROMPT, PROMPT)).toBe(1);
  });

  it("ignores whitespace, line breaks, case and typographic quotes", () => {
    const variant = PROMPT.replace(/ /g, "  ").replace(". ", ".\n\n").replace("customer's", "Customer\u2019s");
    expect(sim(PROMPT, `  ${variant}\n`)).toBe(1);
  });

  it.each([
    ["a typo", "customer's message", "custmer's message"],
    ["a swapped letter pair", "decide which team", "decdie which team"],
    ["one word changed", "short and friendly", "short and polite"],
    ["one noun changed", "online bookshop", "online bookstore"],
    ["a comma dropped", "short and friendly, address", "short and friendly address"],
  ])("keeps %s in a long prompt above the threshold", (_, from, to) => {
    expect(sim(PROMPT, edited(from, to))).toBeGreaterThanOrEqual(THRESHOLD);
  });
});

describe("prompts that differ in an instruction that matters score below the threshold", () => {
  it.each([
    ["JSON vs prose", "reply in JSON", "reply in prose"],
    ["JSON vs YAML", "reply in JSON", "reply in YAML"],
    ["a label added to the set", "billing, delivery or accounts", "billing, delivery, accounts or other"],
    ["a label renamed", "billing, delivery or accounts", "billing, shipping or accounts"],
    ["a different output field", '"reason"', '"summary"'],
    ["a negation removed", "never promise a refund", "promise a refund"],
    ["a contraction negation added", "Keep the reply short", "Don't keep the reply short"],
  ])("separates %s", (_, from, to) => {
    expect(sim(PROMPT, edited(from, to))).toBeLessThan(THRESHOLD);
  });

  it("separates a changed number", () => {
    const a = `${PROMPT} Answer in at most 50 words.`;
    expect(sim(a, a.replace("50 words", "20 words"))).toBeLessThan(THRESHOLD);
  });

  it("separates a changed reply language", () => {
    const a = `${PROMPT} Write the reason in French.`;
    expect(sim(a, a.replace("French", "Spanish"))).toBeLessThan(THRESHOLD);
  });

  it("separates a label list written with slashes", () => {
    const a = `${PROMPT} Mood: happy/neutral/angry.`;
    expect(sim(a, a.replace("happy/neutral/angry", "happy/angry"))).toBeLessThan(THRESHOLD);
  });

  it("does not match a prompt with its own text repeated (same 3-grams, twice the tokens)", () => {
    expect(sim(PROMPT, `${PROMPT} ${PROMPT}`)).toBeLessThan(0.5);
  });

  it("scores unrelated prompts low", () => {
    expect(sim(PROMPT, "Translate the following recipe into French and keep the quantities metric.")).toBeLessThan(0.3);
  });

  it("scores an empty prompt 0 against a non-empty one and 1 against another empty one", () => {
    expect(sim("", PROMPT)).toBe(0);
    expect(sim(" ", "")).toBe(1);
  });
});

describe("instructionTokens", () => {
  it("collects numbers, quoted literals, list items, negations, formats and languages", () => {
    const tokens = instructionTokens(
      normalizePrompt(
        'Label as positive, negative, or neutral. Use `label` and "why". Don\'t exceed 3 lines of German.',
      ),
    );
    expect([...tokens.keys()].sort()).toEqual(
      ['"label"', '"why"', "#3", "=negative", "=neutral", "=positive", "german", "lines", "not"].sort(),
    );
  });

  it("does not read an apostrophe inside a word as a quote", () => {
    const tokens = instructionTokens(normalizePrompt("It's the customer's choice, isn't it"));
    expect([...tokens.keys()]).toEqual(["not"]);
  });
});

describe("with embeddings", () => {
  it("vectorCosine is 1 for the same direction, 0 for orthogonal, opposite or mismatched vectors", () => {
    expect(vectorCosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(vectorCosine([1, 0], [0, 1])).toBe(0);
    expect(vectorCosine([1, 0], [-1, 0])).toBe(0);
    expect(vectorCosine([1, 0], [1, 0, 0])).toBe(0);
    expect(vectorCosine([0, 0], [0, 0])).toBe(0);
  });

  it("uses the embeddings' cosine when both prompts have one", () => {
    const a = "Summarise the ticket for the engineer on call.";
    const b = "Condense this ticket for whoever is on call now.";
    expect(sim(a, b)).toBeLessThan(0.5);
    const s = promptSimilarity({ text: a, embedding: [0.6, 0.8, 0] }, { text: b, embedding: [0.6, 0.79, 0.01] });
    expect(s).toBeGreaterThan(0.9);
  });

  it("still separates an instruction change the embeddings call identical", () => {
    const e = [0.1, 0.2, 0.3];
    const b = edited("reply in JSON", "reply in prose");
    expect(promptSimilarity({ text: PROMPT, embedding: e }, { text: b, embedding: e })).toBeLessThan(THRESHOLD);
  });

  it("falls back to text similarity when only one side has an embedding", () => {
    expect(promptSimilarity({ text: PROMPT, embedding: [1, 0] }, { text: PROMPT })).toBe(1);
  });
});

describe("bestMatch", () => {
  it("returns the most similar candidate at or above the threshold", () => {
    const candidates = [
      { text: edited("reply in JSON", "reply in prose") },
      { text: edited("online bookshop", "online bookstore") },
      { text: edited("customer's message", "custmer's message") },
    ];
    const match = bestMatch({ text: PROMPT }, candidates, THRESHOLD);
    expect(match?.index).toBe(2);
    expect(match?.score).toBeGreaterThan(0.99);
  });

  it("prefers the earlier candidate on a tie", () => {
    expect(bestMatch({ text: PROMPT }, [{ text: PROMPT }, { text: PROMPT }], THRESHOLD)?.index).toBe(0);
  });

  it("returns null when no candidate reaches the threshold", () => {
    expect(bestMatch({ text: PROMPT }, [{ text: edited("reply in JSON", "reply in prose") }], THRESHOLD)).toBeNull();
    expect(bestMatch({ text: PROMPT }, [], THRESHOLD)).toBeNull();
  });

  it("scans candidates of 2,200 characters, all needing the full comparison, in time linear in their number", () => {
    const long = Array.from({ length: 4 }, () => PROMPT).join(" ");
    // Letters, not numbers: a number is an instruction token and would let the scan skip the candidate early.
    const tag = (i: number) => String.fromCharCode(97 + (i % 26), 97 + Math.floor(i / 26));
    const candidates = Array.from({ length: 200 }, (_, i) => ({
      text: long.replace("bookshop", `bookshop ${tag(i)}`),
    }));
    const scan = (n: number) => {
      const match = bestMatch(
        { text: long.replace("bookshop", `bookshop ${tag(n - 1)}`) },
        candidates.slice(0, n),
        THRESHOLD,
      );
      expect(match?.index).toBe(n - 1);
    };
    // CPU time for 200 candidates over 25, same run: about 8 when each is compared once, about 64 when quadratic. The
    // bound sits midway between the two on a log scale (√(8 × 64) ≈ 23): CI on 2 loaded cores once measured the linear
    // scan at 20.7 (the larger size's garbage collection counts in process CPU), over the bound of 20 it had then.
    expect(cpuGrowth(scan, 25, 8, 9)).toBeLessThan(23);
  });
});
