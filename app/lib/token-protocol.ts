import type { TiktokenBPE } from "js-tiktoken/lite";
import type { Encoding } from "~/domain/models";

/** Main thread → token worker (app/lib/token-worker.ts). */
export type TokenRequest =
  /** The editor's text. While the worker is busy, a newer `count` for the same encoding supersedes this one. */
  | { type: "count"; id: number; encoding: Encoding; text: string }
  /** Several texts at once (an exercise's test inputs); counted in full, never superseded. */
  | { type: "count-many"; id: number; encoding: Encoding; texts: string[] }
  /** The encoding's ranks, which the worker has downloaded: the main thread builds its own encoder from them. */
  | { type: "ranks"; id: number; encoding: Encoding };

/** Token worker → main thread: exactly one reply per request. `ms` is time spent counting, not loading. */
export type TokenReply =
  | { type: "count"; id: number; tokens: number; ms: number }
  | { type: "count-many"; id: number; tokens: number[]; ms: number }
  /** A newer `count` for the same encoding arrived before this one was counted, and will be answered instead. */
  | { type: "skipped"; id: number }
  | { type: "ranks"; id: number; ranks: TiktokenBPE }
  | { type: "error"; id: number; message: string };
