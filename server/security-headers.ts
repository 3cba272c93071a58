import { randomBytes } from "node:crypto";

/**
 * Headers on every response the app renders. The Content-Security-Policy allows scripts only from this origin and
 * inline scripts carrying the request's nonce (Remix's hydration data and module loaders get it), workers only from
 * this origin (the token counter, Monaco's editor worker), no framing by anyone (clickjacking), no plugins, and
 * forms that post only here. Styles allow inline because Monaco writes its own <style> elements and React renders
 * style attributes; scripts are what matters for injection.
 */

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For every response: pages, data, resource routes and static files. */
export const BASE_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};
