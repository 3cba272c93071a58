import { purgeExpiredSessions } from "./admin/accounts";
import { type BackupTick, startBackupIfDue } from "./backup/schedule";
import { releaseStale } from "./budgets";
import { purgeExpired } from "./cache";
import { type Config, config } from "./config";
import { type Db, type DbLike, db } from "./db";
import { isDeadOwner } from "./grading/owner";
import { sweepPending } from "./ledger";
import { log } from "./log";
import { type UsageUpkeepReport, usageUpkeep } from "./usage/upkeep";
import { type LrsConfig, lrsConfig, type SendReport, sendPendingStatements } from "./xapi";

/**
 * Background upkeep that nothing else triggers: deleting expired cache entries, releasing budget
 * holds left by a worker that died mid-call, sending graded attempts' xAPI statements to the
 * configured LRS, deleting expired sessions, production usage's upkeep (app/.server/usage/upkeep.ts), and starting a
 * backup when one is due (BACKUP_INTERVAL_HOURS). Each job is independent: one failing is logged and reported, and
 * the others run.
 */

export type MaintenanceJob = "cache" | "holds" | "ledger" | "xapi" | "usage" | "backup" | "sessions";

/**
 * Sequential provider calls on one run's critical path (test inputs run in parallel): the prompt's
 * embedding for a semantic cache lookup (when LLM_EMBEDDING_MODEL is set), the target, then the
 * judge and its one repair. Each is retried within LLM_RETRY_BUDGET_MINUTES, each try cut off at LLM_TIMEOUT_MS.
 */
const CALLS_PER_RUN = 4;

/**
 * How old a budget hold must be before it counts as left by a dead worker. A hold whose job is leased right now is
 * never released (releaseStale), and a dead worker's job is resumed within seconds (its lease is freed at once on
 * this host, or lapses after GRADING_LEASE_SECONDS), reusing its hold. So this only bounds holds whose job stays
 * unleased: twice the longest run, CALLS_PER_RUN calls each spending its whole retry budget and a last timeout.
 * With the defaults: 2 × 4 × (10 min + 30 s) = 84 minutes.
 */
export function staleHoldMs(cfg: Pick<Config, "LLM_TIMEOUT_MS" | "LLM_RETRY_BUDGET_MINUTES">): number {
  return 2 * CALLS_PER_RUN * (cfg.LLM_RETRY_BUDGET_MINUTES * 60_000 + cfg.LLM_TIMEOUT_MS);
}

/** The jobs themselves, replaceable so a test can make one fail and watch the others still run. */
export interface MaintenanceTasks {
  purgeExpired: (database: DbLike, now: Date) => number;
  purgeExpiredSessions: (database: DbLike, now: Date) => number;
  releaseStale: (database: DbLike, olderThanMs: number, now: Date) => number;
  sweepPending: (database: DbLike, isDead: (owner: string) => boolean, olderThan: Date) => number;
  sendPendingStatements: (
    database: DbLike,
    fetchFn: typeof globalThis.fetch,
    lrs: LrsConfig | null,
  ) => Promise<SendReport>;
  usageUpkeep: (database: Db, now: Date) => Promise<UsageUpkeepReport>;
  /** Starts a backup process when one is due and returns at once (app/.server/backup/schedule.ts). */
  startBackupIfDue: (now: Date) => BackupTick;
}

const TASKS: MaintenanceTasks = {
  purgeExpired,
  purgeExpiredSessions,
  releaseStale,
  sweepPending,
  sendPendingStatements,
  usageUpkeep,
  startBackupIfDue: (now) => startBackupIfDue(now),
};

export interface MaintenanceDeps {
  /** Where statements go; defaults to the configured LRS (XAPI_LRS_URL); null sends nothing. */
  lrs?: LrsConfig | null;
  fetchFn?: typeof globalThis.fetch;
  /** Defaults to staleHoldMs(config()). */
  staleHoldMs?: number;
  tasks?: Partial<MaintenanceTasks>;
  logger?: Pick<typeof log, "error" | "info" | "debug">;
}

