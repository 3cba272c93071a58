import type { CheckResult } from "./checks";

/**
 * The score of an attempt, 0–1000. One formula, shown to the learner factor by factor.
 *
 * Gates (all must hold to pass): every required check passes, every `must` requirement is met
 * (neither missing nor contradicted), no gaming was detected, and the quality Q (0–100) reaches the
 * exercise's pass mark.
 *
 * Token efficiency Et = 100 × clamp((ln B − ln T) / (ln B − ln P), 0, 1), with T the prompt's
 *   tokens, B the starting prompt's (the baseline) and P the expert target (par). A log scale makes
 *   every halving worth the same, whether from 800 to 400 tokens or from 100 to 50; par or better
 *   is 100, the baseline or worse is 0. Values below 1 count as 1 (so zero tokens is simply "at or
 *   under par"); if B ≤ P the exercise has no room to improve, and B is taken as 2P.
 * Cost efficiency Ec is the same formula on cost (at any fixed number of calls). Cost carries the
 *   model's prices, so this is where choosing a cheaper model tier pays. A free model (baseline cost
 *   0) has no cost signal, and Ec = Et.
 * Efficiency E = round((Et + Ec) / 2).
 *
 * Passed:     score = round(10 × Q × (0.5 + 0.5 × E / 100))   — from 5 × pass mark up to 1000.
 * Not passed: score = min(round(5 × Q), ⌈5 × pass mark⌉ − 1) × S ÷ 2^n   — efficiency is dropped, and the
 *   score stays below the smallest passing score, so a short prompt that fails can never outscore one
 *   that passes. n is the number of essential requirements missing or contradicted: each one halves
 *   the score, so a prompt that breaks the task ranks below one that does the task at too great a
 *   length, and one that breaks three essentials below one that breaks one. A failing score keeps
 *   what the prompt does of the job, so it is 0 when the prompt does none of it:
 *   - gaming (a list of terms, text addressed to the grader): it instructs nothing;
 *   - no `{{input}}`: the model never sees the ticket, review or chat it is to work on;
 *   - no line orders the exercise's job at all (only its rules are named), or the prompt opens by ordering
 *     another job in its place (a newsletter, a caption, a SQL query where the brief asks for subject lines).
 *   For the same reason a failing score is scaled by the share S of the prompt's words that stand in sentences (an
 *   order or statement with its verb and grammar words): terms piled up after a broken-off line or listed one per line
 *   name what the grader looks for and tell the model nothing, so they keep none of the score.
 *   Quality (Q) is the judge's share of requirements covered: a prompt that names the requirements
 *   without doing the job can reach a high Q, which is why these three do not count it.
 */

export interface ScoreInput {
  quality: number;
  passMark: number;
  checks: CheckResult[];
  gamingDetected: boolean;
  /** The prompt passes the model its input (`{{input}}`); default true. */
  takesInput?: boolean;
  /** The prompt orders the exercise's job, not none and not another in its place (the judge's reading); default true. */
  taskOrdered?: boolean;
  /**
   * 0–1, default 1: the share of the prompt's words that stand in sentences, not in heaps of terms (the judge's
   * reading, sentence-share.ts). A failing score is scaled by it.
   */
  sentenceShare?: number;
  /** The exercise's essential (`must`) requirements the prompt misses or contradicts, in the brief's words. */
  mustFailures?: readonly string[];
  promptTokens: number;
  baselineTokens: number;
  parTokens: number;
  /** Cost of the prompt at any fixed number of calls; baseline and par in the same unit. */
  costMicros: number;
  baselineCostMicros: number;
  parCostMicros: number;
  difficulty: number;
}

export interface ScoreBreakdown {
  passed: boolean;
  gates: { name: string; passed: boolean; detail: string }[];
  quality: number;
  tokenEfficiency: number;
  costEfficiency: number;
  efficiency: number;
  score: number;
  maxScore: number;
  formula: string;
  factors: { name: string; value: string; explanation: string }[];
}

export const MAX_SCORE = 1000;

export const SCORE_FORMULA = [
  "Pass = every required check passes, every essential requirement is met, no gaming, and Q ≥ pass mark.",
  "Et = 100 × clamp((ln baseline tokens − ln tokens) / (ln baseline tokens − ln par tokens), 0, 1)",
  "Ec = the same on cost at the model's prices",
  "E = round((Et + Ec) / 2)",
  "Passed: score = round(10 × Q × (0.5 + 0.5 × E / 100))",
  "Not passed: score = min(round(5 × Q), 5 × pass mark − 1) × S (the share of words in sentences, not heaps of terms), halved for each essential requirement missing or contradicted; 0 when gaming, without {{input}}, or when the prompt orders another job or none: always below any passing score.",
].join("\n");

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** 0–100 (unrounded): where `value` sits between `baseline` (0) and `par` (100) on a log scale. */
export function logEfficiency(value: number, baseline: number, par: number): number {
  const v = Math.max(1, value);
  const p = Math.max(1, par);
  const b = Math.max(1, baseline) <= p ? 2 * p : Math.max(1, baseline);
  return 100 * clamp((Math.log(b) - Math.log(v)) / (Math.log(b) - Math.log(p)), 0, 1);
}

/** The lowest score a passing attempt can get; every failing attempt scores below it. */
export function passingFloor(passMark: number): number {
  return Math.max(0, Math.ceil(5 * passMark));
}

