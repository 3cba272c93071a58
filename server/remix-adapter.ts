import type { IncomingMessage, ServerResponse } from "node:http";
import { type AppLoadContext, createRequestHandler, type ServerBuild } from "@remix-run/node";
import { BodyTooLarge, bodyLimitFor, isStreamedUpload, limitedStream, readBody } from "./body-limit";
import { checkCrossOrigin } from "./csrf";
import { contentSecurityPolicy, newNonce } from "./security-headers";

/**
 * Remix behind this server's own guards. Before Remix (and so before any loader, action or authentication) runs:
 * the cross-origin check (403), then the body read within its limit (413). After it: the CSP with this request's
 * nonce on HTML, and `Cache-Control: no-store` on everything answered to a signed-in browser.
 */

export interface GuardOptions {
  trustedOrigins: ReadonlySet<string>;
  /** `uploads`: production usage files, streamed to their route (body-limit.ts isStreamedUpload). */
  limits: { body: number; imports: number; uploads: number };
  /** The session cookie's name: a request carrying it is a signed-in one. */
  sessionCookie: string;
}

/** What loaders and actions find in `context`. */
export interface TokenwiseLoadContext {
  cspNonce: string;
  clientIp: string;
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(message);
}

/** Bytes of a refused body read and dropped before the connection is cut (refuseTooLarge). */
const LINGER_BYTES = 8 * 1024 * 1024;

/**
 * A 413 the client can read. A socket closed with unread bytes in it is reset by the kernel, and a client still
 * sending its body (fetch sends it all before it reads the answer) then gets EPIPE instead of this message: so the
 * rest of the body is read and dropped, at most LINGER_BYTES of it, before the connection is cut. Nothing is kept.
 */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, err: BodyTooLarge): void {
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) req.socket.destroy();
  });
  req.resume();
  plain(res, 413, err.message);
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    // Checked above; Remix's own check compares it with Host and answers 500 behind a proxy that rewrites Host.
    if (key === "origin" || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return headers;
}

export function remixHandler(build: ServerBuild, mode: string, options: GuardOptions) {
  const handle = createRequestHandler(build, mode);
  return async (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.originalUrl ?? req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
    const get = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : (v ?? null);
    };
    const verdict = checkCrossOrigin(method, { get }, options.trustedOrigins);
    if (!verdict.ok) return plain(res, 403, `Refused: ${verdict.reason}. Reload the page and try again.`);

    let body: Buffer | ReadableStream<Uint8Array> | undefined;
    if (method === "POST" && isStreamedUpload(url.pathname)) {
      if (Number(req.headers["content-length"]) > options.limits.uploads) {
        return refuseTooLarge(req, res, new BodyTooLarge(options.limits.uploads));
      }
      body = limitedStream(req, options.limits.uploads);
    } else if (method !== "GET" && method !== "HEAD") {
      try {
        body = await readBody(req, bodyLimitFor(url.pathname, options.limits));
      } catch (err) {
        if (err instanceof BodyTooLarge) return refuseTooLarge(req, res, err);
        return plain(res, 400, "The request body could not be read.");
      }
    }

    const controller = new AbortController();
    res.on("close", () => controller.abort());
    const request = new Request(url, {
      method,
      headers: requestHeaders(req),
      body: body instanceof ReadableStream ? body : body && body.length > 0 ? (body as unknown as BodyInit) : undefined,
      signal: controller.signal,
      // A streamed body must say so to Node's fetch Request.
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    const nonce = newNonce();
    const context: TokenwiseLoadContext = { cspNonce: nonce, clientIp: req.socket.remoteAddress ?? "unknown" };
    const response = await handle(request, context as unknown as AppLoadContext);

    res.statusCode = response.status;
    for (const [key, value] of response.headers) if (key !== "set-cookie") res.setHeader(key, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
    if ((response.headers.get("Content-Type") ?? "").startsWith("text/html"))
      res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    const signedIn = (req.headers.cookie ?? "").includes(`${options.sessionCookie}=`) || cookies.length > 0;
    if (signedIn) res.setHeader("Cache-Control", "no-store");
    if (!response.body || method === "HEAD") {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (res.destroyed) break;
        if (!res.write(value))
          await new Promise<void>((resolve) => {
            res.once("drain", resolve);
            res.once("close", resolve);
          });
        // Server-sent events and streamed pages reach the browser chunk by chunk, through compression too.
        (res as { flush?: () => void }).flush?.();
      }
    } catch {
      // The client went away (the abort above) or the stream failed: nothing more can be sent.
    } finally {
      res.end();
    }
  };
}
