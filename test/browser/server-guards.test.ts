import { request } from "node:http";
import { describe, expect, inject, it } from "vitest";

/**
 * The production server's guards, over real HTTP against the built app: what reaches it before any route does.
 * (The browser-as-attacker cases are in security.test.ts.)
 */
const baseURL = inject("baseURL");

/** Streams `total` bytes in chunks (chunked encoding, no Content-Length) and resolves with the status and body. */
function streamPost(path: string, total: number, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    const url = new URL(path, baseURL);
    let sent = 0;
    const req = request(
      url,
      { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, sent }));
      },
    );
    req.on("error", (err) => (sent > 0 ? resolve({ status: 0, body: String(err), sent }) : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    req.on("response", () => req.destroy());
    pump();
  });
}

describe("the server in front of the app", () => {
  it("answers 413 to a body over the limit before signing in, with Content-Length or chunked, and stops reading", async () => {
    // Twenty times: a client that sends its whole body before reading (fetch) must get the answer, not a reset
    // connection (EPIPE) from a server that closed with the body unread.
    for (let i = 0; i < 20; i++) {
      const declared = await fetch(`${baseURL}/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "a".repeat(2 * 1024 * 1024),
      });
      expect(declared.status).toBe(413);
      expect(await declared.text()).toBe("The request is larger than 1 MB; send less (for example, a smaller file).");
    }
    // 100 MB offered in chunks: refused after about 1 MB; the rest is never read.
    const chunked = await streamPost("/login", 100 * 1024 * 1024);
    expect([413, 0]).toContain(chunked.status);
    expect(chunked.sent).toBeLessThan(100 * 1024 * 1024);
  });

  it("refuses a cross-origin post with 403 on pages, ?_data= and .data alike; same-origin and no-Origin clients pass", async () => {
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    for (const path of ["/login", "/login?_data=routes%2Flogin", "/login.data", "/logout", "/author/validate"]) {
      const res = await fetch(`${baseURL}${path}`, {
        method: "POST",
        headers: { ...form, Origin: "http://127.0.0.1:1" },
        body: "email=a%40b.c&password=x",
        redirect: "manual",
      });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toMatch(/^Refused: the request's origin \(http:\/\/127\.0\.0\.1:1\) is not this site's/);
      const site = await fetch(`${baseURL}${path}`, {
        method: "POST",
        headers: { ...form, "Sec-Fetch-Site": "same-site" },
        body: "x=1",
        redirect: "manual",
      });
      expect(site.status, path).toBe(403);
    }
    const same = await fetch(`${baseURL}/login`, {
      method: "POST",
      headers: { ...form, Origin: baseURL, "Sec-Fetch-Site": "same-origin" },
      body: "email=learner%40tokenwise.example&password=tokenwise-demo",
      redirect: "manual",
    });
    expect(same.status).toBe(302);
    // A proxy that rewrites Host: Remix's own check (a 500 before) no longer runs on a request this server passed.
    const proxied = await fetch(`${baseURL}/login`, {
      method: "POST",
      headers: { ...form, "X-Forwarded-Host": "lms.example.com", "Sec-Fetch-Site": "same-origin", Origin: baseURL },
      body: "email=learner%40tokenwise.example&password=wrong",
      redirect: "manual",
    });
    expect(proxied.status).toBe(401);
  });

  it("sends nosniff, Referrer-Policy and framing denial on every response, a nonce CSP on pages", async () => {
    for (const path of ["/login", "/favicon.svg", "/login.data"]) {
      const res = await fetch(`${baseURL}${path}`);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("same-origin");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
    const page = await fetch(`${baseURL}/login`);
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    expect(nonce).toBeTruthy();
    const html = await page.text();
    // Every script the page carries has this response's nonce.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});
