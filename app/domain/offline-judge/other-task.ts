import type { RuleReading } from "./instruction";
import { quoteRule, type Reading, type Token } from "./reading";

/**
 * Whether the prompt's orders ask for another job than the exercise's: "Write a short risk memo for the legal team",
 * "Generate an SEO meta title and 15 keywords", "Rate the sentiment from 1 to 5", with the brief's requirements
 * name-dropped around it ("This memo covers JSON, parties, ... and null handling"). Such a prompt may mention every
 * requirement and still have the model do something else.
 *
 * An order here is a clause that opens with a verb of making (write, draft, generate, turn ... into, rate,
 * translate...) whose object is a kind of text (a memo, an email, a title, keywords, a rating...). It asks for
 * another job when that kind of text is nowhere in the exercise's own words: its brief, its reference solution and
 * its requirements. "Write a short note" is the job where the brief asks for a note; "Write a risk memo" is not where
 * it asks for JSON. Forbidding it ("don't write an email") or setting it as a condition asks for nothing.
 */

const MAKING = new Set([
  "write",
  "draft",
  "compose",
  "generate",
  "produce",
  "create",
  "prepare",
  "craft",
  "turn",
  "give",
  "provide",
  "return",
  "output",
  "make",
  "suggest",
  "propose",
  "come",
  "build",
  // "List 15 SEO keywords", "Merge the chunks into one wiki page": making a list or one text out of others.
  "list",
  "merge",
  "combine",
  "compile",
  "convert",
]);

/** Kinds of text a prompt may ask a model to make (singular). */
const GENRES = new Set([
  "memo",
  "note",
  "email",
  "e-mail",
  "letter",
  "reply",
  "response",
  "message",
  "post",
  "blog",
  "article",
  "essay",
  "story",
  "poem",
  "tweet",
  "summary",
  "overview",
  "report",
  "description",
  "title",
  "headline",
  "tagline",
  "slogan",
  "keyword",
  "hashtag",
  "outline",
  "changelog",
  "newsletter",
  "pitch",
  "review",
  "rating",
  "translation",
  "explanation",
  "analysis",
  "critique",
  "recommendation",
  "advice",
  "agenda",
  "script",
  "paragraph",
  "sentence",
  "caption",
  "bio",
  "advert",
  "advertisement",
  "announcement",
  "speech",
  "joke",
  "song",
  "haiku",
  "faq",
  "guide",
  "tutorial",
  "proposal",
  "quiz",
  "apology",
  "commentary",
  "digest",
  "profile",
  // Deliverables a brief's requirements are name-dropped around: "the body of the campaign email", "a SQL query".
  "body",
  "query",
  "sms",
  "caption",
  "changelog",
  "wiki",
  "page",
  "score",
  "ad",
  "minute",
]);

/**
 * What a kind of text is for, when it names another job than the exercise's: "a promotional email", "an upsell
 * message", "SEO keywords". An exercise that answers customers by email has email as its own kind of text, not a
 * promotional one.
 */
const PURPOSES = new Set([
  "promotional",
  "marketing",
  "upsell",
  "sales",
  "advertising",
  "seo",
  "instagram",
  "linkedin",
  "twitter",
  "facebook",
  "newsletter",
  "blog",
  "press",
  "persuasive",
]);

/** Names of one kind of text: "the headline" is the brief's subject line, "a response" its reply. */
const FAMILIES = [
  ["headline", "title", "subject"],
  ["reply", "response", "answer"],
  ["summary", "summarise", "summarize", "overview", "recap", "digest", "synopsis"],
  ["rating", "score"],
  ["email", "e-mail", "message", "mail"],
];
/** Family names that are verbs of making the thing: "summarise" makes a summary. */
const MAKING_VERBS = new Set(["summarise", "summarize"]);
const FAMILY = new Map(FAMILIES.flatMap((f) => f.map((w) => [w, f] as const)));

/** Whether the exercise's own words name this kind of text, by any of its names. */
function ownGenre(vocabulary: Set<string>, genre: Token): boolean {
  const names = FAMILY.get(stem(genre.lower)) ?? FAMILY.get(genre.lemma) ?? [stem(genre.lower), genre.lemma];
  // ("Summarise the ticket" in the brief makes a summary the job, though "summarise" is a verb.)
  return names.some((n) => vocabulary.has(`n:${stem(n)}`) || (MAKING_VERBS.has(n) && vocabulary.has(n)));
}

