/** PHP-style query parsing: '+' is a space, percent-escapes are decoded, the last duplicate wins. */
export function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    out.set(decode(i < 0 ? part : part.slice(0, i)), decode(i < 0 ? '' : part.slice(i + 1)));
  }
  return out;
}

/** A value with a malformed escape is kept undecoded. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
