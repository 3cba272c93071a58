import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { judgeOffline } from "~/domain/offline-judge";
import { loadContent } from "./load.server";

/**
 * Requirements that generalise: for each exercise with a fixture in test/judge-paraphrase/, the ways a competent
 * employee would state each requirement (`states`, written from the brief and the requirement's description before
 * its phrase lists were read) and competent-looking ways to reverse it (`breaks`). A stated sentence alone must
 * cover its requirement; the reference solution with a breaking sentence added must contradict it.
 */

const DIR = "test/judge-paraphrase";
const fixtureSchema = z
  .object({
    exercise: z.string().min(1),
    requirements: z.record(
      z.string(),
      z
        .object({ states: z.array(z.string().min(1)).default([]), breaks: z.array(z.string().min(1)).default([]) })
        .strict(),
    ),
  })
  .strict();

const exercises = new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
const files = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
  : [];

describe.skipIf(files.length === 0)("requirements read in other words", () => {
  for (const name of files) {
    const fixture = fixtureSchema.parse(parse(readFileSync(join(DIR, name), "utf8")));
    describe(fixture.exercise, () => {
      const exercise = exercises.get(fixture.exercise);
      it("names an exercise and its requirements", () => {
        expect(exercise, `${name}: no exercise "${fixture.exercise}"`).toBeDefined();
        const ids = new Set(exercise?.requirements.map((r) => r.id));
        for (const id of Object.keys(fixture.requirements))
          expect(ids.has(id), `${name}: no requirement "${id}"`).toBe(true);
      });
      if (!exercise) return;
      for (const [id, { states, breaks }] of Object.entries(fixture.requirements)) {
        const status = (prompt: string) => judgeOffline(prompt, exercise).requirements.find((r) => r.id === id)?.status;
        it.each(states)(`${id} is stated by: %s`, (sentence) => {
          expect(status(`${sentence}\n\n{{input}}`)).toBe("covered");
        });
        it.each(breaks)(`${id} is contradicted by: %s`, (sentence) => {
          expect(status(`${exercise.reference_solution.trimEnd()}\n${sentence}`)).toBe("contradicted");
        });
      }
    });
  }
});
