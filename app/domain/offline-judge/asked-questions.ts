import type { Reading } from "./reading";
import { questionWords } from "./self-check";

/**
 * A question put in the model's own voice, as in a FAQ ("Can I skip confirmation if it's urgent? No.", "Should I
 * pick LOW if I'm unsure? No, never.", "What if the clause is in French?") asks what the rule is; the answer after
 * it says it. The question orders nothing, so it may cover a rule but never breaks one. A request put as a question
 * ("Could you add a reason?", "Can I ask you to add a reason?") is addressed to the model and stays an order, and so
 * does a question answered yes ("Can I add a short reason? Sure, one line."): the answer grants what it asks.
 */
const MODALS = new Set(["can", "could", "should", "may", "must", "do", "shall", "am", "would"]);
const ASKERS = new Set(["i", "we"]);
/** "Can I ask you to...", "Could we get you to...": a request in the asker's voice. */
const REQUESTS = new Set(["ask", "get", "have", "request", "trouble", "please", "beg"]);
/** The first word of an answer that grants what the question asks. */
const GRANTS = new Set([
  "yes",
  "yeah",
  "yep",
  "sure",
  "ok",
  "okay",
  "absolutely",
  "definitely",
  "certainly",
  "always",
  "go",
  "feel",
]);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Indexes of the rules that are questions in the model's own voice. */
export function askedQuestionRules(reading: Reading): Set<number> {
  const out = new Set<number>();
  for (const rule of reading.rules) {
    // The question opens the rule, or follows a list number or a label ("FAQ:", "Q:").
    const words = questionWords(reading, rule);
    if (!words) continue;
    // "Sure, one line.", "Yes: add it.", "Go ahead.", "Feel free." ("Please don't." and "Of course not." refuse.)
    let next = rule.to;
    while (next < reading.tokens.length && !WORD_CHAR.test(reading.tokens[next].text)) next++;
    if (GRANTS.has(reading.tokens[next]?.lower ?? "")) continue;
    const [first, second, third] = [words[0], words[1], words[2]].map((t) => t?.lower ?? "");
    const asked = MODALS.has(first) && ASKERS.has(second) && !REQUESTS.has(third);
    // "What if the clause is in French?" asks about a case; "What if you added a reason?" suggests one.
    const aCase = first === "what" && (second === "if" || second === "about") && !ASKERS.has(third) && third !== "you";
    if (asked || aCase) out.add(rule.index);
  }
  return out;
}
