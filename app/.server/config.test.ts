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

  it("puts backups beside the database by default, daily, keeping 7", () => {
    const cfg = parseConfig({ SESSION_SECRET: "x".repeat(32), DATABASE_PATH: "/srv/tokenwise/app.db" });
    expect(cfg).toMatchObject({ BACKUP_DIR: "/srv/tokenwise/backups", BACKUP_INTERVAL_HOURS: 24, BACKUP_KEEP: 7 });
    const set = parseConfig({
      SESSION_SECRET: "x".repeat(32),
      BACKUP_DIR: "/mnt/backups",
      BACKUP_INTERVAL_HOURS: "0.5",
      BACKUP_KEEP: "30",
    });
    expect(set).toMatchObject({ BACKUP_DIR: "/mnt/backups", BACKUP_INTERVAL_HOURS: 0.5, BACKUP_KEEP: 30 });
    expect(parseConfig({ SESSION_SECRET: "x".repeat(32), BACKUP_INTERVAL_HOURS: "0" }).BACKUP_INTERVAL_HOURS).toBe(0);
  });

  it.each([
    ["BACKUP_INTERVAL_HOURS", "", /BACKUP_INTERVAL_HOURS: must be a number of hours such as 24 or 0\.5/],
    ["BACKUP_INTERVAL_HOURS", "-1", /BACKUP_INTERVAL_HOURS: must be a number of hours/],
    ["BACKUP_INTERVAL_HOURS", "daily", /BACKUP_INTERVAL_HOURS: must be a number of hours/],
    ["BACKUP_INTERVAL_HOURS", "1e3", /BACKUP_INTERVAL_HOURS: must be a number of hours/],
    ["BACKUP_INTERVAL_HOURS", "745", /BACKUP_INTERVAL_HOURS: must be at most 744 hours/],
    ["BACKUP_KEEP", "0", /BACKUP_KEEP: must keep at least 1 backup/],
    ["BACKUP_KEEP", "2.5", /BACKUP_KEEP: must be a whole number of backups to keep/],
    ["BACKUP_KEEP", "", /BACKUP_KEEP: must be a whole number/],
    ["BACKUP_DIR", "", /BACKUP_DIR: /],
  ])("refuses %s=%j with a message naming it", (name, value, message) => {
    expect(() => parseConfig({ SESSION_SECRET: "x".repeat(32), [name]: value })).toThrow(message);
  });

  it("requires the first admin's email and password together", () => {
    expect(() => parseConfig({ SESSION_SECRET: "x".repeat(32), ADMIN_EMAIL: "a@b.co" })).toThrow(
      /ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD must be set together/,
    );
  });
});
