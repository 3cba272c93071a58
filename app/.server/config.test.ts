import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("configuration", () => {
  it("applies the embedded defaults", () => {
    const cfg = parseConfig({ SESSION_SECRET: "x".repeat(32) });
    expect(cfg).toMatchObject({
      PORT: 3000,
      DATABASE_PATH: "data/tokenwise.db",
      DEMO_SEED: true,
      SECURE_COOKIES: false,
    });
  });

  it("names every bad variable in one error", () => {
    expect(() => parseConfig({ PORT: "http", DEMO_SEED: "maybe", SESSION_SECRET: "short" })).toThrow(ConfigError);
    try {
      parseConfig({ PORT: "http", DEMO_SEED: "maybe", SESSION_SECRET: "short" });
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toMatch(/PORT: Expected number/);
      expect(message).toMatch(/DEMO_SEED: must be true or false/);
      expect(message).toMatch(/SESSION_SECRET: must be at least 32 characters/);
    }
  });

  it("requires the first admin's email and password together", () => {
    expect(() => parseConfig({ SESSION_SECRET: "x".repeat(32), ADMIN_EMAIL: "a@b.co" })).toThrow(
      /ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
    );
  });
});
