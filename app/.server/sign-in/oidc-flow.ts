import { createHash, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import * as client from "openid-client";
import { z } from "zod";
import { safeRedirect } from "../auth";
import { config } from "../config";
import { log } from "../log";
import { type OidcSettings, settingsFingerprint } from "./oidc-settings";
import { type SignInFailure, signInFailure } from "./sign-in-failures";

/**
 * The authorization code flow with PKCE, state and nonce, through openid-client (certified OpenID Connect relying
 * party). What must survive the trip to the provider (state, nonce, PKCE verifier, where to go next) travels in a
 * signed, HTTP-only cookie scoped to /auth/oidc that lives ten minutes and is cleared by the callback.
 */

export const CALLBACK_PATH = "/auth/oidc/callback";
const PENDING_SECONDS = 600;

const pendingSchema = z.object({
  state: z.string().min(20),
  nonce: z.string().min(20),
  verifier: z.string().min(43),
  returnTo: z.string(),
  fingerprint: z.string(),
  startedAt: z.number(),
});
type Pending = z.infer<typeof pendingSchema>;

let pendingCookie: ReturnType<typeof createCookie> | undefined;
function cookie() {
  const cfg = config();
  pendingCookie ??= createCookie("tw_oidc", {
    httpOnly: true,
    // Lax: the provider's redirect back is a top-level GET from another site, which must carry it.
    sameSite: "lax",
    path: "/auth/oidc",
    secure: cfg.SECURE_COOKIES,
    secrets: [cfg.SESSION_SECRET],
    maxAge: PENDING_SECONDS,
  });
  return pendingCookie;
}

export function redirectUri(): string {
  return new URL(CALLBACK_PATH, config().PUBLIC_URL).href;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Plain http only for a provider on this machine (development, tests); anything else must be https. */
export function issuerProblem(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return "must be a URL";
  }
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) return null;
  return "must start with https:// (plain http is allowed only for a provider on this machine)";
}

const discovered = new Map<string, { at: number; config: Promise<client.Configuration> }>();
const DISCOVERY_TTL_MS = 60 * 60 * 1000;

/** The provider's metadata, fetched once an hour per provider, client and secret; a failure is not kept. */
function providerConfig(settings: OidcSettings): Promise<client.Configuration> {
  const key = createHash("sha256")
    .update(`${settings.issuer}\n${settings.clientId}\n${settings.clientSecret}`)
    .digest("hex");
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.config;
  const problem = issuerProblem(settings.issuer);
  if (problem) return Promise.reject(new Error(`the issuer ${problem}`));
  const insecure = new URL(settings.issuer).protocol === "http:";
  const found = client.discovery(
    new URL(settings.issuer),
    settings.clientId,
    undefined,
    client.ClientSecretBasic(settings.clientSecret),
    { timeout: config().OIDC_TIMEOUT_SECONDS, execute: insecure ? [client.allowInsecureRequests] : [] },
  );
  discovered.set(key, { at: Date.now(), config: found });
  found.catch(() => discovered.delete(key));
  return found;
}

/** For tests that restart a provider on another key set. */
export function forgetDiscoveredProviders(): void {
  discovered.clear();
}

export type StartResult = { ok: true; location: string; setCookie: string } | { ok: false; failure: SignInFailure };

export async function startSignIn(settings: OidcSettings, returnTo: string | null): Promise<StartResult> {
  let provider: client.Configuration;
  try {
    provider = await providerConfig(settings);
  } catch (error) {
    return { ok: false, failure: describeFailure(error, "start") };
  }
  const pending: Pending = {
    state: client.randomState(),
    nonce: client.randomNonce(),
    verifier: client.randomPKCECodeVerifier(),
    returnTo: safeRedirect(returnTo, "/"),
    fingerprint: settingsFingerprint(settings),
    startedAt: Date.now(),
  };
  const location = client.buildAuthorizationUrl(provider, {
    redirect_uri: redirectUri(),
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: "S256",
    state: pending.state,
    nonce: pending.nonce,
  });
  return { ok: true, location: location.href, setCookie: await cookie().serialize(pending) };
}

