import { createReadStream, statSync } from "node:fs";
import { createGunzip } from "node:zlib";
import { type CastingContext, CsvError, type Options, parse } from "csv-parse";
import { focusHeaderProblems, focusRow } from "./focus-row";
import { FileError, itemOf, type ReadItem, type UsageReader } from "./reader";

/**
 * A FOCUS CSV file, streamed (csv-parse reads it in chunks: a 5 GB export never sits in memory). Lines are
 * counted as an editor shows them, so an error in a record whose quoted field spans lines points at its first
 * line. A record with the wrong number of fields, or a stray quote, is a bad row; a quote never closed (it
 * swallows the rest of the file) or a record over a megabyte stops the file, with the line it starts on. A name ending in .gz is gunzipped on the way (AWS and Azure
 * exports are often compressed); progress then counts compressed bytes.
 */

/** The largest record accepted; a longer one is a broken file (or an attack), not a charge. */
const MAX_RECORD_BYTES = 1_000_000;

/** A record with the line it starts on. */
interface Located {
  record: string[];
  at: number;
}

export function focusCsvReader(path: string, tiers: ReadonlyMap<string, string>): UsageReader {
  const bytesTotal = statSync(path).size;
  let bytes = 0;
  return {
    unit: "line",
    bytesTotal,
    bytesRead: () => bytes,
    async *items(): AsyncIterable<ReadItem> {
      const stream = createReadStream(path);
      stream.on("data", (chunk) => {
        bytes += chunk.length;
      });
      // Both callbacks run synchronously as csv-parse meets records, in file order, so each record and each
      // broken one gets the line it starts on (the line after the previous record, past any empty lines).
      let lastLine = 0;
      let lastEmpty = 0;
      const startOf = (context: { lines: number; empty_lines: number }) => {
        const at = lastLine + 1 + (context.empty_lines - lastEmpty);
        lastLine = context.lines;
        lastEmpty = context.empty_lines;
        return at;
      };
      const broken: { at: number; code: string; message: string }[] = [];
      const text = path.endsWith(".gz") ? stream.pipe(createGunzip()) : stream;
      // on_skip is in csv-parse 5's runtime (with skip_records_with_error) but not in its type definitions.
      const options: Options & { on_skip: (error: CsvError | undefined) => undefined } = {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        max_record_size: MAX_RECORD_BYTES,
        skip_records_with_error: true,
        on_record: (record: string[], context: CastingContext): Located => ({ record, at: startOf(context) }),
        on_skip: (error: CsvError | undefined) => {
          if (!error) return;
          const at = lastLine + 1;
          lastLine = (error as CsvError & { lines: number }).lines;
          broken.push({ at, code: error.code, message: error.message });
          return undefined;
        },
      };
      const parser = text.pipe(parse(options));
      // pipe() does not pass errors on: a broken gzip stream must end the parse, not leave it waiting.
      text.on("error", (error: Error) => parser.destroy(error));
      let columns: Map<string, number> | null = null;
      const brokenBefore = function* (line: number): Generator<ReadItem> {
        while (broken.length > 0 && broken[0].at < line) {
          const b = broken.shift() as (typeof broken)[number];
          // An unclosed quote swallows the rest of the file: nothing after it can be trusted.
          if (b.code === "CSV_QUOTE_NOT_CLOSED" || b.code === "CSV_MAX_RECORD_SIZE")
            throw new FileError(`the CSV cannot be read past this point: ${b.message}`, b.at);
          yield { kind: "bad", at: b.at, field: "(record)", message: `cannot be read as CSV: ${b.message}` };
        }
      };
      try {
        for await (const { record, at } of parser as AsyncIterable<Located>) {
          yield* brokenBefore(at);
          if (!columns) {
            columns = header(record);
            continue;
          }
          if (record.length !== columns.size) {
            yield {
              kind: "bad",
              at,
              field: "(record)",
              message: `has ${record.length} fields where the header has ${columns.size}`,
            };
            continue;
          }
          const index = columns;
          yield itemOf(at, () =>
            focusRow((column) => {
              const i = index.get(column);
              return i === undefined ? undefined : record[i];
            }, tiers),
          );
        }
        yield* brokenBefore(Number.POSITIVE_INFINITY);
      } catch (error) {
        if (error instanceof CsvError)
          throw new FileError(`the CSV cannot be read past this point: ${error.message}`, lastLine + 1);
        if (String((error as NodeJS.ErrnoException).code).startsWith("Z_"))
          throw new FileError(`the file is not valid gzip (${(error as Error).message})`, lastLine + 1);
        throw error;
      } finally {
        stream.destroy();
      }
      if (!columns) throw new FileError("the file is empty: a FOCUS CSV starts with a header line");
    },
  };
}

function header(record: string[]): Map<string, number> {
  const columns = new Map<string, number>();
  for (const [i, raw] of record.entries()) {
    const name = raw.trim();
    if (columns.has(name)) throw new FileError(`the header names the column "${name}" twice`, 1);
    columns.set(name, i);
  }
  const problems = focusHeaderProblems(columns.keys());
  if (problems.length > 0) throw new FileError(problems.join("; "), 1);
  return columns;
}
