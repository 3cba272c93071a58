import { afterEach, describe, expect, it, vi } from "vitest";
import type { BackupTick } from "./backup/schedule";
import { parseConfig } from "./config";
import type { DbLike } from "./db";
import {
  type MaintenanceDeps,
  type MaintenanceReport,
  type MaintenanceTasks,
  maintenanceStatus,
  redactSecrets,
  runMaintenance,
  staleHoldMs,
  startMaintenance,
} from "./maintenance";
import type { LrsConfig, SendReport } from "./xapi";

// The jobs' own behaviour against a real database is covered in test/integration/maintenance.test.ts;
// here they are stand-ins, to pin down what the runner and the scheduler do around them.
const database = { name: "the database" } as unknown as DbLike;
const NOW = new Date("2026-04-01T12:00:00Z");
const LRS: LrsConfig = {
  url: "https://lrs.example.com/xapi/statements",
  username: "lrs-user",
  password: "s3cret-lrs-pass",
  publicUrl: "https://tokenwise.example.com",
};
const SENT: SendReport = { configured: true, queued: 2, sent: 2, failed: 0, error: null };
const USAGE = { interrupted: 0, reallocatedDays: 0, pulls: [], trainingRefreshed: false };
const fetchFn = (async () => new Response("[]")) as typeof globalThis.fetch;

function quietLogger() {
  return { error: vi.fn(), info: vi.fn(), debug: vi.fn() };
}

function fakeTasks(overrides: Partial<MaintenanceTasks> = {}) {
  const tasks = {
    purgeExpired: vi.fn((_db: DbLike, _now: Date) => 3),
    purgeExpiredSessions: vi.fn((_db: DbLike, _now: Date) => 2),
    releaseStale: vi.fn((_db: DbLike, _olderThanMs: number, _now: Date) => 1),
    sweepPending: vi.fn((_db: DbLike, _isDead: (owner: string) => boolean, _olderThan: Date) => 2),
    sendPendingStatements: vi.fn(async (_db: DbLike, _f: typeof fetch, _l: LrsConfig | null) => SENT),
    usageUpkeep: vi.fn(async (_db: DbLike, _now: Date) => USAGE),
    startBackupIfDue: vi.fn((_now: Date): BackupTick => "not due"),
    ...overrides,
  };
  return tasks;
}

function deps(tasks: Partial<MaintenanceTasks>, extra: Partial<MaintenanceDeps> = {}): MaintenanceDeps {
  return { tasks, lrs: LRS, fetchFn, staleHoldMs: 3_300_000, logger: quietLogger(), ...extra };
}

