import type { PhraseHit } from "./phrases";
import type { Reading, Token } from "./reading";

/**
 * The writer telling what they themselves do in the prompt: "I will explain the format in detail so that everything
 * goes smoothly", "I'm going to explain the three possible answers", "I want to explain the whole process", "Let me
 * set out the rules". The verb is the writer's act of telling, not the reply's, so its words ("explain") break no
 * rule about the reply. What asks the model for something stays an order: "I want you to explain your choice",
 * "I need an explanation", "we'd like to see your reasoning" (seeing is not telling), and whatever follows a "you"
 * in the clause ("I'll explain the labels so you can explain your pick").
 */
const TELLING = new Set(
  (
    "explain describe tell outline go walk set lay give show list repeat summarise summarize recap clarify mention " +
    "note stress emphasise emphasize share start begin introduce spell break detail"
  ).split(" "),
);
/** Between "I" and the verb: modals, "going to", "want to", adverbs of sequence. */
const CHAIN = new Set(
  (
    "will 'll shall would 'd am 'm going want wanted like 'd need have 've try to just also now first briefly quickly " +
    "then again here below carefully"
  ).split(" "),
);
/** The writer, as the tokenizer keeps it: "I", and "I'm", "I'll", "I'd", "I've" as one token. */
const SUBJECTS = new Set(["i", "i'm", "i'll", "i'd", "i've"]);
const LEADS = new Set(["and", "so", "but", "then", "first", "now", "here", "below", "before", "next"]);
const WORD_CHAR = /[\p{L}\p{N}']/u;

/** The span [from, to) of a clause's tokens that is the writer's own act of telling, or null. */
function actSpan(tokens: Token[], from: number, to: number): [number, number] | null {
  const words: number[] = [];
  for (let i = from; i < to; i++) if (WORD_CHAR.test(tokens[i].text)) words.push(i);
  let k = 0;
  while (k < words.length && LEADS.has(tokens[words[k]].lower)) k++;
  const subject = tokens[words[k]]?.lower.replace("’", "'");
  if (subject === "let" && tokens[words[k + 1]]?.lower === "me") k += 2;
  else if (subject !== undefined && SUBJECTS.has(subject)) k += 1;
  else return null;
  while (k < words.length && CHAIN.has(tokens[words[k]].lower) && !TELLING.has(tokens[words[k]].lower)) k++;
  const verb = tokens[words[k]];
  if (!verb || !TELLING.has(verb.lemma)) return null;
  // Up to the first "you": what the clause says the model does is the model's.
  let end = to;
  for (let j = k + 1; j < words.length; j++)
    if (["you", "your"].includes(tokens[words[j]].lower)) {
      end = words[j];
      break;
    }
  return [words[k], end];
}

/** Whether a breaker's hit lies in a clause's span where the writer tells what they do. */
export function inWritersAct(reading: Reading, hit: PhraseHit): boolean {
  const clause = reading.clauses[hit.clause];
  if (!clause) return false;
  const span = actSpan(reading.tokens, clause.from, clause.to);
  return span !== null && hit.from >= span[0] && hit.to <= span[1];
}
