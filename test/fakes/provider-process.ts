/**
 * A fake model provider in its own process, for tests and benchmarks that kill the app: it outlives the app, bills
 * each call it answers and appends one JSON line per request to a log file, so a test can hold the app's ledger
 * against what the provider billed, call for call (by the Idempotency-Key header the app sends).
 *
 *   node --import tsx test/fakes/provider-process.ts --log calls.jsonl [--vendor openai|anthropic] [--mode '{...}']
 *
 * It prints `{"url"}` once listening. Each line on stdin is a command, answered with one JSON line:
 * `mode {json}` replaces the behaviour (see Mode), `stats` counts requests, `reset` forgets the counts. It exits
 * when stdin closes, so it never outlives the test that spawned it.
 *
 * Billing, as a real provider does it: a completion is billed when the provider has produced it, whether or not
 * the client is still connected to read it (a killed app still pays); 429s, 5xx and hung requests are not billed.
 */
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { createFakeAnthropicServer } from "./anthropic-server";
import { criterionIds, isEmbeddingsRequest, isJudgeRequest, verdictJson } from "./grading";
import { type FakeReply, type RecordedRequest, targetText } from "./http";
import { oddVerdict } from "./odd-verdicts";
import { createFakeOpenAIServer } from "./openai-server";

/** Probabilities are per request, drawn from a seeded generator so a run can be repeated. */
export interface Mode {
  /** Added before every answer. */
  delayMs?: number;
  /** A 429 with this Retry-After (seconds). */
  p429?: number;
  retryAfterS?: number;
  /** A 500/502/503. */
  p5xx?: number;
  /** Accepted and never answered. */
  pHang?: number;
  /** Answered after slowMs more (billed even if the client gave up). */
  pSlow?: number;
  slowMs?: number;
  /** Every request gets a 503 for this many seconds from when the mode is set. */
  outageSeconds?: number;
  /** A billed completion whose reply leaves usage out. */
  pMissingUsage?: number;
  /** A judge verdict written the odd ways real models write it (extra keys, fences, string scores...). */
  pOddJudge?: number;
  seed?: number;
}

interface LogLine {
  at: number;
  key: string | null;
  role: "target" | "judge" | "embedding";
  model: string;
  status: number | "hang";
  billed: boolean;
  usage?: { input: number; cachedInput: number; output: number };
  usageReported?: boolean;
  clientGone?: boolean;
}

/** mulberry32: a small seeded generator, so a chaos run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const { values } = parseArgs({
  options: {
    log: { type: "string" },
    vendor: { type: "string", default: "openai" },
    mode: { type: "string", default: "{}" },
  },
});
if (!values.log) throw new Error("--log FILE is required");
const logFile = values.log;

let mode: Mode = {};
let outageUntil = 0;
let random = seeded(1);
function setMode(next: Mode): void {
  mode = next;
  outageUntil = next.outageSeconds ? Date.now() + next.outageSeconds * 1000 : 0;
  random = seeded(next.seed ?? 1);
}
setMode(JSON.parse(values.mode ?? "{}") as Mode);

const roll = (p: number | undefined) => (p ?? 0) > 0 && random() < (p ?? 0);

function reply(req: RecordedRequest): FakeReply | undefined {
  if (Date.now() < outageUntil) return { status: 503, message: "upstream unavailable (outage)" };
  if (roll(mode.p429)) return { status: 429, retryAfter: mode.retryAfterS ?? 1 };
  if (roll(mode.p5xx)) return { status: [500, 502, 503][Math.floor(random() * 3)] };
  if (roll(mode.pHang)) return { hang: true };
  const delayMs = roll(mode.pSlow) ? (mode.slowMs ?? 5_000) : 0;
  const omitUsage = roll(mode.pMissingUsage);
  if (isEmbeddingsRequest(req)) return undefined;
  if (isJudgeRequest(req)) {
    const ids = criterionIds(req);
    // A repair (the conversation goes on past the first question) is answered plainly.
    const repair = req.messages.length > 2;
    const text = !repair && roll(mode.pOddJudge) ? oddVerdict(ids, random) : verdictJson(ids);
    return { text, delayMs, omitUsage };
  }
  return { text: targetText(req.messages), delayMs, omitUsage };
}

function logLine(req: RecordedRequest, clientGone: boolean): void {
  const r = req.reply;
  const key = req.headers["idempotency-key"];
  const line: LogLine = {
    at: Date.now(),
    key: typeof key === "string" ? key : null,
    role: isEmbeddingsRequest(req) ? "embedding" : isJudgeRequest(req) ? "judge" : "target",
    model: String(req.body.model ?? ""),
    status: r && "hang" in r ? "hang" : r && "status" in r && r.status ? r.status : 200,
    billed: req.usage !== undefined,
    ...(req.usage && { usage: req.usage }),
    ...(r && "omitUsage" in r && r.omitUsage && { usageReported: false }),
    ...(clientGone && { clientGone: true }),
  };
  // Synchronous: a line is on disk before the next request is looked at, whatever happens to the app.
  appendFileSync(logFile, `${JSON.stringify(line)}\n`);
}

const options = { handler: reply, onAnswered: logLine };
const fake = values.vendor === "anthropic" ? createFakeAnthropicServer(options) : createFakeOpenAIServer(options);
fake.delayMs = 0;

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const { url } = await fake.start();
  send({ url });
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const [command, ...rest] = line.trim().split(" ");
    if (command === "stats") {
      send({ requests: fake.requests.length, inFlight: fake.inFlight, maxInFlight: fake.maxInFlight });
    } else if (command === "mode") {
      setMode(JSON.parse(rest.join(" ") || "{}") as Mode);
      fake.delayMs = mode.delayMs ?? 0;
      send({ mode });
    } else if (command === "reset") {
      fake.reset();
      fake.delayMs = mode.delayMs ?? 0;
      send({ reset: true });
    } else {
      send({ error: `unknown command ${JSON.stringify(line)}` });
    }
  });
  lines.on("close", () => {
    fake.close().finally(() => process.exit(0));
  });
}

fake.delayMs = mode.delayMs ?? 0;
main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