describe("runMaintenance", () => {
  it("runs all four jobs with the database, the injected now, the stale-hold age, fetch and the LRS", async () => {
    const tasks = fakeTasks();
    const report = await runMaintenance(database, NOW, deps(tasks));
    expect(tasks.purgeExpired).toHaveBeenCalledWith(database, NOW);
    expect(tasks.releaseStale).toHaveBeenCalledWith(database, 3_300_000, NOW);
    expect(tasks.sendPendingStatements).toHaveBeenCalledWith(database, fetchFn, LRS);
    expect(tasks.usageUpkeep).toHaveBeenCalledWith(database, NOW);
    // Pending ledger rows older than twice a call's longest life (retry budget and timeout) are closed as unknown.
    expect(tasks.sweepPending).toHaveBeenCalledWith(
      database,
      expect.any(Function),
      new Date(NOW.getTime() - 2 * (600_000 + 30_000)),
    );
    expect(tasks.purgeExpiredSessions).toHaveBeenCalledWith(database, NOW);
    expect(report).toEqual({
      at: NOW,
      cachePurged: 3,
      sessionsPurged: 2,
      holdsReleased: 1,
      pendingClosed: 2,
      xapi: SENT,
      usage: USAGE,
      backup: "not due",
      errors: [],
    });
    expect(tasks.startBackupIfDue).toHaveBeenCalledWith(NOW);
  });

  it("defaults the stale-hold age to the one derived from the grading limits", async () => {
    const tasks = fakeTasks();
    await runMaintenance(database, NOW, { ...deps(tasks), staleHoldMs: undefined });
    const cfg = parseConfig({ SESSION_SECRET: "x".repeat(32) });
    expect(tasks.releaseStale).toHaveBeenCalledWith(database, staleHoldMs(cfg), NOW);
  });

  it.each([
    ["cache", "purgeExpired"],
    ["holds", "releaseStale"],
    ["xapi", "sendPendingStatements"],
    ["usage", "usageUpkeep"],
    ["backup", "startBackupIfDue"],
  ] as const)("reports and logs a %s job that throws, and still runs the other jobs", async (job, task) => {
    const boom = () => {
      throw new Error(`${job} exploded`);
    };
    const isAsync = task === "sendPendingStatements" || task === "usageUpkeep";
    const tasks = fakeTasks({ [task]: isAsync ? vi.fn(async () => boom()) : vi.fn(boom) });
    const logger = quietLogger();
    const report = await runMaintenance(database, NOW, deps(tasks, { logger }));
    for (const t of [
      "purgeExpired",
      "releaseStale",
      "sendPendingStatements",
      "usageUpkeep",
      "startBackupIfDue",
    ] as const)
      expect(tasks[t]).toHaveBeenCalledTimes(1);
    expect(report.errors).toEqual([{ job, message: `${job} exploded` }]);
    expect(report.cachePurged).toBe(job === "cache" ? null : 3);
    expect(report.holdsReleased).toBe(job === "holds" ? null : 1);
    expect(report.xapi).toEqual(job === "xapi" ? null : SENT);
    expect(report.usage).toEqual(job === "usage" ? null : USAGE);
    expect(report.backup).toBe(job === "backup" ? null : "not due");
    expect(logger.error).toHaveBeenCalledWith(`maintenance: ${job} job failed: ${job} exploded`);
  });

  it("reports every job that failed in one run, not only the first", async () => {
    const tasks = fakeTasks({
      purgeExpired: vi.fn(() => {
        throw new Error("disk I/O error");
      }),
      releaseStale: vi.fn(() => {
        throw new Error("database is locked");
      }),
    });
    const report = await runMaintenance(database, NOW, deps(tasks));
    expect(report.errors.map((e) => e.job)).toEqual(["cache", "holds"]);
    expect(report.xapi).toEqual(SENT);
  });

  it("counts an LRS that refuses as an xapi error, and keeps the LRS credentials out of the log", async () => {
    const token = Buffer.from("lrs-user:s3cret-lrs-pass").toString("base64");
    const refused: SendReport = {
      configured: true,
      queued: 0,
      sent: 0,
      failed: 5,
      error: `LRS answered HTTP 401: bad password s3cret-lrs-pass for Basic ${token} at https://lrs-user:s3cret-lrs-pass@lrs.example.com/`,
    };
    const logger = quietLogger();
    const report = await runMaintenance(
      database,
      NOW,
      deps(fakeTasks({ sendPendingStatements: vi.fn(async () => refused) }), { logger }),
    );
    expect(report.xapi).toEqual(refused);
    expect(report.errors).toHaveLength(1);
    const logged = logger.error.mock.calls.map((c) => String(c[0])).join("\n");
    expect(logged).toMatch(/xapi job failed: LRS answered HTTP 401/);
    for (const secret of ["s3cret-lrs-pass", token, "lrs-user:"]) {
      expect(logged).not.toContain(secret);
      expect(report.errors[0].message).not.toContain(secret);
    }
  });

  it("passes a missing LRS through as null, so nothing is sent", async () => {
    const tasks = fakeTasks();
    await runMaintenance(database, NOW, deps(tasks, { lrs: null }));
    expect(tasks.sendPendingStatements).toHaveBeenCalledWith(database, fetchFn, null);
  });
});

describe("redactSecrets", () => {
  it("hides credentials in any URL, the password, and the basic-auth pair and token", () => {
    const token = Buffer.from("lrs-user:s3cret-lrs-pass").toString("base64");
    expect(redactSecrets("fetch https://a:b@host/x failed", null)).toBe("fetch https://[redacted]@host/x failed");
    expect(redactSecrets(`got s3cret-lrs-pass and ${token}`, LRS)).toBe("got [redacted] and [redacted]");
    expect(redactSecrets("LRS answered HTTP 503: down", LRS)).toBe("LRS answered HTTP 503: down");
  });
});

describe("staleHoldMs", () => {
  const cfg = (env: Record<string, string> = {}) => parseConfig({ SESSION_SECRET: "x".repeat(32), ...env });

  it("outlasts a run whose four sequential calls each spend their whole retry budget and a timeout, doubled", () => {
    expect(staleHoldMs(cfg())).toBe(2 * 4 * (10 * 60_000 + 30_000));
    expect(staleHoldMs(cfg({ LLM_RETRY_BUDGET_MINUTES: "1", LLM_TIMEOUT_MS: "1000" }))).toBe(2 * 4 * 61_000);
  });
});

