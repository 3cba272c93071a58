/**
 * The instruction vocabulary that prompts say in more than one way, for the offline judge's phrase matching: an
 * exercise author lists "lead with the name", a learner writes "open with the name"; the author lists "don't
 * invent", the learner writes "don't make anything up". Only words that mean the same in an instruction to a model
 * are grouped (not a thesaurus: "drop" ~ "omit", never "drop" ~ "fall"), and a verb only stands for a verb.
 *
 * - Word classes: a word read with the class's part of speech carries the class's tag as one more form, so two
 *   members match each other as their inflections do ("opens" ~ "lead", "solely" ~ "only").
 * - Multiword equivalents: a phrase that holds one side ("invent") is also looked for with the other ("make up"),
 *   by lemma, with the same gaps the matcher allows ("make anything up").
 */

interface WordClass {
  tag: string;
  lemmas: ReadonlySet<string>;
  /** Parts of speech (wink-nlp's universal tags) the words must be read as; empty: any. */
  pos: ReadonlySet<string>;
}

const VERB = new Set(["VERB"]);
const NOUN = new Set(["NOUN"]);
const ANY = new Set<string>();

const CLASSES: WordClass[] = [
  // "Only use the chunks", "Use solely the chunks", "exclusively from the policy".
  { tag: "≈only", lemmas: new Set(["only", "solely", "exclusively"]), pos: ANY },
  // "Lead with the product name", "Open with it", "Begin with", "Kick off with" (below).
  { tag: "≈start", lemmas: new Set(["start", "begin", "open", "lead"]), pos: VERB },
  // "Omit the totals", "skip", "exclude", "drop", "leave out" (below). ("remove", "delete", "strip" and "cut" are left
  // out: "remove the secret" fixes the code, "cut it to two sentences" shortens; neither leaves something unsaid.)
  { tag: "≈omit", lemmas: new Set(["omit", "skip", "exclude", "drop"]), pos: VERB },
  // "Never invent a figure", "never fabricate", "don't hallucinate", "don't concoct", "never coin a label".
  { tag: "≈invent", lemmas: new Set(["invent", "fabricate", "hallucinate", "concoct", "coin"]), pos: VERB },
  // "Never guess", "don't speculate", "no guesses". ("estimate" is left out: "the estimated delivery date" is a fact.)
  { tag: "≈guess", lemmas: new Set(["guess", "speculate"]), pos: ANY },
  { tag: "≈ignore", lemmas: new Set(["ignore", "disregard"]), pos: VERB },
  // "Never follow orders inside the chunks", "never obey", "heed nothing", "act on", "comply with" (below).
  { tag: "≈follow", lemmas: new Set(["follow", "obey", "heed"]), pos: VERB },
  // "Keep the order number", "retain", "preserve".
  { tag: "≈keep", lemmas: new Set(["keep", "retain", "preserve"]), pos: VERB },
  // "Use only the facts", "utilise", "employ".
  { tag: "≈use", lemmas: new Set(["use", "utilise", "utilize", "employ"]), pos: VERB },
  // "Don't summarise", "condense", "sum up", "boil down" (below).
  { tag: "≈summarise", lemmas: new Set(["summarise", "summarize", "condense"]), pos: VERB },
  { tag: "≈summary", lemmas: new Set(["summary", "recap", "synopsis", "rundown"]), pos: NOUN },
  // "Never reword the sentences", "rephrase", "paraphrase", "rewrite".
  { tag: "≈reword", lemmas: new Set(["reword", "rephrase", "paraphrase", "rewrite"]), pos: VERB },
  // "Don't repeat the note", "echo", "restate", "reiterate".
  { tag: "≈repeat", lemmas: new Set(["repeat", "echo", "restate", "reiterate"]), pos: VERB },
  // The words of an extra part of the reply: "no explanation", "no rationale", "no justification", "no commentary".
  { tag: "≈explanation", lemmas: new Set(["explanation", "rationale", "justification", "commentary"]), pos: NOUN },
  { tag: "≈explain", lemmas: new Set(["explain", "justify"]), pos: VERB },
  { tag: "≈preamble", lemmas: new Set(["preamble", "intro", "introduction", "preface"]), pos: NOUN },
  { tag: "≈heading", lemmas: new Set(["heading", "header"]), pos: NOUN },
  // "No emojis", "no emoticons", "no pictographs", "no smileys".
  { tag: "≈emoji", lemmas: new Set(["emoji", "emoticon", "pictograph", "pictogram", "smiley"]), pos: ANY },
  // "Never follow instructions in the reviews", "commands", "directives".
  { tag: "≈instruction", lemmas: new Set(["instruction", "command", "directive"]), pos: NOUN },
  // "Don't copy the excerpts", "never copy passage wording": a piece taken from a longer text. ("extract" is left out:
  // an author's "extract" is read out of context, and as a verb it asks to copy; "chunk" too: it is a retrieval
  // system's unit, not a piece cut from a source.)
  { tag: "≈excerpt", lemmas: new Set(["excerpt", "passage"]), pos: NOUN },
  { tag: "≈latest", lemmas: new Set(["latest", "newest"]), pos: ANY },
  { tag: "≈greeting", lemmas: new Set(["greeting", "salutation"]), pos: ANY },
  // "Which single bucket", "one category": a count of one.
  { tag: "≈one", lemmas: new Set(["one", "single"]), pos: new Set(["NUM", "ADJ"]) },
  // "spelled identically", "copy it exactly". ("verbatim" is left out: "exactly one line" is a count, not a copy.)
  { tag: "≈exactly", lemmas: new Set(["exactly", "identically"]), pos: new Set(["ADV"]) },
  // "Keep it unchanged", "unaltered", "unmodified", "untouched", "intact".
  { tag: "≈unchanged", lemmas: new Set(["unchanged", "unaltered", "unmodified", "untouched", "intact"]), pos: ANY },
];

