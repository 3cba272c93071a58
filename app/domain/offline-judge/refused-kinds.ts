import type { Rule, Token } from "./reading";

/**
 * A key whose value refuses kinds of it: "ADVICE: no investment/legal/tax" is "no investment, legal or tax advice",
 * so the key is refused with its kinds (as "ADVICE: none" refuses it: refused-value.ts). The value is "no" and a list
 * of single words split by slashes, up to a semicolon, an arrow or the rule's end; "ADVICE: no investment/legal/tax
 * -> refer to an advisor" keeps its arrow's order. A value of things in their own right ("OUTPUT: no preamble") names
 * no kinds of its key and leaves it as it is, and so does a key that holds the reply ("OUTPUT: no preamble/notes").
 */

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);
const ENDS = new Set([";", "->", "→", "=>", "."]);
const CONDITIONS = new Set(["if", "when", "whenever", "unless", "where", "once"]);
/** Keys that name what holds the reply, not a kind of thing: "OUTPUT: no preamble/notes" lists what it leaves out. */
const CONTAINERS = new Set(["output", "reply", "response", "answer", "format", "result", "text", "body", "message"]);

/** Flips the key of each "KEY: no a/b/c" part of the rule. */
export function applyRefusedKinds(tokens: Token[], rule: Rule): void {
  for (let colon = rule.from + 1; colon < rule.to - 3; colon++) {
    if (tokens[colon].text !== ":" || tokens[colon + 1].lower !== "no") continue;
    // The key: one or two words right before the colon, opening the rule or a part after a semicolon.
    let start = colon;
    while (start > rule.from && isWord(tokens[start - 1]) && colon - start < 2) start--;
    if (start === colon || CONDITIONS.has(tokens[start].lower) || CONTAINERS.has(tokens[colon - 1].lower)) continue;
    const before = tokens[start - 1];
    if (start > rule.from && !(before && (before.text === ";" || /^[-*•]$/.test(before.text)))) continue;
    // The value: "no" then word / word (/ word ...), then an end.
    let i = colon + 2;
    let words = 0;
    let slashes = 0;
    while (i < rule.to && !ENDS.has(tokens[i].text)) {
      const t = tokens[i];
      if (isWord(t) && (words === 0 || tokens[i - 1].text === "/")) words++;
      else if (t.text === "/" && isWord(tokens[i - 1])) slashes++;
      else break;
      i++;
    }
    if (slashes === 0 || words !== slashes + 1 || (i < rule.to && !ENDS.has(tokens[i].text))) continue;
    for (let k = start; k < colon; k++) if (!tokens[k].negated) tokens[k].negated = true;
  }
}
