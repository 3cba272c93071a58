// `npm run usage:import -- <source> <file|url> [--refuse]`: imports production usage into the database
// (DATABASE_PATH). Sources: focus (CSV, .csv.gz, Parquet). Exit 0 when imported, 1 when refused or
// stopped, 2 on bad arguments. Progress goes to stderr; the summary and every bad row's line to stdout.
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ConfigError } from "~/.server/config";
import { db } from "~/.server/db";
import { describeError, type ImportSummary } from "~/.server/usage/import-run";
import { IMPORTERS, isUsageSource } from "~/.server/usage/importers";
import { progressLine } from "./progress-line";

const USAGE = `usage: npm run usage:import -- <source> <file|url> [--refuse]
  source   ${Object.keys(IMPORTERS).join(" | ")}
  --refuse refuse the whole file if any row is bad (default: keep the good rows, report the bad ones)`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** A URL's body in a temporary file (imports read files twice when refusing, and Parquet reads at random). */
async function download(url: string): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "tokenwise-usage-"));
  const path = join(dir, basename(new URL(url).pathname) || "download");
  const res = await fetch(url).catch((error: Error) => fail(`could not fetch ${url}: ${error.message}`, 1));
  if (!res.ok || !res.body) fail(`could not fetch ${url}: HTTP ${res.status}`, 1);
  await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), createWriteStream(path));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main(): Promise<ImportSummary> {
  const args = process.argv.slice(2);
  const refuse = args.includes("--refuse");
  const [source, input, ...rest] = args.filter((a) => a !== "--refuse");
  if (!source || !input || rest.length > 0) fail(USAGE);
  const importer = isUsageSource(source) ? IMPORTERS[source] : undefined;
  if (!importer) fail(`unknown source "${source}"\n${USAGE}`);
  const isUrl = /^https?:\/\//i.test(input);
  const file = isUrl ? await download(input) : { path: input, cleanup: () => {} };
  const started = Date.now();
  try {
    return await importer(db(), file.path, isUrl ? basename(new URL(input).pathname) : basename(input), {
      policy: refuse ? "refuse" : "keep",
      onProgress: (p) => process.stderr.write(progressLine(p, started)),
    });
  } finally {
    file.cleanup();
  }
}

try {
  const summary = await main();
  process.stderr.write("\n");
  console.log(summary.message);
  for (const e of summary.errors) console.log(`  ${describeError(summary.unit, e)}`);
  if (summary.rowsBad > summary.errors.length) console.log(`  … and ${summary.rowsBad - summary.errors.length} more`);
  process.exit(summary.status === "done" ? 0 : 1);
} catch (error) {
  if (error instanceof ConfigError) fail(error.message, 2);
  if ((error as NodeJS.ErrnoException).code === "ENOENT") fail(`no such file: ${(error as { path?: string }).path}`, 2);
  throw error;
}