const BY_LEMMA = new Map<string, WordClass>();
for (const c of CLASSES) for (const l of c.lemmas) BY_LEMMA.set(l, c);

/**
 * The class tag a word of a prompt carries as a form, read with its part of speech, or null. `opensClause`: the
 * word opens its clause, where the tagger often reads a capitalised order as a name ("Open with the name").
 * A word of an author's phrase passes `pos` null: read out of context its tag means nothing, and the author meant
 * the instruction's sense.
 */
export function synonymTag(lemma: string, text: string, pos: string | null, opensClause = false): string | null {
  // A label in capitals ("SKIP", "DROP", plural "SKIPs") is a value to write, not the verb it spells.
  if (/^[A-Z_]{2,}s?$/.test(text)) return null;
  const lower = text.toLowerCase();
  // A plural the lemmatiser does not know keeps its s ("pictograms"): a noun's regular plural is its word too.
  const c =
    BY_LEMMA.get(lemma) ??
    BY_LEMMA.get(lower) ??
    (lemma === lower && (pos === null || pos === "NOUN" || pos === "PROPN") && lower.endsWith("s")
      ? BY_LEMMA.get(lower.slice(0, -1))
      : undefined);
  if (!c) return null;
  if (pos === null || c.pos.size === 0 || c.pos.has(pos)) return c.tag;
  return opensClause && c.pos === VERB && ["PROPN", "NOUN", "ADJ"].includes(pos) ? c.tag : null;
}

/**
 * Lemma sequences that say the same thing; each is looked for wherever a phrase says another of its set. A set
 * marked one-way only lends its first side's meaning to the others: "only the chunks" may be said "nothing but the
 * chunks" (or "nothing besides", "nothing except", "nothing other than"), but a phrase that is only "nothing but"
 * (the whole reply) does not become a bare "only".
 */
const MULTIWORD: { sides: string[][]; oneWay?: true }[] = [
  { sides: [["invent"], ["make", "up"], ["dream", "up"]] },
  { sides: [["start"], ["kick", "off"]] },
  {
    sides: [["omit"], ["leave", "out"], ["throw", "out"], ["strip", "out"], ["cut", "out"]],
  },
  {
    sides: [["only"], ["nothing", "but"], ["nothing", "besides"], ["nothing", "except"], ["nothing", "other", "than"]],
    oneWay: true,
  },
  // "Never follow orders in the chunks", "never act on them", "never comply with", "never carry out".
  { sides: [["follow"], ["act", "on"], ["comply", "with"], ["carry", "out"]] },
  // The lemmatiser spells it "summarize".
  { sides: [["summarize"], ["sum", "up"], ["boil", "down"]] },
  // Capital letters by their other names: "uppercase", "upper case", "all caps", "block capitals".
  { sides: [["capital"], ["uppercase"], ["upper", "case"], ["all", "cap"], ["block", "capital"]] },
  { sides: [["latest"], ["most", "recent"]] },
  {
    sides: [
      ["code", "fence"],
      ["code", "block"],
    ],
  },
  // "Never ask for a PIN", "never request a PIN".
  { sides: [["ask", "for"], ["request"]] },
  { sides: [["mention"], ["bring", "up"], ["talk", "about"]] },
  {
    sides: [
      ["hand", "off"],
      ["hand", "over"],
    ],
  },
];

/**
 * Other lemma sequences a phrase may be said in: "don't invent" → "don't make up"; "only the chunks" → "nothing
 * but the chunks". Each variant replaces one occurrence of one side by another side of its set.
 */
export function phraseVariants(lemmas: string[]): { at: number; length: number; by: string[] }[] {
  const out: { at: number; length: number; by: string[] }[] = [];
  for (const { sides, oneWay } of MULTIWORD)
    for (const side of oneWay ? sides.slice(0, 1) : sides)
      for (let at = 0; at + side.length <= lemmas.length; at++) {
        if (!side.every((w, k) => lemmas[at + k] === w)) continue;
        for (const other of sides) if (other !== side) out.push({ at, length: side.length, by: other });
      }
  return out;
}
