// Writes ledger rows one transaction each, as fast as it can, until its stdin closes; then prints how many.
// The ledger's rollup triggers run on every row, so a copy taken mid-stream shows whether it is one snapshot.
import { db } from "~/.server/db";

const sqlite = db().$client;
const insert = sqlite.prepare(
  `insert into model_calls (provider, model, tier, purpose, input_tokens, output_tokens, input_micros_per_m,
     cached_input_micros_per_m, output_micros_per_m, price_as_of, cost_micros, latency_ms, status)
   values ('openai-compatible', 'gpt-4.1-nano', 'nano', 'target', 120, 3, 100000, 25000, 400000, '2026-01-01', ?, 300, 'ok')`,
);
let written = 0;
let stopping = false;
process.stdin.resume();
process.stdin.on("end", () => {
  stopping = true;
});

function burst(): void {
  for (let i = 0; i < 20; i++) {
    insert.run(1 + (written % 97));
    written++;
  }
  if (written === 200) console.log("writing");
  if (stopping) {
    console.log(JSON.stringify({ written }));
    process.exit(0);
  }
  setImmediate(burst);
}
burst();
