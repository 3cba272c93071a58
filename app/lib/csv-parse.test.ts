import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";
import { parseCsv } from "./csv-parse";

function records(text: string) {
  const result = parseCsv(text);
  if (!result.ok) throw new Error(`unexpected parse error: ${result.error.message}`);
  return result.records;
}

describe("parseCsv", () => {
  it("splits plain fields and records on CRLF, with the line each record starts on", () => {
    expect(records("a,b,c\r\n1,2,3\r\n")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "2", "3"] },
    ]);
  });

  it("accepts bare LF and bare CR line endings and a last record without a line break", () => {
    expect(records("a,b\n1,2\r3,4").map((r) => r.fields)).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    expect(records('name,note\r\n"Doe, Jane","said ""hi""\r\nand left"\r\n')).toEqual([
      { line: 1, fields: ["name", "note"] },
      { line: 2, fields: ["Doe, Jane", 'said "hi"\r\nand left'] },
    ]);
  });

  it("numbers records by their first physical line when an earlier field spans lines", () => {
    const parsed = records('h1,h2\n"multi\nline\nvalue",x\nlast,y\n');
    expect(parsed.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it("skips blank lines but still counts them", () => {
    expect(records("a\n\n\nb\n")).toEqual([
      { line: 1, fields: ["a"] },
      { line: 4, fields: ["b"] },
    ]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(records("a,,c,\n")[0].fields).toEqual(["a", "", "c", ""]);
    expect(records('"",x\n')[0].fields).toEqual(["", "x"]);
  });

  it("drops a UTF-8 byte order mark, as spreadsheet exports add one", () => {
    expect(records("\uFEFFemail,name\n")[0].fields).toEqual(["email", "name"]);
  });

  it("keeps surrounding spaces, which belong to the field in RFC 4180", () => {
    expect(records(" a , b \n")[0].fields).toEqual([" a ", " b "]);
  });

  it("reports an unclosed quote with the line the record starts on", () => {
    expect(parseCsv('a,b\n1,"open\nstill open\n')).toEqual({
      ok: false,
      error: { line: 2, message: "a quoted field is not closed before the end of the file" },
    });
  });

  it("reports text after a closing quote, and a quote inside an unquoted field, with their line", () => {
    const after = parseCsv('a\n"x"y\n');
    expect(after.ok ? null : after.error).toEqual({
      line: 2,
      message: "a closing quote must be followed by a comma or the end of the line",
    });
    const inside = parseCsv('a\nb\nO"Brien\n');
    expect(inside.ok ? null : inside.error.line).toBe(3);
  });

  it("reads back what toCsv writes, formula escaping included", () => {
    const rows = [
      ["a,b", 'quote "q"', "line\nbreak"],
      ["=1+1", -5, ""],
    ];
    const parsed = records(toCsv(["x", "y", "z"], rows));
    expect(parsed.map((r) => r.fields)).toEqual([
      ["x", "y", "z"],
      ["a,b", 'quote "q"', "line\nbreak"],
      ["'=1+1", "-5", ""],
    ]);
  });
});

describe("toCsv and formula injection (OWASP)", () => {
  it("prefixes every cell a spreadsheet would evaluate and quotes any separator, ';' included", () => {
    const csv = toCsv(
      ["team", "n"],
      [
        ["Ops;=cmd|' /C calc'!A0", 3],
        ["=1+1", -5],
        ["@SUM(A1)", 0],
        ["\t=x", 1],
        ["+1", 2],
      ],
    );
    expect(csv.split("\r\n")).toEqual([
      "team,n",
      `"Ops;=cmd|' /C calc'!A0",3`,
      "'=1+1,-5",
      "'@SUM(A1),0",
      `"'\t=x",1`,
      "'+1,2",
      "",
    ]);
    // Split on ";" as a semicolon-locale spreadsheet would: no cell starts with a formula trigger.
    for (const line of csv.split("\r\n")) {
      const unquoted = line.replace(/"(?:[^"]|"")*"/g, "Q");
      // (A number may be negative: -5 is a value, not a formula.)
      for (const cell of unquoted.split(/[;,]/)) expect(cell).not.toMatch(/^(?:[=+@\t\r]|-(?!\d+$))/);
    }
  });
});
