import { describe, expect, it } from "vitest";
import { callsPerMonth, costMicros } from "./cost";
import { expectedOutputTokens } from "./estimate";
import { type ExerciseFile, exerciseFileSchema } from "./exercise";
import { averageInputTokens, gradePrompt } from "./grade";
import type { ModelInfo } from "./models";
import { OFFLINE_JUDGE_NAME } from "./offline-judge";

/** One token per whitespace-separated word: easy to count by hand in these tests. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

const mini: ModelInfo = {
  id: "gpt-4.1-mini",
  provider: "openai",
  tier: "small",
  encoding: "o200k_base",
  exactTokenizer: true,
  contextWindow: 1_047_576,
  inputMicrosPerM: 400_000,
  cachedInputMicrosPerM: 100_000,
  outputMicrosPerM: 1_600_000,
  priceAsOf: "2025-04-14",
};
const nano: ModelInfo = {
  ...mini,
  id: "gpt-4.1-nano",
  tier: "nano",
  inputMicrosPerM: 100_000,
  cachedInputMicrosPerM: 25_000,
  outputMicrosPerM: 400_000,
};

const exercise: ExerciseFile = exerciseFileSchema.parse({
  slug: "triage-ticket",
  title: "Triage a support ticket",
  course: "prompt-compression",
  order: 2,
  skill: "compression",
  difficulty: 2,
  model: "gpt-4.1-mini",
  tier: "small",
  volume: { calls: 20000, per: "day" },
  output_tokens: { baseline: 60, target: 2, target_when: [["label only", "one word"]] },
  brief: "Route each ticket to a queue.",
  starting_prompt:
    "Hello! I would like you to please read the following customer support ticket very carefully and then " +
    "decide which team should handle it. The teams are billing, technical and account. It is very important " +
    "that you choose the correct team. Thank you so much!\n\n{{input}}",
  test_inputs: [
    { name: "double charge", input: "I was charged twice this month." }, // 6 words
    { name: "login", input: "I cannot log in since the password reset yesterday." }, // 9 words
  ],
  checks: [
    { id: "token-budget", kind: "max_tokens", label: "At most 30 tokens", value: 30 },
    { id: "keeps-input", kind: "contains", label: "Keeps the {{input}} placeholder", value: "{{input}}" },
  ],
  rubric: [{ id: "right-queue", criterion: "The label is the right queue." }],
  requirements: [
    {
      id: "classify",
      description: "Asks for a classification.",
      weight: 2,
      all_of: [["classify", "categorize", "route"]],
    },
    { id: "queues", description: "Names the queues.", weight: 2, all_of: [["billing"], ["technical"], ["account"]] },
    { id: "label-only", description: "Asks for the label alone.", all_of: [["label only", "one word"]] },
  ],
  par_tokens: 15,
  pass_mark: 70,
  reference_solution:
    "Classify the ticket as billing, technical or account. Reply with the label only.\n\nTicket: {{input}}",
});

const grade = (prompt: string, extra: Partial<Parameters<typeof gradePrompt>[0]> = {}) =>
  gradePrompt({ prompt, exercise, model: mini, countTokens: words, ...extra });

describe("gradePrompt", () => {
  it("counts tokens for the prompt, the starting prompt, par and a typical call", () => {
    const r = grade(exercise.reference_solution);
    expect(r.tokens).toEqual({
      prompt: 15,
      baseline: words(exercise.starting_prompt),
      par: 15,
      inputPerCall: 15 + 8, // (6 + 9) / 2 = 7.5, rounded
      outputPerCall: 2, // the prompt states a format: the target reply size
    });
  });

  it("prices the call, the month and the saving with the model's prices", () => {
    const r = grade(exercise.reference_solution);
    const monthly = callsPerMonth(exercise.volume);
    const baselineTokens = { input: words(exercise.starting_prompt) + 8, output: 60 };
    expect(r.cost.perCallMicros).toBe(costMicros(mini, { input: 23, output: 2 }));
    expect(r.cost.monthlyMicros).toBe(costMicros(mini, { input: 23, output: 2 }, monthly));
    expect(r.cost.baselinePerCallMicros).toBe(costMicros(mini, baselineTokens));
    expect(r.cost.baselineMonthlyMicros).toBe(costMicros(mini, baselineTokens, monthly));
    expect(r.cost.parMonthlyMicros).toBe(costMicros(mini, { input: 23, output: 2 }, monthly));
    expect(r.cost.monthlySavingsMicros).toBe(r.cost.baselineMonthlyMicros - r.cost.monthlyMicros);
    expect(r.cost.monthlySavingsMicros).toBeGreaterThan(0);
    expect(r.model).toEqual({ id: "gpt-4.1-mini", priceAsOf: "2025-04-14" });
  });

  it("expects the baseline reply size when the prompt states no output format", () => {
    const r = grade("Classify the ticket as billing, technical or account.\n{{input}}");
    expect(r.tokens.outputPerCall).toBe(60);
    expect(r.judge.format.found).toBe(false);
  });

  it("passes the reference solution at par with the full efficiency bonus", () => {
    const r = grade(exercise.reference_solution);
    expect(r.judge.judge).toBe(OFFLINE_JUDGE_NAME);
    expect(r.checks.every((c) => c.passed)).toBe(true);
    expect(r.score.passed).toBe(true);
    expect(r.score.efficiency).toBe(100);
    expect(r.score.score).toBe(10 * r.judge.quality);
  });

  it("fails the starting prompt, which scores below the reference", () => {
    const start = grade(exercise.starting_prompt);
    const ref = grade(exercise.reference_solution);
    expect(start.score.passed).toBe(false);
    expect(start.checks.find((c) => c.id === "token-budget")?.passed).toBe(false);
    expect(start.score.score).toBeLessThan(ref.score.score);
    expect(start.cost.monthlySavingsMicros).toBe(0);
  });

  it("fails a short prompt that misses requirements, below any passing score", () => {
    const short = grade("Classify: {{input}}");
    expect(short.score.passed).toBe(false);
    expect(short.score.score).toBeLessThan(5 * exercise.pass_mark);
  });

  it("fails a keyword list and scores it 0", () => {
    const r = grade("classify billing technical account label only\n{{input}}");
    expect(r.judge.gaming.keywordList).toBe(true);
    expect(r.score.passed).toBe(false);
    expect(r.score.score).toBe(0);
  });

  it("prices baseline and par on the exercise's model, so a cheaper tier saves money", () => {
    const onNano = grade(exercise.reference_solution, { model: nano, baselineModel: mini });
    const onMini = grade(exercise.reference_solution);
    expect(onNano.cost.baselineMonthlyMicros).toBe(onMini.cost.baselineMonthlyMicros);
    expect(onNano.cost.monthlyMicros).toBeLessThan(onMini.cost.monthlyMicros);
    expect(onNano.model.id).toBe("gpt-4.1-nano");
    const wordy =
      "Read the customer support ticket shown below and classify it as billing, technical or account. Reply with the label only.\n{{input}}";
    expect(grade(wordy, { model: nano, baselineModel: mini }).score.costEfficiency).toBeGreaterThan(
      grade(wordy).score.costEfficiency,
    );
  });
});

describe("averageInputTokens / expectedOutputTokens", () => {
  it("averages the test inputs, rounded, and is 0 with none", () => {
    expect(averageInputTokens([{ input: "a b" }, { input: "a b c" }], words)).toBe(3);
    expect(averageInputTokens([], words)).toBe(0);
  });

  it("uses the target reply size only when the prompt states a format", () => {
    const output = { baseline: 50, target: 1, target_when: [["yes or no"], ["only", "just"]] };
    expect(expectedOutputTokens("Answer yes or no only.", output)).toBe(1);
    expect(expectedOutputTokens("Answer yes or no, and explain.", output)).toBe(50);
    expect(expectedOutputTokens("Tell me about it.", output)).toBe(50);
    expect(expectedOutputTokens("Answer yes or no only.", { baseline: 50, target: 1 })).toBe(50);
  });
});
