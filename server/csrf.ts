/**
 * Cross-site request forgery defence for every request that can change state (anything but GET, HEAD, OPTIONS),
 * whatever route it reaches: pages, `?_data=` and `.data` requests, resource routes. The rule is the one browsers
 * make possible without tokens (as Go's http.CrossOriginProtection applies it):
 * - a browser that sends `Sec-Fetch-Site` says where the request came from: only `same-origin` (or `none`, typed
 *   by the user) passes;
 * - otherwise the `Origin` header, when present, must be this server's own origin or a trusted one;
 * - a request with neither header did not come from a browser page (curl, scripts), so there is no victim's cookie
 *   riding on it to forge; it passes.
 * Trusted origins (TRUSTED_ORIGINS) are the public addresses of a proxy that rewrites `Host`.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfVerdict {
  ok: boolean;
  reason?: string;
}

export interface HeaderSource {
  get(name: string): string | null;
}

export function checkCrossOrigin(
  method: string,
  headers: HeaderSource,
  trustedOrigins: ReadonlySet<string>,
): CsrfVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
  const origin = headers.get("origin");
  if (origin && trustedOrigins.has(origin)) return { ok: true };
  const site = headers.get("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin" || site === "none") return { ok: true };
    return { ok: false, reason: `a ${site} request (Sec-Fetch-Site) may not change anything here` };
  }
  if (origin === null) return { ok: true };
  const host = headers.get("host");
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost !== null && host !== null && originHost === host) return { ok: true };
  return { ok: false, reason: `the request's origin (${origin}) is not this site's` };
}

/** TRUSTED_ORIGINS as a set of normalised origins ("https://lms.example.com"). */
export function parseTrustedOrigins(value: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const item of (value ?? "").split(",")) {
    const trimmed = item.trim();
    if (trimmed) out.add(new URL(trimmed).origin);
  }
  return out;
}