/** Verbs that are a job by themselves, with the words that name the same job. */
const JOB_VERBS: Record<string, string[]> = {
  rate: ["rate", "rating", "score", "scoring"],
  score: ["score", "scoring", "rate", "rating"],
  translate: ["translate", "translation"],
  summarise: ["summarise", "summarize", "summary", "summarising", "summarizing"],
  summarize: ["summarise", "summarize", "summary", "summarising", "summarizing"],
  critique: ["critique", "criticise", "criticize"],
  grade: ["grade", "grading"],
  paraphrase: ["paraphrase", "rewrite", "reword"],
};

/** Words that may come before the order's verb: "Please write", "Then draft", "Now, rate". */
const LEAD_INS = new Set(["please", "then", "now", "just", "and", "also", "next", "finally", "first", ",", "-", "*"]);
const OBJECT_STOPS = new Set([".", ";", ":", "!", "?", "(", ")", "—", "–", "->", "→", "=", "|"]);

/** A word reduced for matching across number: "notes" → "note", "summaries" → "summary". */
function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length > 4 && w.endsWith("ies")) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("is") && !w.endsWith("us"))
    return w.slice(0, -1);
  return w;
}

/** Words before a noun: "the replies", "a short note", "one subject line". */
const NOUN_MARKERS = new Set(
  "a an the one two three four five each every this that these those its their your our any no short final single same first last friendly plain".split(
    " ",
  ),
);

/**
 * The exercise's own words, stemmed: what its brief, reference solution and requirements name. A word used as a
 * noun (after an article, a number or a short modifier, or in the plural) is kept as `n:<stem>` too: "Reply with
 * the label" does not make a reply the job, "the replies cost 220 tokens" does.
 */
export function taskVocabulary(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    const words = text.toLowerCase().match(/[\p{L}][\p{L}-]*/gu) ?? [];
    words.forEach((word, i) => {
      const s = stem(word);
      out.add(s);
      if (s !== word || NOUN_MARKERS.has(words[i - 1] ?? "") || NOUN_MARKERS.has(words[i - 2] ?? "")) out.add(`n:${s}`);
    });
  }
  return out;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const isWord = (t: Token) => WORD_CHAR.test(t.text);

/**
 * The first word of the clause after lead-ins ("Please", "Then", "-"), or undefined. A role that names its job is
 * the order: "You write Brightwave's upsell messages" → "write".
 */
function opener(reading: Reading, from: number, to: number): Token | undefined {
  for (let i = from; i < to; i++) {
    const t = reading.tokens[i];
    if (LEAD_INS.has(t.lower) || !isWord(t)) continue;
    const next = reading.tokens[i + 1];
    if (t.lower === "you" && next && i + 1 < to && MAKING.has(next.lower)) return next;
    return t;
  }
  return undefined;
}

/** A role statement ("You are the store's copywriter.", "Act as ..."): who the model is, not a job ordered before. */
function roleRule(reading: Reading, rule: { from: number; to: number }): boolean {
  const words = reading.tokens.slice(rule.from, Math.min(rule.to, rule.from + 3)).filter(isWord);
  const [a, b] = [words[0]?.lower, words[1]?.lower];
  return (a === "you" && (b === "are" || b === "'re" || b === "re")) || (a === "act" && b === "as");
}

/** Words that point at the input rather than at what is made: "a recap of this message", "the review below". */
const INPUT_POINTERS = new Set([
  "this",
  "these",
  "that",
  "those",
  "of",
  "below",
  "above",
  "following",
  "given",
  "each",
]);
/** Nouns of quantity: "a list of 15 keywords", "a set of three titles" make the keywords, not a list of the input. */
const QUANTITIES = new Set(["list", "set", "series", "couple", "handful", "pair", "number", "bunch", "selection"]);
/** What follows the made thing and gives its form: "return your analysis as one JSON object". */
const FORM_FOLLOWS = new Set(["as", "in", "into"]);

/** The kind of text the order at `verb` makes, if one comes within a few words: "write a short risk memo". */
function madeGenre(reading: Reading, verb: Token, to: number, vocabulary: Set<string>): Token | undefined {
  let from = verb.index + 1;
  // "Turn the expense line into one friendly sentence": what is made comes after "into".
  for (let i = from; i < Math.min(to, from + 10); i++) if (reading.tokens[i].lower === "into") from = i + 1;
  let pointed = false;
  for (let i = from, words = 0; i < to && words < 7; i++) {
    const t = reading.tokens[i];
    if (OBJECT_STOPS.has(t.text)) return undefined;
    if (!isWord(t)) continue;
    words++;
    const quantity = t.lower === "of" && QUANTITIES.has(reading.tokens[i - 1]?.lower ?? "");
    if (INPUT_POINTERS.has(t.lower) && !quantity) pointed = true;
    if (t.quoted || t.descriptive) continue;
    if (GENRES.has(stem(t.lower)) || GENRES.has(t.lemma)) {
      // "Write the question in full sentences": a form of what is made, not another thing to make.
      const before = reading.tokens.slice(from, i).filter(isWord).at(-1);
      if (pointed || (before && FORM_FOLLOWS.has(before.lower))) return undefined;
      const next = reading.tokens[i + 1];
      // "the campaign email body" where the brief's email is its own: the last noun names what is made.
      const compound = next && i + 1 < to && isWord(next) && (GENRES.has(stem(next.lower)) || GENRES.has(next.lemma));
      if (compound && ownGenre(vocabulary, t)) continue;
      const after = reading.tokens.slice(i + 1, to).find(isWord);
      return after && FORM_FOLLOWS.has(after.lower) ? undefined : t;
    }
  }
  return undefined;
}

