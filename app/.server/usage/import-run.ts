import { and, eq, lt } from "drizzle-orm";
import { type UsageSource, usageImports } from "#db/schema";
import type { Db } from "~/.server/db";
import { reconcile, writeCostLines } from "./cost-reports";
import { type CostLine, FileError, type ReadItem, type UsageReader } from "./reader";
import { reattribute } from "./reattribution";
import type { UsageRow } from "./row";
import { UsageStore } from "./store";

/**
 * One import run, from the first byte to the summary. With the "keep" policy bad rows are reported and every
 * good row is written; with "refuse" the whole input is checked first and nothing is written if any row is bad.
 * Rows are written in batches of BATCH, each batch in its own transaction with the import's counters, so the
 * app stays responsive, the counters are the progress a page shows, and an import killed halfway leaves what it
 * wrote consistent: importing the same file again finishes it without counting anything twice (the keys are
 * stable, the store writes only what changed).
 */

export type BadRowPolicy = "refuse" | "keep";

export interface ImportError {
  at: number;
  field: string;
  message: string;
}

export interface ImportSummary {
  id: number;
  status: "done" | "refused" | "failed";
  rowsRead: number;
  rowsAdded: number;
  rowsUpdated: number;
  rowsUnchanged: number;
  rowsSkipped: number;
  rowsBad: number;
  /** Providers' billed amounts read (cost reports), kept beside the usage (usage/cost-reports.ts). */
  billedAmounts: number;
  errors: ImportError[];
  message: string;
  unit: UsageReader["unit"];
}

export interface ImportOptions {
  source: UsageSource;
  origin: string;
  policy: BadRowPolicy;
  createdBy?: number | null;
  /** Called after each batch, e.g. for a CLI progress bar. */
  onProgress?: (progress: { bytesRead: number; bytesTotal: number | null; rowsRead: number; phase: Phase }) => void;
  /**
   * Called once rows are written; by default, the days they touched are attributed again (usage/reattribution.ts:
   * by this process's one run, which also takes any other marked days).
   */
  afterWrite?: (database: Db) => unknown;
  /** How a key seen twice in one input counts (see UsageStore.write): FOCUS rows add, report buckets replace. */
  duplicates?: "add" | "replace";
  clock?: () => Date;
}

export type Phase = "checking" | "writing";

export const BATCH = 2_000;
const DAY_MS = 86_400_000;
/** Errors kept on the import (the count covers all of them). */
export const MAX_ERRORS = 100;
/** A running import that has not written a batch for this long was interrupted. */
export const INTERRUPTED_AFTER_MS = 10 * 60_000;

const PHASE_MESSAGE: Record<Phase, string> = {
  checking: "Checking every row first: the file is refused if any row is bad.",
  writing: "Writing rows.",
};

export function describeError(unit: UsageReader["unit"], e: ImportError): string {
  return `${unit} ${e.at}, ${e.field}: ${e.message}`;
}

/** Creates the import's row; its id is what a page polls for progress. */
export function startImport(database: Db, options: ImportOptions, bytesTotal: number | null): number {
  const now = (options.clock ?? (() => new Date()))();
  return database
    .insert(usageImports)
    .values({
      source: options.source,
      origin: options.origin.slice(0, 300),
      policy: options.policy,
      bytesTotal,
      createdBy: options.createdBy ?? null,
      startedAt: now,
      beatAt: now,
      message: PHASE_MESSAGE[options.policy === "refuse" ? "checking" : "writing"],
    })
    .returning({ id: usageImports.id })
    .get().id;
}

