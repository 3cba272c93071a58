import { diffLines as diffByLine } from "diff";

/**
 * A line diff of two texts for comparing exercise versions (and a draft against the live version before
 * publishing), by jsdiff's Myers diff; this module only numbers the lines and folds the unchanged runs.
 */

export type DiffOp = "same" | "added" | "removed";

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** Line number in the old text (same, removed) and in the new text (same, added). */
  oldLine: number | null;
  newLine: number | null;
}

/** Past this many edits jsdiff gives up, and the texts are shown as all removed, then all added. */
const MAX_EDIT_LENGTH = 20_000;

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Every line ends with a newline, so a missing one at the end of a file is not a change.
  const joined = (lines: string[]) => lines.map((l) => `${l}\n`).join("");
  const changes = diffByLine(joined(a), joined(b), { maxEditLength: MAX_EDIT_LENGTH });
  const out: DiffLine[] = [];
  if (!changes) {
    return [
      ...a.map((text, i): DiffLine => ({ op: "removed", text, oldLine: i + 1, newLine: null })),
      ...b.map((text, j): DiffLine => ({ op: "added", text, oldLine: null, newLine: j + 1 })),
    ];
  }
  let oldLine = 1;
  let newLine = 1;
  for (const change of changes) {
    for (const text of splitLines(change.value)) {
      if (change.added) out.push({ op: "added", text, oldLine: null, newLine: newLine++ });
      else if (change.removed) out.push({ op: "removed", text, oldLine: oldLine++, newLine: null });
      else out.push({ op: "same", text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return out;
}

export interface DiffSummary {
  added: number;
  removed: number;
}

export function summariseDiff(lines: DiffLine[]): DiffSummary {
  return {
    added: lines.filter((l) => l.op === "added").length,
    removed: lines.filter((l) => l.op === "removed").length,
  };
}

export type DiffRow = DiffLine | { op: "skip"; count: number };

/** Keeps `context` unchanged lines around each change and folds longer unchanged runs into one "skip" row. */
export function collapseUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
  const keep = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.op === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
  });
  const out: DiffRow[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (skipped > 0) out.push({ op: "skip", count: skipped });
      skipped = 0;
      out.push(line);
    } else {
      skipped++;
    }
  });
  if (skipped > 0) out.push({ op: "skip", count: skipped });
  return out;
}
