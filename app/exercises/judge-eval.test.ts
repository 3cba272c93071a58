import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countTokens } from "~/.server/tokenizer.server";
import { gradePrompt } from "~/domain/grade";
import {
  type EvalCase,
  type EvalOutcome,
  type ExerciseReport,
  formatReport,
  gradeCase,
  loadEvalSet,
  summarise,
} from "./judge-eval.server";
import { loadContent, loadModelCatalogue } from "./load.server";

/**
 * The offline judge on its labelled evaluation set (issue "Grades people can trust"). The targets: good
 * rewrites pass ≥ 90%, flawed ≤ 5%, gaming, reversed rules and grader-addressed prompts never, every starting
 * prompt fails, and a correct bloated prompt outscores any failing gaming one; issue 14: for every exercise.
 *
 * - tune/ (writers A–I and the earlier fair rewrites; N1–N6 for the twenty exercises of the new courses): every set
 *   in it has been looked at, so it is where the judge and the requirements are tuned. Every exercise meets every
 *   target but the misses listed in TUNE_KNOWN_MISSES, which may only go down (a ratchet: lower a count when a fix
 *   removes a miss; never raise one).
 * - holdout/ (written blind from the learner's view and never tuned on; see test/judge-eval/README.md for each
 *   writer's figures): HOLDOUT_FLOORS hold the figures it was first graded at, per exercise.
 */

/**
 * Per exercise, every wrong verdict on tune/: good prompts failing, flawed and gaming prompts passing, and
 * `bloated: true` where a bloated prompt does not outscore a failing gaming one. Measured when writers I and N3–N6
 * moved to tune/ (2026-12-06 05:25: good 1,015/1,048, flawed 18/922, gaming 1/920), then when writers R1–R3 (`.r1`–`.r3`,
 * 600 prompts with 10 flawed per exercise, most of them reversed rules in other words) were added and the breakers
 * tuned on them (09:36: good 1,207/1,228, flawed 3/1,222, gaming 2/980; 10:10, with the reading of one-term-per-line columns: gaming 1/980). An exercise not listed has none.
 *
 * What R1–R3 left (first look: good 150/180, flawed 71/300, gaming 1/60; after: 160/180, 3/300, 1/60), and why it stays:
 * - good: wordings the phrase lists cannot take without letting reversals through, or that the judge's reading gets
 *   wrong (the label SKIP read as the verb "skip"; a "no" read over a comma list: "no charge on Unlimited, £2.25 a day
 *   on all other plans"; a declarative "The reply is ..." spec); see the branch's report.
 * - flawed: compact-spec and meeting-action-items rename the pipeline's rule names or fields (nothing in the
 *   requirements names them); json-not-prose asks for a best guess inside parentheses, which the reading skips.
 * - gaming: a truncated instruction followed by the checks' keywords reads as an instruction (subject-lines).
 * - bloated: R's failing gaming prompts score 175–199, above the older sets' most wasteful bloated prompts.
 */
type Misses = { good?: number; flawed?: number; gaming?: number; bloated?: true };
const TUNE_KNOWN_MISSES: Record<string, Misses> = {
  "batch-the-reviews": { good: 2 }, // R2
  "bounded-output": { good: 2, bloated: true }, // R1
  "cache-friendly-prefix": { bloated: true },
  "cite-dont-quote": { bloated: true }, // R2's gaming
  "compact-spec": { flawed: 1, bloated: true }, // flawed: R2 (rule names)
  "compress-long-context": { bloated: true }, // R2's gaming
  "few-shot-diet": { bloated: true }, // R1's gaming
  "json-not-prose": { good: 2, flawed: 1 }, // R1: one good, the flawed
  "keep-the-safety-rules": { good: 2 }, // R1
  "meeting-action-items": { good: 3, flawed: 1 }, // R3
  "profile-last": { good: 1 }, // R3
  "redact-on-nano": { good: 2, bloated: true }, // R1
  "rerank-top-three": { good: 1, bloated: true }, // R3
  "reusable-answers": { good: 1 }, // R3
  "route-to-nano": { good: 1 }, // R1
  "subject-lines-no-preamble": { good: 3, gaming: 1, bloated: true }, // R3: the goods, its truncated gaming, the bloated
  "summarise-chat-history": { good: 1 }, // R3
};

/**
 * The holdout's floors per exercise (good passed at least, flawed and gaming passed at most, of 6 each): writers J
 * (`.j`, the ten first exercises) and N9, N10 (`.n9`, `.n10`, the twenty new ones), written blind on 2026-12-06 and
 * graded twice, never tuned on: at 05:20 before the day's work on the judge and the requirements, and at 07:12 after
 * it. These are the 07:12 figures, tightened at 10:10 where the day's later work (the breakers tuned on R1–R3, the
 * reading of forbidding labels, "unless", parentheses) did better (flawed passes on five exercises, a good one on
 * frontier-worth-it). Two floors went DOWN at 10:10, on purpose and not tuned away: the breakers added for R1–R3's
 * reversals cost one held-out good prompt each on meeting-action-items and reusable-answers (found by this test;
 * fixing it by reading the held-out prompts would have spoilt them). The issue's targets per exercise (good ≥ 90%:
 * 6 of 6; flawed ≤ 5%: 0 of 6) are not met on every exercise: test/judge-eval/README.md lists each exercise's figures.
 */
