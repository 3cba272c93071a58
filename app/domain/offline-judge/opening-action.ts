import type { ExerciseTask } from "../exercise";
import type { RuleReading } from "./instruction";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * A prompt whose first order is another job than the one the exercise declares (`task.action`), with the brief's
 * rules name-dropped after it:
 *
 *     Classify the sentiment of the customer message as positive, neutral or negative. ... [EMAIL], [PHONE] ...
 *                                                               (redact-on-nano: the job is to redact)
 *     Answer the lawyer's question in two sentences, citing at most three clause ids ...
 *                                                               (rerank-top-three: the job is to select clauses)
 *     Rewrite this contract clause in plain English for a manager. Bear in mind HIGH, LOW and ESCALATE ...
 *                                                               (cascade-escalate: the job is to classify)
 *
 * Only verbs that name one job and nothing else count (classify, answer a question, summarise, rewrite, translate,
 * redact, rank, extract; not "review", which is also how a model is told to read); a verb of replying ("Answer with the label", "Reply in JSON") shapes the reply and
 * is no job. A verb the declared action itself uses, or that a neighbouring job shares (summarising rewrites text,
 * redacting rewrites it), is the exercise's own job.
 */

type Action = ExerciseTask["action"];

/** Verbs that name one job. */
const JOB_OF: Record<string, Action> = {
  classify: "classify",
  categorise: "classify",
  categorize: "classify",
  triage: "classify",
  answer: "answer",
  summarise: "summarise",
  summarize: "summarise",
  condense: "summarise",
  rewrite: "rewrite",
  rephrase: "rewrite",
  reword: "rewrite",
  paraphrase: "rewrite",
  translate: "rewrite",
  redact: "redact",
  anonymise: "redact",
  anonymize: "redact",
  rank: "select",
  rerank: "select",
  extract: "extract",
};

/** Jobs that do the same work on a text: a summary rewrites it, and so does a redaction or a selection of it. */
const NEIGHBOURS: Partial<Record<Action, Action[]>> = {
  summarise: ["rewrite"],
  rewrite: ["summarise", "redact"],
  redact: ["rewrite"],
  select: ["extract"],
  extract: ["select", "classify", "rewrite"],
  classify: ["extract", "review"],
  review: ["classify"],
  // A reply to a customer is written: "Answer the customer's message" drafts it.
  write: ["answer"],
  answer: ["write"],
};

/** "Answer with the label", "answer in JSON", "answer only ...": replying, not the answering job. */
const REPLY_SHAPES = new Set(["with", "in", "using", "only", "by", "as", "from", "briefly", "exactly", ":", "-", "—"]);
/** What an answering job answers: "Answer the lawyer's question", "answer the customer's message". */
const ASKED = new Set([
  "question",
  "questions",
  "query",
  "queries",
  "message",
  "customer",
  "employee",
  "enquiry",
  "inquiry",
]);
const LEAD_INS = new Set(["please", "then", "now", "just", "first", "and", ",", "-", "*", "•"]);
const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/**
 * "summarised", "classifies", "written": not the base form an order takes; nor a gerund, the subject of what follows
 * ("Paraphrasing is dangerous here, because ...").
 */
const inflected = (t: Token) =>
  t.lower !== t.lemma && /(?:ed|en|s|ing)$/.test(t.lower) && !/(?:ed|en|s|ing)$/.test(t.lemma);

export interface OpeningAction {
  evidence: string;
  line: number;
  /** The verb, as written. */
  made: string;
}

/** The prompt's first order, when it is another job than the declared action; else null. */
export function openingOtherAction(
  reading: Reading,
  rules: RuleReading[],
  task: ExerciseTask | undefined,
  ownVerbs: readonly string[],
): OpeningAction | null {
  if (!task) return null;
  for (const clause of reading.clauses) {
    // An order under a condition ("If it is not in English, translate it first") is a step, not the prompt's job.
    if (rules[clause.rule]?.instructs !== true || clause.condition || clause.reason || clause.partner !== null)
      continue;
    let first: Token | undefined;
    for (let i = clause.from; i < clause.to && !first; i++) {
      const t = reading.tokens[i];
      if (isWord(t) && !LEAD_INS.has(t.lower)) first = t;
    }
    if (!first) continue;
    // The first clause that opens with an order decides; one that opens otherwise ("Fernhill's rules apply ...",
    // "You are the IT helpdesk") is read past.
    // (The tagger reads a capitalised order before its object as a name: "Answer/PROPN the lawyer's question".)
    const after = reading.tokens[first.index + 1];
    const order =
      first.pos === "VERB" || (JOB_OF[first.lower] !== undefined && (after?.pos === "DET" || after?.pos === "PRON"));
    // "Our meetings are recorded and summarised into notes": a participle or a verb with its -s tells what happens;
    // an order is the verb's base form.
    if (!order || first.quoted || first.descriptive || inflected(first)) continue;
    // "no passage helps answer the question": a verb inside a clause the reading split is not its order.
    const before = reading.tokens[first.index - 1];
    if (before && isWord(before) && !LEAD_INS.has(before.lower) && !before.newlineBefore && !first.newlineBefore)
      continue;
    if (first.negated) return null;
    const job = JOB_OF[first.lower] ?? JOB_OF[first.lemma];
    if (!job || job === task.action || ownVerbs.includes(first.lemma) || ownVerbs.includes(first.lower)) return null;
    if (NEIGHBOURS[task.action]?.includes(job)) return null;
    if (job === "answer") {
      const next = reading.tokens.slice(first.index + 1, clause.to).find((t) => t.text.trim() !== "");
      // "answer SAFETY or OK", "answer "Not in the excerpts."": a value to reply with.
      if (!next || REPLY_SHAPES.has(next.lower) || next.quoted || /^\p{Lu}[\p{Lu}_\d]+$/u.test(next.text)) return null;
      // "Answer each step with one JSON object": answering is the job only when a question is what is answered.
      const object = reading.tokens.slice(first.index + 1, Math.min(clause.to, first.index + 6));
      if (!object.some((t) => ASKED.has(t.lemma) || ASKED.has(t.lower))) return null;
    }
    const rule = reading.rules[clause.rule];
    return { evidence: quoteRule(reading, rule), line: rule.line, made: first.text };
  }
  return null;
}
