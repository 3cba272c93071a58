/**
 * Per-keystroke token counting in Node: the incremental counter against a full js-tiktoken encode, on the same
 * 4,000-token prompt and the same 500 single-character edits, in one run. `npx tsx bench/tokenizer-node.ts`
 * The prompt generator is exported for the counter's property test, so both exercise the same kind of text.
 */

import { pathToFileURL } from "node:url";
import { Tiktoken } from "js-tiktoken/lite";
import cl100k from "js-tiktoken/ranks/cl100k_base";
import o200k from "js-tiktoken/ranks/o200k_base";
import { countTokensFull, IncrementalTokenCounter } from "~/domain/token-counter";

export type Rng = () => number;

/** Seeded PRNG (mulberry32): a failing sequence reproduces from its seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
export const randomInt = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const WORDS = (
  "the a an of to and in for on with as by at from that this it is are be will must should can may not " +
  "you your we our they their customer support ticket summary summarize summarise classify extract invoice " +
  "refund policy escalation priority urgent sentiment negative positive neutral response format json field " +
  "array object string number boolean null required optional concise brief detailed step steps reasoning " +
  "example examples instruction instructions context document documents paragraph sentence keyword keywords " +
  "language translate translation German French Spanish Japanese output input model assistant user system " +
  "please kindly carefully thoroughly make sure always never ignore previous above below following " +
  "markdown table bullet list heading title description category label labels score confidence threshold " +
  "product order shipping delivery address account password reset billing subscription cancellation " +
  "quarterly revenue forecast budget spend cost savings percent growth decline Q1 Q2 Q3 Q4 FY2024 EBITDA " +
  "Kubernetes PostgreSQL TypeScript JavaScript Python regex tokenizer embeddings retrieval RAG chunking " +
  "hallucination grounding citation citations sources verbatim paraphrase tone formal friendly professional " +
  "don't can't it's we're they've I'll you'd " +
  "antidisestablishmentarianism internationalization misconfiguration straightforward notwithstanding " +
  "aforementioned hereinafter counterintuitive idiosyncratic"
).split(" ");

const UNICODE = [
  "café",
  "naïve",
  "façade",
  "Müller",
  "Straße",
  "jalapeño",
  "smörgåsbord",
  "Ελληνικά",
  "русский текст",
  "日本語のテキスト",
  "中文分词测试",
  "한국어 문장",
  "עברית",
  "العربية",
  "हिन्दी",
  "e\u0301te\u0301",
  "Z\u0324\u0354\u0367\u0311a\u0308\u0356\u032d",
  "🦊",
  "🚀🚀",
  "👍🏽",
  "👩‍💻",
  "🇫🇷",
  "😀😃😄",
  "✅",
  "→",
  "≥",
  "±",
  "€1.299,00",
  "¥5000",
  "…",
  "—",
  "“quoted”",
];

export const SPECIAL_TEXT = ["<|endoftext|>", "<|endofprompt|>", "<|fim_prefix|>", "<|im_start|>", "<|", "|>"];

function word(rng: Rng): string {
  const r = rng();
  if (r < 0.84) return pick(rng, WORDS);
  if (r < 0.9) return String(randomInt(rng, 0, 10 ** randomInt(rng, 1, 9)));
  if (r < 0.96) return pick(rng, UNICODE);
  if (r < 0.98) return pick(rng, SPECIAL_TEXT);
  return `${pick(rng, WORDS)}_${pick(rng, WORDS)}${randomInt(rng, 0, 99)}`;
}

function sentence(rng: Rng): string {
  const words: string[] = [];
  for (let i = randomInt(rng, 4, 22); i > 0; i--) words.push(word(rng));
  const s = words.join(rng() < 0.05 ? "  " : " ");
  return s[0].toUpperCase() + s.slice(1) + pick(rng, [".", ".", ".", "?", "!", ":", ";", "...", " —"]);
}

function codeBlock(rng: Rng): string {
  const name = `${pick(rng, WORDS)}${randomInt(rng, 1, 9)}`;
  switch (randomInt(rng, 0, 4)) {
    case 0:
      return [
        "```python",
        `def ${name}(items, limit=${randomInt(rng, 1, 500)}):`,
        `    """Return the top items."""`,
        `    out = [x for x in items if x["score"] >= 0.${randomInt(rng, 1, 99)}]`,
        "\tif not out:",
        "        return None  # <|endoftext|>",
        `    return sorted(out, key=lambda x: -x["score"])[:limit]`,
        "```",
      ].join("\n");
    case 1:
      return [
        "```ts",
        `export function ${name}(input: string): Record<string, number> {`,
        "  const counts: Record<string, number> = {};",
        "  for (const w of input.split(/\\s+/)) counts[w] = (counts[w] ?? 0) + 1;",
        `  return counts; // ${randomInt(rng, 0, 99999)}`,
        "}",
        "```",
      ].join("\n");
    case 2:
      return [
        "{",
        `  "id": ${randomInt(rng, 1, 99999)},`,
        `  "label": "${pick(rng, WORDS)}",`,
        `  "score": 0.${randomInt(rng, 0, 999)},`,
        `  "tags": ["${pick(rng, WORDS)}", "${pick(rng, UNICODE)}"],`,
        `  "url": "https://example.com/api/v${randomInt(rng, 1, 3)}/${name}?q=${randomInt(rng, 1, 99)}&lang=fr"`,
        "}",
      ].join("\n");
    case 3:
      return `| field | type | required |\n|---|---|---|\n| ${pick(rng, WORDS)} | string | yes |\n| ${pick(rng, WORDS)} | number | no |`;
    default:
      return `    SELECT id, SUM(amount) AS total\n    FROM invoices\n    WHERE created_at >= '2024-0${randomInt(rng, 1, 9)}-01'\n    GROUP BY id;\n// path/to/file`;
  }
}

/** One block of a prompt: prose, a list, code or data, a heading, or a whitespace-heavy fragment; LF or CRLF. */
export function promptParagraph(rng: Rng): string {
  const r = rng();
  let p: string;
  if (r < 0.5) {
    const sentences: string[] = [];
    for (let i = randomInt(rng, 1, 6); i > 0; i--) sentences.push(sentence(rng));
    p = sentences.join(" ");
  } else if (r < 0.7) {
    const items: string[] = [];
    for (let i = 1; i <= randomInt(rng, 2, 6); i++) {
      items.push(`${pick(rng, ["-", "*", `${i}.`, "  -", "\t•"])} ${sentence(rng)}`);
    }
    p = items.join("\n");
  } else if (r < 0.85) {
    p = codeBlock(rng);
  } else if (r < 0.93) {
    p = `${pick(rng, ["#", "##", "###"])} ${sentence(rng)}\n\n${sentence(rng)}`;
  } else {
    const indent = " ".repeat(randomInt(rng, 1, 12));
    const trailing = "\t".repeat(randomInt(rng, 0, 3)) + " ".repeat(randomInt(rng, 0, 5));
    p = `${indent}${sentence(rng)}${trailing}\n${"\n".repeat(randomInt(rng, 0, 3))}${pick(rng, SPECIAL_TEXT)}`;
  }
  return rng() < 0.25 ? p.replace(/\n/g, "\r\n") : p;
}

