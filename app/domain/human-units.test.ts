import { describe, expect, it } from "vitest";
import { formatBytes, formatHours, formatSpan } from "./human-units";

describe("formatBytes", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [999, "999 bytes"],
    [1000, "1.0 KB"],
    [963_000, "963 KB"],
    [12_345_678, "12.3 MB"],
    [1_234_000_000, "1.2 GB"],
    [5e15, "5000 TB"],
  ])("%d bytes reads %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("says the size is unknown rather than printing NaN or a negative size", () => {
    expect(formatBytes(Number.NaN)).toBe("unknown size");
    expect(formatBytes(-1)).toBe("unknown size");
  });
});

describe("formatSpan", () => {
  it.each([
    [0, "less than a second"],
    [999, "less than a second"],
    [1_000, "1 second"],
    [59_999, "59 seconds"],
    [60_000, "1 minute"],
    [3_600_000 * 2 + 5, "2 hours"],
    [86_400_000 * 3 + 3_600_000, "3 days"],
    [-90_000, "1 minute"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatSpan(ms)).toBe(text);
  });

  it("reads fractional hours as minutes", () => {
    expect(formatHours(0.5)).toBe("30 minutes");
    expect(formatHours(24)).toBe("24 hours");
    expect(formatHours(1)).toBe("1 hour");
    expect(formatHours(168)).toBe("7 days");
  });
});
