const NON_ASCII = /[^\x00-\x7f]/;
const EACH_NON_ASCII = /[^\x00-\x7f]/g;

/**
 * JSON with every non-ASCII character escaped (`\u2014`): the same value once parsed, but pure ASCII, which
 * V8 holds in one byte per character instead of two and decodes from UTF-8 without a second look.
 * Everything an archive run moves between threads or through disk is written this way.
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return NON_ASCII.test(json) ? json.replace(EACH_NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : json;
}

/**
 * ASCII text in V8's one-byte form. JSON.stringify writes a two-byte string whenever a value it takes is one,
 * and a quote cut from a body with a single curly quote or dash in it is: such a text is ASCII all the same,
 * but costs twice the memory in every thread it passes through and ~3x longer to write out. Latin-1 bytes
 * back to a string always give the one-byte form.
 */
export function oneByteAscii(text: string): string {
  return Buffer.from(text, "latin1").toString("latin1");
}
