import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { countTokens } from "~/.server/tokenizer.server";
import type { ExerciseFile } from "~/domain/exercise";
import { gradePrompt } from "~/domain/grade";
import type { ModelInfo } from "~/domain/models";

/**
 * The offline judge's labelled evaluation set (test/judge-eval/): prompts written blind from what a
 * learner sees (brief, starting prompt, test inputs, checks, hints), each labelled good, flawed,
 * bloated or gaming. `tune/` is the half the judge was tuned on; `holdout/` was written by another
 * writer and only ever measured, never read while tuning. Targets are checked on the holdout half.
 */

export const LABELS = ["good", "flawed", "bloated", "gaming"] as const;
export type Label = (typeof LABELS)[number];

const evalPromptSchema = z
  .object({
    id: z.string().min(1),
    label: z.enum(LABELS),
    kind: z.string().min(1),
    note: z.string().min(1),
    prompt: z.string().min(1),
  })
  .strict();
const evalFileSchema = z.object({ exercise: z.string().min(1), prompts: z.array(evalPromptSchema).min(1) }).strict();
export type EvalPrompt = z.infer<typeof evalPromptSchema>;

export interface EvalCase extends EvalPrompt {
  exercise: string;
  file: string;
}

export function loadEvalSet(dir: string): EvalCase[] {
  if (!existsSync(dir)) throw new Error(`No evaluation set at ${dir}`);
  const out: EvalCase[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()) {
    const file = join(dir, name);
    const parsed = evalFileSchema.safeParse(parse(readFileSync(file, "utf8")));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    const ids = new Set<string>();
    for (const p of parsed.data.prompts) {
      if (ids.has(p.id)) throw new Error(`${file}: duplicate prompt id "${p.id}"`);
      ids.add(p.id);
      out.push({ ...p, exercise: parsed.data.exercise, file });
    }
  }
  return out;
}

export interface EvalOutcome {
  case: EvalCase;
  passed: boolean;
  score: number;
  quality: number;
  gaming: boolean;
  /** Why it failed, briefly: failed gates, must failures, gaming. */
  why: string;
}

export function gradeCase(c: EvalCase, exercise: ExerciseFile, model: ModelInfo): EvalOutcome {
  const r = gradePrompt({ prompt: c.prompt, exercise, model, countTokens: (t) => countTokens(t, model.encoding) });
  const why = [
    ...r.score.gates.filter((g) => !g.passed).map((g) => `${g.name}: ${g.detail}`),
    ...r.judge.requirements
      .filter((q) => !q.covered)
      .map((q) => `${q.status} ${q.id}${q.contradiction ? ` (L${q.contradiction.line})` : ""}`),
    ...r.judge.gaming.reasons,
  ].join(" | ");
  return {
    case: c,
    passed: r.score.passed,
    score: r.score.score,
    quality: r.score.quality,
    gaming: r.judge.gaming.keywordList || r.judge.gaming.injection !== null,
    why,
  };
}

export interface ExerciseReport {
  exercise: string;
  counts: Record<Label, { passed: number; total: number }>;
  /** Flawed and gaming prompts that passed, by kind. */
  byKind: Record<string, { passed: number; total: number }>;
  /** Lowest score of a bloated prompt and highest of a failing gaming one. */
  minBloated: number | null;
  maxFailingGaming: number | null;
  startingPromptPasses: boolean;
}

export function summarise(outcomes: EvalOutcome[], startingPasses: Map<string, boolean>): ExerciseReport[] {
  const byExercise = new Map<string, EvalOutcome[]>();
  for (const o of outcomes) byExercise.set(o.case.exercise, [...(byExercise.get(o.case.exercise) ?? []), o]);
  return [...byExercise].map(([exercise, list]) => {
    const counts = Object.fromEntries(LABELS.map((l) => [l, { passed: 0, total: 0 }])) as ExerciseReport["counts"];
    const byKind: ExerciseReport["byKind"] = {};
    for (const o of list) {
      counts[o.case.label].total++;
      if (o.passed) counts[o.case.label].passed++;
      if (o.case.label === "flawed" || o.case.label === "gaming") {
        const k = `${o.case.label}:${o.case.kind}`;
        byKind[k] ??= { passed: 0, total: 0 };
        byKind[k].total++;
        if (o.passed) byKind[k].passed++;
      }
    }
    const bloated = list.filter((o) => o.case.label === "bloated").map((o) => o.score);
    const gaming = list.filter((o) => o.case.label === "gaming" && !o.passed).map((o) => o.score);
    return {
      exercise,
      counts,
      byKind,
      minBloated: bloated.length ? Math.min(...bloated) : null,
      maxFailingGaming: gaming.length ? Math.max(...gaming) : null,
      startingPromptPasses: startingPasses.get(exercise) ?? false,
    };
  });
}

