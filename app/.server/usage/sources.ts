import { models } from "#db/schema";
import type { DbLike } from "~/.server/db";
import { focusCsvReader } from "./focus-csv";
import { focusParquetReader } from "./focus-parquet";
import type { UsageReader } from "./reader";
import { FileError } from "./reader";

/** The catalogue's model ids and tiers, for rows' tiers (app/domain/model-names.ts). */
export function catalogueTiers(database: DbLike): Map<string, string> {
  return new Map(
    database
      .select({ id: models.id, tier: models.tier })
      .from(models)
      .all()
      .map((m) => [m.id, m.tier]),
  );
}

export type FileFormat = "csv" | "parquet";

/** The format a FOCUS file is in, from its name: .csv, .csv.gz or .parquet. */
export function focusFormatOf(name: string): FileFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith(".parquet")) return "parquet";
  if (lower.endsWith(".csv") || lower.endsWith(".csv.gz")) return "csv";
  throw new FileError(`"${name}" is not a FOCUS file name: use .csv, .csv.gz or .parquet`);
}

/** A reader for a FOCUS file on disk. */
export function focusReader(path: string, format: FileFormat, tiers: ReadonlyMap<string, string>): UsageReader {
  return format === "parquet" ? focusParquetReader(path, tiers) : focusCsvReader(path, tiers);
}

export interface ListPrices {
  inputMicrosPerM: number;
  cachedInputMicrosPerM: number;
  outputMicrosPerM: number;
}

/** The catalogue: tiers by id (for resolveModel) and each model's list prices, to price token-only reports. */
export interface Catalogue {
  tiers: Map<string, string>;
  prices: Map<string, ListPrices>;
}

export function catalogue(database: DbLike): Catalogue {
  const rows = database.select().from(models).all();
  return {
    tiers: new Map(rows.map((m) => [m.id, m.tier])),
    prices: new Map(
      rows.map((m) => [
        m.id,
        {
          inputMicrosPerM: m.inputMicrosPerM,
          cachedInputMicrosPerM: m.cachedInputMicrosPerM,
          outputMicrosPerM: m.outputMicrosPerM,
        },
      ]),
    ),
  };
}
