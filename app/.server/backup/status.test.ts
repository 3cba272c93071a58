import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backupFileName, writeFailure } from "./files";
import { backupOverview } from "./status";

const NOW = new Date("2026-12-05T12:00:00Z");
const H = 3_600_000;
const SETTINGS = { BACKUP_INTERVAL_HOURS: 24, BACKUP_KEEP: 7, MAINTENANCE_INTERVAL_SECONDS: 60 };

function dirWith(agesMs: number[], opts: { unchecked?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-status-"));
  for (const age of agesMs) {
    const at = new Date(NOW.getTime() - age);
    const file = backupFileName(at, () => false);
    writeFileSync(join(dir, file), "0123456789");
    if (opts.unchecked) continue;
    writeFileSync(
      join(dir, `${file}.json`),
      JSON.stringify({
        format: 1,
        file,
        trigger: "scheduled",
        takenAt: at.toISOString(),
        durationMs: 5,
        bytes: 10,
        source: "/data/tokenwise.db",
        integrity: "ok",
        tables: { users: 14, attempts: 67, model_calls: 1, exercises: 10 },
        migrations: { applied: 12, latest: 1 },
      }),
    );
  }
  return dir;
}

describe("backupOverview", () => {
  it("is ok when the newest backup is checked and within its interval, and lists what each holds", () => {
    const o = backupOverview({ ...SETTINGS, BACKUP_DIR: dirWith([2 * H, 26 * H]) }, NOW);
    expect(o.health).toEqual({
      level: "ok",
      text: "The newest backup was taken 2 hours ago and checked: it passed SQLite's integrity check and holds every row the database held then.",
    });
    expect(o.schedule).toBe("Every 24 hours, keeping the newest 7.");
    expect(o.backups.map((b) => [b.age, b.size, b.check])).toEqual([
      [
        "2 hours ago",
        "10 bytes",
        "Checked: integrity ok; holds what the database held then: 14 users, 67 attempts, 1 ledger row, 10 exercises (4 tables, 92 rows in all).",
      ],
      [
        "1 day ago",
        "10 bytes",
        "Checked: integrity ok; holds what the database held then: 14 users, 67 attempts, 1 ledger row, 10 exercises (4 tables, 92 rows in all).",
      ],
    ]);
  });

  it("warns when the newest backup is overdue", () => {
    const o = backupOverview({ ...SETTINGS, BACKUP_DIR: dirWith([50 * H]) }, NOW);
    expect(o.health).toEqual({
      level: "warning",
      text: "The newest backup is 2 days old, though one is due every 24 hours.",
    });
  });

  it("names a failure since the newest good backup as a problem, with how old the good one is", () => {
    const dir = dirWith([30 * H]);
    writeFailure(dir, {
      at: new Date(NOW.getTime() - 10 * 60_000).toISOString(),
      trigger: "scheduled",
      message: "The disk is full: there was no room to write the backup into /backups.",
    });
    const o = backupOverview({ ...SETTINGS, BACKUP_DIR: dir }, NOW);
    expect(o.health).toEqual({
      level: "problem",
      text: "The last backup failed 10 minutes ago: The disk is full: there was no room to write the backup into /backups. The newest good backup is 1 day old.",
    });
  });

  it("forgets a failure once a newer backup succeeded", () => {
    const dir = dirWith([H]);
    writeFailure(dir, { at: new Date(NOW.getTime() - 2 * H).toISOString(), trigger: "manual", message: "boom" });
    expect(backupOverview({ ...SETTINGS, BACKUP_DIR: dir }, NOW).health.level).toBe("ok");
  });

  it("says when there is no backup, and when nothing would ever take one", () => {
    const empty = join(tmpdir(), "tokenwise-status-none-does-not-exist");
    expect(backupOverview({ ...SETTINGS, BACKUP_DIR: empty }, NOW).health.level).toBe("warning");
    const off = backupOverview({ ...SETTINGS, BACKUP_DIR: empty, BACKUP_INTERVAL_HOURS: 0 }, NOW);
    expect(off.health).toEqual({
      level: "problem",
      text: "There is no checked backup, and nothing takes one on a schedule. Use Back up now or npm run db:backup.",
    });
    expect(off.schedule).toBe("Scheduled backups are off (BACKUP_INTERVAL_HOURS=0).");
    const noUpkeep = backupOverview({ ...SETTINGS, BACKUP_DIR: empty, MAINTENANCE_INTERVAL_SECONDS: 0 }, NOW);
    expect(noUpkeep.schedule).toBe(
      "Backups are set for every 24 hours, but cannot run: the upkeep that starts them is off (MAINTENANCE_INTERVAL_SECONDS=0).",
    );
    expect(noUpkeep.health.level).toBe("problem");
  });

  it("does not count an unchecked backup as a good one", () => {
    const o = backupOverview({ ...SETTINGS, BACKUP_DIR: dirWith([H], { unchecked: true }) }, NOW);
    expect(o.health.level).toBe("warning");
    expect(o.health.text).toMatch(/^There is no checked backup yet/);
    expect(o.backups[0]).toMatchObject({
      checked: false,
      check: "Not checked: it has no manifest, so it was never checked.",
    });
  });
});
