import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProviderFetch } from "./provider-fetch";

// A loopback server that echoes what it received, or answers as the path says.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
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
