import { readFileSync } from "node:fs";

/**
 * How much CPU a pool task has used, as the kernel counts it for the thread running it (Linux: /proc), so that a
 * task's time limit stops work that is too heavy and not work that waited for a CPU: the pool's threads run at a
 * lower priority (CPU_WORKERS_NICE), and on a busy machine a 300 ms grade can take seconds of wall time. Elsewhere,
 * or where /proc cannot be read, the limit falls back to wall time.
 *
 * The thread that takes a task stamps a small shared buffer with its kernel thread id and its CPU time so far; the
 * pool's thread reads that thread's CPU time from /proc when the limit comes due.
 */

/** The kernel's clock ticks a second for /proc's CPU times (USER_HZ: 100 on every Linux architecture Node runs on). */
const TICKS_PER_SECOND = 100;
const MS_PER_TICK = 1000 / TICKS_PER_SECOND;

/**
 * The shared buffer: three Int32 slots (whether a thread took the task, its kernel thread id or 0 if unknown, its CPU
 * ticks at the start), then at byte 16 a Float64 (the wall time it started, epoch ms).
 */
const STARTED = 0;
const TID = 1;
const START_TICKS = 2;
const STARTED_AT_BYTE = 16;

/** Fields of /proc/…/stat after the command name (which may hold spaces and parentheses): state is 0, utime 11. */
function statFields(path: string): string[] | null {
  try {
    const stat = readFileSync(path, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

function cpuTicks(fields: string[]): number | null {
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isSafeInteger(ticks) ? ticks : null;
}

/** CPU time (user + system, ms) of one of this process's threads by its kernel id; null if it cannot be read. */
export function threadCpuMs(tid: number): number | null {
  const fields = statFields(`/proc/self/task/${tid}/stat`);
  const ticks = fields && cpuTicks(fields);
  return ticks === null || ticks === undefined ? null : ticks * MS_PER_TICK;
}

/** The calling thread's kernel id and CPU ticks so far; null off Linux or without /proc. */
function ownThread(): { tid: number; ticks: number } | null {
  if (process.platform !== "linux") return null;
  try {
    const stat = readFileSync("/proc/thread-self/stat", "latin1");
    const tid = Number(stat.slice(0, stat.indexOf(" ")));
    const ticks = cpuTicks(stat.slice(stat.lastIndexOf(")") + 2).split(" "));
    return Number.isSafeInteger(tid) && tid > 0 && ticks !== null ? { tid, ticks } : null;
  } catch {
    return null;
  }
}

/** Called by the thread that takes a task, before it starts the work. */
export function stampTaskStart(buffer: SharedArrayBuffer): void {
  const slots = new Int32Array(buffer, 0, 3);
  const own = ownThread();
  if (own) {
    Atomics.store(slots, TID, own.tid);
    Atomics.store(slots, START_TICKS, own.ticks);
  }
  new Float64Array(buffer, STARTED_AT_BYTE, 1)[0] = Date.now();
  // Last, and atomic: whoever sees "started" sees the rest.
  Atomics.store(slots, STARTED, 1);
}

/** The pool's side of a task's clock: the buffer to send with the task, and what the thread has used of it since. */
export class TaskClock {
  readonly buffer = new SharedArrayBuffer(STARTED_AT_BYTE + Float64Array.BYTES_PER_ELEMENT);
  private readonly slots = new Int32Array(this.buffer, 0, 3);

  get started(): boolean {
    return Atomics.load(this.slots, STARTED) === 1;
  }

  /** Wall ms since a thread took the task (0 before). */
  wallMs(): number {
    return this.started ? Date.now() - new Float64Array(this.buffer, STARTED_AT_BYTE, 1)[0] : 0;
  }

  /** CPU ms the task has used so far; null if not started or not measurable here (then wall time is the measure). */
  usedMs(): number | null {
    const tid = Atomics.load(this.slots, TID);
    if (!this.started || tid === 0) return null;
    const now = threadCpuMs(tid);
    return now === null ? null : now - Atomics.load(this.slots, START_TICKS) * MS_PER_TICK;
  }
}

/**
 * A task with no CPU measure, or one that has used little CPU for this many times its limit (a machine so busy it
 * cannot serve it), is stopped all the same.
 */
export const WALL_CAP_FACTOR = 20;

/**
 * Calls `expire` once the task has used `limitMs` of CPU (or, where CPU cannot be measured, once `limitMs` of wall
 * time has passed since a thread took it), or after WALL_CAP_FACTOR × `limitMs` of wall time in any case.
 * Returns a function that stops the watch.
 */
export function watchTaskClock(clock: TaskClock, limitMs: number, expire: () => void): () => void {
  const began = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    timer = setTimeout(check, Math.max(ms, 10));
    timer.unref?.();
  };
  const check = () => {
    const wallMs = performance.now() - began;
    if (wallMs >= WALL_CAP_FACTOR * limitMs) return expire();
    if (!clock.started) return arm(limitMs);
    const used = clock.usedMs() ?? clock.wallMs();
    if (used >= limitMs) return expire();
    // Not yet: look again once the rest of the limit could have been used, at one tick's precision.
    arm(limitMs - used + MS_PER_TICK);
  };
  arm(limitMs);
  return () => clearTimeout(timer);
}
