import { callsPerMonth, formatMicros, formatMicrosExact } from "./cost";
import { estimateCall } from "./estimate";
import type { ExerciseFile } from "./exercise";
import type { ModelInfo } from "./models";

/**
 * The figures a brief may quote, written `[[name]]` in its Markdown and rendered from the exercise's own data, so
 * the brief, the badge and the live panel cannot disagree: the monthly costs are the panel's (prompt plus the
 * average test input, priced with the reply size the panel uses, at the exercise's volume).
 */
export const BRIEF_FIGURES = {
  calls_per_day: "calls a day at the exercise's volume",
  calls_per_month: "calls a month (a month is 30 days)",
  model: "the exercise's model id",
  input_price: "the model's price per 1M input tokens",
  cached_input_price: "the model's price per 1M cached input tokens",
  output_price: "the model's price per 1M output tokens",
  start_tokens: "the starting prompt's token count",
  start_monthly_cost: "what the starting prompt's calls cost a month, as the live panel shows it",
  par_tokens: "par: the expert target length in tokens",
  par_monthly_cost: "what a prompt at par costs a month, asking for the short reply",
  budget_tokens: "the token limit of the required max_tokens check",
  monthly_saving: "the monthly saving of a prompt at par against the starting prompt",
} as const;

export type BriefFigureName = keyof typeof BRIEF_FIGURES;

export type BriefFigureExercise = Pick<ExerciseFile, "volume" | "output_tokens" | "par_tokens" | "checks" | "model">;
type BriefModel = Pick<ModelInfo, "inputMicrosPerM" | "cachedInputMicrosPerM" | "outputMicrosPerM">;

export interface BriefCounts {
  startingPrompt: number;
  avgInput: number;
}

/** Money figures in micro-dollars, token and call figures as counts: what the conflict check compares. */
export interface BriefFigureValues {
  startTokens: number;
  parTokens: number;
  budgetTokens: number | null;
  avgInputTokens: number;
  startMonthlyMicros: number;
  parMonthlyMicros: number;
  monthlySavingMicros: number;
  callsPerMonth: number;
}

export function briefFigureValues(
  exercise: BriefFigureExercise,
  model: BriefModel,
  counts: BriefCounts,
): BriefFigureValues {
  const month = (promptTokens: number, outputTokens: number) =>
    estimateCall({ promptTokens, avgInputTokens: counts.avgInput, outputTokens, model, volume: exercise.volume })
      .monthlyMicros;
  const start = month(counts.startingPrompt, exercise.output_tokens.baseline);
  const par = month(exercise.par_tokens, exercise.output_tokens.target);
  const budget = exercise.checks.find((c) => c.kind === "max_tokens" && c.required !== false);
  return {
    startTokens: counts.startingPrompt,
    parTokens: exercise.par_tokens,
    budgetTokens: budget && typeof budget.value === "number" ? budget.value : null,
    avgInputTokens: counts.avgInput,
    startMonthlyMicros: start,
    parMonthlyMicros: par,
    monthlySavingMicros: start - par,
    callsPerMonth: callsPerMonth(exercise.volume),
  };
}

const count = (n: number) => n.toLocaleString("en-US");

export function briefFigureTexts(
  exercise: BriefFigureExercise,
  model: BriefModel,
  counts: BriefCounts,
): Record<BriefFigureName, string> {
  const v = briefFigureValues(exercise, model, counts);
  const perDay = exercise.volume.per === "day" ? exercise.volume.calls : Math.round(exercise.volume.calls / 30);
  return {
    calls_per_day: count(perDay),
    calls_per_month: count(v.callsPerMonth),
    model: exercise.model,
    // A list price is quoted exactly: gpt-4.1-nano's cached input is $0.025, not "$0.03".
    input_price: formatMicrosExact(model.inputMicrosPerM),
    cached_input_price: formatMicrosExact(model.cachedInputMicrosPerM),
    output_price: formatMicrosExact(model.outputMicrosPerM),
    start_tokens: count(v.startTokens),
    start_monthly_cost: formatMicros(v.startMonthlyMicros),
    par_tokens: count(v.parTokens),
    par_monthly_cost: formatMicros(v.parMonthlyMicros),
    budget_tokens: v.budgetTokens === null ? "(no token limit)" : count(v.budgetTokens),
    monthly_saving: formatMicros(v.monthlySavingMicros),
  };
}

const PLACEHOLDER = /\[\[\s*([a-z_]+)\s*\]\]/g;

function isFigureName(name: string): name is BriefFigureName {
  return Object.hasOwn(BRIEF_FIGURES, name);
}

/** The brief with every `[[name]]` replaced by its figure; an unknown name is left as written (the check refuses it). */
export function renderBrief(brief: string, texts: Record<BriefFigureName, string>): string {
  return brief.replace(PLACEHOLDER, (whole, name: string) => (isFigureName(name) ? texts[name] : whole));
}

export interface BriefProblem {
  /** Character offset in the brief, so a file error can name the line. */
  offset: number;
  message: string;
}

