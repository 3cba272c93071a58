import { describe, expect, it } from "vitest";
import { collapseUnchanged, diffLines, splitLines, summariseDiff } from "./line-diff";

const ops = (a: string, b: string) => diffLines(a, b).map((l) => `${l.op[0]}${l.text}`);

describe("diffLines", () => {
  it("marks every line the same when the texts are equal", () => {
    expect(ops("a\nb\nc\n", "a\nb\nc\n")).toEqual(["sa", "sb", "sc"]);
  });

  it("shows a changed line as removed then added, numbered in each text", () => {
    const diff = diffLines("slug: x\npass_mark: 75\nhints: []\n", "slug: x\npass_mark: 80\nhints: []\n");
    expect(diff).toEqual([
      { op: "same", text: "slug: x", oldLine: 1, newLine: 1 },
      { op: "removed", text: "pass_mark: 75", oldLine: 2, newLine: null },
      { op: "added", text: "pass_mark: 80", oldLine: null, newLine: 2 },
      { op: "same", text: "hints: []", oldLine: 3, newLine: 3 },
    ]);
  });

  it("aligns on the longest common subsequence, so an insertion does not mark later lines changed", () => {
    expect(ops("a\nb\nc\nd", "a\nx\nb\nc\ny\nd")).toEqual(["sa", "ax", "sb", "sc", "ay", "sd"]);
  });

  it("handles empty texts on either side", () => {
    expect(ops("", "a\nb")).toEqual(["aa", "ab"]);
    expect(ops("a\nb", "")).toEqual(["ra", "rb"]);
    expect(ops("", "")).toEqual([]);
  });

  it("numbers lines after the trimmed common head and tail correctly", () => {
    const diff = diffLines("1\n2\n3\n4\n5", "1\n2\nX\n4\n5");
    expect(diff.find((l) => l.op === "added")).toMatchObject({ text: "X", newLine: 3 });
    expect(diff.find((l) => l.op === "removed")).toMatchObject({ text: "3", oldLine: 3 });
    expect(diff.at(-1)).toEqual({ op: "same", text: "5", oldLine: 5, newLine: 5 });
  });

  it("treats CRLF and LF line endings as equal", () => {
    expect(summariseDiff(diffLines("a\r\nb\r\n", "a\nb\n"))).toEqual({ added: 0, removed: 0 });
  });

  it("never loses a line: the old text is the same+removed lines, the new text the same+added lines", () => {
    const a = "k: 1\nl: 2\nm: 3\nn: 4\no: 5\np: 6";
    const b = "k: 1\nm: 3\nq: 9\nn: 4\np: 6\nr: 7";
    const diff = diffLines(a, b);
    expect(diff.filter((l) => l.op !== "added").map((l) => l.text)).toEqual(splitLines(a));
    expect(diff.filter((l) => l.op !== "removed").map((l) => l.text)).toEqual(splitLines(b));
    expect(summariseDiff(diff)).toEqual({ added: 2, removed: 2 });
  });
});

describe("collapseUnchanged", () => {
  it("folds long unchanged runs into a skip row and keeps the context around a change", () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const rows = collapseUnchanged(diffLines(old, old.replace("line 10", "line ten")), 2);
    expect(rows[0]).toEqual({ op: "skip", count: 7 });
    expect(rows.slice(1, 7).map((r) => ("text" in r ? r.text : "…"))).toEqual([
      "line 8",
      "line 9",
      "line 10",
      "line ten",
      "line 11",
      "line 12",
    ]);
    expect(rows.at(-1)).toEqual({ op: "skip", count: 8 });
  });

  it("returns one skip row when nothing changed", () => {
    expect(collapseUnchanged(diffLines("a\nb", "a\nb"))).toEqual([{ op: "skip", count: 2 }]);
  });
});
