/**
 * Typing into the exercise page's Monaco editor with a ~4,000-token prompt, in Debian Chromium against the built
 * app: the time from each keystroke to the live token count being updated, and the main thread's longest tasks
 * while typing. Measured for the app's Web Worker counter and, in the same run, for the naive baseline: the page
 * opened with `?counter=main-thread`, which makes useTokenCount do a full js-tiktoken encode on the main thread per
 * change (see app/lib/use-token-count.ts). Both go through the same hook state and the same latency record.
 * `npx tsx bench/typing-browser.ts` (needs build/ and /usr/bin/chromium); exits 1 on a wrong count or a missed target.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { countTokens } from "~/.server/tokenizer.server";
import { ENCODINGS, type Encoding } from "~/domain/models";
import { type Session, type Summary, summarize, table, withLearnerSession } from "./browser-session";
import { type CpuProfiler, profileMainThread } from "./cpu-profile";
import { type Task, traceMainThread } from "./main-thread-trace";
import { mulberry32, type Rng, randomInt, realisticPrompt } from "./tokenizer-node";

/** The exercise with the heaviest live panel: it also re-prices the reply (`target_when`) on every change. */
const EXERCISE = "compress-ticket-summary";
const PROMPT_TOKENS = 4_000;
const KEYSTROKES = 240;
/** Human-ish pace: the pause after each key, drawn from this range. */
const GAP_MS = [30, 50] as const;
/** Tasks observed until this long after the last keystroke (the count's last update and deferred render land in it;
 * the draft autosave, 1.2 s after typing stops, does not). */
const SETTLE_MS = 900;
/** After the prompt is pasted: the draft autosave (1.2 s after the last change) and its revalidation are done. */
const AUTOSAVE_WAIT_MS = 2_000;
const TARGET_P95_MS = 16;
const LONG_TASK_MS = 50;
const SEED = 20_261_129;
/** `--profile`: also take a CPU profile while typing, per mode (slows the page: for finding causes, not figures). */
const PROFILE = process.argv.includes("--profile");
/**
 * `--no-edit-context`: hide the EditContext API from the page, so Monaco takes its textarea input path. An experiment:
 * Monaco's EditContext "textupdate" events are not ones React renders synchronously, its textarea "input" events are.
 */
const NO_EDIT_CONTEXT = process.argv.includes("--no-edit-context");

const MODES = [
  { name: "worker", query: "" },
  { name: "main-thread", query: "?counter=main-thread" },
] as const;
type Mode = (typeof MODES)[number]["name"];

/** Written by the in-page instrumentation installed just before typing. */
interface PageRecord {
  /** Per keydown: when its listener ran (`at`) and the event's own timestamp (`ts`, when the key was pressed). */
  keys: { at: number; ts: number; key: string }[];
  /** The hook's "tokens-updated" marks: applied at `t`, for a text that changed at `t - latencyMs`. */
  marks: { t: number; id: number; tokens: number; latencyMs: number; countMs: number; applyMs: number }[];
  /** Mutations of the on-screen count: when, what it showed, and whether a newer text was pending. */
  dom: { t: number; text: string; pending: string | undefined }[];
  longTasks: { start: number; duration: number }[];
  end: number;
}

interface ModeResult {
  mode: Mode;
  keystrokes: number;
  update: Summary;
  /** Cross-check of `update` by MutationObserver, over the keystrokes whose update changed the count's element. */
  dom: Summary;
  /** Where `update` goes, per keystroke: the key to the hook seeing the new text (the editor and the first render; of
   * which `queued`, the key waiting for a busy main thread), ... */
  toChange: Summary;
  queued: Summary;
  /** ... the text change to the count's reply being handled on the main thread (of which `count` counting), ... */
  toReply: Summary;
  count: Summary;
  /** ... and the reply to the count's render. */
  toApply: Summary;
  tasks: Summary & { over50: number };
  /** What the longest task was made of. */
  longestTask: string;
  longTasks: { count: number; longest: number };
  shown: number;
  server: number;
  textMatches: boolean;
  problems: string[];
  timings: KeyTiming[];
}

