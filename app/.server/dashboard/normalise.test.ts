import { describe, expect, it } from "vitest";
import { normalisedScore } from "./normalise";

describe("normalisedScore", () => {
  it("leaves a difficulty-2 frontier score unchanged", () => {
    expect(normalisedScore(800, 2, "frontier")).toBe(800);
  });

  it("scales difficulty from 0.9 (1) to 1.3 (5)", () => {
    expect(normalisedScore(1000, 1, "frontier")).toBe(900);
    expect(normalisedScore(1000, 3, "frontier")).toBe(1100);
    expect(normalisedScore(1000, 5, "frontier")).toBe(1300);
  });

  it("gives cheaper tiers a larger factor: nano 1.15, small 1.10, medium 1.05", () => {
    expect(normalisedScore(1000, 2, "nano")).toBe(1150);
    expect(normalisedScore(1000, 2, "small")).toBe(1100);
    expect(normalisedScore(1000, 2, "medium")).toBe(1050);
  });

  it("combines both factors in exact integer arithmetic", () => {
    expect(normalisedScore(1000, 1, "small")).toBe(990);
    expect(normalisedScore(500, 1, "small")).toBe(495);
    expect(normalisedScore(800, 4, "medium")).toBe(1008);
    expect(normalisedScore(600, 2, "nano")).toBe(690);
  });

  it("clamps an out-of-range difficulty and treats an unknown tier as frontier", () => {
    expect(normalisedScore(1000, 9, "frontier")).toBe(1300);
    expect(normalisedScore(1000, 0, "frontier")).toBe(900);
    expect(normalisedScore(1000, 2, "mystery")).toBe(1000);
  });

  it("keeps a zero score at zero", () => {
    expect(normalisedScore(0, 5, "nano")).toBe(0);
  });
});
