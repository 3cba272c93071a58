import { describe, expect, it } from "vitest";
import { judgeOffline } from "~/domain/offline-judge";
import { cpuGrowth } from "../../../test/support/cpu-growth";
import { exerciseBySlug } from "../../../test/support/judge-exercise";

/**
 * The whole offline judge on hostile prompts up to MAX_PROMPT_CHARS (20,000 by default): CPU growth from 5,000 to
 * 20,000 characters, fresh words on every call (wink-nlp caches a word it has met, so re-reading one text measures its
 * cache, not its reading). Linear gives ~4 (less where fixed costs weigh), quadratic ~16: one learner must not be able
 * to hold a CPU-pool thread by sending a long prompt of a shape the readings handle badly.
 */
let fresh = 0;
const word = () => (fresh++).toString(26).replace(/\d/g, (d) => "qrstuvwxyz"[Number(d)]);
const repeat = (n: number, part: () => string) => {
  let text = "";
  while (text.length < n) text += part();
  return text.slice(0, n);
};

const shapes: Record<string, (n: number) => string> = {
  "one unspaced run": (n) => repeat(n, () => `${word()}aB3x`),
  "spaced words": (n) => repeat(n, () => `${word()} `),
  "one-word sentences": (n) => repeat(n, () => `${word()}. `),
  "words joined by dots": (n) => repeat(n, () => `${word()}.`),
  "bullet lines of rules": (n) => repeat(n, () => `- never ${word()} the ${word()}\n`),
  negations: (n) => word() + repeat(n, () => "never not no "),
  "KEY: value lines": (n) => repeat(n, () => `${word().toUpperCase()}: ${word()} | ${word()}\n`),
  conditions: (n) => repeat(n, () => `If ${word()} then reply ${word().toUpperCase()}. `),
  "open brackets": (n) => word() + repeat(n, () => "(["),
  arrows: (n) => repeat(n, () => `${word()} -> `),
};

describe("the offline judge reads hostile prompts in time linear in their length", () => {
  const exercise = exerciseBySlug("meeting-action-items");
  for (const [name, shape] of Object.entries(shapes))
    it(name, { timeout: 60_000 }, () => {
      expect(cpuGrowth((n) => judgeOffline(shape(n), exercise), 5_000, 4, 3)).toBeLessThan(8);
    });
});
