import { type RateLimiterRes, RateLimiterSQLite } from "rate-limiter-flexible";
import { db } from "./db";

/**
 * Brute-force protection for sign-in (rate-limiter-flexible, counts kept in the app's SQLite file so they survive a
 * restart): failed sign-ins are counted per account and per client address over a window; past the limit, that
 * account or address is refused for the lock period, before any password is checked, with the minutes to wait.
 * A successful sign-in clears the account's count.
 */

export const LOGIN_LIMITS = {
  perAccount: { failures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
  perAddress: { failures: 50, windowSeconds: 15 * 60, lockSeconds: 15 * 60 },
} as const;

interface Limiters {
  account: RateLimiterSQLite;
  address: RateLimiterSQLite;
}

let limiters: { client: unknown; value: Limiters } | undefined;

function get(): Limiters {
  const client = db().$client;
  if (limiters?.client !== client) {
    const make = (tableName: string, l: { failures: number; windowSeconds: number; lockSeconds: number }) =>
      new RateLimiterSQLite({
        storeClient: client,
        storeType: "better-sqlite3",
        tableName,
        points: l.failures,
        duration: l.windowSeconds,
        blockDuration: l.lockSeconds,
      });
    limiters = {
      client,
      value: {
        account: make("login_failures_account", LOGIN_LIMITS.perAccount),
        address: make("login_failures_address", LOGIN_LIMITS.perAddress),
      },
    };
  }
  return limiters.value;
}

const accountKey = (email: string) => email.trim().toLowerCase();

/** Null when a sign-in may be tried; else the message saying how long to wait. */
export async function signInRefusal(email: string, address: string): Promise<string | null> {
  const { account, address: byAddress } = get();
  const [a, b] = await Promise.all([account.get(accountKey(email)), byAddress.get(address)]);
  const over = (r: RateLimiterRes | null, limit: number): r is RateLimiterRes =>
    r !== null && r.consumedPoints >= limit;
  const blocked = [
    ...(over(a, LOGIN_LIMITS.perAccount.failures) ? [a] : []),
    ...(over(b, LOGIN_LIMITS.perAddress.failures) ? [b] : []),
  ];
  if (blocked.length === 0) return null;
  const waitMs = Math.max(...blocked.map((r) => r.msBeforeNext));
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Counts one failed sign-in against the account and the address. */
export async function recordSignInFailure(email: string, address: string): Promise<void> {
  const { account, address: byAddress } = get();
  // consume() rejects (with a RateLimiterRes) once over the limit, which is what blocks the key: expected here.
  await Promise.allSettled([account.consume(accountKey(email)), byAddress.consume(address)]);
}

export async function recordSignInSuccess(email: string): Promise<void> {
  await get().account.delete(accountKey(email));
}
