import { USAGE_SOURCES, type UsageSource } from "#db/schema";
import type { Db } from "~/.server/db";
import { importFocusFile } from "./import-file";
import type { ImportOptions, ImportSummary } from "./import-run";

/** A file importer per source: (database, path, the file's name, options) → the import's summary. */
export type FileImporter = (
  database: Db,
  path: string,
  name: string,
  options: Omit<ImportOptions, "source" | "origin" | "duplicates"> & { importId?: number },
) => Promise<ImportSummary>;

export const IMPORTERS: Partial<Record<UsageSource, FileImporter>> & { focus: FileImporter } = {
  focus: importFocusFile,
};

export function isUsageSource(value: string): value is UsageSource & keyof typeof IMPORTERS {
  return (USAGE_SOURCES as readonly string[]).includes(value) && value in IMPORTERS;
}
