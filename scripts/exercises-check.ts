// `npm run exercises:check`: validates every course, exercise and the model catalogue, printing
// each error as `file:line:column field: message` (the form editors turn into links), one per line.
import { loadLessons } from "~/exercises/lesson-files.server";
import { loadContent, loadModelCatalogue } from "~/exercises/load.server";

const root = process.argv[2] ?? process.env.EXERCISES_DIR ?? "exercises";
const modelsFile = process.env.MODELS_FILE ?? "db/models.yaml";

const content = loadContent(root, modelsFile, { figures: true });
const { courses, exercises } = content;
// A broken catalogue is reported by loadContent; the lessons' prices are then checked against nothing.
const catalogue = (() => {
  try {
    return loadModelCatalogue(modelsFile);
  } catch {
    return [];
  }
})();
const lessons = loadLessons(root, { catalogue });
const errors = [...content.errors, ...lessons.errors];
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const counts = `${plural(courses.length, "course")}, ${plural(exercises.length, "exercise")}, ${plural(lessons.lessons.length, "lesson")}`;

if (errors.length > 0) {
  for (const error of errors) console.error(error.message);
  console.error(`\n${plural(errors.length, "error")} (${counts} valid)`);
  process.exit(1);
}
console.log(`${counts} OK`);
