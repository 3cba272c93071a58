import { eq } from "drizzle-orm";
import { z } from "zod";
import { courses, exercises, exerciseVersions, models } from "#db/schema";
import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, gradePrompt } from "~/domain/grade";
import {
  buildJudgeMessages,
  type ChatMessage,
  combineQuality,
  type JudgedOutput,
  judgeSkipReason,
  judgeWithRepair,
  parseJudgeVerdict,
  scoreOutputs,
} from "~/domain/llm-judge";
import type { ModelInfo } from "~/domain/models";
import { runOutputChecks } from "~/domain/output-checks";
import { MAX_SCORE, scoreAttempt } from "~/domain/scoring";
import { parseExerciseText } from "~/exercises/load.server";
import type { FieldErrors } from "~/lib/forms";
import { reserve, settle } from "../budgets";
import type { Config } from "../config";
import type { Db, DbLike } from "../db";
import { callModel, estimateGradingCost, JUDGE_MAX_OUTPUT_TOKENS, targetMaxTokens } from "../grading/model-call";
import type { PipelineContext } from "../grading/pipeline";
import type { CallTags } from "../ledger";
import { getModel } from "../models";
import { providerModelFor } from "../providers";
import { countTokens } from "../tokenizer.server";

/**
 * Calibration before publishing: grades an exercise's starting prompt, its reference solution and
 * the instructor's sample prompts by the offline judge and, when a provider is configured, by the
 * LLM judge (the same target run, output checks, judge and score as a learner's live attempt), and
 * warns when the exercise would grade unfairly. LLM calls are previews: each is written to the
 * ledger with purpose "preview" and the instructor's tags, and the whole run is reserved against
 * the instructor's team (and department) budget before the first call.
 */

/**
 * How far apart the reference solution and the starting prompt must be, per judge, for an exercise
 * to tell a good rewrite from the wasteful original: 300 of the 1,000 score points, and 20 of the 100
 * quality points. The score gap alone is not enough: a passing prompt gets at least 5 × pass mark
 * and a failing one less, so two prompts either side of the pass mark can be 300 points apart while
 * their quality differs by a hair; the quality gap catches that.
 */
export const CALIBRATION_SCORE_MARGIN = 300;
export const CALIBRATION_QUALITY_MARGIN = 20;

export const MAX_SAMPLES = 20;
export const MAX_SAMPLE_CHARS = 20_000;
/** An exercise file is a few kilobytes; this only stops a runaway paste. */
export const MAX_DRAFT_CHARS = 200_000;

export type Expectation = "pass" | "fail";

export interface SampleExpectation {
  expect: Expectation;
  /** Inclusive bounds on the score (0–1000) the instructor expects, when given. */
  minScore?: number;
  maxScore?: number;
}

export interface Sample extends SampleExpectation {
  prompt: string;
}

export interface JudgeScore {
  passed: boolean;
  /** 0–1000. */
  score: number;
  /** 0–100. */
  quality: number;
}

export type PromptRole = "starting" | "reference" | "sample";
export type JudgeKind = "offline" | "llm";

/** What calibrationWarnings needs of one graded prompt. */
export interface GradedPrompt {
  role: PromptRole;
  label: string;
  offline: JudgeScore;
  /** Null when the LLM judge did not grade this prompt (no provider, budget, or a failed call). */
  llm: JudgeScore | null;
}

export type WarningCode = "starting-passes" | "reference-fails" | "narrow-margin" | "sample-disagrees";

export interface CalibrationWarning {
  code: WarningCode;
  judge: JudgeKind;
  message: string;
}

export interface Agreement {
  judge: JudgeKind;
  agreed: number;
  total: number;
  /** Whole percent, rounded down, so 2 of 3 shows 66%. */
  percent: number;
  text: string;
}

const JUDGE_NAME: Record<JudgeKind, string> = { offline: "offline judge", llm: "LLM judge" };

const grade = (s: JudgeScore) => `${s.passed ? "passes" : "fails"} (score ${s.score}, quality ${s.quality})`;

function inRange(score: number, sample: SampleExpectation): boolean {
  return (
    (sample.minScore === undefined || score >= sample.minScore) &&
    (sample.maxScore === undefined || score <= sample.maxScore)
  );
}

