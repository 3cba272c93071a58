import { RowError, type UsageRow } from "./row";

/**
 * What every importer reads a file or a report into: a stream of items, each a usage row, a row skipped on
 * purpose (not AI spend) or a bad row with the field at fault, each with its position so an error can say
 * "line 12, EffectiveCost: …". A problem that stops the whole input (a broken CSV quote, a header that is not
 * FOCUS, an API that refuses the key) is a FileError.
 */

export type ReadItem =
  | { kind: "row"; at: number; row: UsageRow }
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
export function itemOf(at: number, parse: () => UsageRow | { skipped: string }): ReadItem {
  try {
    const outcome = parse();
    return "skipped" in outcome ? { kind: "skip", at, reason: outcome.skipped } : { kind: "row", at, row: outcome };
  } catch (error) {
    if (error instanceof RowError) return { kind: "bad", at, field: error.field, message: error.message };
    throw error;
  }
}
