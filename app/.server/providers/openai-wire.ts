import type { SdkErrors } from "./errors";

/**
 * OpenAI's HTTP API as the app uses it: one JSON POST, its reply read whole. The openai SDK did the same through a
 * request builder (URL, default and per-call headers merged through Headers objects, a log line formatted even with
 * logging off, an APIPromise, its own timeout timer and abort listener) that cost the grading worker about as much CPU
 * per call as the HTTP exchange itself; bench/README.md (grading-chaos, "Less work per call") has the figures.
 *
 * Kept from the SDK: its errors' shapes and messages ("429 Rate limit reached…", "Connection error."), so
 * classifyError reads a status, the provider's words and Retry-After exactly as before. The deadline, the caller's
 * abort and the 8 MB reply cap stay where they were: in withDeadline and in the provider fetch.
 */

/** The provider answered with an error status: what it said, and its headers (Retry-After). */
export class ProviderStatusError extends Error {
  override readonly name = "ProviderStatusError";
  constructor(
    readonly status: number,
    /** The `error` member of a JSON error body (OpenAI's `{ error: { message, type, code } }`). */
    readonly error: unknown,
    readonly headers: Headers,
    bodyText: string | undefined,
  ) {
    super(statusMessage(status, error, bodyText));
  }
}

/** The request or its reply was lost on the way (refused, reset, cut at the size limit): `cause` says how. */
export class ProviderConnectionError extends Error {
  override readonly name = "ProviderConnectionError";
  constructor(options: ErrorOptions) {
    super("Connection error.", options);
  }
}

/** Never thrown: the deadline covers the whole exchange (withDeadline), and its timeout is classified from it. */
class ProviderTimeoutError extends ProviderConnectionError {}
/** Never thrown: a caller's abort is classified from the caller's signal. */
class ProviderAbortError extends Error {}

/** The classes classifyError tells apart, in the shape the SDK-based adapters pass theirs. */
export const WIRE_ERRORS: SdkErrors = {
  APIError: ProviderStatusError,
  APIConnectionError: ProviderConnectionError,
  APIConnectionTimeoutError: ProviderTimeoutError,
  APIUserAbortError: ProviderAbortError,
};

/** As the SDK words it: "<status> <the provider's message>", else the body, else "<status> status code (no body)". */
function statusMessage(status: number, error: unknown, bodyText: string | undefined): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  const said = message
    ? typeof message === "string"
      ? message
      : JSON.stringify(message)
    : error
      ? JSON.stringify(error)
      : bodyText;
  return said ? `${status} ${said}` : `${status} status code (no body)`;
}

export interface WireSettings {
  baseURL: string;
  apiKey: string;
  fetch: typeof fetch;
}

export interface WireClient {
  /** POSTs `body` as JSON to `path` and returns the reply: parsed when it says it is JSON, else its text. */
  post(path: string, body: unknown, options: { signal: AbortSignal; idempotencyKey?: string }): Promise<unknown>;
}

export function createWireClient(settings: WireSettings): WireClient {
  const base = settings.baseURL.replace(/\/+$/, "");
  // Built once per client: every call sends the same four.
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/json",
    authorization: `Bearer ${settings.apiKey}`,
    "user-agent": "tokenwise",
  };
  const doFetch = settings.fetch;
  return {
    async post(path, body, { signal, idempotencyKey }) {
      const init = {
        method: "POST",
        headers: idempotencyKey ? { ...headers, "idempotency-key": idempotencyKey } : headers,
        body: JSON.stringify(body),
        signal,
      };
      let res: Response;
      let text: string;
      try {
        res = await doFetch(base + path, init);
        text = await res.text();
      } catch (err) {
        // An abort is the deadline's or the caller's: classifyError reads it from their signals.
        if (signal.aborted) throw err;
        throw new ProviderConnectionError({ cause: err });
      }
      if (!res.ok) {
        const parsed = safeJson(text);
        const error = (parsed as { error?: unknown } | undefined)?.error;
        throw new ProviderStatusError(res.status, error, res.headers, parsed === undefined ? text : undefined);
      }
      if (res.status === 204) return null;
      // JSON as the SDK recognised it; any other body is handed back as text (and fails the reply's schema).
      const mediaType = res.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
      if (!mediaType.includes("application/json") && !mediaType.endsWith("+json")) return text;
      if (text === "" && res.headers.get("content-length") === "0") return undefined;
      // A SyntaxError here is an unreadable 200 (a proxy's page, a cut body): classifyError says so.
      return JSON.parse(text);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