function describeExpectation(sample: SampleExpectation): string {
  const range =
    sample.minScore !== undefined && sample.maxScore !== undefined
      ? ` with a score from ${sample.minScore} to ${sample.maxScore}`
      : sample.minScore !== undefined
        ? ` with a score of at least ${sample.minScore}`
        : sample.maxScore !== undefined
          ? ` with a score of at most ${sample.maxScore}`
          : "";
  return `${sample.expect}${range}`;
}

/** Whether a judge graded a sample the way the instructor expected: pass/fail, and the score range if given. */
export function agreesWith(score: JudgeScore, sample: SampleExpectation): boolean {
  return score.passed === (sample.expect === "pass") && inRange(score.score, sample);
}

/**
 * The warnings of a calibration run, per judge, and the judges' agreement with the instructor.
 * `samples` are the expectations of the results whose role is "sample", in the same order.
 * Pure, so the rules are tested directly; the page shows what it returns.
 */
export function calibrationWarnings(
  results: readonly GradedPrompt[],
  samples: readonly SampleExpectation[],
): { warnings: CalibrationWarning[]; agreement: Agreement[] } {
  const warnings: CalibrationWarning[] = [];
  const agreement: Agreement[] = [];
  const starting = results.find((r) => r.role === "starting");
  const reference = results.find((r) => r.role === "reference");
  const sampleResults = results.filter((r) => r.role === "sample");

  for (const judge of ["offline", "llm"] as const) {
    const name = JUDGE_NAME[judge];
    const start = starting?.[judge] ?? null;
    const ref = reference?.[judge] ?? null;
    if (start?.passed)
      warnings.push({
        code: "starting-passes",
        judge,
        message: `The starting prompt passes under the ${name} (score ${start.score}, quality ${start.quality}): learners could submit it unchanged.`,
      });
    if (ref && !ref.passed)
      warnings.push({
        code: "reference-fails",
        judge,
        message: `The reference solution fails under the ${name} (score ${ref.score}, quality ${ref.quality}): a model answer must pass.`,
      });
    if (start && ref) {
      const scoreGap = ref.score - start.score;
      const qualityGap = ref.quality - start.quality;
      if (scoreGap < CALIBRATION_SCORE_MARGIN || qualityGap < CALIBRATION_QUALITY_MARGIN)
        warnings.push({
          code: "narrow-margin",
          judge,
          message:
            `Under the ${name} the reference solution is only ${scoreGap} points (quality ${qualityGap}) above the starting prompt; ` +
            `a fair exercise separates them by at least ${CALIBRATION_SCORE_MARGIN} points and ${CALIBRATION_QUALITY_MARGIN} quality.`,
        });
    }

    let agreed = 0;
    let total = 0;
    sampleResults.forEach((result, i) => {
      const score = result[judge];
      const expected = samples[i];
      if (!score || !expected) return;
      total++;
      if (agreesWith(score, expected)) {
        agreed++;
        return;
      }
      warnings.push({
        code: "sample-disagrees",
        judge,
        message: `${result.label}: you expected ${describeExpectation(expected)}; the ${name} ${grade(score)}.`,
      });
    });
    if (total > 0) {
      const percent = Math.floor((agreed * 100) / total);
      agreement.push({
        judge,
        agreed,
        total,
        percent,
        text: `${agreed} of ${total} sample${total === 1 ? "" : "s"} graded as you expected (${percent}%) by the ${name}.`,
      });
    }
  }
  return { warnings, agreement };
}

// ---------------------------------------------------------------------------------------------
// The form: a draft (optional) and repeated `sample` + `expect` (+ optional `min`, `max`) fields
// ---------------------------------------------------------------------------------------------

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const scoreBound = z.preprocess(
  blankToUndefined,
  z.coerce
    .number({ invalid_type_error: "must be a number" })
    .int("must be a whole number")
    .min(0, "must be at least 0")
    .max(MAX_SCORE, `must be at most ${MAX_SCORE}`)
    .optional(),
);

const sampleSchema = z
  .object({
    prompt: z.string().max(MAX_SAMPLE_CHARS, `is longer than ${MAX_SAMPLE_CHARS.toLocaleString("en-US")} characters`),
    expect: z.enum(["pass", "fail"], { errorMap: () => ({ message: 'needs an expected grade: "pass" or "fail"' }) }),
    minScore: scoreBound,
    maxScore: scoreBound,
  })
  .refine((s) => s.minScore === undefined || s.maxScore === undefined || s.minScore <= s.maxScore, {
    message: "is above the highest score",
    path: ["minScore"],
  });

