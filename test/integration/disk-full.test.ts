import { type SpawnSyncReturns, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { failureFile } from "~/.server/backup/files";
import { type Finished, preparedDemoDatabase, scriptEnv, tempDir } from "../support/script-process";
import { olderDatabase } from "../support/sqlite-file";

/**
 * A full disk, for real: a small tmpfs mounted where the backup or the restored copy is written, inside a private
 * mount namespace (`unshare`: as root, or as any user where user namespaces are allowed), so nothing outside the
 * process under test sees it. `npm run db:backup` and `npm run db:restore` must say the disk is full in plain
 * words, leave nothing that passes for a backup, and never touch the database.
 */

function mountable(): boolean {
  const probe: SpawnSyncReturns<Buffer> = spawnSync("unshare", [
    "-rm",
    "sh",
    "-c",
    `mount -t tmpfs -o size=64k tmpfs "${tempDir("probe")}"`,
  ]);
  return probe.status === 0;
}

const canMount = mountable();
const FAILURE_FILE = basename(failureFile("/"));
const NODE = `"${process.execPath}" --import tsx`;

/** `script` (sh) inside a private mount namespace, with `env`; what it printed and its exit code. */
function inNamespace(script: string, env: Record<string, string>): Promise<Finished> {
  const child = spawn("unshare", ["-rm", "sh", "-c", script], { env: env as NodeJS.ProcessEnv, stdio: "pipe" });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding("utf8").on("data", (c: string) => {
    stderr += c;
  });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
}

let template: string;
beforeAll(async () => {
  if (canMount) template = await preparedDemoDatabase();
}, 60_000);

describe.skipIf(!canMount)("a full disk", () => {
  it("under BACKUP_DIR: the backup fails saying the disk is full, leaves no partial copy, and records the failure", async () => {
    const dir = tempDir("full-backup");
    copyFileSync(template, join(dir, "app.db"));
    const env = scriptEnv(dir);
    mkdirSync(env.BACKUP_DIR);
    // A quarter of the database's size: the copy cannot fit, the failure record (a few hundred bytes) can.
    const size = Math.ceil(statSync(template).size / 4 / 1024);
    const run = await inNamespace(
      `mount -t tmpfs -o size=${size}k tmpfs "$BACKUP_DIR" || exit 99
       ${NODE} scripts/db-backup.ts; code=$?
       echo "--- listing"; ls -A "$BACKUP_DIR"; echo "--- record"; cat "$BACKUP_DIR/${FAILURE_FILE}"; exit $code`,
      env,
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain(`The disk is full: there was no room to write the backup into ${env.BACKUP_DIR}.`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const [, listing, record] = run.stdout.split(/--- listing\n|--- record\n/);
    expect(listing.trim().split("\n").sort()).toEqual([".backup.lock", FAILURE_FILE].sort());
    expect(JSON.parse(record)).toMatchObject({
      trigger: "manual",
      message: expect.stringMatching(/^The disk is full/),
    });
    // The database was only read.
    expect(statSync(join(dir, "app.db")).size).toBe(statSync(template).size);
  }, 60_000);

  it("beside the database: the restore refuses before it copies, saying how much room it needs, and changes nothing", async () => {
    const dir = tempDir("full-restore");
    const backup = join(dir, "backup.db");
    copyFileSync(template, backup);
    const data = join(dir, "data");
    mkdirSync(data);
    const current = join(dir, "current.db");
    olderDatabase(current, 0);
    const env = scriptEnv(data);
    // Room for the current database, not for the restored copy beside it: refused before anything is written.
    const room = statSync(current).size + 64 * 1024;
    const run = await inNamespace(
      `mount -t tmpfs -o size=${Math.ceil(room / 1024)}k tmpfs "${data}" || exit 99
       cp "${current}" "${env.DATABASE_PATH}"
       sha256sum "${env.DATABASE_PATH}"
       ${NODE} scripts/db-restore.ts "${backup}"; code=$?
       sha256sum "${env.DATABASE_PATH}"; echo "--- listing"; ls -A "${data}"; exit $code`,
      env,
    );
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /^The disk holding .*\/data has \d+ MB free, and restoring .*backup\.db needs about \d+ MB there \(the restored copy/,
    );
    expect(run.stderr).toContain("Nothing was changed.");
    const [hashes, listing] = run.stdout.split("--- listing\n");
    const [before, after] = hashes.trim().split("\n");
    expect(after).toBe(before);
    expect(listing.trim().split("\n").sort()).toEqual([
      basename(env.DATABASE_PATH),
      `${basename(env.DATABASE_PATH)}.lock`,
    ]);
  }, 60_000);
});
