import type { Encoding } from "~/domain/models";
import { cpuPool } from "../cpu/pool";
import { countTokens } from "../tokenizer.server";

/**
 * The app's own token count of texts a provider did not report usage for, counted on the CPU pool's threads: their
 * encoders are loaded when the process starts, while loading one on the event loop took a second or more of CPU in
 * the middle of grading, the first time a reply came without usage after every restart (the chaos benchmark's CPU
 * per call doubled). Counted here only if the pool fails.
 */
export async function countOffThread(texts: string[], encoding: Encoding): Promise<number[]> {
  try {
    return await cpuPool().countTokens(texts, encoding);
  } catch {
    return texts.map((t) => countTokens(t, encoding));
  }
}
