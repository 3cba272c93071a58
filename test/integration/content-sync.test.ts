import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { exercises, exerciseVersions } from "#db/schema";
import { ContentError, syncContent } from "~/.server/content";
import { openDb } from "~/.server/db";
import { getFileLessons } from "~/.server/file-lessons";

function tempContent() {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-content-"));
  cpSync("exercises", dir, { recursive: true });
  return { dir, database: openDb(join(dir, "sync.db")) };
}

function firstExerciseFile(dir: string): string {
  const course = readdirSync(dir, { withFileTypes: true }).find((d) => d.isDirectory())!.name;
  const file = readdirSync(join(dir, course)).find((f) => f !== "course.yaml" && f.endsWith(".yaml"))!;
  return join(dir, course, file);
}

describe("syncing exercises/ into the database", () => {
  it("stores a new version only when an exercise's content changed", () => {
    const { dir, database } = tempContent();
    const first = syncContent(database, dir);
    expect(first.newVersions.length).toBe(first.exercises);
    expect(first.exercises).toBeGreaterThanOrEqual(8);

    const again = syncContent(database, dir);
    expect(again.newVersions).toEqual([]);

    const file = firstExerciseFile(dir);
    const text = readFileSync(file, "utf8");
    writeFileSync(file, `${text}\n# a comment only: same content\n`);
    expect(syncContent(database, dir).newVersions).toEqual([]);

    writeFileSync(
      file,
      text.replace(/^pass_mark: (\d+)/m, (_, n) => `pass_mark: ${Number(n) - 1}`),
    );
    const changed = syncContent(database, dir);
    expect(changed.newVersions).toHaveLength(1);
    const slug = changed.newVersions[0];
    const ex = database.select().from(exercises).where(eq(exercises.slug, slug)).get()!;
    const versions = database.select().from(exerciseVersions).where(eq(exerciseVersions.exerciseId, ex.id)).all();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(ex.currentVersionId).toBe(versions[1].id);
    database.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("archives an exercise whose file was removed, and refuses a broken file naming file and line", () => {
    const { dir, database } = tempContent();
    syncContent(database, dir);
    const file = firstExerciseFile(dir);
    const text = readFileSync(file, "utf8");
    rmSync(file);
    const report = syncContent(database, dir);
    expect(report.archived).toHaveLength(1);

    writeFileSync(file, text.replace(/^difficulty: \d+/m, "difficulty: hard"));
    expect(() => syncContent(database, dir)).toThrow(ContentError);
    try {
      syncContent(database, dir);
    } catch (err) {
      expect((err as Error).message).toMatch(/\.yaml:\d+:\d+ difficulty: /);
    }
    database.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("stores lesson files per course, replaces them on every sync and refuses a broken one naming file and line", () => {
    const { dir, database } = tempContent();
    const lessons = join(dir, "prompt-compression", "lessons");
    rmSync(lessons, { recursive: true, force: true });
    mkdirSync(lessons, { recursive: true });
    writeFileSync(join(lessons, "01-why.md"), "---\ntitle: Why it costs\n---\nEvery token is billed.\n");
    writeFileSync(join(lessons, "02-later.md"), "---\ntitle: Later on\nafter: 2\n---\nMore.\n");
    expect(syncContent(database, dir).lessons).toBeGreaterThanOrEqual(2);
    expect(getFileLessons(database, "prompt-compression").map((l) => [l.slug, l.afterPosition])).toEqual([
      ["why", 0],
      ["later", 2],
    ]);

    rmSync(join(lessons, "02-later.md"));
    writeFileSync(join(lessons, "01-why.md"), "---\ntitle: Why it costs money\n---\nEdited.\n");
    syncContent(database, dir);
    expect(getFileLessons(database, "prompt-compression")).toEqual([
      { slug: "why", title: "Why it costs money", afterPosition: 0, markdown: "Edited." },
    ]);

    writeFileSync(join(lessons, "03-bad.md"), "---\ntitle: Bad\nafter: -1\n---\nX\n");
    expect(() => syncContent(database, dir)).toThrow(/lessons\/03-bad\.md:3:1 after: must be at least 0/);
    expect(getFileLessons(database, "prompt-compression")).toHaveLength(1);

    rmSync(lessons, { recursive: true, force: true });
    syncContent(database, dir);
    expect(getFileLessons(database, "prompt-compression")).toEqual([]);
    database.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
