import type { ExerciseTask } from "../exercise";
import type { RuleReading } from "./instruction";
import type { OpeningAction } from "./opening-action";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * An order to write a reply to the person who sent the input, where the exercise's job is not to reply:
 *
 *     Write a short, friendly reply to the customer who sent this ticket ...   (compress-ticket-summary: summarise)
 *     Read the HR chat below and write the assistant's next reply to the employee ...  (summarise-chat-history)
 *     Using the passages, write a friendly, helpful answer to the customer's question ...  (prune-retrieved-passages)
 *
 * A reply addressed to someone (a reply, a response or an answer *to* the customer, the employee, the user) is the
 * answering job whatever verb makes it, so it is another job wherever the exercise declares a task that is neither
 * answering nor writing (`task.action`). Only an order counts: the verb opens its clause or follows "and", "then" or
 * a comma ("so the agent can write a reply to the customer" and "the assistant then reads it and writes the reply to
 * the customer" order no reply), outside a condition, a reason and a negation ("Do not write a reply to the customer").
 */

const MAKING = new Set(["write", "draft", "compose", "craft", "prepare", "produce", "generate", "give", "create"]);
/** What a reply is called. */
const REPLIES = new Set(["reply", "replies", "response", "responses", "answer", "answers"]);
/** Who sends a business task its input and gets a reply. */
const ADDRESSEES = new Set([
  "customer",
  "customers",
  "employee",
  "employees",
  "user",
  "users",
  "client",
  "clients",
  "sender",
  "caller",
  "guest",
  "shopper",
  "buyer",
  "member",
  "patient",
  "applicant",
  "requester",
  "them",
  "him",
  "her",
]);
/** Words that may stand before an order's verb: "Then write", "Please draft", "and write", "- Write". */
const BEFORE_ORDER = new Set([
  "please",
  "then",
  "now",
  "just",
  "and",
  "also",
  "next",
  "finally",
  ",",
  "-",
  "*",
  "•",
  ":",
]);
const STOPS = new Set([".", ";", "!", "?", "(", ")", ":", "—", "–"]);
/** Jobs that include replying to someone. */
const REPLYING: ReadonlySet<ExerciseTask["action"]> = new Set(["answer", "write"]);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/** The reply the order at `verb` makes, addressed to a person within a few words: "a short reply to the customer". */
function replyTo(reading: Reading, verb: Token, to: number): Token | undefined {
  for (let i = verb.index + 1, words = 0; i < to && words < 8; i++) {
    const t = reading.tokens[i];
    if (STOPS.has(t.text)) return undefined;
    if (!isWord(t)) continue;
    words++;
    if (!REPLIES.has(t.lower) || t.quoted) continue;
    if (reading.tokens[i + 1]?.lower !== "to") return undefined;
    const after = reading.tokens.slice(i + 2, Math.min(to, i + 6)).filter(isWord);
    return after.some((w) => ADDRESSEES.has(w.lower)) ? t : undefined;
  }
  return undefined;
}

/** The first order to reply to the input's sender, when the exercise's job is not replying; else null. */
export function replyOrder(
  reading: Reading,
  rules: RuleReading[],
  task: ExerciseTask | undefined,
): OpeningAction | null {
  if (!task || REPLYING.has(task.action)) return null;
  for (const clause of reading.clauses) {
    if (rules[clause.rule]?.instructs !== true || clause.condition || clause.reason) continue;
    for (let i = clause.from; i < clause.to; i++) {
      const verb = reading.tokens[i];
      if (!MAKING.has(verb.lemma) && !MAKING.has(verb.lower)) continue;
      // An order is in the base form ("writes the reply" describes someone else's work).
      if (verb.negated || verb.quoted || verb.descriptive || verb.lower !== verb.lemma) continue;
      const before = reading.tokens.slice(clause.from, i).filter((t) => t.text.trim() !== "");
      const last = before.at(-1);
      if (last && !BEFORE_ORDER.has(last.lower) && !verb.newlineBefore) continue;
      // "and write" continues an order ("Read the chat and write ..."), not a description ("The assistant then reads
      // ... and writes"): the clause opens with a verb.
      const opening = before.find(isWord);
      if (last?.lower === "and" && opening && opening.pos !== "VERB" && !BEFORE_ORDER.has(opening.lower)) continue;
      if (!replyTo(reading, verb, clause.to)) continue;
      const rule = reading.rules[clause.rule];
      return { evidence: quoteRule(reading, rule), line: rule.line, made: verb.text };
    }
  }
  return null;
}