const formSchema = z.object({
  draft: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(MAX_DRAFT_CHARS, `The draft is longer than ${MAX_DRAFT_CHARS.toLocaleString("en-US")} characters`)
      .optional(),
  ),
  samples: z.array(sampleSchema).max(MAX_SAMPLES, `At most ${MAX_SAMPLES} sample prompts can be calibrated at once`),
});

export interface CalibrationForm {
  draft?: string;
  samples: Sample[];
}

/**
 * Reads the calibration form. Rows whose sample text is blank are left out (the page always shows
 * an empty row to fill in); errors are keyed `sample.<row>` by the row as posted, so the page can
 * show each beside its field, and `samples` / `draft` for the form as a whole.
 */
export function parseCalibrationForm(
  form: FormData,
): { ok: true; data: CalibrationForm } | { ok: false; errors: FieldErrors } {
  const text = (v: FormDataEntryValue | undefined) => (typeof v === "string" ? v : undefined);
  const expects = form.getAll("expect");
  const mins = form.getAll("min");
  const maxs = form.getAll("max");
  const rows = form
    .getAll("sample")
    .map((sample, row) => ({
      row,
      fields: {
        prompt: text(sample) ?? "",
        expect: text(expects[row]),
        minScore: text(mins[row]),
        maxScore: text(maxs[row]),
      },
    }))
    .filter((r) => r.fields.prompt.trim() !== "");
  const parsed = formSchema.safeParse({
    draft: text(form.get("draft") ?? undefined),
    samples: rows.map((r) => r.fields),
  });
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  const fieldName: Record<string, string> = {
    prompt: "",
    expect: "",
    minScore: "lowest score ",
    maxScore: "highest score ",
  };
  for (const issue of parsed.error.issues) {
    const [top, index, field] = issue.path;
    if (top === "samples" && typeof index === "number") {
      const row = rows[index].row;
      errors[`sample.${row}`] ??= `Sample ${row + 1}: ${fieldName[String(field)] ?? ""}${issue.message}`;
    } else {
      errors[String(top ?? "form")] ??= issue.message;
    }
  }
  return { ok: false, errors };
}

// ---------------------------------------------------------------------------------------------
// What is calibrated: the exercise's current version, or a draft posted with the form
// ---------------------------------------------------------------------------------------------

