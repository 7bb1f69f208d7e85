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