/** Reads the input and writes its rows under the policy; never throws for bad input (the summary says). */
export async function runImport(
  database: Db,
  reader: UsageReader,
  options: ImportOptions,
  existingId?: number,
): Promise<ImportSummary> {
  const clock = options.clock ?? (() => new Date());
  const id = existingId ?? startImport(database, options, reader.bytesTotal);
  const summary: ImportSummary = {
    id,
    status: "done",
    rowsRead: 0,
    rowsAdded: 0,
    rowsUpdated: 0,
    rowsUnchanged: 0,
    rowsSkipped: 0,
    rowsBad: 0,
    billedAmounts: 0,
    errors: [],
    message: "",
    unit: reader.unit,
  };
  const store = new UsageStore(database);
  const afterWrite = options.afterWrite ?? ((d: Db) => reattribute(d));
  const beat = (phase: Phase, extra: Partial<typeof usageImports.$inferInsert> = {}) => {
    database
      .update(usageImports)
      .set({
        bytesRead: reader.bytesRead(),
        rowsRead: summary.rowsRead,
        rowsAdded: summary.rowsAdded,
        rowsUpdated: summary.rowsUpdated,
        rowsUnchanged: summary.rowsUnchanged,
        rowsSkipped: summary.rowsSkipped,
        rowsBad: summary.rowsBad,
        errors: summary.errors,
        message: PHASE_MESSAGE[phase],
        beatAt: clock(),
        ...extra,
      })
      .where(eq(usageImports.id, id))
      .run();
    options.onProgress?.({
      bytesRead: reader.bytesRead(),
      bytesTotal: reader.bytesTotal,
      rowsRead: summary.rowsRead,
      phase,
    });
  };
  const finish = (status: ImportSummary["status"], message: string) => {
    summary.status = status;
    summary.message = message;
    beat("writing", { status, message, finishedAt: clock() });
    return summary;
  };
  const note = (item: ReadItem, write: (row: UsageRow) => void, bill: (line: CostLine) => void) => {
    summary.rowsRead++;
    if (item.kind === "row") write(item.row);
    else if (item.kind === "cost") bill(item.line);
    else if (item.kind === "skip") summary.rowsSkipped++;
    else {
      summary.rowsBad++;
      if (summary.errors.length < MAX_ERRORS)
        summary.errors.push({ at: item.at, field: item.field, message: item.message });
    }
  };

  let batch: UsageRow[] = [];
  let bills: CostLine[] = [];
  // Days whose usage or bills this import touched: their billing adjustments are rewritten at the end.
  const touched = new Set<number>();
  const flush = () => {
    if (batch.length === 0 && bills.length === 0) return;
    const counts = store.write(batch, id, options.duplicates);
    for (const r of batch) touched.add(Math.floor(r.periodStart / DAY_MS) * DAY_MS);
    summary.rowsAdded += counts.added;
    summary.rowsUpdated += counts.updated;
    summary.rowsUnchanged += counts.unchanged;
    if (bills.length > 0) {
      writeCostLines(database, options.source, bills, id);
      for (const b of bills) touched.add(b.day);
      summary.billedAmounts += bills.length;
    }
    batch = [];
    bills = [];
    beat("writing");
  };
  const settle = async () => {
    if (touched.size > 0) reconcile(database, options.source, touched, id);
    await afterWrite(database);
  };
  try {
    if (options.policy === "refuse") {
      for await (const item of reader.items()) {
        note(
          item,
          () => {},
          () => {},
        );
        if (summary.rowsRead % (BATCH * 10) === 0) beat("checking");
      }
      if (summary.rowsBad > 0)
        return finish(
          "refused",
          `Refused: ${summary.rowsBad} bad ${plural(summary.rowsBad, "row")}, so nothing was imported. Fix them and import the file again, or choose to keep the good rows.`,
        );
      Object.assign(summary, { rowsRead: 0, rowsSkipped: 0, billedAmounts: 0 });
    }
    for await (const item of reader.items()) {
      note(
        item,
        (row) => batch.push(row),
        (line) => bills.push(line),
      );
      if (batch.length + bills.length >= BATCH) {
        flush();
        // Let requests in between batches: an admin's import runs inside the web server.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    flush();
    await settle();
    return finish("done", doneMessage(summary));
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    // The rows read before the input broke are good: with "keep" they are written (with "refuse" none are).
    if (options.policy === "keep") flush();
    const kept = summary.rowsAdded + summary.rowsUpdated + summary.rowsUnchanged + summary.billedAmounts;
    if (kept > 0) await settle();
    const where = error.at === undefined ? "" : ` (${reader.unit} ${error.at})`;
    return finish(
      options.policy === "refuse" ? "refused" : "failed",
      `${options.policy === "refuse" ? "Refused" : "Stopped"}${where}: ${error.message}.${
        kept > 0 ? ` The ${kept} good ${plural(kept, "row")} before it ${kept === 1 ? "was" : "were"} kept.` : ""
      }`,
    );
  }
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function doneMessage(s: ImportSummary): string {
  const parts = [
    `${s.rowsAdded} added`,
    `${s.rowsUpdated} updated`,
    `${s.rowsUnchanged} already imported`,
    s.rowsSkipped ? `${s.rowsSkipped} skipped (not AI spend)` : null,
    s.billedAmounts ? `${s.billedAmounts} billed ${plural(s.billedAmounts, "amount")} reconciled with the usage` : null,
    s.rowsBad ? `${s.rowsBad} bad ${plural(s.rowsBad, "row")} left out` : null,
  ].filter(Boolean);
  return `Imported ${s.rowsRead} ${plural(s.rowsRead, "row")}: ${parts.join(", ")}.`;
}

/** Marks imports that stopped beating (their process died) as failed; returns how many. */
export function markInterrupted(database: Db, now: Date): number {
  return database
    .update(usageImports)
    .set({
      status: "failed",
      finishedAt: now,
      message:
        "Interrupted (the server stopped). Import the same file again to finish: rows already written are not counted twice.",
    })
    .where(
      and(eq(usageImports.status, "running"), lt(usageImports.beatAt, new Date(now.getTime() - INTERRUPTED_AFTER_MS))),
    )
    .run().changes;
}