export function clearPendingCookie(): Promise<string> {
  return cookie().serialize("", { maxAge: 0 });
}

export type Claims = Record<string, unknown>;
export type FinishResult =
  | { ok: true; issuer: string; subject: string; claims: Claims; returnTo: string }
  | { ok: false; failure: SignInFailure };

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Checks the provider's answer and trades the code for tokens: state against the cookie, then (inside openid-client)
 * the issuer, the PKCE verifier, the ID token's signature, audience, expiry and nonce. Returns the ID token's claims
 * with the userinfo reply's merged in (many providers put email there), for the same subject only.
 */
export async function finishSignIn(settings: OidcSettings, request: Request): Promise<FinishResult> {
  const raw = await cookie().parse(request.headers.get("Cookie"));
  const parsed = pendingSchema.safeParse(raw);
  if (!parsed.success || Date.now() - parsed.data.startedAt > PENDING_SECONDS * 1000)
    return { ok: false, failure: signInFailure("expired") };
  const pending = parsed.data;
  if (pending.fingerprint !== settingsFingerprint(settings)) return { ok: false, failure: signInFailure("expired") };
  const incoming = new URL(request.url);
  const state = incoming.searchParams.get("state") ?? "";
  if (!incoming.searchParams.has("error") && !sameText(state, pending.state))
    return { ok: false, failure: signInFailure("state") };
  // The URL the provider redirected to, as registered: the request's own URL may carry a proxy's host and port.
  const current = new URL(redirectUri());
  current.search = incoming.search;
  try {
    const provider = await providerConfig(settings);
    const tokens = await client.authorizationCodeGrant(provider, current, {
      pkceCodeVerifier: pending.verifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) return { ok: false, failure: signInFailure("id-token") };
    const userinfo = await client.fetchUserInfo(provider, tokens.access_token, idClaims.sub);
    // The ID token's iss (checked against the provider's metadata) and sub name the person; the claims describe them.
    return {
      ok: true,
      issuer: idClaims.iss,
      subject: idClaims.sub,
      claims: { ...userinfo, ...idClaims },
      returnTo: safeRedirect(pending.returnTo, "/"),
    };
  } catch (error) {
    return { ok: false, failure: describeFailure(error, "callback") };
  }
}

/** Sorts openid-client's errors into what the person signing in can act on; the detail goes to the log only. */
function describeFailure(error: unknown, stage: "start" | "callback"): SignInFailure {
  const code = (error as { code?: string }).code;
  const detail = error instanceof Error ? error.message : String(error);
  const failure = (() => {
    if (error instanceof client.AuthorizationResponseError) return signInFailure("refused");
    if (error instanceof client.ResponseBodyError)
      return error.error === "invalid_client" ? signInFailure("misconfigured") : signInFailure("refused");
    if (code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED" && stage === "start") return signInFailure("misconfigured");
    if (code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED" || code === "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED")
      return signInFailure("id-token");
    if (error instanceof TypeError || code === "OAUTH_TIMEOUT" || code === "OAUTH_ABORT")
      return signInFailure("unavailable");
    if (code === "OAUTH_RESPONSE_IS_NOT_CONFORM" || code === "OAUTH_RESPONSE_IS_NOT_JSON")
      return signInFailure("unavailable");
    return signInFailure(stage === "start" ? "misconfigured" : "id-token");
  })();
  log.error(`company sign-in (${stage}) failed: ${failure.code}: ${detail}`);
  return failure;
}

/** The admin page's "Test the connection": discovery against the provider, fresh (not from the cache). */
export async function checkProvider(settings: OidcSettings): Promise<{ ok: boolean; message: string }> {
  forgetDiscoveredProviders();
  try {
    const provider = await providerConfig(settings);
    const meta = provider.serverMetadata();
    return { ok: true, message: `Reached ${meta.issuer}: it signs people in at ${meta.authorization_endpoint}.` };
  } catch (error) {
    // The admin sees what the library said (an issuer mismatch, a refused connection): it names no secret.
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${describeFailure(error, "start").message} Detail: ${detail}` };
  }
}
