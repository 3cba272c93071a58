import { and, count, eq, inArray, isNull, lt, ne } from "drizzle-orm";
import { passwordTokens, sessions, userRoles, users } from "#db/schema";
import { type DbLike, writeTransaction } from "../db";

/**
 * Account lifecycle: an admin deactivates a user (every session ends at once, sign-in and set-password links stop
 * working; attempts, scores and ledger rows stay) and may reactivate them later; anyone can sign themselves out
 * everywhere; upkeep deletes expired sessions.
 */

export type AccountOutcome = { ok: true } | { ok: false; message: string };

/** Ends every session of the user; the number ended. */
export function endAllSessions(database: DbLike, userId: number): number {
  return database.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

function isActiveAdmin(database: DbLike, userId: number): boolean {
  return !!database
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "admin")))
    .where(and(eq(users.id, userId), isNull(users.deactivatedAt)))
    .get();
}

export function deactivateUser(database: DbLike, actorId: number, userId: number, now = new Date()): AccountOutcome {
  if (actorId === userId) return { ok: false, message: "You cannot deactivate your own account." };
  return writeTransaction(database, (tx) => {
    const user = tx.select({ deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId)).get();
    if (!user) return { ok: false as const, message: "There is no such user." };
    if (user.deactivatedAt) return { ok: true as const };
    if (isActiveAdmin(tx, userId)) {
      const others = tx
        .select({ n: count() })
        .from(users)
        .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "admin")))
        .where(and(ne(users.id, userId), isNull(users.deactivatedAt)))
        .get()!.n;
      if (others === 0)
        return { ok: false as const, message: "This is the last active admin; it cannot be deactivated." };
    }
    tx.update(users).set({ deactivatedAt: now }).where(eq(users.id, userId)).run();
    endAllSessions(tx, userId);
    tx.update(passwordTokens)
      .set({ revokedAt: now })
      .where(and(eq(passwordTokens.userId, userId), isNull(passwordTokens.usedAt), isNull(passwordTokens.revokedAt)))
      .run();
    return { ok: true as const };
  });
}

export function reactivateUser(database: DbLike, userId: number): AccountOutcome {
  const res = database.update(users).set({ deactivatedAt: null }).where(eq(users.id, userId)).run();
  return res.changes === 1 ? { ok: true } : { ok: false, message: "There is no such user." };
}

/** Deletes sessions past their expiry (upkeep); the number deleted. */
export function purgeExpiredSessions(database: DbLike, now: Date): number {
  return database.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
}

/** When the user was deactivated, or null while active (or unknown). */
export function deactivatedSince(database: DbLike, userId: number): Date | null {
  return database.select({ at: users.deactivatedAt }).from(users).where(eq(users.id, userId)).get()?.at ?? null;
}

/** Which of `userIds` are deactivated (for lists). */
export function deactivatedAmong(database: DbLike, userIds: number[]): Set<number> {
  if (userIds.length === 0) return new Set();
  return new Set(
    database
      .select({ id: users.id, at: users.deactivatedAt })
      .from(users)
      .where(inArray(users.id, userIds))
      .all()
      .filter((r) => r.at !== null)
      .map((r) => r.id),
  );
}
