/**
 * Where a V8 CPU profile's time went: self and inclusive time per function, optionally cut to a time window, and
 * per provider call. For the grading worker's profiles (`bench/grading-chaos.ts --cpu-prof DIR`):
 *
 *   npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile [--calls N] [--top 40]
 *     [--exited-at MS --from MS --to MS]   (wall-clock ms from the benchmark's JSON: the profile ends at exit)
 *     [--chaos-json bench/.out/grading-chaos-….json --phase chaos]   (takes the window of the profile's pid)
 *
 * Inclusive time counts a sample once per function on its stack (recursion is not double-counted).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    calls: { type: "string" },
    top: { type: "string", default: "40" },
    "exited-at": { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    "chaos-json": { type: "string" },
    phase: { type: "string", default: "chaos" },
  },
});

const file = positionals[0];
if (!file) throw new Error("usage: cpu-profile-summary.ts FILE.cpuprofile [options]");
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;

let exitedAt = values["exited-at"] ? Number(values["exited-at"]) : null;
let from = values.from ? Number(values.from) : null;
let to = values.to ? Number(values.to) : null;
let calls = values.calls ? Number(values.calls) : null;
if (values["chaos-json"]) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
  const pid = Number(basename(file).split(".")[3]);
  const out = JSON.parse(readFileSync(values["chaos-json"], "utf8"));
  const phase = out[values.phase!];
  const w = phase.workers.find((x: { pid: number }) => x.pid === pid);
  if (!w) throw new Error(`no worker ${pid} in the ${values.phase} phase`);
  exitedAt = w.exitedAt;
  if (w.window) [from, to] = w.window;
  calls ??= w.calls ?? null;
  console.log(
    `worker ${pid}: exited by ${w.signal ?? "exit"}; ` +
      (w.window
        ? `measured window ${w.window[1] - w.window[0]} ms, ${w.cpuMs} ms CPU (/proc), ${w.calls} calls`
        : "no measured window"),
  );
}

const parent = new Map<number, number>();
const byId = new Map<number, Node>();
for (const n of profile.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules\/|app\/|build\/|test\/)/, "$1")}:${lineNumber + 1}` : "";
  return `${functionName || "(anonymous)"} ${where}`.trim();
};

// The window in the profile's clock (µs): the profile ends when the process exits.
let lo = Number.NEGATIVE_INFINITY;
let hi = Number.POSITIVE_INFINITY;
if (exitedAt !== null && from !== null) lo = profile.endTime - (exitedAt - from) * 1000;
if (exitedAt !== null && to !== null) hi = profile.endTime - (exitedAt - to) * 1000;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const weight = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  if (t < lo || t > hi) continue;
  const leaf = byId.get(profile.samples[i])!;
  if (leaf.callFrame.functionName === "(idle)") {
    idle += weight;
    continue;
  }
  total += weight;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + weight);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id)!);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + weight);
  }
}

const top = Number(values.top);
const per = (ms: number) => (calls ? ` ${(ms / calls).toFixed(3).padStart(7)} ms/call` : "");
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${ms.toFixed(1).padStart(9)} ms ${((ms * 100) / total).toFixed(1).padStart(5)}%${per(ms)}  ${k}`);
};
console.log(
  `${file}: ${total.toFixed(0)} ms busy, ${idle.toFixed(0)} ms idle in the window` +
    (calls ? `; ${(total / calls).toFixed(2)} ms per call over ${calls} calls` : ""),
);
show("Self time", self);
show("Inclusive time", inclusive);
