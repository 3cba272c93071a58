import { asc, eq, sql } from "drizzle-orm";
import { type ModelRow, models } from "#db/schema";
import { TIERS } from "~/domain/exercise";
import { isChatModel, type ModelInfo, servedName } from "~/domain/models";
import { loadModelCatalogue } from "~/exercises/load.server";
import type { DbLike } from "./db";
import { db, preparedQuery } from "./db";

/**
 * The model catalogue lives in the database, seeded from db/models.yaml (new models only: a price
 * an admin edited in the app is never overwritten by the file).
 */
export function seedModels(database: DbLike, file: string): number {
  let added = 0;
  for (const m of loadModelCatalogue(file)) {
    const inserted = database
      .insert(models)
      .values({ ...m, servedAs: m.servedAs ?? null })
      .onConflictDoNothing()
      .returning({ id: models.id })
      .all();
    added += inserted.length;
    // Which provider serves a model is deployment configuration, read from the file at every start.
    if (inserted.length === 0)
      database
        .update(models)
        .set({ servedAs: m.servedAs ?? null })
        .where(eq(models.id, m.id))
        .run();
  }
  return added;
}

function toInfo(row: ModelRow): ModelInfo {
  return {
    id: row.id,
    provider: row.provider,
    tier: row.tier,
    encoding: row.encoding,
    exactTokenizer: row.exactTokenizer,
    contextWindow: row.contextWindow,
    inputMicrosPerM: row.inputMicrosPerM,
    cachedInputMicrosPerM: row.cachedInputMicrosPerM,
    outputMicrosPerM: row.outputMicrosPerM,
    priceAsOf: row.priceAsOf,
    kind: row.kind,
    servedAs: row.servedAs,
  };
}

export function getModel(id: string, database: DbLike = db()): ModelInfo {
  // Twice per grading job: prepared once per connection.
  const row = preparedQuery(database, "models.get", (d) =>
    d
      .select()
      .from(models)
      .where(eq(models.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id });
  if (!row) throw new Error(`Model "${id}" is not in the model catalogue`);
  return toInfo(row);
}

export function listModels(database: DbLike = db()): ModelInfo[] {
  return database.select().from(models).orderBy(asc(models.inputMicrosPerM), asc(models.id)).all().map(toInfo);
}

/**
 * The models a learner may run an exercise on: its own model and every chat model of the same or a
 * cheaper tier, so picking a smaller model is a legitimate way to save. Embeddings models have a
 * tier (their price class) but cannot run a prompt, so they are never offered. With a provider configured
 * (`servedBy`, its LLM_PROVIDER name), only the models it serves are offered besides the exercise's own, which
 * is then graded offline with the reason stated.
 */
export function allowedModels(
  exerciseModel: ModelInfo,
  database: DbLike = db(),
  servedBy: string | null = null,
): ModelInfo[] {
  const maxTier = TIERS.indexOf(exerciseModel.tier);
  return listModels(database).filter(
    (m) =>
      isChatModel(m) &&
      TIERS.indexOf(m.tier) <= maxTier &&
      (servedBy === null || m.id === exerciseModel.id || servedName(m, servedBy) !== null),
  );
}

export function isAllowedModel(
  exerciseModelId: string,
  modelId: string,
  database: DbLike = db(),
  servedBy: string | null = null,
): boolean {
  const exerciseModel = database.select().from(models).where(eq(models.id, exerciseModelId)).get();
  return exerciseModel ? allowedModels(toInfo(exerciseModel), database, servedBy).some((m) => m.id === modelId) : false;
}

export interface PriceUpdate {
  id: string;
  inputMicrosPerM: number;
  cachedInputMicrosPerM: number;
  outputMicrosPerM: number;
  priceAsOf: string;
}

export function updatePrices(database: DbLike, update: PriceUpdate, userId: number): boolean {
  const { id, ...prices } = update;
  const res = database
    .update(models)
    .set({ ...prices, updatedAt: new Date(), updatedBy: userId })
    .where(eq(models.id, id))
    .run();
  return res.changes === 1;
}
