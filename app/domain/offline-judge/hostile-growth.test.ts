import { describe, expect, it } from "vitest";
import { judgeOffline } from "~/domain/offline-judge";
import { cpuGrowth } from "../../../test/support/cpu-growth";
import { HOSTILE_SHAPES } from "../../../test/support/hostile-prompts";
import { exerciseBySlug } from "../../../test/support/judge-exercise";

/**
 * The whole offline judge on hostile prompts up to MAX_PROMPT_CHARS (20,000 by default): CPU growth from 5,000 to
 * 20,000 characters, fresh words on every call (test/support/hostile-prompts.ts). Linear gives ~4 (less where fixed
 * costs weigh), quadratic ~16: one learner must not be able to hold a CPU-pool thread by sending a long prompt of a
 * shape the readings handle badly.
 */
describe("the offline judge reads hostile prompts in time linear in their length", () => {
  const exercise = exerciseBySlug("meeting-action-items");
  for (const [name, shape] of Object.entries(HOSTILE_SHAPES))
    it(name, { timeout: 60_000 }, () => {
      expect(cpuGrowth((n) => judgeOffline(shape(n), exercise), 5_000, 4, 3)).toBeLessThan(8);
    });
});
