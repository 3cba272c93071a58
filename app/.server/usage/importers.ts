import { USAGE_SOURCES, type UsageSource } from "#db/schema";
import type { Db } from "~/.server/db";
import { importFocusFile } from "./import-file";
import { reportImporter } from "./import-report";
import type { ImportOptions, ImportSummary } from "./import-run";

/** A file importer per source: (database, path, the file's name, options) → the import's summary. */
export type FileImporter = (
  database: Db,
  path: string,
  name: string,
  options: Omit<ImportOptions, "source" | "origin" | "duplicates"> & { importId?: number },
) => Promise<ImportSummary>;

export const IMPORTERS: Record<UsageSource, FileImporter> = {
  focus: importFocusFile,
  openai: reportImporter("openai"),
  anthropic: reportImporter("anthropic"),
  litellm: reportImporter("litellm"),
};

export function isUsageSource(value: string): value is UsageSource {
  return (USAGE_SOURCES as readonly string[]).includes(value);
}
