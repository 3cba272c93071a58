import { Agent, errors, request } from "undici";

/**
 * The `fetch` the provider SDKs are given: one request through undici's `request()` on a keep-alive Agent, the reply
 * read whole and handed back as a Response that keeps it as text. Node's WHATWG fetch builds a Request, web streams for both bodies and a
 * chain of promises per chunk; for a JSON exchange of a few kilobytes that machinery cost the grading worker more CPU
 * than the rest of the call path (bench/README.md, grading-chaos). The SDKs read replies whole anyway (no streaming
 * here), and their timeouts and our deadline abort through the signal, which cuts the request and its socket.
 */

type FetchInit = NonNullable<Parameters<typeof fetch>[1]>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/**
 * The most a provider reply may hold. A chat completion capped by max_tokens is tens of kilobytes, an embedding a
 * few hundred; a reply past this is a broken server or proxy streaming without end, and reading it whole would hold
 * the worker's memory (and its event loop) until the deadline or an out-of-memory. undici counts the bytes that
 * arrive, whatever the content-length said, and cuts the socket past the limit.
 */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** Thrown by the provider fetch for a reply past its limit; classifyError makes it a bad_response. */
export class ReplyTooLargeError extends Error {
  override readonly name = "ReplyTooLargeError";
  constructor(
    readonly limitBytes: number,
    options?: ErrorOptions,
  ) {
    super(`the provider's reply was larger than ${formatSize(limitBytes)}`, options);
  }
}

function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Statuses whose Response must have no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);

let shared: typeof fetch | undefined;

/** The process's one provider transport (one keep-alive pool), for every adapter not given its own fetch. */
export function providerFetch(): typeof fetch {
  shared ??= createProviderFetch();
  return shared;
}

/** A transport whose replies stop at `maxReplyBytes` (its own keep-alive pool). */
export function createProviderFetch({ maxReplyBytes = MAX_REPLY_BYTES } = {}): typeof fetch {
  const agent = new Agent({ maxResponseSize: maxReplyBytes });
  const leanFetch = async (input: Parameters<typeof fetch>[0], init: FetchInit = {}): Promise<Response> => {
    const body = init.body;
    // The SDKs pass a URL and send JSON text for every call this app makes; anything else (a Request, an upload's
    // stream or form) takes the standard fetch.
    if (typeof input !== "string" && !(input instanceof URL)) return fetch(input, init);
    if (body != null && typeof body !== "string" && !(body instanceof Uint8Array)) return fetch(input, init);
    const url = typeof input === "string" ? input : input.href;
    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    let reply: Awaited<ReturnType<typeof request>>;
    let text: string;
    try {
      reply = await request(url, {
        method: (init.method?.toUpperCase() ?? "GET") as Method,
        headers: flatHeaders(init.headers),
        body: body ?? undefined,
        signal,
        dispatcher: agent,
      });
      // Read whole (a deadline, an abort or the size limit cuts it), so the SDK's json()/text() parse a string.
      text = await reply.body.text();
    } catch (err) {
      if (err instanceof errors.ResponseExceededMaxSizeError)
        throw new ReplyTooLargeError(maxReplyBytes, { cause: err });
      throw err;
    }
    return new ReadResponse(NULL_BODY.has(reply.statusCode) ? "" : text, {
      status: reply.statusCode,
      headers: responseHeaders(reply.headers),
    });
  };
  return leanFetch as typeof fetch;
}

/**
 * A Response whose body was read already: status and headers are a real Response's, the body is the text kept aside
 * (a Response given a string wraps it in a web stream that json() then reads back: ~30 µs and a dozen objects a
 * call). `body` is null and clone() has no body; the SDKs read a reply only through text() and json().
 */
class ReadResponse extends Response {
  readonly #text: string;
  constructor(text: string, init: ResponseInit) {
    super(null, init);
    this.#text = text;
  }
  override async text(): Promise<string> {
    return this.#text;
  }
  override async json(): Promise<unknown> {
    return JSON.parse(this.#text);
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    return new TextEncoder().encode(this.#text).buffer as ArrayBuffer;
  }
}

/** [name, value, name, value, …], as undici takes them, from whatever HeadersInit the SDK built. */
function flatHeaders(headers: FetchInit["headers"]): string[] {
  const flat: string[] = [];
  if (!headers) return flat;
  const entries: Iterable<[string, string]> | [string, string][] =
    headers instanceof Headers || Array.isArray(headers)
      ? (headers as Iterable<[string, string]>)
      : Object.entries(headers as Record<string, string>);
  for (const [name, value] of entries) flat.push(name, value);
  return flat;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.append(name, value);
  }
  return headers;
}
