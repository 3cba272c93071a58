import { exerciseBySlug, requirementStatus } from "./judge-exercise";

/** The exercise's reference solution with the line that starts with `start` replaced by `lines` (none: dropped). */
export function referenceReplacing(slug: string, start: string, ...lines: string[]): string {
  const reference = exerciseBySlug(slug).reference_solution.split("\n");
  const at = reference.findIndex((l) => l.startsWith(start));
  if (at < 0) throw new Error(`no line starting "${start}" in ${slug}'s reference solution`);
  return [...reference.slice(0, at), ...lines, ...reference.slice(at + 1)].join("\n");
}

/** The status of requirement `id` when the reference's line that starts with `start` is replaced by `line`. */
export function statusReplacing(slug: string, id: string, start: string, line: string): string | undefined {
  return requirementStatus(slug, id, referenceReplacing(slug, start, line));
}
