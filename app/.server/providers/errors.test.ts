import { describe, expect, it } from "vitest";
import { kindForStatus, redact, retryAfterMs } from "./errors";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("retryAfterMs", () => {
  const now = Date.parse("2025-06-01T12:00:00Z");

  it("reads delta-seconds, fractional seconds, an HTTP date, and prefers retry-after-ms", () => {
    expect(retryAfterMs(headers({ "retry-after": "7" }), now)).toBe(7000);
    expect(retryAfterMs(headers({ "retry-after": "0.5" }), now)).toBe(500);
    expect(retryAfterMs(headers({ "retry-after": "Sun, 01 Jun 2025 12:00:20 GMT" }), now)).toBe(20_000);
    expect(retryAfterMs(headers({ "retry-after-ms": "1250", "retry-after": "7" }), now)).toBe(1250);
  });

  it("gives nothing for a missing or unreadable header, and never a negative wait", () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ "retry-after": "Sun, 01 Jun 2025 11:00:00 GMT" }), now)).toBe(0);
  });
});

describe("kindForStatus", () => {
  it.each([
    [429, "rate_limited", true],
    [401, "auth", false],
    [403, "auth", false],
    [408, "timeout", true],
    [409, "server", true],
    [500, "server", true],
    [503, "server", true],
    [529, "server", true],
    [400, "bad_request", false],
    [404, "bad_request", false],
    [422, "bad_request", false],
  ])("maps %i to %s (retryable: %s)", (status, kind, retryable) => {
    expect(kindForStatus(status)).toEqual({ kind, retryable });
  });
});

describe("redact", () => {
  it("removes the key, and anything shaped like a key or a bearer token", () => {
    expect(redact("bad key my-secret-key here", "my-secret-key")).toBe("bad key [redacted] here");
    expect(redact("Incorrect API key provided: sk-proj-abcdefghijkl", undefined)).toBe(
      "Incorrect API key provided: [redacted]",
    );
    expect(redact("Authorization: Bearer abc.def", undefined)).toBe("Authorization: [redacted]");
  });

  it("shortens a long provider message", () => {
    expect(redact("x".repeat(2000), undefined).length).toBeLessThanOrEqual(501);
  });
});