/** `[[name]]` placeholders that name no figure. */
export function unknownBriefFigures(brief: string): BriefProblem[] {
  const out: BriefProblem[] = [];
  for (const m of brief.matchAll(PLACEHOLDER)) {
    if (!isFigureName(m[1]))
      out.push({
        offset: m.index ?? 0,
        message: `"[[${m[1]}]]" is not a figure a brief can quote; use one of ${Object.keys(BRIEF_FIGURES).join(", ")}`,
      });
  }
  return out;
}

const MONTHLY_AMOUNT =
  /\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|K|thousand)?\s*(?:a|per|\/|each)\s*month\b|\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|K|thousand)?\s*monthly\b/g;
const LIMIT_TOKENS =
  /\b(?:under|below|at most|no more than|fewer than|less than|within|max(?:imum)?(?: of)?|up to)\s+(?:about\s+)?(\d[\d,]*)\s*(?:-\s*)?tokens?\b/gi;
const ABOUT_TOKENS = /\b(?:about|around|roughly|approximately|some|~)\s*(\d[\d,]*)\s*(?:-\s*)?tokens?\b/gi;
const CALL_VOLUME = /\b(\d[\d,]*(?:\.\d+)?)\s*(million\s+)?calls?\s+(?:a|per|each)\s+(day|month)\b/gi;

const num = (text: string) => Number(text.replace(/,/g, ""));
const near = (a: number, b: number, tolerance: number) => Math.abs(a - b) <= Math.max(1, Math.abs(b) * tolerance);

/**
 * Literal figures in a brief that contradict the exercise's own data: a monthly dollar amount no figure of the
 * exercise comes near (within 10%: briefs round, "about $290"), a token limit that is neither par nor the check's
 * budget, an "about N tokens" that is no count of the exercise, a call volume other than the exercise's.
 * `otherMonthlyMicros` are the starting prompt's monthly costs on other models of the catalogue, which a brief may
 * quote to show what the task cost before it moved to a cheaper model.
 */
export function briefFigureConflicts(
  brief: string,
  v: BriefFigureValues,
  otherMonthlyMicros: readonly number[] = [],
): BriefProblem[] {
  const text = brief.replace(PLACEHOLDER, (whole) => " ".repeat(whole.length));
  const out: BriefProblem[] = [];
  const monthly = [v.startMonthlyMicros, v.parMonthlyMicros, v.monthlySavingMicros, ...otherMonthlyMicros];
  for (const m of text.matchAll(MONTHLY_AMOUNT)) {
    const amount = m[1] ?? m[3];
    const thousands = (m[2] ?? m[4]) !== undefined;
    const micros = Math.round(num(amount) * (thousands ? 1000 : 1) * 1_000_000);
    if (!monthly.some((f) => near(micros, f, 0.1)))
      out.push({
        offset: m.index ?? 0,
        message: `"${m[0].replace(/\s+/g, " ").trim()}" matches none of this exercise's monthly figures (starting prompt ${formatMicros(v.startMonthlyMicros)}, at par ${formatMicros(v.parMonthlyMicros)}, saving ${formatMicros(v.monthlySavingMicros)}); write [[start_monthly_cost]], [[par_monthly_cost]] or [[monthly_saving]] instead`,
      });
  }
  const limits = [v.parTokens, ...(v.budgetTokens === null ? [] : [v.budgetTokens])];
  for (const m of text.matchAll(LIMIT_TOKENS)) {
    if (!limits.includes(num(m[1])))
      out.push({
        offset: m.index ?? 0,
        message: `"${m[0]}" is neither par (${count(v.parTokens)}) nor the token limit of the checks (${v.budgetTokens === null ? "none" : count(v.budgetTokens)}); write [[par_tokens]] or [[budget_tokens]] instead`,
      });
  }
  const counts = [v.startTokens, v.parTokens, v.avgInputTokens, ...limits];
  for (const m of text.matchAll(ABOUT_TOKENS)) {
    if (!counts.some((c) => near(num(m[1]), c, 0.15)))
      out.push({
        offset: m.index ?? 0,
        message: `"${m[0]}" is not near any token count of this exercise (starting prompt ${count(v.startTokens)}, par ${count(v.parTokens)}, average test input ${count(v.avgInputTokens)}); write [[start_tokens]] or [[par_tokens]] instead`,
      });
  }
  for (const m of text.matchAll(CALL_VOLUME)) {
    const calls = num(m[1]) * (m[2] ? 1_000_000 : 1);
    const perMonth = m[3].toLowerCase() === "day" ? calls * 30 : calls;
    if (!near(perMonth, v.callsPerMonth, 0.01))
      out.push({
        offset: m.index ?? 0,
        message: `"${m[0]}" disagrees with the exercise's volume (${count(v.callsPerMonth)} calls a month); write [[calls_per_day]] or [[calls_per_month]] instead`,
      });
  }
  return out.sort((a, b) => a.offset - b.offset);
}
