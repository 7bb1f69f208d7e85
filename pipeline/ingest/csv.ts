/**
 * A small RFC 4180 reader for the hand-kept files in sources/: quoted fields may hold
 * commas, doubled quotes and line breaks; CRLF or LF; a UTF-8 BOM is ignored.
 * Strict on purpose: a ragged row or an unclosed quote is a typo in reference data and
 * must stop the load rather than shift columns silently.
 */

/**
 * Splits CSV text into rows of raw fields. Blank lines (outside quotes) are dropped. `startLines`, when
 * given, receives the line each kept row starts on, so that hand-edited files can be blamed by line.
 */
export function parseCsvRows(text: string, startLines?: number[]): string[][] {
  const src = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let rowLine = 1;

  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    if (row.length > 1 || row[0] !== "") {
      rows.push(row);
      startLines?.push(rowLine);
    }
    row = [];
  };

  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          const next = src[i + 1];
          if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
            throw new Error(`CSV line ${line}: text after a closing quote`);
          }
        }
      } else {
        if (ch === "\n") line++;
        field += ch;
      }
    } else if (ch === '"') {
      if (field !== "") throw new Error(`CSV line ${line}: quote inside an unquoted field`);
      quoted = true;
      quoteLine = line;
    } else if (ch === ",") {
      endField();
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
    }
  }
  if (quoted) throw new Error(`CSV line ${quoteLine}: unclosed quoted field`);
  endRow();
  return rows;
}

/** Parses CSV with a header row into one object per data row, keyed by header name. */
export function parseCsv(text: string): Record<string, string>[] {
  const [header, ...body] = parseCsvRows(text);
  if (!header) return [];
  return body.map((fields, n) => {
    if (fields.length !== header.length) {
      throw new Error(`CSV data row ${n + 1}: ${fields.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((name, j) => [name, fields[j] ?? ""]));
  });
}
