import { formatBytes, formatHours, formatSpan } from "~/domain/human-units";
import type { Config } from "../config";
import { type BackupEntry, listBackups, readFailure } from "./files";
import { type BackupOutcome, type BackupTrigger, backupProcessStatus } from "./schedule";
import { summariseTables } from "./summary";

/** The backups as the admin page shows them: one sentence on their health, then each backup and what it holds. */

export type HealthLevel = "ok" | "warning" | "problem";

export interface BackupRow {
  file: string;
  takenAt: string;
  age: string;
  size: string;
  trigger: BackupTrigger | null;
  /** "Checked: …" or why it is not. */
  check: string;
  checked: boolean;
}

export interface BackupOverview {
  dir: string;
  schedule: string;
  health: { level: HealthLevel; text: string };
  running: string | null;
  /** A failure since the newest good backup, in plain words; null when there is none. */
  failure: string | null;
  /** This process's last "Back up now" or scheduled run that found another backup running. */
  note: string | null;
  backups: BackupRow[];
}

type Settings = Pick<Config, "BACKUP_DIR" | "BACKUP_INTERVAL_HOURS" | "BACKUP_KEEP" | "MAINTENANCE_INTERVAL_SECONDS">;

/** Past one interval, a backup is due; this much more without one (upkeep ticks, a slow copy) and it is late. */
const LATE_GRACE_MS = 15 * 60_000;
const LONG_RUN_MS = 60 * 60_000;

function row(entry: BackupEntry, now: Date): BackupRow {
  const m = entry.manifest;
  return {
    file: entry.file,
    takenAt: entry.takenAt.toISOString(),
    age: `${formatSpan(now.getTime() - entry.takenAt.getTime())} ago`,
    size: formatBytes(entry.bytes),
    trigger: m?.trigger ?? null,
    check: m
      ? `Checked: integrity ok; holds what the database held then: ${summariseTables(m.tables)}.`
      : `Not checked: ${entry.problem}.`,
    checked: m !== null,
  };
}

function scheduleText(s: Settings): string {
  if (!(s.BACKUP_INTERVAL_HOURS > 0)) return "Scheduled backups are off (BACKUP_INTERVAL_HOURS=0).";
  if (!(s.MAINTENANCE_INTERVAL_SECONDS > 0))
    return `Backups are set for every ${formatHours(s.BACKUP_INTERVAL_HOURS)}, but cannot run: the upkeep that starts them is off (MAINTENANCE_INTERVAL_SECONDS=0).`;
  return `Every ${formatHours(s.BACKUP_INTERVAL_HOURS)}, keeping the newest ${s.BACKUP_KEEP}.`;
}

function latestFailure(dir: string, outcome: BackupOutcome | null): { at: Date; message: string } | null {
  const recorded = readFailure(dir);
  const candidates = [
    recorded && { at: new Date(recorded.at), message: recorded.message },
    outcome && !outcome.ok && !outcome.busy ? { at: outcome.at, message: outcome.message } : null,
  ].filter((c): c is { at: Date; message: string } => c !== null);
  return candidates.sort((a, b) => b.at.getTime() - a.at.getTime())[0] ?? null;
}

function health(s: Settings, newest: BackupEntry | undefined, failure: string | null, now: Date) {
  const scheduled = s.BACKUP_INTERVAL_HOURS > 0 && s.MAINTENANCE_INTERVAL_SECONDS > 0;
  const age = newest ? now.getTime() - newest.takenAt.getTime() : null;
  const newestText = newest ? `The newest good backup is ${formatSpan(age ?? 0)} old.` : "There is no good backup.";
  if (failure) return { level: "problem" as const, text: `${failure} ${newestText}` };
  if (!newest)
    return scheduled
      ? {
          level: "warning" as const,
          text: "There is no checked backup yet. The first starts at the next upkeep run, or use Back up now.",
        }
      : {
          level: "problem" as const,
          text: "There is no checked backup, and nothing takes one on a schedule. Use Back up now or npm run db:backup.",
        };
  const interval = s.BACKUP_INTERVAL_HOURS * 3_600_000;
  if (scheduled && (age ?? 0) > interval + LATE_GRACE_MS)
    return {
      level: "warning" as const,
      text: `The newest backup is ${formatSpan(age ?? 0)} old, though one is due every ${formatHours(s.BACKUP_INTERVAL_HOURS)}.`,
    };
  if (!scheduled)
    return {
      level: "warning" as const,
      text: `Nothing takes backups on a schedule. The newest backup is ${formatSpan(age ?? 0)} old.`,
    };
  return {
    level: "ok" as const,
    text: `The newest backup was taken ${formatSpan(age ?? 0)} ago and checked: it passed SQLite's integrity check and holds every row the database held then.`,
  };
}

export function backupOverview(s: Settings, now: Date): BackupOverview {
  const entries = listBackups(s.BACKUP_DIR);
  const newest = entries.find((e) => e.manifest);
  const { running, lastOutcome } = backupProcessStatus();
  const failed = latestFailure(s.BACKUP_DIR, lastOutcome);
  const failure =
    failed && (!newest || failed.at > newest.takenAt)
      ? `The last backup failed ${formatSpan(now.getTime() - failed.at.getTime())} ago: ${failed.message}`
      : null;
  const runningFor = running ? now.getTime() - running.startedAt.getTime() : 0;
  const h = health(s, newest, failure, now);
  return {
    dir: s.BACKUP_DIR,
    schedule: scheduleText(s),
    health:
      running && runningFor > LONG_RUN_MS
        ? { level: "warning", text: `${h.text} A backup has been running for ${formatSpan(runningFor)}.` }
        : h,
    running: running ? `A ${running.trigger} backup has been running for ${formatSpan(runningFor)}.` : null,
    failure,
    note: lastOutcome?.busy
      ? `${lastOutcome.message} (${formatSpan(now.getTime() - lastOutcome.at.getTime())} ago)`
      : null,
    backups: entries.map((e) => row(e, now)),
  };
}
