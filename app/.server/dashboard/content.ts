import { asc, eq, sql } from "drizzle-orm";
import { courses, exercises, exerciseVersions, models } from "#db/schema";
import { callsPerMonth } from "~/domain/cost";
import type { DbLike } from "../db";
import type { SkillArea } from "./progress";

/**
 * What the dashboard and leaderboards need of exercise content, read with json_extract so the
 * (large) exercise JSON is never parsed per attempt.
 */

export interface VersionMeta {
  exerciseId: number;
  skill: SkillArea;
  difficulty: number;
  tier: string;
  callsPerMonth: number;
}

/** Every exercise version's skill, difficulty, tier and volume: few rows, looked up per attempt. */
export function versionMeta(database: DbLike): Map<number, VersionMeta> {
  const rows = database
    .select({
      id: exerciseVersions.id,
      exerciseId: exerciseVersions.exerciseId,
      skill: sql<SkillArea>`json_extract(${exerciseVersions.content}, '$.skill')`,
      difficulty: sql<number>`json_extract(${exerciseVersions.content}, '$.difficulty')`,
      tier: sql<string>`json_extract(${exerciseVersions.content}, '$.tier')`,
      calls: sql<number>`json_extract(${exerciseVersions.content}, '$.volume.calls')`,
      per: sql<"day" | "month">`json_extract(${exerciseVersions.content}, '$.volume.per')`,
    })
    .from(exerciseVersions)
    .all();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        exerciseId: r.exerciseId,
        skill: r.skill,
        difficulty: r.difficulty,
        tier: r.tier,
        callsPerMonth: callsPerMonth({ calls: r.calls, per: r.per }),
      },
    ]),
  );
}

export interface ExerciseInfo {
  id: number;
  slug: string;
  title: string;
  courseId: number;
  skill: SkillArea;
  published: boolean;
}

/** Every exercise as its current version describes it (archived ones too: old attempts point at them). */
export function exerciseInfo(database: DbLike): Map<number, ExerciseInfo> {
  const rows = database
    .select({
      id: exercises.id,
      slug: exercises.slug,
      courseId: exercises.courseId,
      status: exercises.status,
      courseStatus: courses.status,
      title: sql<string | null>`json_extract(${exerciseVersions.content}, '$.title')`,
      skill: sql<SkillArea>`json_extract(${exerciseVersions.content}, '$.skill')`,
    })
    .from(exercises)
    .innerJoin(courses, eq(courses.id, exercises.courseId))
    .leftJoin(exerciseVersions, eq(exerciseVersions.id, exercises.currentVersionId))
    .orderBy(asc(courses.position), asc(exercises.position))
    .all();
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        slug: r.slug,
        title: r.title ?? r.slug,
        courseId: r.courseId,
        skill: r.skill,
        published: r.status === "published" && r.courseStatus === "published",
      },
    ]),
  );
}

/** Model id → tier, for the tier factor of the model an attempt actually ran on. */
export function modelTiers(database: DbLike): Map<string, string> {
  return new Map(
    database
      .select({ id: models.id, tier: models.tier })
      .from(models)
      .all()
      .map((m) => [m.id, m.tier]),
  );
}
