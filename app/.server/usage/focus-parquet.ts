import { statSync } from "node:fs";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { FOCUS_READ, focusHeaderProblems, focusRow } from "./focus-row";
import { FileError, itemOf, type ReadItem, type UsageReader } from "./reader";

/**
 * A FOCUS Parquet file, read with hyparquet (pure JavaScript; hyparquet-compressors adds gzip, zstd, brotli and
 * LZ4 to its built-in Snappy) a slice of rows at a time, and only the columns FOCUS import reads. Positions are
 * row numbers from 1. Decimal columns arrive as doubles, exact to about 15 significant digits: a micro-dollar on
 * amounts up to a billion dollars.
 */

const SLICE = 10_000;

export function focusParquetReader(path: string, tiers: ReadonlyMap<string, string>): UsageReader {
  const bytesTotal = statSync(path).size;
  let fraction = 0;
  return {
    unit: "row",
    bytesTotal,
    bytesRead: () => Math.round(bytesTotal * fraction),
    async *items(): AsyncIterable<ReadItem> {
      const file = await asyncBufferFromFile(path);
      let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
      try {
        metadata = await parquetMetadataAsync(file);
      } catch (error) {
        throw new FileError(`this is not a readable Parquet file (${(error as Error).message})`);
      }
      const names = parquetSchema(metadata).children.map((c) => c.element.name);
      const problems = focusHeaderProblems(names);
      if (problems.length > 0) throw new FileError(problems.join("; "));
      const columns = FOCUS_READ.filter((c) => names.includes(c));
      const total = Number(metadata.num_rows);
      for (let start = 0; start < total; start += SLICE) {
        const end = Math.min(total, start + SLICE);
        let rows: Record<string, unknown>[];
        try {
          rows = await parquetReadObjects({ file, metadata, columns, rowStart: start, rowEnd: end, compressors });
        } catch (error) {
          throw new FileError(
            `the Parquet file cannot be read past this point (${(error as Error).message})`,
            start + 1,
          );
        }
        for (const [i, row] of rows.entries()) {
          yield itemOf(start + i + 1, () => focusRow((column) => row[column], tiers));
        }
        fraction = end / Math.max(1, total);
      }
    },
  };
}