const TYPED_SENTENCE =
  " Keep each summary to at most three bullets, name the product and the order number, and say plainly whether a " +
  "refund is due, in a friendly and professional tone.";

/** The keys a person types: TYPED_SENTENCE with the odd wrong letter fixed at once by Backspace. */
function keystrokes(rng: Rng, count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i = (i + 1) % TYPED_SENTENCE.length) {
    if (rng() < 0.04 && keys.length < count - 2) keys.push("x", "Backspace");
    keys.push(TYPED_SENTENCE[i]);
  }
  return keys;
}

function applyKeys(text: string, caret: number, keys: string[]): string {
  let before = text.slice(0, caret);
  for (const key of keys) before = key === "Backspace" ? before.slice(0, -1) : before + key;
  return before + text.slice(caret);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readCount(page: Page): Promise<number> {
  const text = (await page.getByTestId("token-count").textContent()) ?? "";
  return Number(text.replace(/,/g, ""));
}

/** Pastes through a real paste event on the focused editor, so Monaco applies it as a learner's paste. */
async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((data) => {
    const target = document.activeElement;
    if (!target) throw new Error("nothing has the focus");
    const clipboardData = new DataTransfer();
    clipboardData.setData("text/plain", data);
    target.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
  }, text);
}

/** Waits until the editor holds `text` and the count on screen is the hook's answer for it. */
async function waitForCount(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const input = document.querySelector<HTMLInputElement>("input[name=prompt]");
      const count = document.querySelector<HTMLElement>("[data-testid=token-count]");
      const shown = Number((count?.textContent ?? "").replace(/,/g, ""));
      return (
        input?.value === expected &&
        count?.dataset.pending === "false" &&
        window.__tokenwiseLastUpdate?.tokens === shown
      );
    },
    text,
    { timeout: 60_000, polling: 50 },
  );
}

export async function openExercise(session: Session, query: string): Promise<Page> {
  const { page } = session.browser;
  const response = await page.goto(`${session.baseURL}/exercises/${EXERCISE}${query}`);
  if (!response?.ok()) throw new Error(`/exercises/${EXERCISE} answered ${response?.status()}`);
  await page.locator(".monaco-editor").waitFor({ state: "visible", timeout: 60_000 });
  await page.waitForFunction(
    () => /^\d[\d,]*$/.test(document.querySelector("[data-testid=token-count]")?.textContent ?? ""),
    undefined,
    { timeout: 60_000 },
  );
  return page;
}

export async function pageEncoding(page: Page): Promise<Encoding> {
  const panel = (await page.locator(".live-panel").textContent()) ?? "";
  const encoding = ENCODINGS.find((e) => panel.includes(e));
  if (!encoding) throw new Error("the live panel names no encoding");
  return encoding;
}

/**
 * Replaces the editor's text with `first + second`, leaving the caret between them: select all, paste `second`
 * over it, go to the start, paste `first`. Then waits for its count and for the draft autosave that follows.
 */
export async function replacePrompt(page: Page, first: string, second: string): Promise<void> {
  await page.locator(".monaco-editor").click();
  await page.keyboard.press("Control+A");
  await paste(page, second);
  await page.keyboard.press("Control+Home");
  await paste(page, first);
  await waitForCount(page, first + second);
  await sleep(AUTOSAVE_WAIT_MS);
  await page.waitForFunction(() => document.querySelector(".submit-row .muted")?.textContent !== "Saving draft…");
  await sleep(300);
}

async function instrument(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = { keys: [], marks: [], dom: [], longTasks: [], end: 0 } as unknown as PageRecord;
    (window as unknown as { __typingBench: PageRecord }).__typingBench = record;
    window.addEventListener(
      "keydown",
      (e) => record.keys.push({ at: performance.now(), ts: e.timeStamp, key: e.key }),
      {
        capture: true,
      },
    );
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.name === "tokens-updated")
          record.marks.push({ t: entry.startTime, ...(entry as PerformanceMark).detail });
      }
    }).observe({ type: "mark" });
    // Buffered, but only tasks from now on are kept: the page load and the encoder's start are not typing.
    const since = performance.now();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime >= since) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
    const count = document.querySelector<HTMLElement>("[data-testid=token-count]");
    if (!count) throw new Error("no token count on the page");
    new MutationObserver(() => {
      record.dom.push({ t: performance.now(), text: count.textContent ?? "", pending: count.dataset.pending });
    }).observe(count, { subtree: true, childList: true, characterData: true, attributes: true });
    performance.mark("typing-bench:start");
  });
}

