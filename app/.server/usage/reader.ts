import { RowError, type UsageRow } from "./row";

/**
 * What every importer reads a file or a report into: a stream of items, each a usage row, a row skipped on
 * purpose (not AI spend) or a bad row with the field at fault, each with its position so an error can say
 * "line 12, EffectiveCost: …". A problem that stops the whole input (a broken CSV quote, a header that is not
 * FOCUS, an API that refuses the key) is a FileError.
 */

/** A provider's billed amount for a day, scope (project, workspace, or "" for all) and line item. */
export interface CostLine {
  day: number;
  scope: string;
  item: string;
  amountMicros: number;
}

export type ReadItem =
  | { kind: "row"; at: number; row: UsageRow }
  | { kind: "cost"; at: number; line: CostLine }
  | { kind: "skip"; at: number; reason: string }
  | { kind: "bad"; at: number; field: string; message: string };

export interface UsageReader {
  /** What `at` counts, for messages: CSV lines, Parquet rows, JSON results. */
  readonly unit: "line" | "row" | "result";
  /** The input's size in bytes when known (a progress bar's 100%). */
  readonly bytesTotal: number | null;
  /** Bytes consumed so far. */
  bytesRead(): number;
  items(): AsyncIterable<ReadItem>;
}

export class FileError extends Error {
  constructor(
    message: string,
    /** Where reading stopped, when known. */
    readonly at?: number,
  ) {
    super(message);
  }
}

/** Turns a row parser's outcome (a row, a skip, or a thrown RowError) into an item. */
export function itemOf(at: number, parse: () => UsageRow | CostLine | { skipped: string }): ReadItem {
  try {
    const outcome = parse();
    if ("skipped" in outcome) return { kind: "skip", at, reason: outcome.skipped };
    return "amountMicros" in outcome ? { kind: "cost", at, line: outcome } : { kind: "row", at, row: outcome };
  } catch (error) {
    if (error instanceof RowError) return { kind: "bad", at, field: error.field, message: error.message };
    throw error;
  }
}
