import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { z } from "zod";
import { type Config, config } from "../config";
import { log } from "../log";
import { listBackups, readFailure } from "./files";

/**
 * Backups on a schedule, checked on each upkeep run (app/.server/maintenance.ts), and "Back up now" on the admin
 * page. Either way the backup runs as `scripts/db-backup.ts` in a process of its own: copying and checking a large
 * database takes seconds of CPU (integrity_check reads every page), which belong on the other core, not on the
 * event loop that serves pages. The backup directory is the record of what was done (app/.server/backup/files.ts);
 * this module adds what only this process knows: a backup it is running, and how the last one it started ended.
 */

export type BackupTrigger = "scheduled" | "manual";
export type BackupTick = "off" | "running" | "not due" | "started";

/** After a failure, the next scheduled try waits this long (or one interval, if shorter), not one upkeep tick. */
export const RETRY_AFTER_FAILURE_MS = 60 * 60_000;

const BACKUP_SCRIPT = "scripts/db-backup.ts";

export interface BackupOutcome {
  at: Date;
  trigger: BackupTrigger;
  ok: boolean;
  /** Another backup was running, so this one did not start: not a failure. */
  busy: boolean;
  message: string;
}

interface Running {
  trigger: BackupTrigger;
  startedAt: Date;
  child: ChildProcess;
}

let running: Running | null = null;
let lastOutcome: BackupOutcome | null = null;

export function backupProcessStatus(): {
  running: { trigger: BackupTrigger; startedAt: Date } | null;
  lastOutcome: BackupOutcome | null;
} {
  return {
    running: running && { trigger: running.trigger, startedAt: running.startedAt },
    lastOutcome,
  };
}

/** What scripts/db-backup.ts prints as its last line with --json. */
export const backupReplySchema = z.union([
  z.object({
    ok: z.literal(true),
    file: z.string(),
    bytes: z.number(),
    durationMs: z.number(),
    deleted: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), message: z.string(), busy: z.boolean() }),
]);
export type BackupReply = z.infer<typeof backupReplySchema>;

function outcomeOf(
  stdout: string,
  code: number | null,
  signal: NodeJS.Signals | null,
): Omit<BackupOutcome, "at" | "trigger"> {
  const last = stdout.trim().split("\n").pop() ?? "";
  let reply: BackupReply | null = null;
  try {
    const parsed = backupReplySchema.safeParse(JSON.parse(last));
    if (parsed.success) reply = parsed.data;
  } catch {
    // Not JSON: the process died before it could answer.
  }
  if (reply?.ok) return { ok: true, busy: false, message: `Backed up to ${reply.file}.` };
  if (reply) return { ok: false, busy: reply.busy, message: reply.message };
  if (signal)
    return { ok: false, busy: false, message: `The backup process was stopped by ${signal} before it finished.` };
  return { ok: false, busy: false, message: `The backup process ended with exit code ${code} without a report.` };
}

/** Starts a backup process unless one this process started is still running. */
export function startBackupProcess(
  trigger: BackupTrigger,
  logger: Pick<typeof log, "error" | "info"> = log,
): "started" | "running" {
  if (running) return "running";
  const child = spawn(process.execPath, ["--import", "tsx", resolve(BACKUP_SCRIPT), "--json", "--trigger", trigger], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const current: Running = { trigger, startedAt: new Date(), child };
  running = current;
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const finish = (outcome: Omit<BackupOutcome, "at" | "trigger">) => {
    if (running !== current) return;
    running = null;
    lastOutcome = { ...outcome, at: new Date(), trigger };
    if (outcome.ok) logger.info(`backup: ${outcome.message}`);
    else logger.error(`backup: ${outcome.message}${stderr ? `\n${stderr.trim()}` : ""}`);
  };
  child.on("error", (err) =>
    finish({ ok: false, busy: false, message: `The backup process could not start: ${err.message}` }),
  );
  child.on("close", (code, signal) => finish(outcomeOf(stdout, code, signal)));
  return "started";
}

/** Whether a scheduled backup is due: none yet, or the newest is one interval old, and no failure in the last while. */
export function backupDue(at: {
  intervalHours: number;
  newest: Date | null;
  lastFailure: Date | null;
  now: Date;
}): boolean {
  if (!(at.intervalHours > 0)) return false;
  const interval = at.intervalHours * 3_600_000;
  const now = at.now.getTime();
  if (at.newest && now - at.newest.getTime() < interval) return false;
  if (at.lastFailure && now - at.lastFailure.getTime() < Math.min(interval, RETRY_AFTER_FAILURE_MS)) return false;
  return true;
}

/** The newest failure known: this process's last outcome, or the directory's record (a CLI run's, a past process's). */
export function lastFailureAt(dir: string): Date | null {
  const recorded = readFailure(dir);
  const times = [
    recorded && new Date(recorded.at),
    lastOutcome && !lastOutcome.ok && !lastOutcome.busy ? lastOutcome.at : null,
  ];
  const known = times.filter((t): t is Date => t !== null);
  return known.length ? new Date(Math.max(...known.map((t) => t.getTime()))) : null;
}

/** The upkeep's backup job: starts a backup process when one is due; never waits for it. */
export function startBackupIfDue(
  now: Date,
  cfg: Pick<Config, "BACKUP_DIR" | "BACKUP_INTERVAL_HOURS"> = config(),
  start: (trigger: BackupTrigger) => "started" | "running" = startBackupProcess,
): BackupTick {
  if (!(cfg.BACKUP_INTERVAL_HOURS > 0)) return "off";
  if (running) return "running";
  // A backup dated after now (the clock was set back) is not the newest: else every tick would find one due.
  const newest = listBackups(cfg.BACKUP_DIR).find((e) => e.manifest && e.takenAt <= now)?.takenAt ?? null;
  const due = backupDue({
    intervalHours: cfg.BACKUP_INTERVAL_HOURS,
    newest,
    lastFailure: lastFailureAt(cfg.BACKUP_DIR),
    now,
  });
  if (!due) return "not due";
  return start("scheduled");
}
