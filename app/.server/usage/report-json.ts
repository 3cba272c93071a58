import { createReadStream, readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { FileError } from "./reader";

/**
 * Reading the JSON that usage and cost APIs answer with, saved to a file: one response (`{ "data": [...] }`),
 * several (a JSON array of them), or JSON Lines (one response, or one log entry, per line; streamed, so a large
 * LiteLLM export is not held whole). Each value comes with its position for error messages.
 */

/** A .json file is parsed whole: larger exports go in JSON Lines. */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

export async function* jsonValues(path: string): AsyncIterable<{ value: unknown; at: string }> {
  const size = statSync(path).size;
  if (path.toLowerCase().endsWith(".jsonl") || path.toLowerCase().endsWith(".ndjson")) {
    const lines = createInterface({
      input: createReadStream(path, { encoding: "utf8" }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (line.trim() === "") continue;
      if (line.length > 16 * 1024 * 1024) throw new FileError("a line is longer than 16 MB", n);
      try {
        yield { value: JSON.parse(line), at: `line ${n}` };
      } catch {
        throw new FileError("this line is not valid JSON", n);
      }
    }
    return;
  }
  if (size > MAX_JSON_BYTES)
    throw new FileError(
      `the file is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB: save large exports as JSON Lines (.jsonl)`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new FileError(`the file is not valid JSON (${(error as Error).message})`);
  }
  if (Array.isArray(parsed) && parsed.every((v) => v && typeof v === "object" && "data" in v))
    for (const [i, page] of parsed.entries()) yield { value: page, at: `[${i}]` };
  else yield { value: parsed, at: "" };
}

/** A zod issue's path as JSON would write it: data[3].results[2].input_tokens. */
export function jsonPath(prefix: string, path: (string | number)[]): string {
  return path.reduce<string>((out, p) => (typeof p === "number" ? `${out}[${p}]` : out ? `${out}.${p}` : p), prefix);
}
