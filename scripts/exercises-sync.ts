// `npm run exercises:sync`: loads exercises/ into the database; prints what changed.
import { config } from "~/.server/config";
import { ContentError, syncContent } from "~/.server/content";
import { db } from "~/.server/db";

try {
  const report = syncContent(db(), config().EXERCISES_DIR);
  console.log(`${report.courses} courses, ${report.exercises} exercises, ${report.lessons} lessons`);
  console.log(`new versions: ${report.newVersions.join(", ") || "none"}`);
  if (report.archived.length) console.log(`archived (file removed): ${report.archived.join(", ")}`);
} catch (err) {
  if (!(err instanceof ContentError)) throw err;
  console.error(err.message);
  process.exit(1);
}
