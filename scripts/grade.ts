// `npm run grade -- <exercise slug | exercise file> <prompt file | folder | -> [--full]`
// Grades prompts with the offline judge in one process and prints one JSON line per prompt: a file, every
// `.txt`/`.md` file of a folder (sorted), or stdin. `--full` adds the whole breakdown to each line.
// Exit code: 0 when every prompt passes, 1 when any does not, 2 on bad usage or input.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { config } from "~/.server/config";
import { countTokens } from "~/.server/tokenizer.server";
import type { ExerciseFile } from "~/domain/exercise";
import { type GradeResult, gradePrompt } from "~/domain/grade";
import { loadContent, loadModelCatalogue, parseExerciseText } from "~/exercises/load.server";

const USAGE =
  "usage: npm run grade -- <exercise slug or file> <prompt file, folder of .txt/.md files, or - for stdin> [--full]";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

let parsed: ReturnType<typeof parseArgs>;
try {
  parsed = parseArgs({ allowPositionals: true, options: { full: { type: "boolean", default: false } } });
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
}
const [target, source, ...extra] = parsed.positionals;
if (!target || !source || extra.length > 0) fail(USAGE);

function findExercise(ref: string): ExerciseFile {
  if (ref.endsWith(".yaml") || ref.endsWith(".yml")) {
    if (!existsSync(ref)) fail(`No such exercise file: ${ref}`);
    const result = parseExerciseText(readFileSync(ref, "utf8"), ref);
    if (!result.ok) fail(result.errors.map((e) => e.message).join("\n"));
    return result.exercise;
  }
  const content = loadContent(config().EXERCISES_DIR);
  const found = content.exercises.find((e) => e.exercise.slug === ref);
  if (!found) fail(`No exercise with slug "${ref}" in ${config().EXERCISES_DIR}/`);
  return found.exercise;
}

/** [name, text] of every prompt to grade. */
function prompts(ref: string): [string, string][] {
  if (ref === "-") return [["-", readFileSync(0, "utf8")]];
  if (!existsSync(ref)) fail(`No such prompt file or folder: ${ref}`);
  if (!statSync(ref).isDirectory()) return [[ref, readFileSync(ref, "utf8")]];
  const files = readdirSync(ref)
    .filter((f) => /\.(?:txt|md)$/i.test(f))
    .sort();
  if (files.length === 0) fail(`No .txt or .md prompt files in ${ref}`);
  return files.map((f) => [join(ref, f), readFileSync(join(ref, f), "utf8")]);
}

/** The line for one prompt: the verdict first, then what it rests on; the breakdown with --full. */
function line(name: string, exercise: ExerciseFile, result: GradeResult, full: boolean) {
  const judge = result.judge;
  return {
    prompt: name,
    exercise: exercise.slug,
    passed: result.score.passed,
    score: result.score.score,
    quality: result.score.quality,
    // Honest about what this grade is: a reading of the prompt, not of a model's output.
    offline: true,
    basis: judge.basis,
    basisNote: judge.basisNote,
    judge: judge.judge,
    failedGates: result.score.gates.filter((g) => !g.passed).map((g) => `${g.name}: ${g.detail}`),
    requirements: judge.requirements.map((r) => ({ id: r.id, level: r.level, status: r.status, reason: r.reason })),
    gaming: judge.gaming.reasons,
    tokens: result.tokens.prompt,
    monthlyMicros: result.cost.monthlyMicros,
    ...(full ? { breakdown: result } : {}),
  };
}

const exercise = findExercise(target);
const model = loadModelCatalogue(config().MODELS_FILE).find((m) => m.id === exercise.model);
if (!model) fail(`Model "${exercise.model}" is not in ${config().MODELS_FILE}`);
let allPassed = true;
for (const [name, text] of prompts(source)) {
  const result = gradePrompt({ prompt: text, exercise, model, countTokens: (t) => countTokens(t, model.encoding) });
  allPassed &&= result.score.passed;
  console.log(JSON.stringify(line(name, exercise, result, parsed.values.full === true)));
}
process.exit(allPassed ? 0 : 1);