/** "make sure the message starts with the rule name", "make certain that ...": a check on the reply, nothing made. */
function makesSure(reading: Reading, verb: Token): boolean {
  if (verb.lemma !== "make") return false;
  // (The next word by a walk: a copy of the tokens after each clause's opener made this quadratic.)
  let next: Token | undefined;
  for (let i = verb.index + 1; i < reading.tokens.length && next === undefined; i++)
    if (isWord(reading.tokens[i])) next = reading.tokens[i];
  return next?.lower === "sure" || next?.lower === "certain";
}

/** The word after "make sure (that) (you)", or undefined: "Make sure you write ..." → "write". */
function afterCheck(reading: Reading, make: Token, to: number): Token | undefined {
  const words = reading.tokens.slice(make.index + 2, to).filter(isWord);
  const skip = new Set(["that", "you", "to", "also", "always"]);
  const next = words.find((t) => !skip.has(t.lower));
  return next && (next.pos === "VERB" || MAKING.has(next.lower)) && !makesSure(reading, next) ? next : undefined;
}

export interface OtherTask {
  /** The order, quoted. */
  evidence: string;
  line: number;
  /** What it asks to make, in the prompt's words. */
  made: string;
  /** The order is the prompt's first: the prompt opens by asking for the other job, not for a part beside its own. */
  opening: boolean;
}

/** Kinds of text that are a part beside the reply ("first give one sentence explaining why"), not another job. */
const PARTS = new Set(["sentence", "paragraph", "explanation", "note", "commentary", "analysis", "reason", "line"]);

/**
 * The other job replaces the exercise's: the prompt opens by ordering it ("Write a 300-word newsletter ...", "Summarise
 * the clause for the legal team"), and it is a whole deliverable, not a part such as a sentence of reasons before the
 * label. Such a prompt does none of the exercise's job, however many of its rules it names.
 */
export function replacesJob(other: OtherTask): boolean {
  const head = other.made.split(/\s+/).at(-1) ?? "";
  return other.opening && !PARTS.has(stem(head));
}

export function detectOtherTask(reading: Reading, rules: RuleReading[], vocabulary: Set<string>): OtherTask | null {
  if (vocabulary.size === 0) return null;
  for (const clause of reading.clauses) {
    if (clause.condition || rules[clause.rule]?.instructs !== true) continue;
    const first = opener(reading, clause.from, clause.to);
    // "Make sure (that) (you) write a memo": the order is the verb after the check.
    const verb = first && makesSure(reading, first) ? afterCheck(reading, first, clause.to) : first;
    if (!verb || verb.negated || verb.quoted || verb.descriptive) continue;
    let made: string | null = null;
    const job = JOB_VERBS[verb.lemma] ?? JOB_VERBS[verb.lower];
    if (job && !job.some((w) => vocabulary.has(stem(w)))) made = verb.text;
    else if (MAKING.has(verb.lemma) || MAKING.has(verb.lower)) {
      const genre = madeGenre(reading, verb, clause.to, vocabulary);
      if (genre && !genre.negated && !ownGenre(vocabulary, genre)) made = genre.text;
      else if (genre && !genre.negated) {
        // "Write a short promotional email" where the brief's emails answer customers.
        const purpose = reading.tokens
          .slice(verb.index + 1, genre.index)
          .find((t) => PURPOSES.has(t.lower) && !vocabulary.has(stem(t.lower)));
        if (purpose) made = `${purpose.text} ${genre.text}`;
      }
    }
    if (made !== null) {
      const rule = reading.rules[clause.rule];
      const opening = !rules
        .slice(0, clause.rule)
        .some((r, j) => r?.instructs === true && !roleRule(reading, reading.rules[j]));
      return { evidence: quoteRule(reading, rule), line: rule.line, made, opening };
    }
  }
  return null;
}
