// `npm run judge:eval [-- --set holdout|tune|all] [--dir <folder>] [--exercise <slug>] [--verbose]`
// Grades the labelled evaluation set (test/judge-eval/) with the offline judge in one process and
// prints a confusion table per exercise and overall, and how many prompts of each kind passed (reversed rules,
// grader-addressed text...). Exit 1 when the holdout half misses a target. `--dir` grades a set kept outside the
// repository (a blind set not yet looked at) as a holdout: same files, same targets.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { config } from "~/.server/config";
import { countTokens } from "~/.server/tokenizer.server";
import type { ExerciseFile } from "~/domain/exercise";
import { gradePrompt } from "~/domain/grade";
import {
  type EvalOutcome,
  formatKinds,
  formatReport,
  gradeCase,
  loadEvalSet,
  missedTargets,
  summarise,
} from "~/exercises/judge-eval.server";
import { loadContent, loadModelCatalogue } from "~/exercises/load.server";

const USAGE = "usage: npm run judge:eval -- [--set holdout|tune|all] [--dir <folder>] [--exercise <slug>] [--verbose]";

function readArgs() {
  try {
    return parseArgs({
      options: {
        set: { type: "string", default: "all" },
        dir: { type: "string" },
        exercise: { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const values = readArgs();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const sets = values.dir ? [values.dir] : values.set === "all" ? ["tune", "holdout"] : [values.set as string];
if (!values.dir && !sets.every((s) => s === "tune" || s === "holdout")) {
  console.error(`--set: "${values.set}" is not holdout, tune or all\n${USAGE}`);
  process.exit(2);
}

const exercises = new Map<string, ExerciseFile>(
  loadContent(config().EXERCISES_DIR).exercises.map((e) => [e.exercise.slug, e.exercise]),
);
const models = new Map(loadModelCatalogue(config().MODELS_FILE).map((m) => [m.id, m]));
let failed = false;
const started = performance.now();
let graded = 0;
for (const set of sets) {
  if (!values.dir && values.set === "all" && !existsSync(`test/judge-eval/${set}`)) {
    console.log(`\n== ${set}: no test/judge-eval/${set}/ folder, skipped ==`);
    continue;
  }
  const folder = values.dir ? set : `test/judge-eval/${set}`;
  let cases: ReturnType<typeof loadEvalSet>;
  try {
    cases = loadEvalSet(folder).filter((c) => !values.exercise || c.exercise === values.exercise);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (cases.length === 0) {
    console.log(`\n== ${set}: no prompts${values.exercise ? ` for ${values.exercise}` : ""}, nothing graded ==`);
    continue;
  }
  const outcomes: EvalOutcome[] = [];
  const startingPasses = new Map<string, boolean>();
  for (const c of cases) {
    const exercise = exercises.get(c.exercise);
    if (!exercise) {
      console.error(`${c.file}: no exercise "${c.exercise}" in ${config().EXERCISES_DIR}/`);
      process.exit(2);
    }
    const model = models.get(exercise.model);
    if (!model) throw new Error(`model ${exercise.model} missing from the catalogue`);
    outcomes.push(gradeCase(c, exercise, model));
    if (!startingPasses.has(c.exercise)) {
      const start = gradePrompt({
        prompt: exercise.starting_prompt,
        exercise,
        model,
        countTokens: (t) => countTokens(t, model.encoding),
      });
      startingPasses.set(c.exercise, start.score.passed);
    }
  }
  graded += outcomes.length;
  const reports = summarise(outcomes, startingPasses);
  console.log(`\n== ${set} (${outcomes.length} prompts) ==\n${formatReport(reports)}`);
  console.log(`\nPassed, by label and kind:\n${formatKinds(outcomes)}`);
  const wrong = outcomes.filter((o) => (o.case.label === "good") !== o.passed && o.case.label !== "bloated");
  if (values.verbose)
    for (const o of wrong)
      console.log(
        `\n${o.passed ? "PASSED" : "FAILED"} ${o.case.file.split("/").pop()}/${o.case.id} [${o.case.label}:${o.case.kind}] q${o.quality} s${o.score}\n  note: ${o.case.note}\n  why: ${o.why}`,
      );
  const misses = missedTargets(reports, true);
  if (misses.length) console.log(`\nTargets missed (${set}):\n- ${misses.join("\n- ")}`);
  else console.log(`\nEvery target holds (${set}).`);
  if ((set === "holdout" || values.dir) && misses.length) failed = true;
}
const ms = performance.now() - started;
console.log(
  `\n${graded} prompts in ${(ms / 1000).toFixed(1)} s (${(ms / Math.max(1, graded)).toFixed(1)} ms each, tokenizer and NLP start included)`,
);
process.exit(failed ? 1 : 0);
