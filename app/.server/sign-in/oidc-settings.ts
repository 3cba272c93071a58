import { createHash } from "node:crypto";
import { z } from "zod";
import { readKey, writeKey } from "../authoring/store";
import { CLAIM_NAME, config } from "../config";
import type { DbLike } from "../db";
import { seal, unseal } from "./seal";

/**
 * Company sign-in settings: from the environment (OIDC_*, which win and are shown read-only) or from the admin's
 * Sign-in page (kept in the `settings` table, the client secret sealed). The secret is only ever read here, to
 * hand to openid-client; nothing returns it to a page.
 */

const OIDC_KEY = "sign-in:oidc";
const LOCAL_KEY = "sign-in:local";
const PROOF_KEY = "sign-in:admin-proof";

const storedSchema = z.object({
  enabled: z.boolean(),
  issuer: z.string().url(),
  clientId: z.string().min(1),
  sealedSecret: z.string().min(1),
  emailClaim: z.string().regex(CLAIM_NAME),
  teamClaim: z.string().regex(CLAIM_NAME).nullable(),
  departmentClaim: z.string().regex(CLAIM_NAME).nullable(),
});

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  emailClaim: string;
  teamClaim: string | null;
  departmentClaim: string | null;
  source: "environment" | "admin";
}

/** What the admin page may show: everything but the secret, of which only whether one is stored. */
export interface OidcSettingsView extends Omit<OidcSettings, "clientSecret"> {
  enabled: boolean;
  hasSecret: boolean;
  /** The stored secret cannot be opened (SESSION_SECRET changed): enter it again. */
  secretUnreadable: boolean;
}

export function oidcSettingsView(database: DbLike): OidcSettingsView | null {
  const env = fromEnvironment();
  if (env) {
    const { clientSecret: _secret, ...rest } = env;
    return { ...rest, enabled: true, hasSecret: true, secretUnreadable: false };
  }
  const stored = readKey(database, OIDC_KEY, storedSchema)?.value;
  if (!stored) return null;
  const { sealedSecret, enabled, ...rest } = stored;
  const readable = unseal(sealedSecret, config().SESSION_SECRET) !== null;
  return { ...rest, enabled, source: "admin", hasSecret: true, secretUnreadable: !readable };
}

function fromEnvironment(): OidcSettings | null {
  const cfg = config();
  if (!cfg.OIDC_ISSUER || !cfg.OIDC_CLIENT_ID || !cfg.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: cfg.OIDC_ISSUER,
    clientId: cfg.OIDC_CLIENT_ID,
    clientSecret: cfg.OIDC_CLIENT_SECRET,
    emailClaim: cfg.OIDC_EMAIL_CLAIM,
    teamClaim: cfg.OIDC_TEAM_CLAIM ?? null,
    departmentClaim: cfg.OIDC_DEPARTMENT_CLAIM ?? null,
    source: "environment",
  };
}

/** The settings company sign-in runs on, or null when it is not configured (or turned off, or unreadable). */
export function activeOidcSettings(database: DbLike): OidcSettings | null {
  const env = fromEnvironment();
  if (env) return env;
  const stored = readKey(database, OIDC_KEY, storedSchema)?.value;
  if (!stored?.enabled) return null;
  const clientSecret = unseal(stored.sealedSecret, config().SESSION_SECRET);
  if (clientSecret === null) return null;
  const { sealedSecret: _sealed, enabled: _enabled, ...rest } = stored;
  return { ...rest, clientSecret, source: "admin" };
}

/** What the admin's form saves; an empty clientSecret keeps the stored one. */
export type OidcSettingsInput = Omit<OidcSettings, "source"> & { enabled: boolean };

export type SaveOidcResult = { ok: true } | { ok: false; errors: Record<string, string> };

export function saveOidcSettings(database: DbLike, input: OidcSettingsInput, userId: number): SaveOidcResult {
  const previous = readKey(database, OIDC_KEY, storedSchema)?.value;
  const previousSecret = previous ? unseal(previous.sealedSecret, config().SESSION_SECRET) : null;
  const secret = input.clientSecret || previousSecret;
  if (!secret) return { ok: false, errors: { clientSecret: "Enter the client secret the identity provider issued" } };
  const { clientSecret: _secret, ...rest } = input;
  writeKey(database, OIDC_KEY, { ...rest, sealedSecret: seal(secret, config().SESSION_SECRET) }, userId);
  return { ok: true };
}

/** Identifies the provider and client an admin's successful sign-in proved: a new issuer or client needs a new proof. */
export function settingsFingerprint(settings: Pick<OidcSettings, "issuer" | "clientId">): string {
  return createHash("sha256").update(`${settings.issuer}\n${settings.clientId}`).digest("hex").slice(0, 32);
}

const proofSchema = z.object({ fingerprint: z.string(), userId: z.number().int(), at: z.string() });

export function recordAdminProof(database: DbLike, settings: OidcSettings, userId: number): void {
  writeKey(
    database,
    PROOF_KEY,
    { fingerprint: settingsFingerprint(settings), userId, at: new Date().toISOString() },
    userId,
  );
}

/** When an admin last signed in through the provider now configured (null: never, or through another one). */
export function adminProof(database: DbLike): { userId: number; at: string } | null {
  const settings = activeOidcSettings(database);
  const proof = readKey(database, PROOF_KEY, proofSchema)?.value;
  if (!settings || !proof || proof.fingerprint !== settingsFingerprint(settings)) return null;
  return { userId: proof.userId, at: proof.at };
}

const localSchema = z.object({ passwordsOff: z.boolean() });

export interface PasswordPolicy {
  /** Passwords are refused (for everyone, or for everyone but admins under break glass). */
  passwordsOff: boolean;
  breakGlass: boolean;
  source: "environment" | "admin";
}

export function passwordPolicy(database: DbLike): PasswordPolicy {
  const cfg = config();
  const breakGlass = cfg.LOCAL_SIGN_IN_BREAK_GLASS;
  // `off` holds only while company sign-in is configured: with no provider it would lock every account out,
  // admins included (break glass only brings passwords back beside a working provider).
  if (cfg.LOCAL_PASSWORDS)
    return {
      passwordsOff: cfg.LOCAL_PASSWORDS === "off" && activeOidcSettings(database) !== null,
      breakGlass,
      source: "environment",
    };
  const stored = readKey(database, LOCAL_KEY, localSchema)?.value;
  // Passwords are only off while company sign-in works: a provider turned off or unreadable brings them back.
  const passwordsOff = (stored?.passwordsOff ?? false) && activeOidcSettings(database) !== null;
  return { passwordsOff, breakGlass, source: "admin" };
}

export type PasswordsOffResult = { ok: true } | { ok: false; error: string };

/**
 * Turns password sign-in off or on. Off is refused until an admin has signed in through the configured provider,
 * so a mistyped issuer or client cannot lock every admin out.
 */
export function setPasswordsOff(database: DbLike, off: boolean, userId: number): PasswordsOffResult {
  if (off && !adminProof(database))
    return {
      ok: false,
      error:
        "Password sign-in stays on until an admin has signed in with the company account through the provider configured here.",
    };
  writeKey(database, LOCAL_KEY, { passwordsOff: off }, userId);
  return { ok: true };
}
