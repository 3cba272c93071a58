/**
 * The grading benchmark's provider, in its own process so that its CPU is never counted as the platform's:
 * the fake OpenAI-compatible server (target echoes, judge verdicts) answering every request after a fixed delay.
 * `node --import tsx bench/fake-provider-process.ts [delayMs]`
 *
 * Protocol on stdio, one JSON line per message: it prints `{"url"}` once listening; each line it reads is a
 * command: `stats` answers requests served, most in flight at once and its own CPU ms; `delay <ms>` changes the
 * delay; `reset` zeroes the figures and restores the delay given at start.
 * It exits when stdin closes, so it never outlives the benchmark that spawned it.
 */

import { createInterface } from "node:readline";
import { gradingHandler } from "../test/fakes/grading";
import { createFakeOpenAIServer } from "../test/fakes/openai-server";

const delayMs = Number(process.argv[2] ?? 300);
const fake = createFakeOpenAIServer({ handler: gradingHandler(), delayMs });
let cpuAtReset = process.cpuUsage();

function send(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const { url } = await fake.start();
  send({ url, delayMs });
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const command = line.trim();
    if (command === "stats") {
      const cpu = process.cpuUsage(cpuAtReset);
      send({
        requests: fake.requests.length,
        maxInFlight: fake.maxInFlight,
        inFlight: fake.inFlight,
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    } else if (command.startsWith("delay ")) {
      fake.delayMs = Number(command.slice("delay ".length));
      send({ delayMs: fake.delayMs });
    } else if (command === "reset") {
      fake.reset();
      cpuAtReset = process.cpuUsage();
      send({ reset: true });
    } else {
      send({ error: `unknown command ${JSON.stringify(command)}` });
    }
  });
  lines.on("close", () => {
    fake.close().finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
