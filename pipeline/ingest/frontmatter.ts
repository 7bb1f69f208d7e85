/** The subset of YAML front matter the contract uses: flat `key: value` lines, optionally quoted. */
export interface FrontMatter {
  fields: Record<string, string>;
  body: string;
}

export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; reason: string };

const KEY_LINE = /^([A-Za-z_][\w-]*)\s*:\s?(.*)$/;

function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    const inner = v.slice(1, -1);
    return v.startsWith('"') ? inner.replace(/\\"/g, '"').replace(/\\\\/g, "\\") : inner.replace(/''/g, "'");
  }
  return v.replace(/(?<!\s)\s+#.*$/, "");
}

/** Splits an optional `---` block from the text. Text without a block is all body. */
export function parseFrontMatter(text: string): FrontMatterResult {
  if (!/^---[ \t]*\n/.test(text)) return { ok: true, value: { fields: {}, body: text } };
  const close = /\n---[ \t]*(\n|$)/.exec(text.slice(3));
  if (!close) return { ok: false, reason: "front matter opened with '---' but never closed" };
  const blockEnd = 3 + close.index;
  const block = text.slice(text.indexOf("\n") + 1, blockEnd + 1);
  const body = text.slice(blockEnd + close[0].length);
  const fields: Record<string, string> = {};
  for (const line of block.split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const m = KEY_LINE.exec(line);
    if (!m) return { ok: false, reason: `front matter line is not 'key: value': ${JSON.stringify(line.slice(0, 80))}` };
    const key = m[1]!;
    if (key in fields) return { ok: false, reason: `front matter repeats the key '${key}'` };
    fields[key] = unquote(m[2] ?? "");
  }
  return { ok: true, value: { fields, body } };
}