/** A long prompt of realistic blocks, grown until `count` reaches `minTokens`. */
export function realisticPrompt(rng: Rng, minTokens: number, count: (text: string) => number): string {
  let text = "";
  while (count(text) < minTokens)
    text += promptParagraph(rng) + pick(rng, ["\n\n", "\n\n", "\n", "\r\n\r\n", "\n\n\n"]);
  return text;
}

/** A keystroke: one character typed or deleted at a random place (typing mostly adds letters and spaces). */
function singleCharEdit(rng: Rng, text: string): string {
  const at = randomInt(rng, 0, text.length);
  if (rng() < 0.35 && text.length > 0) return text.slice(0, Math.min(at, text.length - 1)) + text.slice(at + 1);
  const ch = pick(rng, [..."etaoinshrdlu etaoin  ,.\n", "E", "7", "é", "/", "\t"]);
  return text.slice(0, at) + ch + text.slice(at);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(ms: number[]): { median: number; p95: number; mean: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: ms.reduce((a, b) => a + b, 0) / ms.length,
  };
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

const EDITS = 500;
const PROMPT_TOKENS = 4_000;

function benchEncoding(name: string, ranks: typeof o200k): boolean {
  const [enc, initMs] = time(() => new Tiktoken(ranks));
  const rng = mulberry32(20_250_101);
  const prompt = realisticPrompt(rng, PROMPT_TOKENS, (t) => countTokensFull(enc, t));
  const texts: string[] = [];
  for (let i = 0; i < EDITS; i++) texts.push(singleCharEdit(rng, texts.at(-1) ?? prompt));

  // Each method runs over the whole sequence on its own, so one's garbage is not collected on another's clock.
  const [full, fullMs] = timeEach(texts, (t) => countTokensFull(enc, t));
  const incremental = new IncrementalTokenCounter(enc, ranks.pat_str);
  const [, coldMs] = time(() => incremental.count(prompt));
  const piecesOnly = new IncrementalTokenCounter(enc, ranks.pat_str, { reuseChunks: false });
  piecesOnly.count(prompt);
  const runs = {
    incremental: timeEach(texts, (t) => incremental.count(t)),
    "pieces only": timeEach(texts, (t) => piecesOnly.count(t)),
  };
  const mismatches = Object.values(runs).reduce(
    (n, [counts]) => n + counts.filter((tokens, i) => tokens !== full[i]).length,
    0,
  );

  const fullStats = summary(fullMs);
  console.log(
    `\n${name}: init ${initMs.toFixed(0)} ms; prompt ${prompt.length} chars, ${countTokensFull(enc, prompt)} tokens`,
  );
  console.log(`  first incremental count (empty cache) ${coldMs.toFixed(1)} ms; then ${EDITS} single-character edits:`);
  console.log(`  ${"ms per edit".padEnd(16)}${"median".padStart(9)}${"p95".padStart(9)}${"mean".padStart(9)}`);
  const rows: [string, number[]][] = [
    ["full encode", fullMs],
    ...Object.entries(runs).map(([k, [, ms]]): [string, number[]] => [k, ms]),
  ];
  for (const [label, ms] of rows) {
    const s = summary(ms);
    const figures = [s.median, s.p95, s.mean].map((x) => x.toFixed(3).padStart(9)).join("");
    const ratio = ms === fullMs ? "" : `   ${(fullStats.median / s.median).toFixed(0)}× faster than full (median)`;
    console.log(`  ${label.padEnd(16)}${figures}${ratio}`);
  }
  console.log(`  every count equal to the full encode: ${mismatches === 0 ? "yes" : `NO, ${mismatches} mismatches`}`);
  return mismatches === 0;
}

function timeEach(texts: string[], count: (text: string) => number): [number[], number[]] {
  const counts: number[] = [];
  const ms: number[] = [];
  for (const text of texts) {
    const [tokens, elapsed] = time(() => count(text));
    counts.push(tokens);
    ms.push(elapsed);
  }
  return [counts, ms];
}

function main(): void {
  console.log(`Token counting per keystroke, Node ${process.version}: incremental counter vs full js-tiktoken encode`);
  const ok = [benchEncoding("o200k_base", o200k), benchEncoding("cl100k_base", cl100k)].every(Boolean);
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