const HOLDOUT_FLOORS: Record<string, { good: number; flawed: number; gaming: number; bloatedAboveGaming: boolean }> = {
  "batch-the-reviews": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "bounded-output": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "byte-identical-template": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "cache-friendly-prefix": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "cascade-escalate": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "cite-dont-quote": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "closed-enumerations": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "compact-spec": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "compact-tool-descriptions": { good: 5, flawed: 2, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "compress-long-context": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "compress-ticket-summary": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "contract-fields-null": { good: 5, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "cut-unused-context": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "drop-the-reasoning": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "few-shot-diet": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: false }, // of 6/6/6
  "frontier-worth-it": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "grounded-docs-assistant": { good: 4, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "json-not-prose": { good: 4, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "keep-the-safety-rules": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "line-items-stop-rule": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "meeting-action-items": { good: 4, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "normalise-for-semantic-cache": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "profile-last": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "prune-retrieved-passages": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "redact-on-nano": { good: 6, flawed: 1, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "rerank-top-three": { good: 5, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "reusable-answers": { good: 4, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "route-to-nano": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "subject-lines-no-preamble": { good: 6, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
  "summarise-chat-history": { good: 3, flawed: 0, gaming: 0, bloatedAboveGaming: true }, // of 6/6/6
};

const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
const models = new Map(loadModelCatalogue().map((m) => [m.id, m]));

/** The cases of a set, by exercise; an unknown exercise is an error of the set's file. */
function casesOf(set: string): Map<string, EvalCase[]> {
  const dir = `test/judge-eval/${set}`;
  const bySlug = new Map<string, EvalCase[]>();
  if (!existsSync(dir)) return bySlug;
  for (const c of loadEvalSet(dir)) {
    if (!exercises.has(c.exercise)) throw new Error(`${c.file}: no exercise "${c.exercise}"`);
    bySlug.set(c.exercise, [...(bySlug.get(c.exercise) ?? []), c]);
  }
  return bySlug;
}

/** One exercise's report: its cases graded, and its starting prompt. */
function grade(slug: string, cases: EvalCase[]): ExerciseReport {
  const exercise = exercises.get(slug);
  const model = exercise && models.get(exercise.model);
  if (!exercise || !model) throw new Error(`no exercise or model for ${slug}`);
  const outcomes: EvalOutcome[] = cases.map((c) => gradeCase(c, exercise, model));
  const start = gradePrompt({
    prompt: exercise.starting_prompt,
    exercise,
    model,
    countTokens: (t) => countTokens(t, model.encoding),
  });
  const [report] = summarise(outcomes, new Map([[slug, start.score.passed]]));
  return report;
}

/** What an exercise's report misses of the targets, as counts: the shape of TUNE_KNOWN_MISSES. */
function missCounts(r: ExerciseReport): Required<Omit<Misses, "bloated">> & { bloated: boolean } {
  const { good, flawed, gaming } = r.counts;
  return {
    good: good.total - good.passed,
    flawed: flawed.passed,
    gaming: gaming.passed,
    bloated: r.minBloated !== null && r.maxFailingGaming !== null && r.minBloated <= r.maxFailingGaming,
  };
}

// One test per exercise, each starting with a turn of the event loop: the runner's messages to its main process wait
// for one, and grading several thousand prompts in one go made them time out ("Timeout calling onTaskUpdate").
const yieldToRunner = () => new Promise((resolve) => setImmediate(resolve));
const tune = casesOf("tune");
const holdout = casesOf("holdout");

describe("the offline judge on the tune set: every target but each exercise's known misses, which only go down", () => {
  it.each([...exercises.keys()])("%s", { timeout: 60_000 }, async (slug) => {
    await yieldToRunner();
    const cases = tune.get(slug) ?? [];
    // At least 20 labelled prompts for every exercise, or the figures prove nothing.
    expect(cases.length, `tune prompts for ${slug}`).toBeGreaterThanOrEqual(20);
    const r = grade(slug, cases);
    const report = `\n${formatReport([r])}`;
    const known = TUNE_KNOWN_MISSES[slug] ?? {};
    const got = missCounts(r);
    expect(r.startingPromptPasses, `${slug}: starting prompt`).toBe(false);
    expect(got.good, `${slug}: good tune prompts failing${report}`).toBeLessThanOrEqual(known.good ?? 0);
    expect(got.flawed, `${slug}: flawed tune prompts passing${report}`).toBeLessThanOrEqual(known.flawed ?? 0);
    expect(got.gaming, `${slug}: gaming tune prompts passing${report}`).toBeLessThanOrEqual(known.gaming ?? 0);
    if (!known.bloated) expect(got.bloated, `${slug}: bloated vs gaming${report}`).toBe(false);
  });
});

describe.skipIf(holdout.size === 0)(
  "the offline judge on the holdout set: each exercise at or above its floors",
  () => {
    it("has floors for exactly the holdout's exercises", () => {
      expect([...holdout.keys()].sort()).toEqual(Object.keys(HOLDOUT_FLOORS).sort());
    });
    it.each([...holdout.keys()])("%s", { timeout: 60_000 }, async (slug) => {
      await yieldToRunner();
      const r = grade(slug, holdout.get(slug) ?? []);
      const report = `\n${formatReport([r])}`;
      const floor = HOLDOUT_FLOORS[slug];
      const { good, flawed, gaming } = r.counts;
      expect(good.passed, `${slug}: good${report}`).toBeGreaterThanOrEqual(floor.good);
      expect(flawed.passed, `${slug}: flawed${report}`).toBeLessThanOrEqual(floor.flawed);
      expect(gaming.passed, `${slug}: gaming${report}`).toBeLessThanOrEqual(floor.gaming);
      expect(r.startingPromptPasses, `${slug}: starting prompt`).toBe(false);
      if (floor.bloatedAboveGaming && r.minBloated !== null && r.maxFailingGaming !== null)
        expect(r.minBloated, `${slug}: bloated vs gaming${report}`).toBeGreaterThan(r.maxFailingGaming);
    });
  },
);
