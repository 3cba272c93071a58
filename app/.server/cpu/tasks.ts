import { getPriority, setPriority } from "node:os";
import { expectedOutputTokens } from "~/domain/estimate";
import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, gradePrompt } from "~/domain/grade";
import { ENCODINGS, type Encoding, type ModelInfo } from "~/domain/models";
import { loadEnglish } from "~/domain/offline-judge/nlp";
import { countTokens } from "../tokenizer.server";
import { stampTaskStart } from "./task-clock";

/**
 * The CPU-bound work a request must never do on the server's event loop, run in the worker pool (cpu/pool.ts):
 * token counts and offline grading (checks, the offline judge). This module is the worker threads' entry; it keeps
 * its own encoders, loaded once per thread.
 */

export interface GradeArgs {
  prompt: string;
  exercise: ExerciseFile;
  model: ModelInfo;
  baselineModel?: ModelInfo;
}

export type CpuTask =
  | { kind: "warm"; nice?: number; grades?: GradeArgs[] }
  | { kind: "priority" }
  | { kind: "count"; texts: string[]; encoding: Encoding }
  | { kind: "grade"; grades: GradeArgs[] }
  | { kind: "output-tokens"; prompt: string; outputTokens: ExerciseFile["output_tokens"] };

export function runTask(task: CpuTask): number | number[] | GradeResult[] {
  switch (task.kind) {
    case "warm":
      lowerThisThreadsPriority(task.nice ?? 0);
      // Loads what a thread's first real task would (the modules, both encoders, the offline judge's English model),
      // outside any time limit.
      loadEnglish();
      for (const encoding of ENCODINGS) countTokens("warm", encoding);
      // How many of the sample grades this thread could run (CpuPool.prepare).
      return (task.grades ?? []).filter(warmGrade).length;
    case "priority":
      return getPriority(0);
    case "count":
      return task.texts.map((text) => countTokens(text, task.encoding));
    case "grade":
      return task.grades.map(gradeHere);
    case "output-tokens":
      return expectedOutputTokens(task.prompt, task.outputTokens);
  }
}

/** A grade run only to compile what grading that exercise needs (CpuPool.prepare); false when it failed. */
function warmGrade(args: GradeArgs): boolean {
  try {
    gradeHere(args);
    return true;
  } catch {
    // A sample this thread cannot grade warms nothing more; the real grade reports its own failure.
    return false;
  }
}

/**
 * On Linux a nice value belongs to a thread (setpriority with pid 0 changes the calling thread only), so a worker
 * thread can yield to the event loop's thread without slowing it. Elsewhere it would renice the whole server: skipped.
 */
function lowerThisThreadsPriority(nice: number): void {
  if (nice <= 0 || process.platform !== "linux" || getPriority(0) >= nice) return;
  try {
    setPriority(0, nice);
  } catch {
    // Not allowed here (a sandbox): the thread keeps the server's priority.
  }
}

/**
 * Counts of long texts that come back with every grade of an exercise (its starting prompt, its test inputs), kept
 * per thread so a 20,000-character test input is counted once, not once per submission. Short texts are not worth
 * keeping; the map is emptied when full.
 */
const repeatedCounts = new Map<string, number>();
const CACHE_MIN_CHARS = 1_000;
const CACHE_MAX_ENTRIES = 512;

function countRepeated(text: string, encoding: Encoding): number {
  if (text.length < CACHE_MIN_CHARS) return countTokens(text, encoding);
  const key = `${encoding}\u0000${text}`;
  let n = repeatedCounts.get(key);
  if (n === undefined) {
    n = countTokens(text, encoding);
    if (repeatedCounts.size >= CACHE_MAX_ENTRIES) repeatedCounts.clear();
    repeatedCounts.set(key, n);
  }
  return n;
}

/**
 * The exercises this thread has graded, by content. Each task brings its own copy (a structured clone), so the memos
 * keyed by identity (an exercise's compiled prompt and output checks: checks.ts, output-checks.ts) missed on every
 * grade and compiled the exercise's patterns again, about a sixth of the thread's time in the chaos benchmark's
 * profile; the first copy of each content is graded from then on. Bounded; emptied when full.
 */
const exercisesSeen = new Map<string, ExerciseFile>();
const EXERCISES_SEEN_MAX = 256;

function interned(exercise: ExerciseFile): ExerciseFile {
  const key = JSON.stringify(exercise);
  const seen = exercisesSeen.get(key);
  if (seen) return seen;
  if (exercisesSeen.size >= EXERCISES_SEEN_MAX) exercisesSeen.clear();
  exercisesSeen.set(key, exercise);
  return exercise;
}

/** One offline grade on this thread (the pool calls it in a worker; scripts and the demo seed may call it directly). */
export function gradeHere(args: GradeArgs): GradeResult {
  return gradePrompt({
    ...args,
    exercise: interned(args.exercise),
    countTokens: (text) =>
      text === args.prompt ? countTokens(text, args.model.encoding) : countRepeated(text, args.model.encoding),
  });
}

/** A task as the pool sends it: with the shared clock its thread stamps when it starts (task-clock.ts). */
export type TimedTask = CpuTask & { clock?: SharedArrayBuffer };

/** The threads' entry: stamps the task's clock, then runs it. */
export default function runTimedTask(task: TimedTask): ReturnType<typeof runTask> {
  if (task.clock) stampTaskStart(task.clock);
  return runTask(task);
}
