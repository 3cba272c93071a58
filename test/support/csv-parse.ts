/**
 * A small, strict RFC 4180 reader for checking exports in tests: records end with CRLF (a bare LF
 * is accepted), fields may be quoted, and inside quotes commas, line breaks and doubled quotes are
 * literal. Anything malformed throws, so a broken export cannot pass by being half-read. Kept apart
 * from the app's code on purpose: the exports are checked by an independent reader.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const endField = () => {
    record.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"' && field === "") {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unclosed quoted field in record ${records.length + 1}`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      const next = text[i];
      if (next !== undefined && next !== "," && next !== "\r" && next !== "\n")
        throw new Error(`text after a closing quote in record ${records.length + 1}`);
    } else if (c === '"') {
      throw new Error(`a quote inside an unquoted field in record ${records.length + 1}`);
    } else if (c === ",") {
      endField();
      i++;
    } else if (c === "\r" && text[i + 1] === "\n") {
      endRecord();
      i += 2;
    } else if (c === "\n") {
      endRecord();
      i++;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || record.length > 0) endRecord();
  return records;
}

/** The records as objects keyed by the header row; every record must have the header's width. */
export function parseCsvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error("empty CSV");
  return rows.map((row, n) => {
    if (row.length !== header.length)
      throw new Error(`record ${n + 2} has ${row.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((name, k) => [name, row[k]]));
  });
}
