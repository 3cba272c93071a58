import type { RubricCriterion } from "../exercise";
import type { OfflineVerdict } from "../offline-judge";
import { failedRequiredChecks, type OutputCheckResult } from "../output-checks";
import { detectJudgeInjection } from "./injection";
import { JUDGE_PROMPT_VERSION } from "./prompt";
import type { CriterionVerdict } from "./verdict";

/**
 * From per-output verdicts to the attempt's quality, and the report the result page shows.
 *
 * Per test input: q = 100 × Σ(weight × score) / (10 × Σ weight), the judge's 0–10 scores weighted by
 * the rubric. An output that tries to instruct the grader gets 0 on every criterion (whatever the
 * judge said); an output that failed a required output check was never judged and gets 0.
 * Quality Q = round(mean of q over the test inputs).
 */

export const QUALITY_FORMULA = [
  "Per test input: q = 100 × Σ(weight × score) / (10 × Σ weight), the judge's 0–10 scores weighted by the rubric.",
  "An output that failed a required output check is not judged and gets q = 0.",
  "An output that tries to instruct the grader gets 0 on every criterion (q = 0), and the attempt is gated as gaming.",
  "Q = round(mean of q over the test inputs).",
].join("\n");

export type PenaltyName = "judge-injection" | "failed-required-check" | "not-judged";

export interface InputReport {
  /** The test input's name. */
  name: string;
  output: string;
  outputTokens: number;
  checks: OutputCheckResult[];
  /** The verdicts counted, in rubric order: the judge's, or all zeros under a judge-injection penalty; null when not judged. */
  verdicts: CriterionVerdict[] | null;
  /** Evidence of an attempt to instruct the grader, or null. */
  injection: string | null;
  /** Why the judge was not called for this output, or null. */
  skippedReason: string | null;
  penalty: { name: PenaltyName; detail: string } | null;
  /** 0–100, rounded for display; the overall quality averages the unrounded values. */
  quality: number;
}

/** What is stored with an attempt graded live: JSON-serialisable, shown on the result page. */
export interface JudgeReport {
  version: typeof JUDGE_PROMPT_VERSION;
  /** The model that graded the outputs (catalogue id), e.g. "gpt-4o-mini". */
  judgeModel: string;
  /** The model whose outputs were graded. */
  targetModel: string;
  rubric: { id: string; criterion: string; weight: number }[];
  inputs: InputReport[];
  /** 0–100, integer. */
  quality: number;
  /** How many outputs tried to instruct the grader. */
  injections: number;
  formula: string;
}

export type JudgedOutput = {
  testInput: { name: string; input: string };
  output: string;
  outputTokens: number;
  checks: OutputCheckResult[];
} & ({ verdicts: CriterionVerdict[] } | { verdicts: null; skippedReason: string });

/**
 * detectJudgeInjection of an output, remembered for the last outputs seen: the job layer asks judgeSkipReason before
 * the judge call and scoreOutputs after it, of the same texts (its regexes were ~2.5% of the grading worker's main thread, run
 * twice per output). Pure, so a remembered finding is the finding.
 */
const injections = new Map<string, string | null>();
const INJECTIONS_KEPT = 256;

function injectionIn(output: string, testInput: string | undefined): string | null {
  const key = `${testInput ?? ""}\u0000${output}`;
  const known = injections.get(key);
  if (known !== undefined) return known;
  const found = detectJudgeInjection(output, { testInput });
  if (injections.size >= INJECTIONS_KEPT) injections.clear();
  injections.set(key, found);
  return found;
}

/**
 * Why this output should not be sent to the judge (a known 0: no money spent on it), or null when
 * it should. The job layer calls this after the target run and passes the reason to scoreOutputs.
 */
export function judgeSkipReason(
  output: string,
  checks: readonly OutputCheckResult[],
  testInput?: { input: string },
): string | null {
  const failed = failedRequiredChecks(checks);
  if (failed.length > 0)
    return `Not judged: required output check${failed.length === 1 ? "" : "s"} failed: ${failed
      .map((c) => `${c.label} (${c.detail})`)
      .join("; ")}.`;
  const injection = injectionIn(output, testInput?.input);
  if (injection) return `Not judged: the output tries to instruct the grader ("${injection}").`;
  return null;
}

function weightedQuality(rubric: readonly RubricCriterion[], verdicts: readonly CriterionVerdict[]): number {
  const byId = new Map(verdicts.map((v) => [v.criterion, v]));
  const total = rubric.reduce((s, c) => s + c.weight, 0);
  if (total <= 0) return 0;
  const got = rubric.reduce((s, c) => s + c.weight * Math.min(10, Math.max(0, byId.get(c.id)?.score ?? 0)), 0);
  return (100 * got) / (10 * total);
}

