import { stringify } from "csv-stringify/sync";

/**
 * CSV writing through csv-stringify, with OWASP's rule against formula injection applied to every cell: a text that
 * a spreadsheet would evaluate (starting with =, +, -, @, tab or carriage return) is prefixed with a single quote,
 * and a text holding any separator a spreadsheet may split on (",", ";", tab) or a line break is quoted, so a team
 * named "Ops;=cmd" opened where ";" separates cells stays one cell and never becomes "=cmd". Numbers are written as
 * numbers, so negative amounts are not mangled.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify([header, ...rows], {
    quoted_match: /[;\t\r\n]/,
    record_delimiter: "\r\n",
    cast: {
      string: escapeFormula,
      number: (n) => String(n),
      bigint: (n) => String(n),
      boolean: (b) => escapeFormula(String(b)),
      date: (d) => d.toISOString(),
      object: (o) => escapeFormula(JSON.stringify(o)),
    },
  });
}

export function csvResponse(filename: string, body: string): Response {
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^\w.-]+/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}
