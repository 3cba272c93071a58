/**
 * The offline judge's cost and its NLP library, measured (issue "Grades people can trust"):
 *
 * 1. Library comparison on the same machine and run: wink-nlp (+ wink-eng-lite-web-model) and compromise, for
 *    load time, resident memory added, tokenising/tagging a 4,000-token prompt, and how often each reads the
 *    polarity of a word in an instruction right, on hand-labelled sentences ("Never ESCALATE on cancel": ESCALATE
 *    is forbidden). wink-nlp's own negation flag and compromise's negative verbs are scored as they come; the
 *    judge's reading (wink tokens + its scope rules) is scored the same way.
 * 2. The judge itself: CPU time to grade a 4,000-token prompt, in WINDOWS timed windows of WINDOW_RUNS grades each
 *    (after warm-up): the minimum and the median window's CPU per grade, and wall p50/p95 per grade, against the raw
 *    wink-nlp parse of the same text as the baseline, measured in the same run and windows. Target: the median
 *    window under 50 ms.
 * 3. Every exercise's starting prompt and reference solution, each repeated to 4,000 tokens and graded by its own
 *    exercise (whose regex phrases may match in every repeat), and one hostile prompt (a 4,000-token unspaced line
 *    of base64-like text): CPU per grade, minimum and median of 3 windows of 3 grades. Target: every one's minimum
 *    under 50 ms (a learner may paste any 4,000-token prompt into any exercise).
 *
 * On a machine shared with other work, another process's load only adds to a window's CPU (cache and memory
 * contention, GC threads): the minimum window is the figure least moved by it, the median the typical one.
 * CPU is process.cpuUsage (GC and JIT threads count); the machine's load average is printed at the start and end.
 * `npx tsx bench/judge-offline.ts` (or `npm run bench -- judge`). Exits 1 when the judge misses a target.
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
const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
const loadAtStart = loadNow();
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** CPU ms per call of `fn`: `windows` windows of `runs` calls each, after one warm-up call; sorted ascending. */
function cpuWindows(fn: () => void, windows: number, runs: number): number[] {
  fn();
  const out: number[] = [];
  for (let w = 0; w < windows; w++) {
    const before = process.cpuUsage();
    for (let i = 0; i < runs; i++) fn();
    out.push(cpuMs(before) / runs);
  }
  return out.sort((a, b) => a - b);
}

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
const WINDOWS = 9;
const WINDOW_RUNS = 10;
const judge = time(() => judgeOffline(prompt, exercise), 30);
const judgeCpu = cpuWindows(() => judgeOffline(prompt, exercise), WINDOWS, WINDOW_RUNS);
const parseCpu = cpuWindows(() => wink.readDoc(prompt).tokens().out(wink.its.pos), WINDOWS, WINDOW_RUNS);
const median = (sorted: number[]) => percentile(sorted, 50);

// --- 3. Every exercise's own prompts at 4,000 tokens ----------------------------------------------------------
const perPrompt: { name: string; min: number; median: number }[] = [];
for (const { exercise: ex } of loadContent().exercises)
  for (const [kind, base] of [
    ["starting prompt", ex.starting_prompt],
    ["reference solution", ex.reference_solution],
  ] as const) {
    let long = base;
    while (countTokens(long, "o200k_base") < 4000) long += `\n${base}`;
    const windows = cpuWindows(() => judgeOffline(long, ex), 3, 3);
    perPrompt.push({ name: `${ex.slug} ${kind}`, min: windows[0], median: median(windows) });
  }
// A hostile prompt in the same set: one unspaced line of base64-like text (a pasted blob), 4,000 tokens, which
// wink-nlp's URL and e-mail patterns once read in time quadratic in its length (~1 s). Graded by the bench's exercise.
let seed = 7;
const nextRandom = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
let blob = "";
while (countTokens(blob, "o200k_base") < 4000)
  blob += Array.from({ length: 1000 }, () => BASE64[Math.floor(nextRandom() * 64)]).join("");
{
  const windows = cpuWindows(() => judgeOffline(blob, exercise), 3, 3);
  perPrompt.push({
    name: `one unspaced ${blob.length}-character line (${exercise.slug})`,
    min: windows[0],
    median: median(windows),
  });
}
perPrompt.sort((a, b) => a.min - b.min);
const worst = perPrompt[perPrompt.length - 1];
const over = perPrompt.filter((p) => p.min >= 50);

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
  `\nGrading the ${promptTokens}-token prompt, CPU per grade over ${WINDOWS} windows of ${WINDOW_RUNS}: min ${f(judgeCpu[0])} ms, median ${f(median(judgeCpu))} ms, max ${f(judgeCpu[judgeCpu.length - 1])} ms; wall p50 ${f(judge.p50)} ms, p95 ${f(judge.p95)} ms (30 grades)`,
);
console.log(
  `Baseline in the same run, wink-nlp's parse alone: CPU min ${f(parseCpu[0])} ms, median ${f(median(parseCpu))} ms; wall p50 ${f(winkParse.p50)} ms (judge / parse, median CPU = ${(median(judgeCpu) / median(parseCpu)).toFixed(1)}×)`,
);
console.log(`compromise's parse alone would use ${(compromiseParse.p50 / 50).toFixed(1)}× the whole 50 ms budget.`);
const mins = perPrompt.map((p) => p.min);
console.log(
  `\nEvery exercise's starting prompt and reference solution at 4,000 tokens, and one unspaced line (${perPrompt.length}), CPU per grade (min of 3 windows of 3): median ${f(
    percentile(mins, 50),
  )} ms, p90 ${f(percentile(mins, 90))} ms, worst ${f(worst.min)} ms (${worst.name}; its median window ${f(worst.median)} ms)`,
);
for (const p of [...perPrompt].reverse().slice(0, Math.max(5, over.length)))
  console.log(`  ${f(p.min).padStart(6)} ms  (median ${f(p.median).padStart(6)})  ${p.name}`);
console.log(`Load average (1, 5, 15 min): ${loadAtStart} at the start, ${loadNow()} at the end`);
const benchOk = median(judgeCpu) < 50;
const everyOk = over.length === 0;
console.log(
  benchOk
    ? `\nTarget met: the ${promptTokens}-token prompt under 50 ms of CPU per grade (median window).`
    : `\nTarget MISSED: the ${promptTokens}-token prompt takes 50 ms of CPU or more per grade (median window).`,
);
console.log(
  everyOk
    ? "Target met: every exercise's prompts at 4,000 tokens under 50 ms of CPU per grade (min window)."
    : `Target MISSED: ${over.length} of ${perPrompt.length} exercise prompts at 4,000 tokens take 50 ms of CPU or more per grade (min window).`,
);
process.exit(benchOk && everyOk ? 0 : 1);
