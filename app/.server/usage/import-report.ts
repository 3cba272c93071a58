import { statSync } from "node:fs";
import type { UsageSource } from "#db/schema";
import type { Db } from "~/.server/db";
import { anthropicItems } from "./anthropic-report";
import { type ImportOptions, type ImportSummary, runImport, startImport } from "./import-run";
import { litellmItems } from "./litellm-logs";
import { openaiItems } from "./openai-report";
import type { ReadItem, UsageReader } from "./reader";
import { jsonValues } from "./report-json";
import { type Catalogue, catalogue } from "./sources";

/**
 * Imports a saved API answer (JSON, or JSON Lines for large exports) from OpenAI, Anthropic or LiteLLM: the same
 * readers the scheduled pulls use (usage/pulls.ts), so a file and a pull of the same buckets give the same rows.
 * Positions in messages count results (each usage bucket's result, each log).
 */

type JsonSource = Exclude<UsageSource, "focus">;

export type ItemsOf = (value: unknown, prefix: string, cat: Catalogue, counter: { n: number }) => Iterable<ReadItem>;

export const ITEMS: Record<JsonSource, ItemsOf> = {
  openai: openaiItems,
  anthropic: anthropicItems,
  litellm: litellmItems,
};

export function reportReader(path: string, source: JsonSource, cat: Catalogue): UsageReader {
  const bytesTotal = statSync(path).size;
  let done = false;
  return {
    unit: "result",
    bytesTotal,
    bytesRead: () => (done ? bytesTotal : 0),
    async *items() {
      const counter = { n: 0 };
      for await (const { value, at } of jsonValues(path)) yield* ITEMS[source](value, at, cat, counter);
      done = true;
    },
  };
}

export function reportImporter(source: JsonSource) {
  return async (
    database: Db,
    path: string,
    name: string,
    options: Omit<ImportOptions, "source" | "origin" | "duplicates"> & { importId?: number },
  ): Promise<ImportSummary> => {
    const opts: ImportOptions = { ...options, source, origin: name, duplicates: "replace" };
    const reader = reportReader(path, source, catalogue(database));
    return runImport(database, reader, opts, options.importId ?? startImport(database, opts, reader.bytesTotal));
  };
}
