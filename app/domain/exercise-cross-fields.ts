/**
 * The exercise rules that span fields or items (unique check and requirement ids, the {{input}} placeholder in the
 * starting prompt and the reference solution). Pure and lenient about the shape, so they run on a text the schema
 * refused too: an author sees these beside the field errors at once, not after fixing those.
 */

export interface CrossFieldIssue {
  path: (string | number)[];
  message: string;
}

const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function duplicateIds(list: unknown, field: string, noun: string): CrossFieldIssue[] {
  if (!Array.isArray(list)) return [];
  const seen = new Set<string>();
  const out: CrossFieldIssue[] = [];
  list.forEach((item, i) => {
    const id = record(item).id;
    if (typeof id !== "string") return;
    if (seen.has(id)) out.push({ path: [field, i, "id"], message: `duplicate ${noun} id "${id}"` });
    seen.add(id);
  });
  return out;
}

export function exerciseCrossFieldIssues(value: unknown): CrossFieldIssue[] {
  const ex = record(value);
  const issues = [
    ...duplicateIds(ex.checks, "checks", "check"),
    ...duplicateIds(ex.requirements, "requirements", "requirement"),
  ];
  for (const field of ["starting_prompt", "reference_solution"]) {
    const text = ex[field];
    if (typeof text === "string" && !text.includes("{{input}}"))
      issues.push({ path: [field], message: "must contain the {{input}} placeholder" });
  }
  return issues;
}
