import { describe, expect, it } from "vitest";
import { backupDue, RETRY_AFTER_FAILURE_MS } from "./schedule";

const NOW = new Date("2026-12-05T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const H = 3_600_000;

describe("backupDue", () => {
  it("is due at once when there is no backup yet", () => {
    expect(backupDue({ intervalHours: 24, newest: null, lastFailure: null, now: NOW })).toBe(true);
  });

  it("is due once the newest backup is one interval old, not before", () => {
    expect(backupDue({ intervalHours: 24, newest: ago(24 * H - 1), lastFailure: null, now: NOW })).toBe(false);
    expect(backupDue({ intervalHours: 24, newest: ago(24 * H), lastFailure: null, now: NOW })).toBe(true);
    expect(backupDue({ intervalHours: 0.5, newest: ago(31 * 60_000), lastFailure: null, now: NOW })).toBe(true);
  });

  it("is never due when scheduled backups are off", () => {
    expect(backupDue({ intervalHours: 0, newest: null, lastFailure: null, now: NOW })).toBe(false);
  });

  it("waits after a failure instead of retrying on every upkeep tick", () => {
    expect(backupDue({ intervalHours: 24, newest: null, lastFailure: ago(60_000), now: NOW })).toBe(false);
    expect(backupDue({ intervalHours: 24, newest: null, lastFailure: ago(RETRY_AFTER_FAILURE_MS), now: NOW })).toBe(
      true,
    );
    // With a short interval, the wait after a failure is the interval.
    expect(backupDue({ intervalHours: 0.25, newest: null, lastFailure: ago(15 * 60_000), now: NOW })).toBe(true);
  });
});
