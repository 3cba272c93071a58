import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { departments, teams, userRoles, users } from "#db/schema";
import { NO_PASSWORD } from "../admin/import-users";
import { type DbLike, writeTransaction } from "../db";
import type { Claims } from "./oidc-flow";
import type { OidcSettings } from "./oidc-settings";
import { type SignInFailure, signInFailure } from "./sign-in-failures";

/**
 * The account a verified company sign-in maps to, by the email claim the admin chose. A first sign-in creates the
 * account (learner, no password); the team claim, when set and naming an existing team (within the department claim's
 * department, when that is set too), places the user in it on every sign-in, as the directory is the source of truth.
 */

const email = z.string().trim().toLowerCase().email().max(320);

export type AccountResult = { ok: true; userId: number; created: boolean } | { ok: false; failure: SignInFailure };

function text(value: unknown): string | null {
  if (typeof value === "string" && value.trim()) return value.trim().slice(0, 200);
  if (Array.isArray(value) && typeof value[0] === "string" && value[0].trim()) return value[0].trim().slice(0, 200);
  return null;
}

export function accountForClaims(database: DbLike, settings: OidcSettings, claims: Claims): AccountResult {
  const parsed = email.safeParse(claims[settings.emailClaim]);
  if (!parsed.success) return { ok: false, failure: signInFailure("email-missing") };
  // The standard email claim comes with email_verified; a directory claim (upn, a custom one) is the company's own.
  if (settings.emailClaim === "email" && claims.email_verified !== true)
    return { ok: false, failure: signInFailure("email-unverified") };
  const address = parsed.data;
  const teamId = teamFromClaims(database, settings, claims);

  return writeTransaction(database, (tx) => {
    const existing = tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.email, address))
      .get();
    if (existing?.deactivatedAt) return { ok: false as const, failure: signInFailure("deactivated") };
    if (existing) {
      if (teamId !== null) tx.update(users).set({ teamId }).where(eq(users.id, existing.id)).run();
      return { ok: true as const, userId: existing.id, created: false };
    }
    const name =
      text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ") || address);
    const { id } = tx
      .insert(users)
      .values({ email: address, name, passwordHash: NO_PASSWORD, teamId })
      .returning({ id: users.id })
      .get();
    tx.insert(userRoles).values({ userId: id, role: "learner" }).run();
    return { ok: true as const, userId: id, created: true };
  });
}

function teamFromClaims(database: DbLike, settings: OidcSettings, claims: Claims): number | null {
  const teamName = settings.teamClaim ? text(claims[settings.teamClaim]) : null;
  if (!teamName) return null;
  const departmentName = settings.departmentClaim ? text(claims[settings.departmentClaim]) : null;
  const rows = database
    .select({ id: teams.id })
    .from(teams)
    .innerJoin(departments, eq(departments.id, teams.departmentId))
    .where(
      departmentName ? and(eq(teams.name, teamName), eq(departments.name, departmentName)) : eq(teams.name, teamName),
    )
    .all();
  // Two departments with a team of that name and no department claim to choose: leave the team unset.
  return rows.length === 1 ? rows[0].id : null;
}
