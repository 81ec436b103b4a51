/**
 * RFC 8288 `Link` header → rel → target. WordPress sends `<url>; rel="next", <url>; rel="prev"`;
 * URLs are inside angle brackets, so commas in them do not split entries.
 */
export function parseLinkHeader(header: string | string[] | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (header === undefined) return links;
  const text = Array.isArray(header) ? header.join(', ') : header;
  const entry = /<([^>]*)>((?:\s*;\s*[^;,<]*)*)/g;
  for (const match of text.matchAll(entry)) {
    const target = match[1] ?? '';
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const value = rel?.[1] ?? rel?.[2];
    if (!value) continue;
    for (const name of value.toLowerCase().split(/\s+/)) {
      if (name && !links.has(name)) links.set(name, target);
    }
  }
  return links;
}