function percentOf(value: number, baseline: number): string {
  if (baseline <= 0) return "n/a";
  const pct = (value / baseline) * 100;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

export function scoreAttempt(input: ScoreInput): ScoreBreakdown {
  const q = clamp(Math.round(Number.isFinite(input.quality) ? input.quality : 0), 0, 100);
  const et = logEfficiency(input.promptTokens, input.baselineTokens, input.parTokens);
  const freeModel = input.baselineCostMicros <= 0;
  const ec = freeModel ? et : logEfficiency(input.costMicros, input.baselineCostMicros, input.parCostMicros);
  const e = Math.round((et + ec) / 2);

  const failedChecks = input.checks.filter((c) => c.required && !c.passed);
  const requiredCount = input.checks.filter((c) => c.required).length;
  const gates = [
    {
      name: "Required checks pass",
      passed: failedChecks.length === 0,
      detail:
        failedChecks.length > 0
          ? `failed: ${failedChecks.map((c) => c.label).join("; ")}`
          : requiredCount === 0
            ? "this exercise has no required checks"
            : `all ${requiredCount} required check${requiredCount === 1 ? "" : "s"} pass`,
    },
    {
      name: "Essential requirements met",
      passed: (input.mustFailures ?? []).length === 0,
      detail:
        (input.mustFailures ?? []).length === 0
          ? "every requirement the brief calls essential is instructed"
          : `missing or contradicted: ${(input.mustFailures ?? []).join("; ")}`,
    },
    {
      name: "No gaming",
      passed: !input.gamingDetected,
      detail: input.gamingDetected
        ? "the prompt lists terms instead of instructing, or addresses whoever grades it"
        : "the prompt is written for the model, not the judge",
    },
    {
      name: "Quality reaches the pass mark",
      passed: q >= input.passMark,
      detail: `quality ${q} ${q >= input.passMark ? "≥" : "<"} pass mark ${input.passMark}`,
    },
  ];
  const passed = gates.every((g) => g.passed);
  const multiplier = 0.5 + (0.5 * e) / 100;
  const floor = passingFloor(input.passMark);
  const mustMissed = (input.mustFailures ?? []).length;
  const mustFailed = mustMissed > 0;
  const failing = Math.max(0, Math.min(Math.round(5 * q), floor - 1));
  // What a failing prompt does none of the job with: see the formula above.
  const nothing = input.gamingDetected
    ? "Gaming the judge scores 0."
    : input.takesInput === false
      ? "Without {{input}} the model never sees what it is to work on: the prompt does none of the job, so it scores 0."
      : input.taskOrdered === false
        ? "The prompt orders another job than this exercise's, or none (naming its rules is not asking for it), so it scores 0."
        : null;
  const share = clamp(Number.isFinite(input.sentenceShare) ? (input.sentenceShare as number) : 1, 0, 1);
  const score = passed
    ? Math.round(10 * q * multiplier)
    : nothing
      ? 0
      : Math.floor((failing * share) / 2 ** mustMissed);

  const scaled = share < 1 ? " × S" : "";
  const factors = [
    {
      name: "Quality (Q)",
      value: `${q} / 100`,
      explanation: "The judge's weighted verdict on the requirements, minus waste.",
    },
    { name: "Pass mark", value: `${input.passMark}`, explanation: "Q must reach this (and every gate hold) to pass." },
    {
      name: "Prompt tokens",
      value: `${input.promptTokens} (starting prompt ${input.baselineTokens}, par ${input.parTokens})`,
      explanation: "Tokens sent on every call, before the test input is added.",
    },
    {
      name: "Token efficiency (Et)",
      value: `${Math.round(et)} / 100`,
      explanation:
        "0 at the starting prompt's length, 100 at par or shorter, on a log scale: each halving counts the same.",
    },
    {
      name: "Cost efficiency (Ec)",
      value: `${Math.round(ec)} / 100`,
      explanation: freeModel
        ? "The model is free, so cost efficiency follows token efficiency."
        : `Cost is ${percentOf(input.costMicros, input.baselineCostMicros)} of the starting prompt's (par ${percentOf(input.parCostMicros, input.baselineCostMicros)}); the same log scale, so a cheaper model tier earns it too.`,
    },
    { name: "Efficiency (E)", value: `${e} / 100`, explanation: "The mean of Et and Ec." },
    {
      name: "Efficiency multiplier",
      value: passed ? `× ${multiplier.toFixed(2)}` : "not applied",
      explanation: passed
        ? "0.5 + 0.5 × E / 100: a passing prompt at par earns the full score, a passing but bloated one half."
        : "Efficiency only counts once the attempt passes: a short prompt that fails earns nothing for being short.",
    },
    {
      name: "Difficulty",
      value: `${input.difficulty} / 5`,
      explanation: "Not part of this score; leaderboards use it to compare across exercises.",
    },
    {
      name: "Score",
      value: `${score} / ${MAX_SCORE}`,
      explanation: passed
        ? "round(10 × Q × multiplier)."
        : nothing
          ? nothing
          : `${
              mustFailed
                ? `min(round(5 × Q), ${floor - 1})${scaled} ÷ ${2 ** mustMissed}: ${mustMissed === 1 ? "an essential requirement is" : `${mustMissed} essential requirements are`} missing or contradicted, and each one halves the score.`
                : `min(round(5 × Q), ${floor - 1})${scaled}: kept below the lowest passing score (${floor}).`
            }${share < 1 ? ` S = ${share.toFixed(2)}: the share of the prompt's words in sentences; piled-up terms instruct nothing and keep none of the score.` : ""}`,
    },
  ];

  return {
    passed,
    gates,
    quality: q,
    tokenEfficiency: Math.round(et),
    costEfficiency: Math.round(ec),
    efficiency: e,
    score,
    maxScore: MAX_SCORE,
    formula: SCORE_FORMULA,
    factors,
  };
}
