import { config } from "./config";

const LEVELS = { silent: 0, error: 1, info: 2, debug: 3 } as const;

function enabled(level: keyof typeof LEVELS): boolean {
  return LEVELS[config().LOG_LEVEL] >= LEVELS[level];
}

/** A tiny logger. Never pass it secrets: API keys and passwords are not logged anywhere. */
export const log = {
  error: (msg: string, err?: unknown) => enabled("error") && console.error(`[tokenwise] ${msg}`, err ?? ""),
  info: (msg: string) => enabled("info") && console.log(`[tokenwise] ${msg}`),
  debug: (msg: string) => enabled("debug") && console.log(`[tokenwise] ${msg}`),
};
