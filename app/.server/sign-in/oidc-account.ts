import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { departments, signInIdentities, teams, userRoles, users } from "#db/schema";
import { NO_PASSWORD } from "../admin/import-users";
import { type DbLike, writeTransaction } from "../db";
import type { Claims } from "./oidc-flow";
import type { OidcSettings } from "./oidc-settings";
import { type SignInFailure, signInFailure } from "./sign-in-failures";

/**
 * The account a verified company sign-in maps to. The provider's issuer and subject (`sub`) name the person; the
 * email does not (an address changes, or is handed to someone else). So:
 * - a known (issuer, subject) signs in to its account, whatever email the claims carry now;
 * - an unknown subject whose email matches an account is joined to it only when the provider says the email is
 *   verified (`email_verified: true`) and that account has no other subject at this issuer;
 * - otherwise a first sign-in creates the account (learner, no password) with the subject linked.
 * The team claim, when set and naming an existing team (within the department claim's department, when that is set
 * too), places the user in it on every sign-in, as the directory is the source of truth.
 */

const email = z.string().trim().toLowerCase().email().max(320);
const subject = z.string().min(1).max(255);

export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  claims: Claims;
}
export type AccountResult = { ok: true; userId: number; created: boolean } | { ok: false; failure: SignInFailure };

function text(value: unknown): string | null {
  if (typeof value === "string" && value.trim()) return value.trim().slice(0, 200);
  if (Array.isArray(value) && typeof value[0] === "string" && value[0].trim()) return value[0].trim().slice(0, 200);
  return null;
}

const refused = (code: Parameters<typeof signInFailure>[0]) => ({ ok: false as const, failure: signInFailure(code) });

export function accountForClaims(database: DbLike, settings: OidcSettings, identity: VerifiedIdentity): AccountResult {
  const { claims, issuer } = identity;
  const sub = subject.safeParse(identity.subject);
  if (!sub.success) return refused("id-token");
  const teamId = teamFromClaims(database, settings, claims);

  return writeTransaction(database, (tx): AccountResult => {
    const linked = tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(signInIdentities)
      .innerJoin(users, eq(users.id, signInIdentities.userId))
      .where(and(eq(signInIdentities.issuer, issuer), eq(signInIdentities.subject, sub.data)))
      .get();
    if (linked) {
      if (linked.deactivatedAt) return refused("deactivated");
      if (teamId !== null) tx.update(users).set({ teamId }).where(eq(users.id, linked.id)).run();
      return { ok: true, userId: linked.id, created: false };
    }

    const parsed = email.safeParse(claims[settings.emailClaim]);
    if (!parsed.success) return refused("email-missing");
    const verified = claims.email_verified === true;
    // The standard email claim comes with email_verified; a directory claim (upn, a custom one) is the company's own.
    if (settings.emailClaim === "email" && !verified) return refused("email-unverified");
    const address = parsed.data;
    const existing = tx
      .select({ id: users.id, deactivatedAt: users.deactivatedAt })
      .from(users)
      .where(eq(users.email, address))
      .get();
    if (existing) {
      if (existing.deactivatedAt) return refused("deactivated");
      // Joining an existing account is taking it over: only on the provider's word that the address is theirs.
      if (!verified) return refused("link-unverified");
      const other = tx
        .select({ subject: signInIdentities.subject })
        .from(signInIdentities)
        .where(and(eq(signInIdentities.userId, existing.id), eq(signInIdentities.issuer, issuer)))
        .get();
      if (other) return refused("email-taken");
      tx.insert(signInIdentities).values({ issuer, subject: sub.data, userId: existing.id }).run();
      if (teamId !== null) tx.update(users).set({ teamId }).where(eq(users.id, existing.id)).run();
      return { ok: true, userId: existing.id, created: false };
    }
    const name =
      text(claims.name) ?? ([text(claims.given_name), text(claims.family_name)].filter(Boolean).join(" ") || address);
    const { id } = tx
      .insert(users)
      .values({ email: address, name, passwordHash: NO_PASSWORD, teamId })
      .returning({ id: users.id })
      .get();
    tx.insert(userRoles).values({ userId: id, role: "learner" }).run();
    tx.insert(signInIdentities).values({ issuer, subject: sub.data, userId: id }).run();
    return { ok: true, userId: id, created: true };
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