async function typeKeys(page: Page, keys: string[], rng: Rng): Promise<void> {
  for (const key of keys) {
    await page.keyboard.press(key);
    await sleep(randomInt(rng, GAP_MS[0], GAP_MS[1]));
  }
}

/** One keystroke's path to the screen, in page milliseconds. */
interface KeyTiming {
  key: string;
  /** The event's own timestamp: when the key was pressed, so time spent queued behind a busy main thread counts. */
  pressed: number;
  /** When its keydown listener ran. */
  dispatched: number;
  /** When the hook saw the new text (Monaco's change and the first render are done). */
  changed: number;
  /** When the count's reply was handled on the main thread. */
  replied: number;
  /** When the count was rendered (the hook's mark). */
  applied: number;
  countMs: number;
  /** When a MutationObserver saw the count's element settle (not pending) before the next keystroke, if it did. */
  domShown: number | null;
}

/** Per keystroke: the first count update of a text that changed after its keydown ran. */
function keystrokeTimings(record: PageRecord, problems: string[]): KeyTiming[] {
  const timings: KeyTiming[] = [];
  record.keys.forEach((key, i) => {
    const mark = record.marks.find((m) => m.t - m.latencyMs >= key.at - 0.001);
    if (!mark) {
      problems.push(`keystroke ${i + 1} (${key.key}) got no count update`);
      return;
    }
    const next = record.keys[i + 1]?.at ?? record.end;
    const shown = record.dom.find((d) => d.t >= key.at && d.t < next && d.pending === "false");
    timings.push({
      key: key.key,
      pressed: key.ts > 0 && key.ts <= key.at ? key.ts : key.at,
      dispatched: key.at,
      changed: mark.t - mark.latencyMs,
      replied: mark.t - mark.applyMs,
      applied: mark.t,
      countMs: mark.countMs,
      domShown: shown?.t ?? null,
    });
  });
  return timings;
}

async function measureMode(
  session: Session,
  mode: (typeof MODES)[number],
  promptFor: (encoding: Encoding) => Prompt,
): Promise<ModeResult> {
  const page = await openExercise(session, mode.query);
  const prompt = promptFor(await pageEncoding(page));
  await replacePrompt(page, prompt.first, prompt.second);
  const rng = mulberry32(SEED);
  const keys = keystrokes(rng, KEYSTROKES);
  const expected = applyKeys(prompt.first + prompt.second, prompt.first.length, keys);

  const trace = await traceMainThread(page);
  const profiler = PROFILE ? await profileMainThread(page) : null;
  await instrument(page);
  await typeKeys(page, keys, rng);
  await sleep(SETTLE_MS);
  await page.evaluate(() => {
    performance.mark("typing-bench:end");
    (window as unknown as { __typingBench: PageRecord }).__typingBench.end = performance.now();
  });
  const tasks = await trace.tasksBetween("typing-bench:start", "typing-bench:end");
  const taskMs = tasks.map((t) => t.ms);
  const longest = tasks.reduce<Task | null>((a, t) => (a && a.ms >= t.ms ? a : t), null);
  if (profiler) printProfile(mode.name, await profiler.stop(outPath(`typing-${mode.name}.cpuprofile`)));
  await waitForCount(page, expected).catch(() => undefined);

  const record = await page.evaluate(() => (window as unknown as { __typingBench: PageRecord }).__typingBench);
  const problems: string[] = [];
  if (record.keys.length !== keys.length) problems.push(`${record.keys.length} keydowns seen of ${keys.length}`);
  const timings = keystrokeTimings(record, problems);
  const of = (f: (t: KeyTiming) => number | null) =>
    summarize(timings.map(f).filter((ms): ms is number => ms !== null));
  const finalText = await page.locator("input[name=prompt]").inputValue();
  const textMatches = finalText === expected;
  if (!textMatches) problems.push("the editor's final text is not the prompt with the typed keys at the caret");
  const shown = await readCount(page);
  const server = countTokens(finalText, prompt.encoding);
  if (shown !== server) problems.push(`the page shows ${shown} tokens, the server counts ${server}`);
  const longTasks = record.longTasks.filter((t) => t.start <= record.end);
  return {
    mode: mode.name,
    keystrokes: record.keys.length,
    update: of((t) => t.applied - t.pressed),
    dom: of((t) => (t.domShown === null ? null : t.domShown - t.pressed)),
    queued: of((t) => t.dispatched - t.pressed),
    toChange: of((t) => t.changed - t.pressed),
    toReply: of((t) => t.replied - t.changed),
    count: of((t) => t.countMs),
    toApply: of((t) => t.applied - t.replied),
    tasks: { ...summarize(taskMs), over50: taskMs.filter((ms) => ms > LONG_TASK_MS).length },
    longestTask: longest?.parts.join(", ") ?? "",
    longTasks: { count: longTasks.length, longest: Math.max(0, ...longTasks.map((t) => t.duration)) },
    shown,
    server,
    textMatches,
    problems,
    timings,
  };
}

