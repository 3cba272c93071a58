import { createHash, createHmac, randomBytes } from "node:crypto";
import { and, desc, eq, gt, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import { type PasswordLinkPurpose, passwordTokens, sessions, users } from "#db/schema";
import { LINK_LIFETIME_MS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/domain/password-links";
import { config } from "./config";
import { type DbLike, writeTransaction } from "./db";
import { hashPassword } from "./password";

/**
 * One-time set-password links, handed out by admins (the app sends no email): an invitation for
 * an imported user, a reset for someone who forgot their password. The token is 32 random bytes
 * (base64url) and only its SHA-256 is stored, as for sessions, so the link can be shown exactly
 * once. At most one link per user works at a time: issuing a new one revokes the earlier ones.
 *
 * No rate limit on guessing: a token has 256 bits of entropy, so trying tokens online is hopeless,
 * and the lookup by hash reveals nothing about other tokens. Tokens are never logged.
 */

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
/** Neither used nor revoked (expiry is compared with the caller's clock where it matters). */
const unspent = () => and(isNull(passwordTokens.usedAt), isNull(passwordTokens.revokedAt));

export interface IssuedLink {
  userId: number;
  purpose: PasswordLinkPurpose;
  /** The secret: shown once, never stored. */
  token: string;
  expiresAt: Date;
}

/** SQLite limits bound parameters per statement; revoke in slices. */
const SLICE = 500;

/**
 * Issues one link per user (revoking each user's earlier unused links) in one transaction, so an
 * import can hand out invitations atomically with the accounts it creates.
 */
/** An invitation's token from its seed: HMAC with the server's secret, the 32-byte shape of a random token. */
function derivedToken(seed: string): string {
  return createHmac("sha256", config().SESSION_SECRET).update(`invitation:${seed}`).digest("base64url");
}

export function issuePasswordLinks(
  database: DbLike,
  userIds: number[],
  opts: { purpose: PasswordLinkPurpose; createdBy: number | null; now?: Date; batch?: string },
): IssuedLink[] {
  const now = opts.now ?? new Date();
  const expiresAt = new Date(now.getTime() + LINK_LIFETIME_MS[opts.purpose]);
  return writeTransaction(database, (tx) => {
    for (let i = 0; i < userIds.length; i += SLICE)
      tx.update(passwordTokens)
        .set({ revokedAt: now })
        .where(and(inArray(passwordTokens.userId, userIds.slice(i, i + SLICE)), unspent()))
        .run();
    return userIds.map((userId) => {
      // A batch's links can be derived again for a second download; any other link exists only once.
      const seed = opts.batch ? randomBytes(16).toString("base64url") : null;
      const token = seed ? derivedToken(seed) : randomBytes(32).toString("base64url");
      tx.insert(passwordTokens)
        .values({
          tokenHash: hashToken(token),
          userId,
          purpose: opts.purpose,
          createdBy: opts.createdBy,
          expiresAt,
          createdAt: now,
          batch: opts.batch ?? null,
          seed,
        })
        .run();
      return { userId, purpose: opts.purpose, token, expiresAt };
    });
  });
}

export function issuePasswordLink(
  database: DbLike,
  userId: number,
  opts: { purpose: PasswordLinkPurpose; createdBy: number | null; now?: Date },
): IssuedLink {
  return issuePasswordLinks(database, [userId], opts)[0];
}

/** The absolute link to hand out, on PUBLIC_URL. */
export function setPasswordUrl(token: string, publicUrl = config().PUBLIC_URL): string {
  return `${publicUrl.replace(/\/+$/, "")}/set-password?token=${token}`;
}

export type LinkRefusal = "unknown" | "used" | "revoked" | "expired";

export interface ValidLink {
  id: number;
  userId: number;
  purpose: PasswordLinkPurpose;
  expiresAt: Date;
  email: string;
  name: string;
}

/**
 * Whether a token opens a set-password page, and for whom. The reason of a refusal is for tests
 * and the admin's view; the public page shows one message for all of them.
 */
export function verifyPasswordLink(
  database: DbLike,
  token: string,
  now = new Date(),
): { ok: true; link: ValidLink } | { ok: false; reason: LinkRefusal } {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: "unknown" };
  const row = database
    .select({
      id: passwordTokens.id,
      userId: passwordTokens.userId,
      purpose: passwordTokens.purpose,
      expiresAt: passwordTokens.expiresAt,
      usedAt: passwordTokens.usedAt,
      revokedAt: passwordTokens.revokedAt,
      email: users.email,
      name: users.name,
      deactivatedAt: users.deactivatedAt,
    })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(eq(passwordTokens.tokenHash, hashToken(token)))
    .get();
  if (!row) return { ok: false, reason: "unknown" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.revokedAt || row.deactivatedAt) return { ok: false, reason: "revoked" };
  if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  const { usedAt: _u, revokedAt: _r, deactivatedAt: _d, ...link } = row;
  return { ok: true, link };
}

/**
 * Sets the user's password through a link, once. In one transaction: the link is marked used
 * (only if it still works, so two tabs racing cannot both succeed), the new scrypt hash is stored,
 * the user's other links are revoked and every session of the user is deleted, so a reset signs
 * out every other device. The caller starts a fresh session for this browser.
 */
export async function consumePasswordLink(
  database: DbLike,
  token: string,
  newPassword: string,
  now = new Date(),
): Promise<{ ok: true; userId: number; purpose: PasswordLinkPurpose } | { ok: false; reason: LinkRefusal }> {
  if (newPassword.length < PASSWORD_MIN_LENGTH || newPassword.length > PASSWORD_MAX_LENGTH)
    throw new Error(`a new password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`);
  // Checked first so a dead link costs no scrypt hash.
  const checked = verifyPasswordLink(database, token, now);
  if (!checked.ok) return checked;
  const passwordHash = await hashPassword(newPassword);
  const claimed = writeTransaction(database, (tx) => {
    const link = tx
      .update(passwordTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordTokens.tokenHash, hashToken(token)), unspent(), gt(passwordTokens.expiresAt, now)))
      .returning({ id: passwordTokens.id, userId: passwordTokens.userId, purpose: passwordTokens.purpose })
      .get();
    if (!link) return null;
    tx.update(users).set({ passwordHash }).where(eq(users.id, link.userId)).run();
    tx.update(passwordTokens)
      .set({ revokedAt: now })
      .where(and(eq(passwordTokens.userId, link.userId), ne(passwordTokens.id, link.id), unspent()))
      .run();
    tx.delete(sessions).where(eq(sessions.userId, link.userId)).run();
    return link;
  });
  if (!claimed) {
    // Lost a race with another use (or revocation) while hashing: report what happened.
    const again = verifyPasswordLink(database, token, now);
    return again.ok ? { ok: false, reason: "used" } : again;
  }
  return { ok: true, userId: claimed.userId, purpose: claimed.purpose };
}

