import { rmSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { type UsageSource, usageImports } from "#db/schema";
import { config } from "~/.server/config";
import type { Db, DbLike } from "~/.server/db";
import { log } from "~/.server/log";
import { type BadRowPolicy, describeError, type ImportError, startImport } from "./import-run";
import { IMPORTERS } from "./importers";
import type { PullSourceName } from "./pull-sources";
import { runPull } from "./pulls";
import type { UsageReader } from "./reader";

/**
 * Imports started from the admin's page run in the background of the server process: the upload is on disk,
 * the import row exists (its id is what the page polls), and the page returns at once. The file is deleted when
 * the import ends, whatever the outcome. If the server stops mid-import the row stops beating and upkeep marks
 * it interrupted (markInterrupted); importing the file again finishes the job.
 */

const running = new Set<Promise<unknown>>();

export function startFileImport(
  database: Db,
  file: { path: string; filename: string; size: number },
  options: { source: UsageSource; policy: BadRowPolicy; createdBy: number },
): number {
  const importer = IMPORTERS[options.source];
  if (!importer) throw new Error(`no file importer for ${options.source}`);
  const id = startImport(
    database,
    { source: options.source, origin: file.filename, policy: options.policy },
    file.size,
  );
  const job = importer(database, file.path, file.filename, {
    policy: options.policy,
    createdBy: options.createdBy,
    importId: id,
  })
    .catch((error: unknown) => {
      log.error(`usage import ${id} failed`, error instanceof Error ? error.message : String(error));
      database
        .update(usageImports)
        .set({
          status: "failed",
          finishedAt: new Date(),
          message: "The import failed unexpectedly; the server log has the details.",
        })
        .where(eq(usageImports.id, id))
        .run();
    })
    .finally(() => {
      rmSync(file.path, { force: true });
      running.delete(job);
    });
  running.add(job);
  return id;
}

/**
 * Starts a pull now (the admin's "Pull now"), in the background, unless one of that source is already running in
 * this process. Its import row appears on the page as it starts.
 */
export function startPullNow(database: Db, source: PullSourceName): boolean {
  if (pulling.has(source)) return false;
  pulling.add(source);
  const job = runPull(database, source, config(), new Date(), { deadline: Date.now() + 10 * 60_000 })
    .catch((error: unknown) =>
      log.error(`usage pull of ${source} failed`, error instanceof Error ? error.message : String(error)),
    )
    .finally(() => {
      pulling.delete(source);
      running.delete(job);
    });
  running.add(job);
  return true;
}

const pulling = new Set<PullSourceName>();

/** Resolves when the background imports of this process have ended (tests, graceful stops). */
export async function importsSettled(): Promise<void> {
  await Promise.all([...running]);
}

export interface ImportView {
  id: number;
  source: UsageSource;
  origin: string;
  policy: BadRowPolicy;
  status: "running" | "done" | "refused" | "failed";
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  rowsAdded: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsSkipped: number;
  rowsBad: number;
  /** Each bad row as "line 12, EffectiveCost: …". */
  errors: string[];
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
}

const UNITS: Record<UsageSource, UsageReader["unit"]> = {
  focus: "line",
  openai: "result",
  anthropic: "result",
  litellm: "result",
};

function view(row: typeof usageImports.$inferSelect): ImportView {
  const unit = row.origin.toLowerCase().endsWith(".parquet") ? "row" : UNITS[row.source];
  return {
    id: row.id,
    source: row.source,
    origin: row.origin,
    policy: row.policy,
    status: row.status,
    bytesRead: row.bytesRead,
    bytesTotal: row.bytesTotal,
    rowsRead: row.rowsRead,
    rowsAdded: row.rowsAdded,
    rowsUpdated: row.rowsUpdated,
    rowsUnchanged: row.rowsUnchanged,
    rowsSkipped: row.rowsSkipped,
    rowsBad: row.rowsBad,
    errors: (row.errors as ImportError[]).map((e) => describeError(unit, e)),
    message: row.message,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function importView(database: DbLike, id: number): ImportView | null {
  const row = database.select().from(usageImports).where(eq(usageImports.id, id)).get();
  return row ? view(row) : null;
}

export function recentImports(database: DbLike, limit = 20): ImportView[] {
  return database.select().from(usageImports).orderBy(desc(usageImports.id)).limit(limit).all().map(view);
}
