import { CsvError, parse } from "csv-parse/sync";

/**
 * CSV reading (RFC 4180) through csv-parse: fields separated by commas, records by CRLF, LF or CR, fields optionally
 * enclosed in double quotes (commas, line breaks and doubled quotes inside are literal), blank lines skipped, a
 * UTF-8 byte order mark dropped. Each record carries the line it starts on, so errors point at the line a person
 * sees in their editor even when a quoted field spans lines. Strict about quotes: a stray quote is an error.
 */

export interface CsvRecord {
  /** 1-based line number of the record's first character. */
  line: number;
  fields: string[];
}

export type CsvParseResult =
  | { ok: true; records: CsvRecord[] }
  | { ok: false; error: { line: number; message: string } };

/** What each csv-parse error means to the person who wrote the file. */
const MESSAGES: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed before the end of the file",
  CSV_INVALID_CLOSING_QUOTE: "a closing quote must be followed by a comma or the end of the line",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "a closing quote must be followed by a comma or the end of the line",
  INVALID_OPENING_QUOTE: 'a quote (") may only open a field; double it ("") inside a quoted field',
  CSV_INVALID_OPENING_QUOTE: 'a quote (") may only open a field; double it ("") inside a quoted field',
};

/**
 * Line numbers from byte offsets: csv-parse reports where each record ends (`info.bytes`, in UTF-8 bytes), so a
 * record starts where the previous one ended, after any blank lines it skipped.
 */
class LineIndex {
  private line = 1;
  private at = 0;

  constructor(private readonly bytes: Buffer) {}

  /** The line of the first non-blank byte at or after `offset` (offsets only ever grow). */
  startLine(offset: number): number {
    let i = offset;
    while (i < this.bytes.length && (this.bytes[i] === 0x0a || this.bytes[i] === 0x0d)) i++;
    for (; this.at < i; this.at++) {
      const b = this.bytes[this.at];
      if (b === 0x0a || (b === 0x0d && this.bytes[this.at + 1] !== 0x0a)) this.line++;
    }
    return this.line;
  }
}

export function parseCsv(input: string): CsvParseResult {
  const bytes = Buffer.from(input, "utf8");
  const lines = new LineIndex(bytes);
  const bom = input.startsWith("\uFEFF") ? 3 : 0;
  const records: CsvRecord[] = [];
  let lastEnd = bom;
  try {
    parse(bytes, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      on_record: (record: string[], context) => {
        records.push({ line: lines.startLine(lastEnd), fields: record });
        // csv-parse 5 passes `bytes` (the offset after this record) but does not declare it in its types.
        lastEnd = (context as unknown as { bytes: number }).bytes;
        return null;
      },
    });
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // Reported at the line the failing record starts on (an unclosed quote is found only at the end of the file).
    return { ok: false, error: { line: lines.startLine(lastEnd), message: MESSAGES[err.code] ?? err.message } };
  }
  return { ok: true, records };
}
