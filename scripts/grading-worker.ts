// The live grading worker alone, in its own process, on the configured database and provider: the same worker
// `npm start` runs inside the server (app/.server/grading/service.ts), with the same SIGTERM drain. Tests kill it
// with real signals; a deployment may run it beside the web server to grade on another core.
//   LLM_PROVIDER=… DATABASE_PATH=… npx tsx scripts/grading-worker.ts
import { config } from "~/.server/config";
import { cpuPool } from "~/.server/cpu/pool";
import { installShutdown, liveGrading } from "~/.server/grading/service";

const cfg = config();
const live = liveGrading();
if (!live) {
  console.error("[tokenwise] grading worker: LLM_PROVIDER is none; there is nothing to grade live");
  process.exit(2);
}
installShutdown();
// The worker's timers are unref'd (they must not hold a web server open); this process exists for them.
setInterval(() => {}, 60_000);
process.stdout.write(`${JSON.stringify({ worker: live.worker.id, pid: process.pid, provider: cfg.LLM_PROVIDER })}\n`);
// A second line once the CPU pool's threads have loaded their encoders: the end of this process's start-up, which
// the chaos benchmark (bench/grading-chaos.ts) keeps out of its steady-state CPU figure and reports apart.
cpuPool()
  .whenReady()
  .then(() => process.stdout.write(`${JSON.stringify({ cpuPoolReady: true })}\n`))
  .catch(() => undefined);
