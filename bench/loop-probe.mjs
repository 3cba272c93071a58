// Preloaded into a server under benchmark (`node --import ./bench/loop-probe.mjs …`, or NODE_OPTIONS for remix-serve):
// records the main thread's event-loop delay and utilisation and, on SIGUSR2, writes them as JSON to LOOP_PROBE_FILE
// and starts a new window. With LOOP_PROBE_PROFILE=1 it also samples the main thread (V8 CPU profile) over each
// window and writes `<LOOP_PROBE_FILE>.<n>.cpuprofile` (for DevTools; sampling slows the server a little).
// Plain JavaScript, so that both builds, whatever their loader, can preload it.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

const file = process.env.LOOP_PROBE_FILE;
if (file && isMainThread) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let elu = performance.eventLoopUtilization();
  let window = 0;
  const session = process.env.LOOP_PROBE_PROFILE === "1" ? new Session() : null;
  const post = (method, params) =>
    new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  if (session) {
    session.connect();
    await post("Profiler.enable");
    await post("Profiler.setSamplingInterval", { interval: 500 });
    await post("Profiler.start");
  }
  process.on("SIGUSR2", async () => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const used = performance.eventLoopUtilization(elu);
    const figures = {
      p50: ms(histogram.percentile(50)),
      p95: ms(histogram.percentile(95)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      utilization: Math.round(used.utilization * 1000) / 1000,
    };
    histogram.reset();
    elu = performance.eventLoopUtilization();
    window += 1;
    if (session) {
      const { profile } = await post("Profiler.stop");
      writeFileSync(`${file}.${window}.cpuprofile`, JSON.stringify(profile));
      await post("Profiler.start");
    }
    writeFileSync(file, JSON.stringify(figures));
  });
}
