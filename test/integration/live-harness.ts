import { and, eq } from "drizzle-orm";
import { attempts, gradingJobs, modelCalls, users } from "#db/schema";
import { submitAttempt } from "~/.server/attempts";
import { getPublishedExercise } from "~/.server/catalog";
import { db } from "~/.server/db";
import type { PipelineContext } from "~/.server/grading/pipeline";
import { GradingWorker } from "~/.server/grading/worker";
import { getModel } from "~/.server/models";
import { createAnthropic } from "~/.server/providers/anthropic";
import { createLimiter } from "~/.server/providers/limiter";
import { createOpenAICompatible } from "~/.server/providers/openai-compatible";
import { listSessionUsers } from "~/.server/users";
import { createFakeAnthropicServer } from "../fakes/anthropic-server";
import { gradingHandler } from "../fakes/grading";
import type { FakeProviderServer, Handler } from "../fakes/http";
import { createFakeOpenAIServer } from "../fakes/openai-server";

export type Vendor = "openai" | "anthropic";

export const JUDGE: Record<Vendor, string> = { openai: "gpt-4.1-mini", anthropic: "claude-3-5-haiku" };
/** A target model each vendor serves (submitLive does not check the exercise's allowed models). */
export const TARGET: Record<Vendor, string | undefined> = { openai: undefined, anthropic: "claude-3-5-haiku" };

/** Live grading wired to a fake provider on loopback, with a real worker over the worker's SQLite file. */
export async function startLive(
  vendor: Vendor,
  opts: {
    handler?: Handler;
    leaseMs?: number;
    concurrency?: number;
    /** LLM_RETRY_BUDGET_MINUTES. */
    retryBudgetMinutes?: number;
    threshold?: number;
    start?: boolean;
    /** An embeddings model of the catalogue (OpenAI-compatible only), as LLM_EMBEDDING_MODEL names it. */
    embeddingModel?: string;
  } = {},
) {
  const fake: FakeProviderServer =
    vendor === "openai"
      ? createFakeOpenAIServer({ handler: opts.handler ?? gradingHandler() })
      : createFakeAnthropicServer({ handler: opts.handler ?? gradingHandler() });
  await fake.start();
  const provider =
    vendor === "openai"
      ? createOpenAICompatible({ baseURL: fake.url, timeoutMs: 5000, embeddingModel: opts.embeddingModel })
      : createAnthropic({ baseURL: fake.url, apiKey: "sk-ant-test-key", timeoutMs: 5000 });
  const ctx: Omit<PipelineContext, "owner"> = {
    database: db(),
    provider,
    limiter: createLimiter(opts.concurrency ?? 4),
    // Each vendor serves its own models (the catalogue's rule): Anthropic grades with Claude.
    judge: { model: getModel(JUDGE[vendor]), providerModel: JUDGE[vendor] },
    cfg: {
      LLM_RETRY_BUDGET_MINUTES: opts.retryBudgetMinutes ?? 0.1,
      CACHE_TTL_HOURS: 24,
      SEMANTIC_CACHE_THRESHOLD: opts.threshold ?? 0.97,
    },
  };
  const leaseMs = opts.leaseMs ?? 60_000;
  const worker = new GradingWorker(db(), ctx, { maxJobs: 16, leaseMs, heartbeatMs: leaseMs / 4, idleMs: 50 });
  if (opts.start !== false) worker.start();
  return {
    fake,
    ctx,
    worker,
    async stop() {
      await worker.stop();
      await fake.close();
    },
  };
}

export function submitLive(worker: { poke(): void }, userId: number, slug: string, prompt: string, modelId?: string) {
  const user = listSessionUsers(db()).find((u) => u.id === userId)!;
  const exercise = getPublishedExercise(db(), slug)!;
  return submitAttempt(db(), user, exercise, prompt, modelId ?? exercise.content.model, worker);
}

export async function waitForAttempt(attemptId: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const job = db().select().from(gradingJobs).where(eq(gradingJobs.attemptId, attemptId)).get();
    if (job && (job.stage === "scored" || job.stage === "failed"))
      return db().select().from(attempts).where(eq(attempts.id, attemptId)).get()!;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`attempt ${attemptId} was not graded within ${timeoutMs} ms`);
}

export function callsFor(attemptId: number, purpose?: "target" | "judge" | "embedding") {
  return db()
    .select()
    .from(modelCalls)
    .where(
      purpose
        ? and(eq(modelCalls.attemptId, attemptId), eq(modelCalls.purpose, purpose))
        : eq(modelCalls.attemptId, attemptId),
    )
    .all();
}

export function teamOf(userId: number): number | null {
  return db().select({ teamId: users.teamId }).from(users).where(eq(users.id, userId)).get()?.teamId ?? null;
}
