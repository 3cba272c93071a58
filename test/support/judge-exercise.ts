import type { ExerciseFile } from "~/domain/exercise";
import { judgeOffline } from "~/domain/offline-judge";
import { loadContent } from "~/exercises/load.server";

let exercises: Map<string, ExerciseFile> | null = null;

/** A bundled exercise by its slug. */
export function exerciseBySlug(slug: string): ExerciseFile {
  exercises ??= new Map(loadContent().exercises.map((e) => [e.exercise.slug, e.exercise]));
  const exercise = exercises.get(slug);
  if (!exercise) throw new Error(`no exercise ${slug}`);
  return exercise;
}

/** The exercise's reference solution with `lines` added as a paragraph before its `{{input}}` line: a good prompt made wordier. */
export function referenceWith(slug: string, ...lines: string[]): string {
  const reference = exerciseBySlug(slug).reference_solution.split("\n");
  const at = reference.findIndex((line) => line.includes("{{input}}"));
  return [...reference.slice(0, at), "", ...lines, "", ...reference.slice(at)].join("\n");
}

/** The essential requirements the offline judge finds missing or contradicted, joined for a readable failure. */
export function mustFailures(slug: string, prompt: string): string {
  return judgeOffline(prompt, exerciseBySlug(slug)).mustFailures.join("; ");
}

/** The exercise's reference solution opened with `lines` (a persona, a greeting, thanks) and a blank line. */
export function referenceOpenedWith(slug: string, ...lines: string[]): string {
  return `${lines.join("\n")}\n\n${exerciseBySlug(slug).reference_solution}`;
}