describe("MAINTENANCE_INTERVAL_SECONDS", () => {
  const parse = (value?: string) =>
    parseConfig({ SESSION_SECRET: "x".repeat(32), MAINTENANCE_INTERVAL_SECONDS: value }).MAINTENANCE_INTERVAL_SECONDS;

  it("defaults to 60 seconds and accepts 0 (off) up to a day", () => {
    expect(parse()).toBe(60);
    expect(parse("0")).toBe(0);
    expect(parse("86400")).toBe(86_400);
  });

  it.each(["", "abc", "1.5", "-1", "86401"])("refuses %j with an error naming the variable", (value) => {
    expect(() => parse(value)).toThrow(/MAINTENANCE_INTERVAL_SECONDS: must be/);
  });
});

describe("startMaintenance", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    vi.useRealTimers();
  });

  function start(tasks: Partial<MaintenanceTasks>, intervalSeconds = 60, onReport?: (r: MaintenanceReport) => void) {
    stop = startMaintenance({
      intervalSeconds,
      database: () => database,
      clock: () => NOW,
      deps: deps(tasks),
      onReport,
    });
    return stop;
  }

  it("runs once per interval, the first one interval after the start", async () => {
    vi.useFakeTimers();
    const tasks = fakeTasks();
    start(tasks, 60);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(tasks.purgeExpired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(tasks.purgeExpired).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(tasks.purgeExpired).toHaveBeenCalledTimes(3);
    expect(tasks.sendPendingStatements).toHaveBeenCalledTimes(3);
  });

  it("never overlaps a run still going: ticks that come meanwhile are skipped", async () => {
    vi.useFakeTimers();
    let finish: () => void = () => {};
    const sendPendingStatements = vi.fn(
      () =>
        new Promise<SendReport>((resolve) => {
          finish = () => resolve(SENT);
        }),
    );
    const reports: MaintenanceReport[] = [];
    const tasks = fakeTasks({ sendPendingStatements });
    start(tasks, 10, (r) => reports.push(r));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sendPendingStatements).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(50_000); // five more ticks while the LRS has not answered
    expect(sendPendingStatements).toHaveBeenCalledTimes(1);
    expect(tasks.purgeExpired).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(reports).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sendPendingStatements).toHaveBeenCalledTimes(2);
    finish();
  });

  it("logs a run that cannot open the database, and keeps running on the next tick", async () => {
    vi.useFakeTimers();
    const logger = quietLogger();
    let opens = 0;
    const tasks = fakeTasks();
    stop = startMaintenance({
      intervalSeconds: 60,
      database: () => {
        opens++;
        if (opens === 1) throw new Error("unable to open database file");
        return database;
      },
      clock: () => NOW,
      deps: deps(tasks, { logger }),
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(logger.error).toHaveBeenCalledWith("maintenance: run failed: unable to open database file");
    expect(tasks.purgeExpired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tasks.purgeExpired).toHaveBeenCalledTimes(1);
  });

  it("starts nothing when the interval is 0", async () => {
    vi.useFakeTimers();
    const tasks = fakeTasks();
    const before = vi.getTimerCount();
    start(tasks, 0);
    expect(vi.getTimerCount()).toBe(before);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(tasks.purgeExpired).not.toHaveBeenCalled();
    expect(tasks.sendPendingStatements).not.toHaveBeenCalled();
  });

  it("stops running once stopped, and the stop waits for the run in flight", async () => {
    vi.useFakeTimers();
    let finish: () => void = () => {};
    const tasks = fakeTasks({
      sendPendingStatements: vi.fn(() => new Promise<SendReport>((resolve) => (finish = () => resolve(SENT)))),
    });
    const halt = start(tasks, 60);
    await vi.advanceTimersByTimeAsync(60_000);
    let stopped = false;
    const stopping = halt().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(tasks.purgeExpired).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("does not keep the process alive: its timer is unref'd", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    start(fakeTasks(), 3600);
    expect(timers()).toBe(before);
  });

  it("records the last run and each job's last failure with its time, for the /xapi page", async () => {
    vi.useFakeTimers();
    let fail = true;
    const tasks = fakeTasks({
      sendPendingStatements: vi.fn(async () =>
        fail ? { ...SENT, sent: 0, failed: 2, error: "LRS answered HTTP 503" } : SENT,
      ),
    });
    start(tasks, 60);
    expect(maintenanceStatus().intervalSeconds).toBe(60);
    await vi.advanceTimersByTimeAsync(60_000);
    fail = false;
    await vi.advanceTimersByTimeAsync(60_000);
    const status = maintenanceStatus();
    expect(status.lastRunAt).toEqual(NOW);
    // Kept after the next run succeeded: the page says when the last error happened.
    expect(status.lastErrors.xapi).toEqual({ at: NOW, message: "LRS answered HTTP 503" });
    expect(status.lastErrors.cache).toBeUndefined();
    await stop?.();
    expect(maintenanceStatus().intervalSeconds).toBe(0);
  });
});
