import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import p50k from "js-tiktoken/ranks/p50k_base";
import { describe, expect, it } from "vitest";
import {
  mulberry32,
  pick,
  promptParagraph,
  type Rng,
  randomInt,
  realisticPrompt,
  SPECIAL_TEXT,
} from "../../bench/tokenizer-node";
import { chunkText, countTokensFull, IncrementalTokenCounter } from "./token-counter";

const ENCODINGS = [
  { name: "o200k_base", ranks: o200k, enc: new Tiktoken(o200k) },
  { name: "cl100k_base", ranks: cl100k, enc: new Tiktoken(cl100k) },
];

/** Text a learner types, weighted towards what sits at chunk and piece edges: newlines, "/", spaces, punctuation. */
const TYPED = [
  ..."abcdefghijklmnopqrstuvwxyz    ",
  ..."EQZ0123456789",
  ...".,!?:;'\"-*#{}()[]",
  ". ",
  ", ",
  ".\n",
  "\n",
  "\n\n",
  "\r\n",
  "\r",
  "\t",
  "   ",
  "/",
  "\n/",
  "\n ",
  "'s",
  "'ll",
  "é",
  "ü",
  "中文",
  "🦊",
  "👍🏽",
  "\u0301",
  "\ud83e", // a lone surrogate, as a cut through an emoji leaves
  "€",
  ...SPECIAL_TEXT,
];

function typed(rng: Rng, length: number): string {
  let s = "";
  while (s.length < length) s += pick(rng, TYPED);
  return s;
}

/** Half the edits land on a random spot, half next to a character where chunks or pieces end. */
function editPosition(rng: Rng, text: string): number {
  const at = randomInt(rng, 0, text.length);
  if (rng() < 0.5) return at;
  const edge = text.slice(at).search(/[\n\r.,:; /]/);
  return edge < 0 ? at : Math.min(text.length, Math.max(0, at + edge + randomInt(rng, -1, 1)));
}

interface EditMix {
  deleteAll: number;
  paste: number;
  cut: number;
}
/** Keeps a long prompt about as long: pastes (~300 chars) and cuts (20–600 chars) balance. */
const STEADY: EditMix = { deleteAll: 0, paste: 0.05, cut: 0.05 };
/** Rebuilds text from nothing, deleting everything now and then. */
const REBUILD: EditMix = { deleteAll: 0.005, paste: 0.06, cut: 0.04 };

/** One random edit: mostly 1–20 characters inserted, deleted or replaced; sometimes a paste or a cut. */
function randomEdit(rng: Rng, text: string, mix: EditMix = REBUILD): { text: string; edit: string } {
  const r = rng();
  const at = editPosition(rng, text);
  if (r < mix.deleteAll) return { text: "", edit: "delete everything" };
  if (r < mix.deleteAll + mix.paste) {
    return { text: text.slice(0, at) + promptParagraph(rng) + text.slice(at), edit: `paste @${at}` };
  }
  if (r < mix.deleteAll + mix.paste + mix.cut) {
    const length = randomInt(rng, 20, 600);
    return { text: text.slice(0, at) + text.slice(at + length), edit: `cut ${length} @${at}` };
  }
  const length = randomInt(rng, 1, 20);
  const kind = pick(rng, ["insert", "delete", "replace"] as const);
  const removed = kind === "insert" ? 0 : length;
  const added = kind === "delete" ? "" : typed(rng, length);
  return {
    text: text.slice(0, at) + added + text.slice(at + removed),
    edit: `${kind} ${removed} ${JSON.stringify(added)} @${at}`,
  };
}

/** A ~4,000-token prompt, grown with a counter of its own (a full count per paragraph would be quadratic). */
function longPrompt(rng: Rng, enc: Tiktoken, patStr: string): string {
  const counter = new IncrementalTokenCounter(enc, patStr);
  return realisticPrompt(rng, 4_000, (t) => counter.count(t));
}

function pieces(text: string, patStr: string): string[] {
  return [...text.matchAll(new RegExp(patStr, "ug"))].map((m) => m[0]);
}

/** Strings that sit on the edges of the pre-tokenizer patterns. */
const EDGE_CASES = [
  "",
  "a",
  " ",
  "\n",
  "\r\n",
  "line one\nline two\r\nline three\rline four",
  "end.\n/path/to/file\n //comment\n\tindented\n  spaced\n\n\nx",
  "Hello. World, again: yes; no! why? fine.  Two spaces.\tTab.\u00a0NBSP. 3.14 e.g. U.S.A. ...",
  "he's they'll I'M we'RE don't 'tis ' s",
  "    def f():\n        return 1  \n\n   \n",
  "1234567 12,345.67 0.001 ١٢٣٤ 一二三",
  "<|endoftext|><|endofprompt|> <|fim_prefix|>x<|im_start|>",
  "👩‍💻👍🏽🇫🇷 café naïve e\u0301 Z\u0324\u0354a\u0308",
  "\ud83e lone \udd8a surrogates \ud83e",
  "trailing spaces   \n   \n\t\n",
  "CamelCaseWords and HTTPServer XMLHttpRequest",
];

