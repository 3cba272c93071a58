// `npm run db:backup`: an online backup of the database into BACKUP_DIR, checked, with retention by BACKUP_KEEP.
// Safe while the app runs. Prints what it did; with --json, one JSON line (the app's scheduler reads it).
// Exit code: 0 backed up, 1 failed (the reason in plain words), 2 bad usage or configuration.
import { parseArgs } from "node:util";
import type { BackupReply } from "~/.server/backup/schedule";
import { summariseTables } from "~/.server/backup/summary";
import { BackupError, takeBackup } from "~/.server/backup/take";
import { ConfigError, config } from "~/.server/config";
import { formatBytes } from "~/domain/human-units";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run db:backup [-- --json]`);
  process.exit(2);
}

let args: { json: boolean; trigger: "scheduled" | "manual" };
try {
  const { values } = parseArgs({
    options: { json: { type: "boolean", default: false }, trigger: { type: "string", default: "manual" } },
  });
  if (values.trigger !== "manual" && values.trigger !== "scheduled") usage("--trigger is manual or scheduled");
  args = { json: values.json ?? false, trigger: values.trigger };
} catch (err) {
  usage((err as Error).message);
}

function reply(value: BackupReply): void {
  if (args.json) console.log(JSON.stringify(value));
}

try {
  const cfg = config();
  const result = await takeBackup({
    databasePath: cfg.DATABASE_PATH,
    backupDir: cfg.BACKUP_DIR,
    keep: cfg.BACKUP_KEEP,
    trigger: args.trigger,
  });
  const m = result.manifest;
  reply({ ok: true, file: m.file, bytes: m.bytes, durationMs: m.durationMs, deleted: result.deleted });
  if (!args.json) {
    const phases = m.phasesMs
      ? ` (counting ${(m.phasesMs.count / 1000).toFixed(1)} s, copying ${(m.phasesMs.copy / 1000).toFixed(1)} s, checking ${(m.phasesMs.check / 1000).toFixed(1)} s)`
      : "";
    console.log(
      `Backed up ${m.source} to ${result.path} (${formatBytes(m.bytes)}) in ${(m.durationMs / 1000).toFixed(1)} s${phases}.`,
    );
    console.log(`Checked: integrity ok; the copy holds what the database held at ${m.takenAt}:`);
    console.log(`  ${summariseTables(m.tables)}`);
    console.log(
      `Keeping the newest ${cfg.BACKUP_KEEP}${result.deleted.length ? `; deleted ${result.deleted.join(", ")}` : ""}.`,
    );
  }
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  const message = err instanceof Error ? err.message : String(err);
  reply({ ok: false, message, busy: err instanceof BackupError && err.busy });
  if (!args.json) console.error(`Backup failed: ${message}`);
  process.exit(1);
}
