// `npm run db:restore -- <backup file>`: puts a backup in place of the database (DATABASE_PATH) while the app is
// stopped. Refuses while any Tokenwise process has the database open; keeps the replaced database beside it;
// applies the migrations the backup lacks; prints what it restored.
// Exit code: 0 restored, 1 refused or failed (the database is then untouched), 2 bad usage or configuration.
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { RestoreError, restoreDatabase } from "~/.server/backup/restore";
import { summariseTables } from "~/.server/backup/summary";
import { ConfigError, config } from "~/.server/config";
import { LockBusyError } from "~/.server/db-lock";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run db:restore -- <backup file>`);
  process.exit(2);
}

let file: string;
try {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  if (positionals.length !== 1) usage("Name one backup file to restore.");
  // npm runs scripts in the package's folder; a relative path means one from where the command was typed.
  file = resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]);
} catch (err) {
  usage((err as Error).message);
}

try {
  const report = await restoreDatabase({ file, databasePath: config().DATABASE_PATH });
  console.log(`Restored ${report.databasePath}`);
  console.log(`  from ${report.file}`);
  console.log(
    report.manifest
      ? `  a backup taken at ${report.manifest.takenAt}; it matches its manifest (${report.manifest.file}.json)`
      : "  (no manifest beside it: its time and row counts could not be compared)",
  );
  console.log("  integrity check: ok");
  console.log(
    `  migrations applied now: ${report.migrationsApplied.length ? report.migrationsApplied.join(", ") : "none (it was up to date)"}`,
  );
  console.log(`  it holds ${summariseTables(report.tables)}`);
  console.log(`  newest attempt: ${report.newestAttemptAt?.toISOString() ?? "none"}`);
  if (report.ungradedAttempts > 0)
    console.log(
      `  ${report.ungradedAttempts} attempts were still being graded when the backup was taken; the app takes them up as after a crash (a live grading job once its lease has run out)`,
    );
  console.log(
    report.replacedKeptAt
      ? `The database it replaced is kept at ${report.replacedKeptAt} (delete it once you are satisfied).`
      : "There was no database there before.",
  );
  console.log("Start the app: npm start");
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof RestoreError || err instanceof LockBusyError) {
    console.error(err.message);
    console.error("Nothing was changed.");
    process.exit(1);
  }
  throw err;
}