describe("countTokensFull", () => {
  it.each(ENCODINGS)("counts special-token text as ordinary text instead of throwing ($name)", ({ enc }) => {
    const text = "Summarise this.<|endoftext|>Ignore the rest.";
    expect(() => enc.encode(text)).toThrow(/special token/);
    expect(countTokensFull(enc, text)).toBe(enc.encode(text, [], []).length);
    // As plain text "<|endoftext|>" is several tokens; as a control token it would be one.
    expect(countTokensFull(enc, text)).toBeGreaterThan(enc.encode(text, "all").length);
  });
});

describe.each(ENCODINGS)("the pre-tokenizer facts the counter rests on ($name)", ({ ranks, enc }) => {
  const rng = mulberry32(7);
  const corpus = [...EDGE_CASES, longPrompt(rng, enc, ranks.pat_str)];
  for (let i = 0; i < 200; i++) corpus.push(randomEdit(rng, pick(rng, corpus)).text);

  it("splits every piece to itself when the piece is split alone", () => {
    const distinct = new Set(corpus.flatMap((text) => pieces(text, ranks.pat_str)));
    for (const piece of distinct) expect(pieces(piece, ranks.pat_str)).toEqual([piece]);
  });

  it("splits each chunk alone into the same pieces as inside the whole text", () => {
    for (const text of corpus) {
      const chunks = chunkText(text, ranks.pat_str);
      expect(chunks.join("")).toBe(text);
      expect(chunks.flatMap((chunk) => pieces(chunk, ranks.pat_str))).toEqual(pieces(text, ranks.pat_str));
    }
  });
});

describe("chunkText", () => {
  it("cuts the gpt2-era patterns only after sentence punctuation, as their newline runs depend on what follows", () => {
    expect(pieces("a\r\n-b", p50k.pat_str)).toEqual(["a", "\r", "\n", "-", "b"]);
    expect(chunkText("One.\r\n-Two, three. Four", p50k.pat_str)).toEqual(["One.\r\n-Two,", " three.", " Four"]);
    expect(chunkText("One.\r\n-Two, three. Four", o200k.pat_str)).toEqual(["One.\r\n", "-Two,", " three.", " Four"]);
    const rng = mulberry32(5);
    for (let i = 0; i < 100; i++) {
      const text = promptParagraph(rng);
      expect(chunkText(text, p50k.pat_str).flatMap((c) => pieces(c, p50k.pat_str))).toEqual(pieces(text, p50k.pat_str));
    }
  });
});

describe.each(ENCODINGS)("IncrementalTokenCounter ($name)", ({ name, ranks, enc }) => {
  // A full encode of 4,000 tokens takes ~15 ms, so 2,000 checks on a prompt that long would take 30 s per encoding:
  // the first LONG_EDITS edits work on the long prompt, then it is deleted and the rest rebuild text from nothing.
  // (bench/tokenizer-node.ts checks 500 more edits of a 4,000-token prompt per encoding.)
  const LONG_EDITS = 200;
  it("equals a full encode after each of 2,000 random edits to a long prompt, with and without evictions", () => {
    const seed = name === "o200k_base" ? 2_001 : 2_002;
    const rng = mulberry32(seed);
    const counter = new IncrementalTokenCounter(enc, ranks.pat_str);
    const squeezed = new IncrementalTokenCounter(enc, ranks.pat_str, { maxPieces: 40 });
    let text = longPrompt(rng, enc, ranks.pat_str);
    for (let i = 1; i <= 2_000; i++) {
      const next =
        i === LONG_EDITS + 1
          ? { text: "", edit: "delete everything" }
          : randomEdit(rng, text, i <= LONG_EDITS ? STEADY : REBUILD);
      text = next.text;
      const full = countTokensFull(enc, text);
      const [counted, countedSqueezed] = [counter.count(text), squeezed.count(text)];
      if (counted !== full || countedSqueezed !== full) {
        expect.fail(`seed ${seed}, edit ${i} (${next.edit}): counted ${counted} and ${countedSqueezed}, full ${full}`);
      }
      expect(squeezed.lastStats.cachedPieces).toBeLessThanOrEqual(40);
      expect(counter.lastStats.cachedChunks).toBeLessThanOrEqual(2 * counter.lastStats.chunks + 64);
    }
  }, 60_000);

  it("re-encodes only the edited sentence of a long prompt", () => {
    const rng = mulberry32(11);
    const prompt = longPrompt(rng, enc, ranks.pat_str);
    const counter = new IncrementalTokenCounter(enc, ranks.pat_str);
    counter.count(prompt);
    const at = prompt.indexOf(" the ") + 1;
    const edited = `${prompt.slice(0, at)}x${prompt.slice(at)}`;

    expect(counter.count(edited)).toBe(countTokensFull(enc, edited));
    const stats = counter.lastStats;
    expect(stats.chunks).toBeGreaterThan(100);
    expect(stats.chunksReused).toBe(stats.chunks - 1);
    expect(stats.piecesEncoded).toBe(1);
  });

  it("counts empty text as zero tokens", () => {
    expect(new IncrementalTokenCounter(enc, ranks.pat_str).count("")).toBe(0);
  });
});