export interface MaintenanceError {
  job: MaintenanceJob;
  message: string;
}

export interface MaintenanceReport {
  at: Date;
  /** Expired cache entries deleted; null when the job failed. */
  cachePurged: number | null;
  /** Stale budget holds released; null when the job failed. */
  holdsReleased: number | null;
  /** Pending ledger rows of dead writers closed as unknown; null when the job failed. */
  pendingClosed: number | null;
  /** Expired sessions deleted; null when the job failed. */
  sessionsPurged: number | null;
  /** What the LRS sender did (configured: false when there is no LRS); null when the job threw. */
  xapi: SendReport | null;
  /** What production usage's upkeep did; null when it failed. */
  usage: UsageUpkeepReport | null;
  /** What the backup job did ("started", "not due"…); null when it failed. */
  backup: BackupTick | null;
  /** One entry per job that failed, including an LRS that refused or could not be reached. */
  errors: MaintenanceError[];
}

/** Keeps the LRS credentials out of a message bound for the log or the page (an LRS may echo them back). */
export function redactSecrets(message: string, lrs: LrsConfig | null | undefined): string {
  // Credentials written into a URL (https://user:pass@host/...), whichever URL it is.
  let out = message.replace(/(\/\/)[^/\s@]+@/g, "$1[redacted]@");
  const pair = lrs?.username ? `${lrs.username}:${lrs.password ?? ""}` : undefined;
  const secrets = [pair && Buffer.from(pair).toString("base64"), pair, lrs?.password];
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs the jobs once; never throws. `now` decides what has expired and which holds are stale. */
export async function runMaintenance(
  database: DbLike,
  now: Date,
  deps: MaintenanceDeps = {},
): Promise<MaintenanceReport> {
  const tasks = { ...TASKS, ...deps.tasks };
  const logger = deps.logger ?? log;
  const lrs = deps.lrs === undefined ? lrsConfig() : deps.lrs;
  const report: MaintenanceReport = {
    at: now,
    cachePurged: null,
    sessionsPurged: null,
    holdsReleased: null,
    pendingClosed: null,
    xapi: null,
    usage: null,
    backup: null,
    errors: [],
  };
  const fail = (job: MaintenanceJob, raw: string) => {
    const message = redactSecrets(raw, lrs);
    report.errors.push({ job, message });
    // The message only, never the error object: a driver's error may carry the request it failed on.
    logger.error(`maintenance: ${job} job failed: ${message}`);
  };

  try {
    report.cachePurged = tasks.purgeExpired(database, now);
  } catch (err) {
    fail("cache", messageOf(err));
  }
  try {
    report.sessionsPurged = tasks.purgeExpiredSessions(database, now);
  } catch (err) {
    fail("sessions", messageOf(err));
  }
  try {
    report.holdsReleased = tasks.releaseStale(database, deps.staleHoldMs ?? staleHoldMs(config()), now);
  } catch (err) {
    fail("holds", messageOf(err));
  }
  try {
    // A pending row older than this cannot belong to a live call: no call with its retries runs that long.
    const cfg = config();
    const oldest = new Date(now.getTime() - 2 * (cfg.LLM_RETRY_BUDGET_MINUTES * 60_000 + cfg.LLM_TIMEOUT_MS));
    report.pendingClosed = tasks.sweepPending(database, isDeadOwner, oldest);
  } catch (err) {
    fail("ledger", messageOf(err));
  }
  try {
    report.xapi = await tasks.sendPendingStatements(database, deps.fetchFn ?? globalThis.fetch, lrs);
    if (report.xapi.error) fail("xapi", report.xapi.error);
  } catch (err) {
    fail("xapi", messageOf(err));
  }
  try {
    // Upkeep runs on the database itself (the scheduler's db()), never inside a caller's transaction.
    report.usage = await tasks.usageUpkeep(database as Db, now);
    for (const pull of report.usage.pulls)
      if (pull.status === "failed") fail("usage", pull.message);
      else if (pull.status !== "skipped") logger.info(`maintenance: ${pull.message}`);
  } catch (err) {
    fail("usage", messageOf(err));
  }
  try {
    report.backup = tasks.startBackupIfDue(now);
  } catch (err) {
    fail("backup", messageOf(err));
  }

  const { cachePurged, sessionsPurged, holdsReleased, pendingClosed, xapi } = report;
  if (cachePurged || sessionsPurged || holdsReleased || pendingClosed || xapi?.sent)
    logger.info(
      `maintenance: ${cachePurged ?? 0} expired cache entries purged, ${sessionsPurged ?? 0} expired sessions deleted, ` +
        `${holdsReleased ?? 0} stale budget holds released, ` +
        `${pendingClosed ?? 0} pending ledger rows of dead workers closed as unknown, ${xapi?.sent ?? 0} xAPI statements sent`,
    );
  return report;
}

export interface MaintenanceStatus {
  /** Seconds between runs of the scheduler in this process; 0 when none runs. */
  intervalSeconds: number;
  lastRunAt: Date | null;
  /** The most recent failure of each job in this process, kept after later successes. */
  lastErrors: Partial<Record<MaintenanceJob, { at: Date; message: string }>>;
}

let status: MaintenanceStatus = { intervalSeconds: 0, lastRunAt: null, lastErrors: {} };

/** What the scheduler of this process has done, for the admin pages. */
export function maintenanceStatus(): MaintenanceStatus {
  return { ...status, lastErrors: { ...status.lastErrors } };
}

function record(report: MaintenanceReport): void {
  status.lastRunAt = report.at;
  for (const e of report.errors) status.lastErrors[e.job] = { at: report.at, message: e.message };
}

export interface MaintenanceOptions {
  /** Defaults to MAINTENANCE_INTERVAL_SECONDS; 0 starts nothing. */
  intervalSeconds?: number;
  /** Resolved at each run, so starting the scheduler opens nothing. */
  database?: () => DbLike;
  clock?: () => Date;
  deps?: MaintenanceDeps;
  onReport?: (report: MaintenanceReport) => void;
}

/**
 * Runs maintenance every `intervalSeconds`, first one interval after the start. The timer is
 * unref'd, so it never keeps a process alive on its own; a run still going when the next tick comes
 * (an LRS slow to answer) is not overlapped: that tick is skipped. Returns a stop function that
 * resolves once a run in flight has finished.
 */
export function startMaintenance(options: MaintenanceOptions = {}): () => Promise<void> {
  const intervalSeconds = options.intervalSeconds ?? config().MAINTENANCE_INTERVAL_SECONDS;
  const logger = options.deps?.logger ?? log;
  if (!(intervalSeconds > 0)) {
    logger.info("maintenance off (MAINTENANCE_INTERVAL_SECONDS=0)");
    return async () => {};
  }
  const database = options.database ?? db;
  const clock = options.clock ?? (() => new Date());
  let inFlight: Promise<void> | null = null;
  let stopped = false;

  const tick = () => {
    if (stopped) return;
    if (inFlight) {
      logger.debug("maintenance: the previous run is still going; skipping this tick");
      return;
    }
    const run = async (): Promise<MaintenanceReport | null> => {
      try {
        return await runMaintenance(database(), clock(), options.deps);
      } catch (err) {
        // runMaintenance never throws; opening the database can.
        logger.error(`maintenance: run failed: ${redactSecrets(messageOf(err), options.deps?.lrs)}`);
        return null;
      }
    };
    inFlight = run().then((report) => {
      // Cleared before anyone hears of the report, so the next tick after it is never skipped.
      inFlight = null;
      if (!report) return;
      record(report);
      try {
        options.onReport?.(report);
      } catch (err) {
        logger.error(`maintenance: report listener failed: ${messageOf(err)}`);
      }
    });
  };

  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref?.();
  status = { ...status, intervalSeconds };
  logger.info(`maintenance every ${intervalSeconds} s`);
  return async () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    status = { ...status, intervalSeconds: 0 };
    await inFlight;
  };
}