function zeroVerdicts(rubric: readonly RubricCriterion[], reason: string): CriterionVerdict[] {
  return rubric.map((c) => ({ criterion: c.id, pass: false, score: 0, reason, passOverridden: false }));
}

function scoreOne(rubric: readonly RubricCriterion[], o: JudgedOutput): { report: InputReport; exact: number } {
  const injection = injectionIn(o.output, o.testInput.input);
  const failed = failedRequiredChecks(o.checks);
  const skippedReason = o.verdicts === null ? o.skippedReason : null;
  const base = {
    name: o.testInput.name,
    output: o.output,
    outputTokens: o.outputTokens,
    checks: o.checks,
    injection,
    skippedReason,
  };

  if (injection) {
    const detail = `The output tries to instruct the grader ("${injection}"): 0 on every criterion.`;
    return {
      report: {
        ...base,
        verdicts: zeroVerdicts(rubric, `Penalised: ${detail}`),
        penalty: { name: "judge-injection", detail },
        quality: 0,
      },
      exact: 0,
    };
  }
  if (failed.length > 0 || o.verdicts === null) {
    const penalty =
      failed.length > 0
        ? {
            name: "failed-required-check" as const,
            detail: `Required output check failed: ${failed.map((c) => c.label).join("; ")}.`,
          }
        : { name: "not-judged" as const, detail: skippedReason ?? "The output was not judged." };
    // A judge verdict on an output that failed a required check would not count anyway; it is not shown.
    return { report: { ...base, verdicts: null, penalty, quality: 0 }, exact: 0 };
  }
  const exact = weightedQuality(rubric, o.verdicts);
  return { report: { ...base, verdicts: o.verdicts, penalty: null, quality: Math.round(exact) }, exact };
}

export function scoreOutputs(args: {
  rubric: readonly RubricCriterion[];
  judgeModel: string;
  targetModel: string;
  outputs: readonly JudgedOutput[];
}): JudgeReport {
  const scored = args.outputs.map((o) => scoreOne(args.rubric, o));
  const mean = scored.length === 0 ? 0 : scored.reduce((s, x) => s + x.exact, 0) / scored.length;
  return {
    version: JUDGE_PROMPT_VERSION,
    judgeModel: args.judgeModel,
    targetModel: args.targetModel,
    rubric: args.rubric.map((c) => ({ id: c.id, criterion: c.criterion, weight: c.weight })),
    inputs: scored.map((x) => x.report),
    quality: Math.round(mean),
    injections: scored.filter((x) => x.report.injection !== null).length,
    formula: QUALITY_FORMULA,
  };
}

// ---------------------------------------------------------------------------------------------
// Live quality and the offline judge
// ---------------------------------------------------------------------------------------------

export interface CombinedQuality {
  /** The quality that goes into scoreAttempt: the LLM judge's. */
  quality: number;
  /** Pass to scoreAttempt's `gamingDetected`. */
  gamingDetected: boolean;
  /** Shown beside the live quality, not counted. */
  offlineQuality: number;
  reasons: string[];
  rule: string;
}

export const COMBINE_RULE = [
  "Live grading: quality is the LLM judge's quality of the real outputs; the offline judge's requirement coverage is shown as feedback but no longer counts.",
  "Gaming still gates: a prompt the offline judge finds instructing the grader, or any output that instructs the grader, fails the attempt (score 0).",
  "The offline keyword-list cap does not apply: it guards the offline judge, which reads only the prompt; the LLM judge grades what the prompt produced.",
].join("\n");

export function combineQuality(
  llm: Pick<JudgeReport, "quality" | "injections">,
  offline: Pick<OfflineVerdict, "quality" | "gaming">,
): CombinedQuality {
  const reasons: string[] = [];
  if (offline.gaming.injection)
    reasons.push(
      `The prompt addresses the grader ("${offline.gaming.injection}"). Write for the model, not the judge.`,
    );
  if (llm.injections > 0)
    reasons.push(
      `${llm.injections} output${llm.injections === 1 ? "" : "s"} tried to instruct the grader; the prompt must not make the model talk to the judge.`,
    );
  return {
    quality: Math.max(0, Math.min(100, Math.round(llm.quality))),
    gamingDetected: reasons.length > 0,
    offlineQuality: offline.quality,
    reasons,
    rule: COMBINE_RULE,
  };
}
