import { type Reading, readPrompt } from "~/domain/offline-judge/reading";

/** The text of each rule (sentence or line) of `prompt` that `pick` returns, trimmed: what a reading module found. */
export function ruleTexts(prompt: string, pick: (reading: Reading) => Set<number>): string[] {
  const reading = readPrompt(prompt);
  const picked = pick(reading);
  return reading.rules.filter((r) => picked.has(r.index)).map((r) => reading.text.slice(r.start, r.end).trim());
}
