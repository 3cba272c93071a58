import { and, asc, eq, sql } from "drizzle-orm";
import { attempts, exercises, exerciseVersions } from "#db/schema";
import type { DbLike } from "../db";
import { collapseUnchanged, type DiffRow, diffLines, summariseDiff } from "./line-diff";

/**
 * The published history of an exercise. Versions are immutable and attempts point at the version
 * they were graded on, so this module only reads them; archiving changes the exercise's status,
 * never a version.
 */

export interface VersionRow {
  id: number;
  version: number;
  createdAt: Date;
  contentHash: string;
  attempts: number;
  current: boolean;
}

export function listVersions(database: DbLike, slug: string) {
  const exercise = database.select().from(exercises).where(eq(exercises.slug, slug)).get();
  if (!exercise) return null;
  const versions: VersionRow[] = database
    .select({
      id: exerciseVersions.id,
      version: exerciseVersions.version,
      createdAt: exerciseVersions.createdAt,
      contentHash: exerciseVersions.contentHash,
      attempts: sql<number>`count(${attempts.id})`,
    })
    .from(exerciseVersions)
    .leftJoin(attempts, eq(attempts.exerciseVersionId, exerciseVersions.id))
    .where(eq(exerciseVersions.exerciseId, exercise.id))
    .groupBy(exerciseVersions.id)
    .orderBy(asc(exerciseVersions.version))
    .all()
    .map((v) => ({ ...v, current: v.id === exercise.currentVersionId }));
  return {
    exercise: { slug: exercise.slug, status: exercise.status, source: exercise.source },
    versions,
  };
}

export interface VersionDiff {
  from: number;
  to: number;
  rows: DiffRow[];
  added: number;
  removed: number;
}

/** A line diff of two versions' source texts, or null when either version does not exist. */
export function diffVersions(database: DbLike, slug: string, from: number, to: number): VersionDiff | null {
  const text = (version: number) =>
    database
      .select({ sourceText: exerciseVersions.sourceText })
      .from(exerciseVersions)
      .innerJoin(exercises, eq(exercises.id, exerciseVersions.exerciseId))
      .where(and(eq(exercises.slug, slug), eq(exerciseVersions.version, version)))
      .get()?.sourceText;
  const a = text(from);
  const b = text(to);
  if (a === undefined || b === undefined) return null;
  const lines = diffLines(a, b);
  return { from, to, rows: collapseUnchanged(lines), ...summariseDiff(lines) };
}

export type StatusChange = { ok: true } | { ok: false; message: string };

/**
 * Archived exercises disappear from learners (the learner catalogue only serves published ones);
 * their attempts and versions stay. Only an exercise with a published version can be restored.
 */
export function setArchived(database: DbLike, slug: string, archived: boolean): StatusChange {
  const exercise = database.select().from(exercises).where(eq(exercises.slug, slug)).get();
  if (!exercise) return { ok: false, message: `There is no exercise "${slug}".` };
  if (archived && exercise.status !== "published")
    return { ok: false, message: "Only a published exercise can be archived." };
  if (!archived && (exercise.status !== "archived" || exercise.currentVersionId === null))
    return { ok: false, message: "Only an archived exercise with a published version can be restored." };
  database
    .update(exercises)
    .set({ status: archived ? "archived" : "published" })
    .where(eq(exercises.id, exercise.id))
    .run();
  return { ok: true };
}
