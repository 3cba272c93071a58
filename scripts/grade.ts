// `npm run grade -- <exercise slug | exercise file> <prompt file | ->`
// Grades a prompt with the offline judge and prints the full breakdown as JSON.
// Exit code: 0 when the prompt passes, 1 when it does not, 2 on bad usage or input.
import { existsSync, readFileSync } from "node:fs";
import { config } from "~/.server/config";
import { countTokens } from "~/.server/tokenizer.server";
import type { ExerciseFile } from "~/domain/exercise";
import { gradePrompt } from "~/domain/grade";
import { loadContent, loadModelCatalogue, parseExerciseText } from "~/exercises/load.server";

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

const [target, promptFile] = process.argv.slice(2);
if (!target || !promptFile) fail("usage: npm run grade -- <exercise slug or file> <prompt file, or - for stdin>");

function findExercise(ref: string): ExerciseFile {
  if (ref.endsWith(".yaml") || ref.endsWith(".yml")) {
    if (!existsSync(ref)) fail(`No such exercise file: ${ref}`);
    const parsed = parseExerciseText(readFileSync(ref, "utf8"), ref);
    if (!parsed.ok) fail(parsed.errors.map((e) => e.message).join("\n"));
    return parsed.exercise;
  }
  const content = loadContent(config().EXERCISES_DIR);
  const found = content.exercises.find((e) => e.exercise.slug === ref);
  if (!found) fail(`No exercise with slug "${ref}" in ${config().EXERCISES_DIR}/`);
  return found.exercise;
}

const exercise = findExercise(target);
const prompt =
  promptFile === "-"
    ? readFileSync(0, "utf8")
    : existsSync(promptFile)
      ? readFileSync(promptFile, "utf8")
      : fail(`No such prompt file: ${promptFile}`);
const model = loadModelCatalogue(config().MODELS_FILE).find((m) => m.id === exercise.model);
if (!model) fail(`Model "${exercise.model}" is not in ${config().MODELS_FILE}`);
const result = gradePrompt({ prompt, exercise, model, countTokens: (t) => countTokens(t, model.encoding) });
console.log(JSON.stringify({ exercise: exercise.slug, ...result }, null, 2));
process.exit(result.score.passed ? 0 : 1);
