import type { Token } from "./reading";

/**
 * "pipe-separated line", "one-line summary": the word after a hyphen that joins it, with no space, to the word
 * before is the second half of a compound, not a word of its own. "pipe-separated line" is one line, not "separate
 * lines"; what breaks a requirement (matched strictly) is not looked for from there.
 */
export function insideCompound(tokens: Token[], i: number): boolean {
  const hyphen = tokens[i - 1];
  const before = tokens[i - 2];
  if (!hyphen || !before || !["-", "‑"].includes(hyphen.text)) return false;
  if (hyphen.rule !== tokens[i].rule || before.rule !== tokens[i].rule) return false;
  return before.end === hyphen.start && hyphen.end === tokens[i].start && /[\p{L}\p{N}]$/u.test(before.text);
}