export interface Prompt {
  encoding: Encoding;
  first: string;
  second: string;
  tokens: number;
}

/** The Node benchmark's realistic prompt (LF line ends, as Monaco keeps them), cut at the paragraph nearest its middle. */
export function makePrompt(encoding: Encoding): Prompt {
  const text = realisticPrompt(mulberry32(SEED), PROMPT_TOKENS, (t) => countTokens(t, encoding)).replace(
    /\r\n?/g,
    "\n",
  );
  const mid = text.indexOf("\n\n", Math.floor(text.length / 2));
  const cut = mid < 0 ? Math.floor(text.length / 2) : mid;
  return { encoding, first: text.slice(0, cut), second: text.slice(cut), tokens: countTokens(text, encoding) };
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "–");

function report(prompt: Prompt, results: ModeResult[], browserVersion: string, loadBefore: number): boolean {
  const chars = (prompt.first + prompt.second).length;
  console.log(
    `Typing in /exercises/${EXERCISE} (${prompt.encoding}): ${KEYSTROKES} keystrokes, ${GAP_MS[0]}–${GAP_MS[1]} ms apart, ` +
      `into the middle of a ${chars.toLocaleString("en-US")}-character, ${prompt.tokens.toLocaleString("en-US")}-token ` +
      `prompt. Chromium ${browserVersion}, ${os.cpus().length} cores, Node ${process.version}, load average ` +
      `${loadBefore.toFixed(2)} before and ${os.loadavg()[0].toFixed(2)} after (other work on the cores shows in p95).` +
      (NO_EDIT_CONTEXT ? " Monaco without EditContext (--no-edit-context)." : ""),
  );
  console.log("Update: keydown timestamp → the hook's tokens-updated mark (the count is in the DOM by then).");
  console.log(
    "Tasks: the page's main-thread tasks from the first keystroke to 0.9 s after the last (Chromium trace).\n",
  );
  console.log(
    table(
      ["mode", "keystrokes", "median ms", "p95 ms", "max ms", "longest task ms", "tasks > 50 ms", "longtask entries"],
      results.map((r) => [
        r.mode,
        r.keystrokes,
        fmt(r.update.median),
        fmt(r.update.p95),
        fmt(r.update.max),
        fmt(r.tasks.max),
        r.tasks.over50,
        r.longTasks.count,
      ]),
    ),
  );
  console.log("\nWhere an update's time goes, median (p95) ms per keystroke:");
  console.log(
    table(
      [
        "mode",
        "key → text change",
        "of which queued",
        "change → reply handled",
        "of which counting",
        "reply → rendered",
      ],
      results.map((r) => [
        r.mode,
        ...[r.toChange, r.queued, r.toReply, r.count, r.toApply].map((s) => `${fmt(s.median)} (${fmt(s.p95)})`),
      ]),
    ),
  );
  for (const r of results) {
    console.log(
      `  ${r.mode}: cross-check by MutationObserver on [data-testid=token-count], ${r.dom.n} keystrokes: ` +
        `median ${fmt(r.dom.median)} ms, p95 ${fmt(r.dom.p95)} ms; main-thread tasks while typing: ${r.tasks.n}, ` +
        `median ${fmt(r.tasks.median)} ms, p95 ${fmt(r.tasks.p95)} ms; longest longtask entry ${fmt(r.longTasks.longest)} ms; ` +
        `longest task: ${r.longestTask}`,
    );
  }
  const worker = results.find((r) => r.mode === "worker");
  const naive = results.find((r) => r.mode === "main-thread");
  if (worker && naive) {
    console.log(
      `\nnaive/worker: median ${(naive.update.median / worker.update.median).toFixed(1)}×, ` +
        `p95 ${(naive.update.p95 / worker.update.p95).toFixed(1)}×`,
    );
  }
  let ok = true;
  for (const r of results) {
    const p95 = r.update.p95 < TARGET_P95_MS;
    const tasks = r.tasks.over50 === 0 && r.longTasks.count === 0;
    const targets = `p95 < ${TARGET_P95_MS} ms ${p95 ? "PASS" : "FAIL"}; no task > ${LONG_TASK_MS} ms ${tasks ? "PASS" : "FAIL"}`;
    const count = r.problems.length === 0 ? `count ${r.shown} = server ${r.server}` : r.problems.join("; ");
    console.log(
      `${r.mode.padEnd(12)} ${targets}; ${count}${r.mode === "main-thread" ? " (baseline: expected to miss)" : ""}`,
    );
    if (r.problems.length > 0) ok = false;
    if (r.mode === "worker" && !(p95 && tasks)) ok = false;
  }
  return ok;
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  const results: ModeResult[] = [];
  let prompt: Prompt | undefined;
  let browserVersion = "";
  await withLearnerSession(async (session) => {
    browserVersion = session.browser.context.browser()?.version() ?? (await chromiumVersion(session.browser.page));
    if (NO_EDIT_CONTEXT) {
      await session.browser.context.addInitScript(() => {
        delete (globalThis as { EditContext?: unknown }).EditContext;
      });
    }
    const promptFor = (encoding: Encoding) => {
      if (prompt?.encoding !== encoding) prompt = makePrompt(encoding);
      return prompt;
    };
    for (const mode of MODES) results.push(await measureMode(session, mode, promptFor));
    if (session.browser.errors.length > 0) console.error(`page errors: ${session.browser.errors.join(" | ")}`);
  });
  if (!prompt) throw new Error("no prompt was measured");
  const ok = report(prompt, results, browserVersion, loadBefore);
  writeFileSync(
    outPath(`typing-browser-${new Date().toISOString().replace(/[:.]/g, "-")}.json`),
    JSON.stringify({ exercise: EXERCISE, keystrokes: KEYSTROKES, gapMs: GAP_MS, results }, null, 2),
  );
  if (!ok) process.exitCode = 1;
}

function outPath(name: string): string {
  mkdirSync("bench/.out", { recursive: true });
  return `bench/.out/${name}`;
}

function printProfile(mode: Mode, profile: Awaited<ReturnType<CpuProfiler["stop"]>>): void {
  console.log(
    `\nCPU profile while typing, ${mode} mode: ${profile.totalMs.toFixed(0)} ms busy; self time by file, function:`,
  );
  for (const { what, ms } of profile.byFile) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${what}`);
  console.log("");
  for (const { what, ms } of profile.byFunction) console.log(`  ${ms.toFixed(1).padStart(8)} ms  ${what}`);
}

async function chromiumVersion(page: Page): Promise<string> {
  const ua = await page.evaluate(() => navigator.userAgent);
  return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? "?";
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