/** Withdraws a user's unused links (e.g. one was sent to the wrong person). Returns how many. */
export function revokePasswordLinks(database: DbLike, userId: number, now = new Date()): number {
  return database
    .update(passwordTokens)
    .set({ revokedAt: now })
    .where(and(eq(passwordTokens.userId, userId), unspent(), gt(passwordTokens.expiresAt, now)))
    .run().changes;
}

export type LinkState = "pending" | "used" | "revoked" | "expired";

export interface LinkSummary {
  purpose: PasswordLinkPurpose;
  state: LinkState;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The user's most recent link and what became of it, for the admin's user page. */
export function latestPasswordLink(database: DbLike, userId: number, now = new Date()): LinkSummary | null {
  const row = database
    .select({
      purpose: passwordTokens.purpose,
      createdAt: passwordTokens.createdAt,
      createdBy: users.name,
      expiresAt: passwordTokens.expiresAt,
      usedAt: passwordTokens.usedAt,
      revokedAt: passwordTokens.revokedAt,
    })
    .from(passwordTokens)
    .leftJoin(users, eq(users.id, passwordTokens.createdBy))
    .where(eq(passwordTokens.userId, userId))
    .orderBy(desc(passwordTokens.id))
    .get();
  if (!row) return null;
  const { revokedAt, ...rest } = row;
  const state: LinkState = row.usedAt
    ? "used"
    : revokedAt
      ? "revoked"
      : row.expiresAt.getTime() <= now.getTime()
        ? "expired"
        : "pending";
  return { ...rest, state };
}

export interface OpenInvitation {
  userId: number;
  email: string;
  name: string;
  token: string;
  expiresAt: Date;
}

/** A user import's invitations that still work (not used, revoked or expired), with their links derived again. */
export function openInvitations(database: DbLike, batch: string, now = new Date()): OpenInvitation[] {
  return database
    .select({
      userId: passwordTokens.userId,
      email: users.email,
      name: users.name,
      seed: passwordTokens.seed,
      expiresAt: passwordTokens.expiresAt,
    })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(
      and(eq(passwordTokens.batch, batch), unspent(), gt(passwordTokens.expiresAt, now), isNull(users.deactivatedAt)),
    )
    .orderBy(passwordTokens.id)
    .all()
    .flatMap((r) =>
      r.seed
        ? [{ userId: r.userId, email: r.email, name: r.name, token: derivedToken(r.seed), expiresAt: r.expiresAt }]
        : [],
    );
}

/** Recent user imports with links still open, newest first, for the import page. */
export function recentInvitationBatches(database: DbLike, now = new Date(), limit = 10) {
  return database
    .select({
      batch: passwordTokens.batch,
      open: sql<number>`count(*)`,
      expiresAt: sql<number>`max(${passwordTokens.expiresAt})`,
    })
    .from(passwordTokens)
    .where(and(isNotNull(passwordTokens.batch), unspent(), gt(passwordTokens.expiresAt, now)))
    .groupBy(passwordTokens.batch)
    .orderBy(desc(sql`max(${passwordTokens.id})`))
    .limit(limit)
    .all()
    .map((r) => ({ batch: r.batch as string, open: r.open, expiresAt: new Date(r.expiresAt) }));
}
