import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo } from "~/domain/models";
import { createAnthropic } from "./anthropic";
import { createOpenAICompatible } from "./openai-compatible";
import { createProviderFetch, MAX_REPLY_BYTES, ReplyTooLargeError } from "./provider-fetch";

// A loopback server that echoes what it received, or answers as the path says.
let server: Server;
let base: string;
/** Bytes each endless reply wrote before the client went away, by path. */
const written = new Map<string, number>();

/** Writes 64 KiB chunks, as fast as the socket takes them, until the client cuts the connection. */
function streamForever(path: string, res: ServerResponse): void {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let sent = 0;
  const pump = () => {
    while (!res.destroyed) {
      sent += chunk.length;
      written.set(path, sent);
      if (!res.write(chunk)) return void res.once("drain", pump);
    }
  };
  pump();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.includes("/endless")) {
      // Chunked, no content-length: a proxy or server that never stops.
      res.writeHead(200, { "content-type": "application/json" });
      return streamForever(req.url, res);
    }
    if (req.url?.includes("/claims-small")) {
      // Says 2 KB, sends without end: the framing reads 2 KB and stops there.
      res.writeHead(200, { "content-type": "application/json", "content-length": "2048" });
      return streamForever(req.url, res);
    }
    if (req.url?.includes("/claims-huge")) {
      // Says a terabyte: the bytes are counted as they arrive, the header is not trusted either way.
      res.writeHead(200, { "content-type": "application/json", "content-length": String(2 ** 40) });
      return streamForever(req.url, res);
    }
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (req.url === "/hang") return;
      if (req.url === "/empty") {
        res.writeHead(204).end();
        return;
      }
      if (req.url === "/limited") {
        res.writeHead(429, [
          ["retry-after", "2"],
          ["set-cookie", "a=1"],
          ["set-cookie", "b=2"],
          ["content-type", "application/json"],
        ]);
        res.end('{"error":{"message":"slow down"}}');
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, key: req.headers["idempotency-key"], body }));
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the provider transport (undici request behind the SDKs' fetch)", () => {
  const leanFetch = createProviderFetch();

  it("sends the method, headers and JSON body, and gives the reply back as a Response", async () => {
    const res = await leanFetch(`${base}/v1/chat/completions`, {
      method: "post",
      headers: new Headers({ "Idempotency-Key": "grading:1:target:0-1", "content-type": "application/json" }),
      body: '{"model":"m"}',
    });
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ method: "POST", key: "grading:1:target:0-1", body: '{"model":"m"}' });
  });

  it("keeps an error's status, body and every header (Retry-After, repeated ones)", async () => {
    const res = await leanFetch(new URL(`${base}/limited`), { method: "POST", body: "{}" });
    expect(res.status).toBe(429);
    expect(res.ok).toBe(false);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.headers.get("set-cookie")).toBe("a=1, b=2");
    expect(await res.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it("answers a 204 with no body", async () => {
    const res = await leanFetch(`${base}/empty`);
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it("stops a request when its signal aborts, and refuses one already aborted", async () => {
    const controller = new AbortController();
    const pending = leanFetch(`${base}/hang`, { method: "POST", body: "{}", signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await expect(leanFetch(`${base}/x`, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });

  it("cuts an endless reply at the limit, with the provider's error, and closes the connection", async () => {
    const started = performance.now();
    const small = createProviderFetch({ maxReplyBytes: 256 * 1024 });
    const pending = small(`${base}/endless/a`, { method: "POST", body: "{}" });
    await expect(pending).rejects.toBeInstanceOf(ReplyTooLargeError);
    await expect(pending).rejects.toThrow("the provider's reply was larger than 256 KB");
    expect(performance.now() - started).toBeLessThan(2000);
    // The server stopped writing soon after the cut (what sat in the socket buffers, not an endless stream).
    await new Promise((ok) => setTimeout(ok, 50));
    const sent = written.get("/endless/a") ?? 0;
    await new Promise((ok) => setTimeout(ok, 100));
    expect(written.get("/endless/a")).toBe(sent);
  });

  it("cuts at the default limit of a few MB, not before", async () => {
    expect(MAX_REPLY_BYTES).toBe(8 * 1024 * 1024);
    await expect(leanFetch(`${base}/endless/b`, { method: "POST", body: "{}" })).rejects.toThrow(
      "the provider's reply was larger than 8 MB",
    );
    expect(written.get("/endless/b")).toBeGreaterThan(MAX_REPLY_BYTES);
  });

  it("does not trust a content-length: a terabyte claimed is cut at the limit, 2 KB claimed reads 2 KB", async () => {
    const small = createProviderFetch({ maxReplyBytes: 256 * 1024 });
    await expect(small(`${base}/claims-huge`, { method: "POST", body: "{}" })).rejects.toBeInstanceOf(
      ReplyTooLargeError,
    );
    const res = await small(`${base}/claims-small`, { method: "POST", body: "{}" });
    expect((await res.text()).length).toBe(2048);
  });

  it("reports a refused connection with its system code (nothing was sent, so nothing billed)", async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, "127.0.0.1", ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    await expect(leanFetch(`http://127.0.0.1:${port}/v1/x`, { method: "POST", body: "{}" })).rejects.toMatchObject({
      code: "ECONNREFUSED",
    });
  });
});

describe("a reply past the limit, through each SDK", () => {
  const adapters: [string, (fetch: typeof globalThis.fetch) => ReturnType<typeof createAnthropic>][] = [
    [
      "OpenAI-compatible",
      (fetch) =>
        createOpenAICompatible({
          baseURL: `${base}/endless/openai/v1`,
          apiKey: "sk-test-size",
          timeoutMs: 5000,
          fetch,
        }),
    ],
    [
      "Anthropic",
      (fetch) =>
        createAnthropic({ baseURL: `${base}/endless/anthropic`, apiKey: "sk-test-size", timeoutMs: 5000, fetch }),
    ],
  ];
  it.each(adapters)(
    "%s: is a bad_response with a readable message, cost unknown (the provider may have billed it), not retried",
    async (_, create) => {
      const provider = create(createProviderFetch({ maxReplyBytes: 1024 * 1024 }));
      const model: ModelInfo = {
        id: "m",
        provider: "other",
        tier: "small",
        encoding: "o200k_base",
        exactTokenizer: true,
        contextWindow: 8_000,
        inputMicrosPerM: 1,
        cachedInputMicrosPerM: 1,
        outputMicrosPerM: 1,
        priceAsOf: "2025-01-01",
      };
      const result = await provider.complete({
        model,
        providerModel: "m",
        messages: [{ role: "user", content: "hi" }],
      });
      expect(result).toMatchObject({
        ok: false,
        error: {
          kind: "bad_response",
          message: "the provider's reply was larger than 1 MB",
          outcome: "unknown",
          retryable: false,
        },
      });
    },
  );
});
