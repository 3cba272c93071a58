import { config } from "../config";
import { cpuPool } from "../cpu/pool";
import { db } from "../db";
import { log } from "../log";
import { judgeModel, limiterFromConfig, providerFromConfig } from "../providers";
import type { PipelineContext } from "./pipeline";
import { warmSamples } from "./warm-samples";
import { GradingWorker } from "./worker";

/**
 * Live grading for this process: present only when a provider is configured (LLM_PROVIDER); the
 * offline judge grades everything otherwise. Started once, at server start-up, so jobs left by a
 * previous process are resumed.
 */
type LiveContext = Omit<PipelineContext, "owner" | "signal" | "drain">;
let service: { worker: GradingWorker; ctx: LiveContext } | null | undefined;

export function liveGrading(): { worker: GradingWorker; ctx: LiveContext } | null {
  if (service !== undefined) return service;
  const cfg = config();
  const provider = providerFromConfig(cfg);
  if (!provider) {
    service = null;
    return service;
  }
  const ctx: LiveContext = {
    database: db(),
    provider,
    limiter: limiterFromConfig(cfg),
    judge: judgeModel(cfg),
    cfg,
  };
  const worker = new GradingWorker(db(), ctx, workerOptions(cfg));
  worker.start();
  // Start the CPU pool's threads now (they load the tokenizer, about a second) and let them grade one prompt of each
  // exercise the open jobs are about: every new job's offline gates run there before its first paid call, and the jobs
  // a restart resumes then find the judge compiled. A failure here only means the first job starts them.
  cpuPool()
    .prepare(warmSamples(db()))
    .catch(() => undefined);
  log.info(`live grading on: ${provider.name}, judge ${ctx.judge.model.id}, concurrency ${cfg.LLM_CONCURRENCY}`);
  service = { worker, ctx };
  return service;
}

export function workerOptions(cfg = config()) {
  return {
    maxJobs: cfg.LLM_CONCURRENCY * 4,
    leaseMs: cfg.GRADING_LEASE_SECONDS * 1000,
    heartbeatMs: cfg.GRADING_HEARTBEAT_SECONDS * 1000,
    // No call, its retries included, outlives its retry budget plus a timeout: a row older than twice that is dead.
    pendingMaxAgeMs: 2 * (cfg.LLM_RETRY_BUDGET_MINUTES * 60_000 + cfg.LLM_TIMEOUT_MS),
  };
}

/**
 * A deploy's SIGTERM for live grading: stop taking jobs, let calls in flight finish within GRADING_SHUTDOWN_SECONDS,
 * settle their rows and hand every lease back. Resolves when done (at once without live grading).
 */
export function drainLiveGrading(): Promise<void> {
  const live = service;
  if (!live) return Promise.resolve();
  const deadline = config().GRADING_SHUTDOWN_SECONDS * 1000;
  log.info(`draining live grading (up to ${deadline / 1000} s)`);
  return live.worker
    .drain(deadline)
    .catch((err) => {
      log.error("grading: drain failed", err);
    })
    .then(() => {
      log.info("grading drained");
    });
}

/**
 * For a process that is only a grading worker (scripts/grading-worker.ts): SIGTERM or SIGINT drains, then exits.
 * The web server (server/index.ts) does the same from its own handler, after closing its listener.
 */
export function installShutdown(): void {
  let shutting = false;
  const onSignal = () => {
    if (shutting) return;
    shutting = true;
    drainLiveGrading().finally(() => process.exit(0));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
