import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

/**
 * Who holds a lease or wrote a pending ledger row: "host:pid:boot", the boot part random per process start.
 * SQLite lives on one machine, so every worker sharing the database runs on this host, and a dead one can be
 * told at once from its pid instead of waiting out its lease: that is how a restarted app resumes a killed
 * one's jobs within seconds.
 */

/** The boot parts of this process's live owners (a worker's, a preview's), so a stopped one counts as dead. */
const live = new Set<string>();

export interface Owner {
  readonly id: string;
  /** This owner is gone: its leases and pending rows may be taken over by anyone at once. */
  release(): void;
}

export function createOwner(): Owner {
  const boot = randomBytes(4).toString("hex");
  live.add(boot);
  return { id: `${hostname()}:${process.pid}:${boot}`, release: () => live.delete(boot) };
}

function parse(owner: string): { host: string; pid: number; boot: string } | null {
  const m = /^(.*):(\d+):([0-9a-f]+)$/.exec(owner);
  return m ? { host: m[1], pid: Number(m[2]), boot: m[3] } : null;
}

/**
 * True when the owner is, as far as this host can tell, still running: on this host, with its pid alive (for this
 * very process, its boot live). A pid reused by another program passes too; callers bound how long they trust it.
 */
export function isLiveOwner(owner: string): boolean {
  const o = parse(owner);
  if (!o || o.host !== hostname()) return false;
  if (o.pid === process.pid) return live.has(o.boot);
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * True only when the owner is certainly gone: on this host, and either this very pid under a boot that is not
 * live here (a released owner, or a container restarted with the same pid) or a pid no process has. A live pid may be another program that reused
 * it, so it counts as alive: the lease then lapses on its own. Another host is never judged from here.
 */
export function isDeadOwner(owner: string): boolean {
  const o = parse(owner);
  if (!o || o.host !== hostname()) return false;
  if (o.pid === process.pid) return !live.has(o.boot);
  try {
    process.kill(o.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
