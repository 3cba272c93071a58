import type { Db } from "~/.server/db";
import { type ImportOptions, type ImportSummary, runImport, startImport } from "./import-run";
import { FileError } from "./reader";
import { catalogueTiers, focusFormatOf, focusReader } from "./sources";

/**
 * Imports a FOCUS file (CSV, gzipped CSV or Parquet, told apart by `name`, e.g. the uploaded file's name) from
 * `path`. A name that is no FOCUS format still gets an import row saying so, so the admin's page shows why.
 */
export async function importFocusFile(
  database: Db,
  path: string,
  name: string,
  options: Omit<ImportOptions, "source" | "origin" | "duplicates"> & { importId?: number },
): Promise<ImportSummary> {
  const opts: ImportOptions = { ...options, source: "focus", origin: name, duplicates: "add" };
  let format: ReturnType<typeof focusFormatOf>;
  try {
    format = focusFormatOf(name);
  } catch (error) {
    if (!(error instanceof FileError)) throw error;
    const reader = { unit: "line" as const, bytesTotal: null, bytesRead: () => 0, items: failWith(error) };
    return runImport(database, reader, opts, options.importId);
  }
  const reader = focusReader(path, format, catalogueTiers(database));
  return runImport(database, reader, opts, options.importId ?? startImport(database, opts, reader.bytesTotal));
}

function failWith(error: FileError) {
  // biome-ignore lint/correctness/useYield: an input that fails before its first item
  return async function* () {
    throw error;
  };
}
