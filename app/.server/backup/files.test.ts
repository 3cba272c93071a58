import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type BackupEntry,
  type BackupManifest,
  backupFileName,
  isBackupName,
  listBackups,
  readFailure,
  retentionVictims,
  writeFailure,
} from "./files";

const AT = new Date("2026-12-05T19:36:00.123Z");

function manifest(file: string, bytes: number, takenAt = AT.toISOString()): BackupManifest {
  return {
    format: 1,
    file,
    trigger: "manual",
    takenAt,
    durationMs: 12,
    bytes,
    source: "/data/tokenwise.db",
    integrity: "ok",
    tables: { attempts: 3, users: 2 },
    migrations: { applied: 12, latest: 1795955472576 },
  };
}

function entry(file: string, checked: boolean, takenAt: Date): BackupEntry {
  return {
    file,
    path: `/b/${file}`,
    bytes: 10,
    takenAt,
    manifest: checked ? manifest(file, 10, takenAt.toISOString()) : null,
    problem: checked ? null : "it has no manifest, so it was never checked",
  };
}

describe("backup file names", () => {
  it("are the UTC time to the second, with a counter when that second is taken", () => {
    expect(backupFileName(AT, () => false)).toBe("tokenwise-2026-12-05T19-36-00Z.db");
    const taken = new Set(["tokenwise-2026-12-05T19-36-00Z.db", "tokenwise-2026-12-05T19-36-00Z-2.db"]);
    expect(backupFileName(AT, (n) => taken.has(n))).toBe("tokenwise-2026-12-05T19-36-00Z-3.db");
  });

  it("are recognised exactly: partial copies, manifests and other files are not backups", () => {
    expect(isBackupName("tokenwise-2026-12-05T19-36-00Z.db")).toBe(true);
    expect(isBackupName("tokenwise-2026-12-05T19-36-00Z-12.db")).toBe(true);
    for (const name of [
      "tokenwise-2026-12-05T19-36-00Z.db.partial",
      "tokenwise-2026-12-05T19-36-00Z.db.json",
      "tokenwise.db",
      "my-notes.db",
      "tokenwise-2026-12-05T19-36-00Z.db-wal",
      "../tokenwise-2026-12-05T19-36-00Z.db",
    ])
      expect(isBackupName(name), name).toBe(false);
  });
});

describe("retention", () => {
  const t = (h: number) => new Date(AT.getTime() - h * 3_600_000);

  it("deletes checked backups beyond the newest `keep`", () => {
    const list = [entry("a", true, t(0)), entry("b", true, t(1)), entry("c", true, t(2)), entry("d", true, t(3))];
    expect(retentionVictims(list, 2).map((e) => e.file)).toEqual(["c", "d"]);
    expect(retentionVictims(list, 4)).toEqual([]);
  });

  it("never deletes an unchecked backup, nor counts it among the kept", () => {
    const list = [
      entry("bad1", false, t(0)),
      entry("bad2", false, t(1)),
      entry("good1", true, t(2)),
      entry("good2", true, t(3)),
    ];
    expect(retentionVictims(list, 1).map((e) => e.file)).toEqual(["good2"]);
  });
});

describe("listBackups", () => {
  function dirWith(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "tokenwise-backups-"));
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    return dir;
  }

  it("lists backups newest first, and says plainly why one is unchecked", () => {
    const good = "tokenwise-2026-12-05T19-36-00Z.db";
    const older = "tokenwise-2026-12-04T19-36-00Z.db";
    const noManifest = "tokenwise-2026-12-03T10-00-00Z.db";
    const badJson = "tokenwise-2026-12-02T10-00-00Z.db";
    const wrongSize = "tokenwise-2026-12-01T10-00-00Z.db";
    const foreign = "tokenwise-2026-11-30T10-00-00Z.db";
    const dir = dirWith({
      [good]: "x".repeat(10),
      [`${good}.json`]: JSON.stringify(manifest(good, 10)),
      [older]: "x".repeat(7),
      [`${older}.json`]: JSON.stringify(manifest(older, 7, "2026-12-04T19:36:00.000Z")),
      [noManifest]: "x",
      [badJson]: "x",
      [`${badJson}.json`]: "{ not json",
      [wrongSize]: "x".repeat(5),
      [`${wrongSize}.json`]: JSON.stringify(manifest(wrongSize, 4)),
      [foreign]: "x",
      [`${foreign}.json`]: JSON.stringify({ hello: "world" }),
      "notes.txt": "not a backup",
      "tokenwise-2026-12-06T00-00-00Z.db.partial": "half",
    });
    const list = listBackups(dir);
    // Unchecked files are dated by their modification time (now), checked ones by their manifest.
    expect(list.filter((e) => e.manifest).map((e) => [e.file, e.manifest?.bytes])).toEqual([
      [good, 10],
      [older, 7],
    ]);
    expect(list).toHaveLength(6);
    const problems = Object.fromEntries(list.filter((e) => !e.manifest).map((e) => [e.file, e.problem]));
    expect(problems).toEqual({
      [noManifest]: "it has no manifest, so it was never checked",
      [badJson]: `its manifest ${badJson}.json is not valid JSON`,
      [wrongSize]: "its size or name differs from its manifest's (4 bytes)",
      [foreign]: `its manifest ${foreign}.json is not a Tokenwise backup manifest`,
    });
  });

  it("is empty for a folder that does not exist yet, or a file where the folder should be", () => {
    const dir = dirWith({ "a-file": "x" });
    expect(listBackups(join(dir, "nope"))).toEqual([]);
    expect(listBackups(join(dir, "a-file"))).toEqual([]);
  });

  it("keeps a failure record, and ignores one that does not parse", () => {
    const dir = dirWith({});
    expect(readFailure(dir)).toBeNull();
    writeFailure(dir, { at: AT.toISOString(), trigger: "scheduled", message: "The disk is full." });
    expect(readFailure(dir)).toEqual({ at: AT.toISOString(), trigger: "scheduled", message: "The disk is full." });
    writeFileSync(join(dir, "last-failure.json"), '{"at": 3}');
    expect(readFailure(dir)).toBeNull();
    // A folder that cannot hold the record: writing it is best effort and never throws.
    mkdirSync(join(dir, "sub"));
    expect(() =>
      writeFailure(join(dir, "missing", "deeper"), { at: AT.toISOString(), trigger: "manual", message: "x" }),
    ).not.toThrow();
  });
});
