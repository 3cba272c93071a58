import { config } from "../config";
import { db } from "../db";
import { log } from "../log";
import { judgeModel, limiterFromConfig, providerFromConfig } from "../providers";
import type { PipelineContext } from "./pipeline";
import { GradingWorker } from "./worker";

/**
 * Live grading for this process: present only when a provider is configured (LLM_PROVIDER); the
 * offline judge grades everything otherwise. Started once, at server start-up, so jobs left by a
 * previous process are resumed.
 */
let service: { worker: GradingWorker; ctx: PipelineContext } | null | undefined;

export const LEASE_MS = 5 * 60_000;

export function liveGrading(): { worker: GradingWorker; ctx: PipelineContext } | null {
  if (service !== undefined) return service;
  const cfg = config();
  const provider = providerFromConfig(cfg);
  if (!provider) {
    service = null;
    return service;
  }
  const ctx: PipelineContext = {
    database: db(),
    provider,
    limiter: limiterFromConfig(cfg),
    judge: judgeModel(cfg),
    cfg,
    leaseMs: LEASE_MS,
  };
  const worker = new GradingWorker(db(), ctx, { maxJobs: cfg.LLM_CONCURRENCY * 4, leaseMs: LEASE_MS });
  worker.start();
  log.info(`live grading on: ${provider.name}, judge ${ctx.judge.model.id}, concurrency ${cfg.LLM_CONCURRENCY}`);
  service = { worker, ctx };
  return service;
}
