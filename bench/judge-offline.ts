/**
 * The offline judge's cost and its NLP library, measured (issue "Grades people can trust"):
 *
 * 1. Library comparison on the same machine and run: wink-nlp (+ wink-eng-lite-web-model) and compromise, for
 *    load time, resident memory added, tokenising/tagging a 4,000-token prompt, and how often each reads the
 *    polarity of a word in an instruction right, on hand-labelled sentences ("Never ESCALATE on cancel": ESCALATE
 *    is forbidden). wink-nlp's own negation flag and compromise's negative verbs are scored as they come; the
 *    judge's reading (wink tokens + its scope rules) is scored the same way.
 * 2. The judge itself: CPU time to grade a 4,000-token prompt (p50, p95 over repeated runs, after warm-up), against
 *    the raw wink-nlp parse of the same text as the baseline measured in the same run. Target: under 50 ms.
 * 3. For information (not the target): every exercise's starting prompt and reference solution, each repeated to
 *    4,000 tokens and graded by its own exercise, whose regex phrases may match many times (median, p90, worst).
 *
 * CPU is process.cpuUsage (GC and JIT threads count); the machine's load average is printed with the figures.
 * `npx tsx bench/judge-offline.ts` (or `npm run bench -- judge`). Exits 1 when the judge misses its target.
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { countTokens } from "~/.server/tokenizer.server";
import { judgeOffline } from "~/domain/offline-judge";
import { readPrompt } from "~/domain/offline-judge/reading";
import { loadContent } from "~/exercises/load.server";

type Case = [sentence: string, word: string, negated: boolean];

/** Hand-labelled: is `word` forbidden (true) or asked for (false) by the instruction? */
const POLARITY: Case[] = [
  ["Never ESCALATE on cancel.", "ESCALATE", true],
  ["Add ESCALATE if they threaten to cancel.", "ESCALATE", false],
  ["Do not summarise the ticket.", "summarise", true],
  ["Summarise the ticket in three bullets.", "Summarise", false],
  ["No more than 3 bullets.", "bullets", false],
  ["Don't use more than three bullets.", "bullets", false],
  ["Never exceed 60 words.", "words", false],
  ["Don't forget the ESCALATE line.", "ESCALATE", false],
  ["Never leave out the order number.", "order", false],
  ["Explanations are not allowed.", "Explanations", true],
  ["Order numbers must never be changed.", "Order", false],
  ["ESCALATE should never be added.", "ESCALATE", true],
  ["Output nothing but the label.", "label", false],
  ["Reply with the label only, no explanation.", "explanation", true],
  ["Reply with the label only, no explanation.", "label", false],
  ["Use null instead of guessing.", "guessing", true],
  ["Make your best guess instead of null.", "null", true],
  ["Make your best guess instead of null.", "guess", false],
  ["No greetings, sign-offs or explanations.", "explanations", true],
  ["Never ask for, repeat or store a PIN.", "PIN", true],
  ["If nothing fits, answer other.", "other", false],
  ["If unsure, answer OK.", "OK", false],
  ["Avoid hype words.", "hype", true],
  ["Skip the preamble.", "preamble", true],
  ["Return JSON without any other text.", "text", true],
  ["Return JSON without any other text.", "JSON", false],
  ["Login failures and 2FA codes not arriving are bug.", "bug", false],
  ["Add ESCALATE unless the customer threatens legal action.", "legal", true],
  ["Keep the order number exactly as written; do not reformat it.", "order", false],
  ["Only use facts from the ticket.", "facts", false],
  ["Do not mention only facts.", "facts", true],
  ["Ignore the order number.", "order", true],
  ["The reply must not include card numbers.", "card", true],
  ["The reply must not include card numbers.", "reply", false],
  ["Any added note is rejected.", "note", true],
  ["If the item is not used and has its tags, accept it.", "tags", false],
  ["Give the label, then one short sentence saying why.", "sentence", false],
  ["Do not translate it and do not summarise it.", "summarise", true],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function time(fn: () => void, runs: number): { p50: number; p95: number } {
  for (let i = 0; i < 3; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

const rssMb = () => process.memoryUsage().rss / 1e6;

// --- 1. The libraries -------------------------------------------------------------------------------------------
const exercise = loadContent().exercises.find((e) => e.exercise.slug === "compress-ticket-summary")?.exercise;
if (!exercise) throw new Error("compress-ticket-summary is missing");
// A realistic long prompt: the starting prompt repeated to about 4,000 tokens (o200k).
let prompt = exercise.starting_prompt;
while (countTokens(prompt, "o200k_base") < 4000) prompt += `\n${exercise.starting_prompt}`;
const promptTokens = countTokens(prompt, "o200k_base");

let before = rssMb();
let started = performance.now();
const { default: winkNLP } = await import("wink-nlp");
const { default: winkModel } = await import("wink-eng-lite-web-model");
const wink = winkNLP(winkModel, ["sbd", "pos", "negation"]);
wink.readDoc("warm up");
const winkLoad = { ms: performance.now() - started, mb: rssMb() - before };

before = rssMb();
started = performance.now();
const { default: nlpCompromise } = await import("compromise");
nlpCompromise("warm up").json();
const compromiseLoad = { ms: performance.now() - started, mb: rssMb() - before };

const winkParse = time(() => {
  const doc = wink.readDoc(prompt);
  doc.tokens().out(wink.its.pos);
  doc.tokens().out(wink.its.lemma as unknown as typeof wink.its.value);
}, 30);
const compromiseParse = time(() => nlpCompromise(prompt).json(), 5);

function winkNegated(sentence: string, word: string): boolean {
  const tokens = wink.readDoc(sentence).tokens();
  const values = tokens.out(wink.its.value) as string[];
  const flags = tokens.out(wink.its.negationFlag) as unknown as boolean[];
  const at = values.indexOf(word);
  return at >= 0 && flags[at] === true;
}

function compromiseNegated(sentence: string, word: string): boolean {
  const doc = nlpCompromise(sentence);
  // compromise marks negative verb phrases; a word counts as negated when it sits in the clause after one.
  for (const clause of doc.clauses().out("array") as string[]) {
    if (!clause.includes(word)) continue;
    return (
      nlpCompromise(clause).verbs().isNegative().found || /\b(?:no|without|instead of)\b/i.test(clause.split(word)[0])
    );
  }
  return false;
}

function judgeNegated(sentence: string, word: string): boolean {
  const reading = readPrompt(sentence);
  const token = reading.tokens.find((t) => t.text === word);
  return token?.negated ?? false;
}

function accuracy(read: (s: string, w: string) => boolean): number {
  return POLARITY.filter(([s, w, neg]) => read(s, w) === neg).length / POLARITY.length;
}

const winkAccuracy = accuracy(winkNegated);
const compromiseAccuracy = accuracy(compromiseNegated);
const judgeAccuracy = accuracy(judgeNegated);

// --- 2. The judge ---------------------------------------------------------------------------------------------
const judge = time(() => judgeOffline(prompt, exercise), 30);
const cpuBefore = process.cpuUsage();
const runs = 30;
for (let i = 0; i < runs; i++) judgeOffline(prompt, exercise);
const cpu = process.cpuUsage(cpuBefore);
const cpuPerGrade = (cpu.user + cpu.system) / 1000 / runs;

// --- 3. Every exercise's own prompts at 4,000 tokens ----------------------------------------------------------
const perPrompt: { name: string; ms: number }[] = [];
for (const { exercise: ex } of loadContent().exercises)
  for (const [kind, base] of [
    ["starting prompt", ex.starting_prompt],
    ["reference solution", ex.reference_solution],
  ] as const) {
    let long = base;
    while (countTokens(long, "o200k_base") < 4000) long += `\n${base}`;
    judgeOffline(long, ex);
    const before = process.cpuUsage();
    for (let i = 0; i < 3; i++) judgeOffline(long, ex);
    const used = process.cpuUsage(before);
    perPrompt.push({ name: `${ex.slug} ${kind}`, ms: (used.user + used.system) / 1000 / 3 });
  }
perPrompt.sort((a, b) => a.ms - b.ms);
const worst = perPrompt[perPrompt.length - 1];

const f = (n: number) => n.toFixed(1);
console.log(`\nOffline judge benchmark (${promptTokens} o200k tokens, ${prompt.length} characters)\n`);
console.log("NLP library                 load ms   +RSS MB   parse p50/p95 ms   polarity right");
console.log(
  `wink-nlp + lite model      ${f(winkLoad.ms).padStart(7)}   ${f(winkLoad.mb).padStart(7)}   ${`${f(winkParse.p50)} / ${f(winkParse.p95)}`.padStart(16)}   ${(winkAccuracy * 100).toFixed(0)}% (its negation flag)`,
);
console.log(
  `compromise 14              ${f(compromiseLoad.ms).padStart(7)}   ${f(compromiseLoad.mb).padStart(7)}   ${`${f(compromiseParse.p50)} / ${f(compromiseParse.p95)}`.padStart(16)}   ${(compromiseAccuracy * 100).toFixed(0)}% (negative verbs)`,
);
console.log(
  `judge's reading (on wink)  ${"".padStart(7)}   ${"".padStart(7)}   ${"".padStart(16)}   ${(judgeAccuracy * 100).toFixed(0)}% (scope rules, ${POLARITY.length} sentences)`,
);
console.log(
  `\nGrading the ${promptTokens}-token prompt: p50 ${f(judge.p50)} ms, p95 ${f(judge.p95)} ms wall; ${f(cpuPerGrade)} ms CPU each`,
);
console.log(
  `Baseline in the same run, wink-nlp's parse alone: p50 ${f(winkParse.p50)} ms (judge / parse = ${(judge.p50 / winkParse.p50).toFixed(1)}×)`,
);
console.log(`compromise's parse alone would use ${(compromiseParse.p50 / 50).toFixed(1)}× the whole 50 ms budget.`);
console.log(
  `Every exercise's starting prompt and reference solution at 4,000 tokens (${perPrompt.length}): median ${f(
    percentile(
      perPrompt.map((p) => p.ms),
      50,
    ),
  )} ms, p90 ${f(
    percentile(
      perPrompt.map((p) => p.ms),
      90,
    ),
  )} ms, worst ${f(worst.ms)} ms CPU (${worst.name})`,
);
console.log(
  `Load average (1, 5, 15 min) at the end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(", ")}`,
);
const ok = cpuPerGrade < 50;
console.log(
  ok
    ? "\nTarget met: under 50 ms of CPU per 4,000-token prompt."
    : "\nTarget MISSED: 50 ms of CPU per 4,000-token prompt.",
);
process.exit(ok ? 0 : 1);
