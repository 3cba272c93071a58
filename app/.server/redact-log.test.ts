import { describe, expect, it } from "vitest";
import { lineRedactor, redactLine } from "./redact-log";

describe("access-log redaction", () => {
  it("takes a set-password token out of a logged URL and keeps the rest of the line", () => {
    expect(redactLine("GET /set-password?token=abcDEF_123-xyz 200 - - 3.1 ms")).toBe(
      "GET /set-password?token=[redacted] 200 - - 3.1 ms",
    );
    expect(redactLine("POST /x?a=1&api_key=sk-live&b=2 302")).toBe("POST /x?a=1&api_key=[redacted]&b=2 302");
    expect(redactLine("GET /auth/oidc/callback?code=abc123&state=xyz&iss=http%3A%2F%2Fidp 302")).toBe(
      "GET /auth/oidc/callback?code=[redacted]&state=[redacted]&iss=http%3A%2F%2Fidp 302",
    );
    expect(redactLine("GET /leaderboard?view=teams&window=month 200")).toBe(
      "GET /leaderboard?view=teams&window=month 200",
    );
  });

  it("redacts whole lines even when a token arrives split across chunks", () => {
    const out: string[] = [];
    const r = lineRedactor((t) => out.push(t));
    r.push("GET /set-password?tok");
    r.push("en=SECRETSECRET 200\nGET /courses 200\nGET /set-pass");
    r.push("word?token=TWO");
    r.end();
    const text = out.join("");
    expect(text).not.toContain("SECRET");
    expect(text).not.toContain("TWO");
    expect(text).toBe("GET /set-password?token=[redacted] 200\nGET /courses 200\nGET /set-password?token=[redacted]");
  });
});