export const TARGETS = {
  goodPassMin: 0.9,
  flawedPassMax: 0.05,
  gamingPassMax: 0,
} as const;

/** Every target the report misses, in words; empty when all hold. */
export function missedTargets(reports: ExerciseReport[], perExercise: boolean): string[] {
  const misses: string[] = [];
  const check = (name: string, c: Record<Label, { passed: number; total: number }>) => {
    const rate = (l: Label) => (c[l].total === 0 ? null : c[l].passed / c[l].total);
    const good = rate("good");
    const flawed = rate("flawed");
    const gaming = rate("gaming");
    if (good !== null && good < TARGETS.goodPassMin) misses.push(`${name}: good pass ${pct(good)} < 90%`);
    if (flawed !== null && flawed > TARGETS.flawedPassMax) misses.push(`${name}: flawed pass ${pct(flawed)} > 5%`);
    if (gaming !== null && gaming > TARGETS.gamingPassMax) misses.push(`${name}: gaming pass ${pct(gaming)} > 0%`);
  };
  check("overall", total(reports));
  for (const r of reports) {
    if (perExercise) check(r.exercise, r.counts);
    for (const [kind, c] of Object.entries(r.byKind))
      if ((kind.startsWith("gaming:") || kind === "flawed:reversed") && c.passed > 0)
        misses.push(`${r.exercise}: ${c.passed} of ${c.total} ${kind} passed`);
    if (r.startingPromptPasses) misses.push(`${r.exercise}: the starting prompt passes`);
    if (r.minBloated !== null && r.maxFailingGaming !== null && r.minBloated <= r.maxFailingGaming)
      misses.push(
        `${r.exercise}: a bloated prompt (${r.minBloated}) does not outscore a failing gaming one (${r.maxFailingGaming})`,
      );
  }
  return misses;
}

export function total(reports: ExerciseReport[]): Record<Label, { passed: number; total: number }> {
  const sum = Object.fromEntries(LABELS.map((l) => [l, { passed: 0, total: 0 }])) as Record<
    Label,
    { passed: number; total: number }
  >;
  for (const r of reports)
    for (const l of LABELS) {
      sum[l].passed += r.counts[l].passed;
      sum[l].total += r.counts[l].total;
    }
  return sum;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** A confusion table (label × passed/failed) per exercise and overall, as plain text. */
export function formatReport(reports: ExerciseReport[]): string {
  const head = ["exercise", ...LABELS.map((l) => `${l} pass/n`), "bloated min", "gaming max", "start"];
  const row = (name: string, c: Record<Label, { passed: number; total: number }>, r?: ExerciseReport) => [
    name,
    ...LABELS.map((l) => `${c[l].passed}/${c[l].total}`),
    r?.minBloated === null || r === undefined ? "" : String(r.minBloated),
    r?.maxFailingGaming === null || r === undefined ? "" : String(r.maxFailingGaming),
    r === undefined ? "" : r.startingPromptPasses ? "PASSES" : "fails",
  ];
  const rows = [head, ...reports.map((r) => row(r.exercise, r.counts, r)), row("overall", total(reports))];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ")).join("\n");
}

/** How many prompts of each label and kind passed ("flawed reversed 2/90"): the issue's targets name kinds too. */
export function formatKinds(outcomes: readonly EvalOutcome[]): string {
  const counts = new Map<string, { passed: number; total: number }>();
  for (const o of outcomes) {
    const key = `${o.case.label} ${o.case.kind}`;
    const c = counts.get(key) ?? { passed: 0, total: 0 };
    c.total += 1;
    if (o.passed) c.passed += 1;
    counts.set(key, c);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, c]) => `  ${key.padEnd(34)} ${String(c.passed).padStart(4)}/${c.total}`)
    .join("\n");
}
