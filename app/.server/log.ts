import { config } from "./config";
import { redactLine } from "./redact-log";

const LEVELS = { silent: 0, error: 1, info: 2, debug: 3 } as const;

function enabled(level: keyof typeof LEVELS): boolean {
  return LEVELS[config().LOG_LEVEL] >= LEVELS[level];
}

/** An error as one redacted line: its message (and stack), never the objects it may carry (a request, a URL). */
function describe(err: unknown): string {
  if (err === undefined) return "";
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return ` ${redactLine(text)}`;
}

/**
 * A tiny logger. Never pass it secrets: API keys and passwords are not logged anywhere, and anything named like a
 * token in a query string (a set-password link) is redacted from every line, error messages included.
 */
export const log = {
  error: (msg: string, err?: unknown) =>
    enabled("error") && console.error(`[tokenwise] ${redactLine(msg)}${describe(err)}`),
  info: (msg: string) => enabled("info") && console.log(`[tokenwise] ${redactLine(msg)}`),
  debug: (msg: string) => enabled("debug") && console.log(`[tokenwise] ${redactLine(msg)}`),
};
