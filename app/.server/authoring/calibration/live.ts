import type { ExerciseFile } from "~/domain/exercise";
import type { GradeResult } from "~/domain/grade";
import {
  buildJudgeMessages,
  type JudgedOutput,
  judgeSkipReason,
  judgeWithRepair,
  parseJudgeVerdict,
  scoreOutputs,
  verdictJsonSchema,
} from "~/domain/llm-judge";
import type { ModelInfo } from "~/domain/models";
import { runOutputChecks } from "~/domain/output-checks";
import { reserve, settle } from "../../budgets";
import type { Db } from "../../db";
import { estimateGradingCost, JUDGE_MAX_OUTPUT_TOKENS, targetMaxTokens } from "../../grading/model-call";
import type { CallTags } from "../../ledger";
import { providerModelFor } from "../../providers";

/** The name the provider serves a model under; a model it does not serve cannot be previewed live. */
function servedBy(model: ModelInfo, provider: string): string {
  const name = providerModelFor(model, provider);
  if (!name) throw new PreviewCallFailed(`The configured model provider does not serve ${model.id}.`);
  return name;
}

import { PreviewCallFailed, type PreviewContext, type PreviewRun, previewCall, type Spend } from "./preview-call";
import { type LivePromptOutcome, liveScore, NOT_GRADED_LIVE } from "./prompts";

/**
 * The LLM judge's part of a calibration: the same target run, output checks, judge and score as a
 * learner's live attempt. The whole run is reserved against the instructor's team (and department)
 * budget before the first call, and the hold settled once every call is in the ledger.
 */

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

interface LiveRun extends PreviewRun {
  exercise: ExerciseFile;
  model: ModelInfo;
}

/**
 * Grades each prompt live, in the order given, when the budget allows. Never throws on a provider
 * failure: the prompt whose calls failed gets the error instead of a score.
 */
export async function gradeByLlmJudge(args: {
  database: Db;
  ctx: PreviewContext;
  exercise: ExerciseFile;
  model: ModelInfo;
  prompts: readonly string[];
  /** The offline judge's grade of each prompt: its token counts and checks go into the live score. */
  offline: readonly GradeResult[];
  count: (text: string) => number;
  tags: CallTags;
  now: Date;
}): Promise<{ llm: LlmStatus; outcomes: LivePromptOutcome[] }> {
  const { database, ctx, exercise, model, offline, count, tags } = args;
  const estimate = offline.reduce(
    (sum, o) =>
      sum + estimateGradingCost({ exercise, model, judgeModel: ctx.judge.model, promptTokens: o.tokens.prompt, count }),
    0,
  );
  const held = reserve(database, {
    teamId: tags.teamId,
    departmentId: tags.departmentId,
    attemptId: null,
    amountMicros: estimate,
    now: args.now,
  });
  if (!held.ok) {
    // The budget's sentence is written for learners; the end of it is reworded for this page.
    const message = held.message.replace(
      "your attempt is graded by the offline judge instead.",
      "the LLM judge did not run, so only the offline judge's grades are shown.",
    );
    return { llm: { state: "blocked", message }, outcomes: args.prompts.map(() => NOT_GRADED_LIVE) };
  }
  const spend: Spend = { calls: 0, cacheHits: 0, costMicros: 0 };
  let outcomes: LivePromptOutcome[];
  try {
    const run: LiveRun = { ctx, exercise, model, tags, spend };
    outcomes = await Promise.all(args.prompts.map((prompt, i) => gradeLive(run, prompt, offline[i])));
  } finally {
    settle(database, held.reservationId);
  }
  return {
    llm: {
      state: "ran",
      judgeModel: ctx.judge.model.id,
      targetModel: model.id,
      ...spend,
      budgetWarnings: held.warnings,
    },
    outcomes,
  };
}

/** One prompt through live grading. */
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
    return { score: liveScore(exercise, offline, report), error: null };
  } catch (err) {
    if (!(err instanceof PreviewCallFailed)) throw err;
    return { score: null, error: err.message };
  }
}

async function judgeOne(run: LiveRun, prompt: string, t: ExerciseFile["test_inputs"][number]): Promise<JudgedOutput> {
  const { ctx, exercise, model } = run;
  const target = await previewCall(run, {
    model,
    providerModel: servedBy(model, ctx.provider.name),
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
        jsonSchema: verdictJsonSchema(exercise.rubric),
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
