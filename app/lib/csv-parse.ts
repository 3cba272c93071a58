/**
 * CSV reading (RFC 4180): fields separated by commas, records by CRLF (a bare LF or CR is accepted
 * too, as editors save them), fields optionally enclosed in double quotes, inside which commas,
 * line breaks and doubled quotes ("") are literal. Each record carries the line it starts on, so
 * errors can point at the line a person sees in their editor even when a quoted field spans lines.
 * Strict about quotes: a stray quote is an error rather than a silent guess.
 */

export interface CsvRecord {
  /** 1-based line number of the record's first character. */
  line: number;
  fields: string[];
}

export type CsvParseResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; error: { line: number; message: string } };

/** Blank lines are skipped: they are not records, though they still count for line numbers. */
export function parseCsv(input: string): CsvParseResult {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let endOfRecord = false;
    while (!endOfRecord) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) return fail(start, "a quoted field is not closed before the end of the file");
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== "," && next !== "\r" && next !== "\n")
          return fail(line, "a closing quote must be followed by a comma or the end of the line");
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          if (text[i] === '"')
            return fail(
              line,
              'a quote inside an unquoted field: enclose the field in quotes and double the quote ("")',
            );
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      const sep = text[i];
      if (sep === ",") {
        i++;
      } else {
        // a line break or the end of the file
        if (sep === "\r") i += text[i + 1] === "\n" ? 2 : 1;
        else if (sep === "\n") i++;
        if (sep !== undefined) line++;
        endOfRecord = true;
      }
    }
    const blank = fields.length === 1 && fields[0] === "";
    if (!blank) records.push({ line: start, fields });
  }
  return { ok: true, records };
}

function fail(line: number, message: string): CsvParseResult {
  return { ok: false, error: { line, message } };
}
