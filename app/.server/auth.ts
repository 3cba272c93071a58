import { createHash, randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { and, eq, gt, isNull } from "drizzle-orm";
import { type Role, sessions, teams, userRoles, users } from "#db/schema";
import { config } from "./config";
import { db } from "./db";
import { dummyPasswordHash, verifyPassword } from "./password";

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  teamId: number | null;
  departmentId: number | null;
  roles: Role[];
}

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  const cfg = config();
  cookie ??= createCookie("tw_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: cfg.SECURE_COOKIES,
    secrets: [cfg.SESSION_SECRET],
    maxAge: cfg.SESSION_DAYS * 24 * 3600,
  });
  return cookie;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type Authentication = { ok: true; userId: number } | { ok: false; deactivated: boolean };

/**
 * Checks an email and password. Unknown emails and accounts with no password yet (invited, link unused) are
 * compared with a dummy hash, so timing reveals neither. A deactivated account is refused even with the right
 * password (and only then says so).
 */
export async function authenticate(email: string, password: string): Promise<Authentication> {
  const user = db()
    .select({ id: users.id, passwordHash: users.passwordHash, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(eq(users.email, email.trim().toLowerCase()))
    .get();
  const stored = user?.passwordHash.startsWith("scrypt$") ? user.passwordHash : await dummyPasswordHash();
  const ok = (await verifyPassword(password, stored)) && stored === user?.passwordHash;
  if (!ok || !user) return { ok: false, deactivated: false };
  if (user.deactivatedAt) return { ok: false, deactivated: true };
  return { ok: true, userId: user.id };
}

/** Starts a session and returns the Set-Cookie header value. */
export async function createSession(userId: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + config().SESSION_DAYS * 24 * 3600 * 1000);
  db()
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId, expiresAt })
    .run();
  return sessionCookie().serialize(token);
}

async function sessionToken(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export async function destroySession(request: Request): Promise<string> {
  const token = await sessionToken(request);
  if (token)
    db()
      .delete(sessions)
      .where(eq(sessions.tokenHash, hashToken(token)))
      .run();
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** A SessionUser's columns but its roles: select from users left-joined to their team. */
export const SESSION_USER_COLUMNS = {
  id: users.id,
  email: users.email,
  name: users.name,
  teamId: users.teamId,
  departmentId: teams.departmentId,
};

export async function getUser(request: Request): Promise<SessionUser | null> {
  const token = await sessionToken(request);
  if (!token) return null;
  const row = db()
    .select(SESSION_USER_COLUMNS)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(teams, eq(teams.id, users.teamId))
    .where(
      and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date()), isNull(users.deactivatedAt)),
    )
    .get();
  if (!row) return null;
  const roles = db()
    .select({ role: userRoles.role })
    .from(userRoles)
    .where(eq(userRoles.userId, row.id))
    .all()
    .map((r) => r.role);
  return { ...row, roles };
}

export function userIsAdmin(database: ReturnType<typeof db>, userId: number): boolean {
  return (
    database
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(and(eq(userRoles.userId, userId), eq(userRoles.role, "admin")))
      .get() !== undefined
  );
}

/** First line of every loader and action that needs a signed-in user. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: `${url.pathname}${url.search}` });
    throw redirect(`/login?${params}`);
  }
  return user;
}

export async function requireRole(request: Request, ...allowed: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!user.roles.some((r) => allowed.includes(r))) {
    throw new Response(`This page needs the role ${allowed.join(" or ")}.`, { status: 403 });
  }
  return user;
}

/**
 * Only paths on this site. Parsed with URL against a placeholder origin, so every trick that leaves the site
 * (`//evil.example`, `/\\evil.example`, `/%09/evil.example` decoded to a tab that browsers strip) resolves elsewhere
 * and falls back; control characters (which would also make the Location header throw) fall back too.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.length > 2_000) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  const base = "http://tokenwise.invalid";
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