/** A draft's error, line-numbered like the sync's (plain data, so it survives the trip to the page). */
export interface DraftError {
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface CalibrationSubject {
  exercise: ExerciseFile;
  source: { kind: "version"; version: number; status: string } | { kind: "draft" };
  /** For the ledger tags; null for a draft of an exercise that is not stored yet. */
  exerciseId: number | null;
  courseId: number | null;
}

/** The exercise as stored: its status and current version (whatever its status), or null when unknown. */
export function storedExercise(database: DbLike, slug: string) {
  return (
    database
      .select({
        id: exercises.id,
        courseId: exercises.courseId,
        status: exercises.status,
        version: exerciseVersions.version,
        content: exerciseVersions.content,
      })
      .from(exercises)
      .leftJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
      .where(eq(exercises.slug, slug))
      .get() ?? null
  );
}

/** 1-based line of a top-level key in YAML text (the catalogue errors point at it), else 1. */
function lineOfKey(text: string, key: string): number {
  const at = text.search(new RegExp(`^${key}\\s*:`, "m"));
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/** The one cross-file rule a lone draft can break that calibration depends on: its model must be in the catalogue. */
function catalogueErrors(database: DbLike, text: string, exercise: ExerciseFile): DraftError[] {
  const model = database.select({ tier: models.tier }).from(models).where(eq(models.id, exercise.model)).get();
  if (!model)
    return [
      {
        line: lineOfKey(text, "model"),
        column: 1,
        field: "model",
        message: `"${exercise.model}" is not in the model catalogue`,
      },
    ];
  if (model.tier !== exercise.tier)
    return [
      {
        line: lineOfKey(text, "tier"),
        column: 1,
        field: "tier",
        message: `must be "${model.tier}", the tier of ${exercise.model} in the model catalogue`,
      },
    ];
  return [];
}

/**
 * The exercise to calibrate: the posted draft when there is one (validated exactly like a file),
 * else the stored current version. Null when neither exists (the page answers 404).
 */
export function calibrationSubject(
  database: DbLike,
  slug: string,
  draft?: string,
): { ok: true; subject: CalibrationSubject } | { ok: false; errors: DraftError[] } | null {
  const stored = storedExercise(database, slug);
  if (draft !== undefined) {
    const parsed = parseExerciseText(draft, `${slug}.yaml`);
    if (!parsed.ok)
      return {
        ok: false,
        errors: parsed.errors.map((e) => ({ line: e.line, column: e.column, field: e.field, message: e.detail })),
      };
    // The ledger rows of the run are tagged with this page's exercise, so the draft must be that exercise.
    if (parsed.exercise.slug !== slug)
      return {
        ok: false,
        errors: [
          {
            line: lineOfKey(draft, "slug"),
            column: 1,
            field: "slug",
            message: `must be "${slug}", the exercise this page calibrates`,
          },
        ],
      };
    const errors = catalogueErrors(database, draft, parsed.exercise);
    if (errors.length > 0) return { ok: false, errors };
    const courseId =
      stored?.courseId ??
      database.select({ id: courses.id }).from(courses).where(eq(courses.slug, parsed.exercise.course)).get()?.id ??
      null;
    return {
      ok: true,
      subject: { exercise: parsed.exercise, source: { kind: "draft" }, exerciseId: stored?.id ?? null, courseId },
    };
  }
  if (!stored?.content || stored.version === null) return null;
  return {
    ok: true,
    subject: {
      exercise: stored.content as ExerciseFile,
      source: { kind: "version", version: stored.version, status: stored.status },
      exerciseId: stored.id,
      courseId: stored.courseId,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------------

/** The pieces of live grading calibration needs; the route passes liveGrading()?.ctx, tests a fake's. */
export type PreviewContext = Pick<PipelineContext, "provider" | "limiter" | "judge" | "cfg" | "signal"> & {
  database: Db;
};

export interface Instructor {
  id: number;
  teamId: number | null;
  departmentId: number | null;
}

export interface LiveInputResult {
  name: string;
  quality: number;
  output: string;
  /** Why the output scored 0 or was not judged, when it did. */
  note: string | null;
}

export interface CalibratedPrompt extends GradedPrompt {
  prompt: string;
  expectation: SampleExpectation | null;
  /** For a sample: whether each judge graded it as the instructor expected (null: that judge did not grade it). */
  asExpected: { offline: boolean; llm: boolean | null } | null;
  offline: JudgeScore & { tokens: number; failedChecks: string[]; missedRequirements: string[]; gaming: string[] };
  llm: (JudgeScore & { inputs: LiveInputResult[] }) | null;
  llmError: string | null;
}

export type LlmStatus =
  | { state: "off" }
  | { state: "blocked"; message: string }
  | {
      state: "ran";
      judgeModel: string;
      targetModel: string;
      calls: number;
      cacheHits: number;
      costMicros: number;
      budgetWarnings: string[];
    };

export interface Calibration {
  exercise: { slug: string; title: string; passMark: number; parTokens: number; model: string };
  source: CalibrationSubject["source"];
  prompts: CalibratedPrompt[];
  llm: LlmStatus;
  warnings: CalibrationWarning[];
  agreement: Agreement[];
  margins: { score: number; quality: number };
}

const SHOWN_OUTPUT_CHARS = 2_000;

function offlineScore(result: GradeResult): CalibratedPrompt["offline"] {
  return {
    passed: result.score.passed,
    score: result.score.score,
    quality: result.score.quality,
    tokens: result.tokens.prompt,
    failedChecks: result.checks.filter((c) => !c.passed).map((c) => `${c.label}${c.required ? "" : " (optional)"}`),
    missedRequirements: result.judge.requirements.filter((r) => !r.covered).map((r) => r.description),
    gaming: result.judge.gaming.reasons,
  };
}

/**
 * Calibrates an exercise: offline always, and live through `live` when given and the budget allows.
 * Never throws on a provider failure: the prompt whose calls failed shows the error instead of an LLM score.
 */
export async function calibrateExercise(args: {
  database: Db;
  subject: CalibrationSubject;
  samples: readonly Sample[];
  instructor: Instructor;
  live: PreviewContext | null;
  now?: Date;
}): Promise<Calibration> {
  const { database, subject, samples, instructor } = args;
  const exercise = subject.exercise;
  const model = getModel(exercise.model, database);
  const count = (text: string) => countTokens(text, model.encoding);
  const prompts = [
    { role: "starting" as const, label: "Starting prompt", prompt: exercise.starting_prompt, expectation: null },
    { role: "reference" as const, label: "Reference solution", prompt: exercise.reference_solution, expectation: null },
    ...samples.map((s, i) => ({
      role: "sample" as const,
      label: `Sample ${i + 1}`,
      prompt: s.prompt,
      expectation: { expect: s.expect, minScore: s.minScore, maxScore: s.maxScore },
    })),
  ];
  const offline = prompts.map((p) => gradePrompt({ prompt: p.prompt, exercise, model, countTokens: count }));

  let llm: LlmStatus = { state: "off" };
  let live: LivePromptOutcome[] = prompts.map(() => ({ score: null, error: null }));
  if (args.live) {
    const ctx = args.live;
    const tags: CallTags = {
      userId: instructor.id,
      teamId: instructor.teamId,
      departmentId: instructor.departmentId,
      courseId: subject.courseId,
      exerciseId: subject.exerciseId,
      attemptId: null,
    };
    const estimate = offline.reduce(
      (sum, o) =>
        sum +
        estimateGradingCost({ exercise, model, judgeModel: ctx.judge.model, promptTokens: o.tokens.prompt, count }),
      0,
    );
    const held = reserve(database, {
      teamId: instructor.teamId,
      departmentId: instructor.departmentId,
      attemptId: null,
      amountMicros: estimate,
      now: args.now ?? new Date(),
    });
    if (!held.ok) {
      // The budget's sentence is written for learners; the end of it is reworded for this page.
      const message = held.message.replace(
        "your attempt is graded by the offline judge instead.",
        "the LLM judge did not run, so only the offline judge's grades are shown.",
      );
      llm = { state: "blocked", message };
    } else {
      const spend: Spend = { calls: 0, cacheHits: 0, costMicros: 0 };
      try {
        const run = { ctx, exercise, model, tags, spend };
        live = await Promise.all(prompts.map((p, i) => gradeLive(run, p.prompt, offline[i])));
      } finally {
        settle(database, held.reservationId);
      }
      llm = {
        state: "ran",
        judgeModel: ctx.judge.model.id,
        targetModel: model.id,
        ...spend,
        budgetWarnings: held.warnings,
      };
    }
  }

  const results: CalibratedPrompt[] = prompts.map((p, i) => {
    const offlineResult = offlineScore(offline[i]);
    const llmResult = live[i].score;
    return {
      ...p,
      offline: offlineResult,
      llm: llmResult,
      llmError: live[i].error,
      asExpected: p.expectation && {
        offline: agreesWith(offlineResult, p.expectation),
        llm: llmResult && agreesWith(llmResult, p.expectation),
      },
    };
  });
  const { warnings, agreement } = calibrationWarnings(results, samples);
  return {
    exercise: {
      slug: exercise.slug,
      title: exercise.title,
      passMark: exercise.pass_mark,
      parTokens: exercise.par_tokens,
      model: exercise.model,
    },
    source: subject.source,
    prompts: results,
    llm,
    warnings,
    agreement,
    margins: { score: CALIBRATION_SCORE_MARGIN, quality: CALIBRATION_QUALITY_MARGIN },
  };
}

interface Spend {
  calls: number;
  cacheHits: number;
  costMicros: number;
}

interface LiveRun {
  ctx: PreviewContext;
  exercise: ExerciseFile;
  model: ModelInfo;
  tags: CallTags;
  spend: Spend;
}

interface LivePromptOutcome {
  score: CalibratedPrompt["llm"];
  error: string | null;
}

class PreviewCallFailed extends Error {}

/** One prompt through live grading, scored with the same rules as a learner's live attempt. */
async function gradeLive(run: LiveRun, prompt: string, offline: GradeResult): Promise<LivePromptOutcome> {
  const { ctx, exercise, model } = run;
  try {
    const outputs = await Promise.all(exercise.test_inputs.map((t) => judgeOne(run, prompt, t)));
    const report = scoreOutputs({
      rubric: exercise.rubric,
      judgeModel: ctx.judge.model.id,
      targetModel: model.id,
      outputs,
    });
    const combined = combineQuality(report, offline.judge);
    const score = scoreAttempt({
      quality: combined.quality,
      passMark: exercise.pass_mark,
      checks: offline.checks,
      gamingDetected: combined.gamingDetected,
      promptTokens: offline.tokens.prompt,
      baselineTokens: offline.tokens.baseline,
      parTokens: exercise.par_tokens,
      costMicros: offline.cost.monthlyMicros,
      baselineCostMicros: offline.cost.baselineMonthlyMicros,
      parCostMicros: offline.cost.parMonthlyMicros,
      difficulty: exercise.difficulty,
    });
    return {
      score: {
        passed: score.passed,
        score: score.score,
        quality: score.quality,
        inputs: report.inputs.map((i) => ({
          name: i.name,
          quality: i.quality,
          output: i.output.length > SHOWN_OUTPUT_CHARS ? `${i.output.slice(0, SHOWN_OUTPUT_CHARS)}…` : i.output,
          note: i.penalty?.detail ?? i.skippedReason,
        })),
      },
      error: null,
    };
  } catch (err) {
    if (!(err instanceof PreviewCallFailed)) throw err;
    return { score: null, error: err.message };
  }
}

async function judgeOne(run: LiveRun, prompt: string, t: ExerciseFile["test_inputs"][number]): Promise<JudgedOutput> {
  const { ctx, exercise, model } = run;
  const target = await previewCall(run, {
    model,
    providerModel: providerModelFor(model, ctx.cfg as Config),
    messages: [{ role: "user", content: prompt.replaceAll("{{input}}", t.input) }],
    params: { temperature: 0, maxTokens: targetMaxTokens(exercise), json: false },
    testInput: t.name,
  });
  const checks = runOutputChecks(target.text, exercise.output_checks, target.outputTokens);
  const base = {
    testInput: { name: t.name, input: t.input },
    output: target.text,
    outputTokens: target.outputTokens,
    checks,
  };
  const skip = judgeSkipReason(target.text, checks, t);
  if (skip) return { ...base, verdicts: null, skippedReason: skip };
  const verdict = await judgeWithRepair(
    async (messages) => {
      const reply = await previewCall(run, {
        model: ctx.judge.model,
        providerModel: ctx.judge.providerModel,
        messages,
        params: { temperature: 0, maxTokens: JUDGE_MAX_OUTPUT_TOKENS, json: true },
        testInput: `${t.name}\u0000${target.text}`,
        cacheable: (text) => parseJudgeVerdict(text, exercise.rubric).ok,
      });
      return reply.text;
    },
    buildJudgeMessages({ exercise, testInput: t, output: target.text }),
    exercise.rubric,
  );
  if (!verdict.ok) throw new PreviewCallFailed(verdict.error);
  return { ...base, verdicts: verdict.verdicts };
}

interface PreviewSpec {
  model: ModelInfo;
  providerModel: string;
  messages: ChatMessage[];
  params: { temperature: number; maxTokens: number; json: boolean };
  testInput: string;
  /** Only replies that pass this are cached (an unreadable verdict must not be served again). */
  cacheable?: (text: string) => boolean;
}

/**
 * One model call through the provider's limiter, behind the exact cache only (a preview must show
 * what this very prompt produces, not a similar one's reply), written to the ledger as "preview".
 */
async function previewCall(run: LiveRun, spec: PreviewSpec): Promise<{ text: string; outputTokens: number }> {
  const { ctx, tags, spend } = run;
  const outcome = await callModel(
    {
      database: ctx.database,
      provider: ctx.provider,
      limiter: ctx.limiter,
      cacheTtlHours: ctx.cfg.CACHE_TTL_HOURS,
      tags,
      signal: ctx.signal,
    },
    {
      ...spec,
      purpose: "preview",
      promptText: spec.messages.map((m) => m.content).join("\n"),
      semanticThreshold: null,
    },
  );
  if ("aborted" in outcome) throw new PreviewCallFailed("The preview was cancelled.");
  spend.calls++;
  if (!outcome.ok) throw new PreviewCallFailed(`The call to ${spec.providerModel} failed: ${outcome.error.message}`);
  if (outcome.cacheHit) spend.cacheHits++;
  spend.costMicros += outcome.costMicros;
  return outcome;
}
