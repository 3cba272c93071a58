import { and, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { gradingFailures, gradingJobs, modelCalls } from "#db/schema";
import type { DbLike } from "../db";
import type { ModelProvider } from "../providers";
import { breakerFor } from "./breaker";

/**
 * The admin's grading health: how live grading went over the last hour and day (attempts scored vs failed,
 * failures by reason, the last errors per model, calls whose cost is unknown), and how it stands now (jobs
 * queued, running, waiting; the provider's circuit breaker in this process). So a provider that fails every
 * call is seen at a glance, not learned from learners.
 */

export interface WindowHealth {
  label: string;
  scored: number;
  failed: number;
  /** scored / (scored + failed), as a whole percentage; null with no attempt ended. */
  successPercent: number | null;
  /** Per reason: tries that failed (retried or not) and attempts that failed for it. */
  reasons: { reason: string; tries: number; attempts: number }[];
  unknownCalls: number;
}

export interface GradingHealth {
  windows: WindowHealth[];
  lastErrors: {
    model: string;
    providerModel: string | null;
    errors: { at: Date; reason: string; message: string; final: boolean }[];
  }[];
  now: {
    queued: number;
    running: number;
    waiting: number;
    breaker: "closed" | "open" | "half-open" | null;
    breakerOpenedAt: Date | null;
  };
}

const WINDOWS = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "Last 24 hours", ms: 24 * 3_600_000 },
];
const ERRORS_PER_MODEL = 5;

function windowHealth(database: DbLike, label: string, since: Date): WindowHealth {
  const ended = database
    .select({ stage: gradingJobs.stage, n: count() })
    .from(gradingJobs)
    .where(and(inArray(gradingJobs.stage, ["scored", "failed"]), gte(gradingJobs.updatedAt, since)))
    .groupBy(gradingJobs.stage)
    .all();
  const scored = ended.find((r) => r.stage === "scored")?.n ?? 0;
  const failed = ended.find((r) => r.stage === "failed")?.n ?? 0;
  const reasons = database
    .select({
      reason: gradingFailures.reason,
      tries: sql<number>`sum(case when ${gradingFailures.final} then 0 else 1 end)`,
      attempts: sql<number>`sum(case when ${gradingFailures.final} then 1 else 0 end)`,
    })
    .from(gradingFailures)
    .where(gte(gradingFailures.createdAt, since))
    .groupBy(gradingFailures.reason)
    .orderBy(desc(sql`count(*)`))
    .all();
  const unknownCalls =
    database
      .select({ n: count() })
      .from(modelCalls)
      .where(and(eq(modelCalls.state, "unknown"), gte(modelCalls.createdAt, since)))
      .get()?.n ?? 0;
  const total = scored + failed;
  return {
    label,
    scored,
    failed,
    successPercent: total > 0 ? Math.floor((scored * 100) / total) : null,
    reasons,
    unknownCalls,
  };
}

export function gradingHealth(database: DbLike, provider: ModelProvider | null, now = new Date()): GradingHealth {
  const windows = WINDOWS.map((w) => windowHealth(database, w.label, new Date(now.getTime() - w.ms)));
  const since = new Date(now.getTime() - WINDOWS[WINDOWS.length - 1].ms);
  const recent = database
    .select()
    .from(gradingFailures)
    .where(gte(gradingFailures.createdAt, since))
    .orderBy(desc(gradingFailures.id))
    .limit(500)
    .all();
  const byModel = new Map<string, GradingHealth["lastErrors"][number]>();
  for (const f of recent) {
    const entry = byModel.get(f.model) ?? { model: f.model, providerModel: f.providerModel, errors: [] };
    if (entry.errors.length < ERRORS_PER_MODEL)
      entry.errors.push({ at: f.createdAt, reason: f.reason, message: f.message, final: f.final });
    byModel.set(f.model, entry);
  }
  const jobs = database
    .select({
      queued: sql<number>`sum(case when ${gradingJobs.leaseUntil} is null or ${gradingJobs.leaseUntil} < ${now.getTime()} then 1 else 0 end)`,
      running: sql<number>`sum(case when ${gradingJobs.leaseUntil} >= ${now.getTime()} then 1 else 0 end)`,
      waiting: sql<number>`sum(case when ${gradingJobs.waiting} is not null then 1 else 0 end)`,
    })
    .from(gradingJobs)
    .where(sql`${gradingJobs.stage} not in ('scored', 'failed')`)
    .get();
  const breaker = provider ? breakerFor(provider) : null;
  return {
    windows,
    lastErrors: [...byModel.values()],
    now: {
      queued: jobs?.queued ?? 0,
      running: jobs?.running ?? 0,
      waiting: jobs?.waiting ?? 0,
      breaker: breaker?.state ?? null,
      breakerOpenedAt: breaker?.openedAt ? new Date(breaker.openedAt) : null,
    },
  };
}
