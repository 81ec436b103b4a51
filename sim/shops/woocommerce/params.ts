/**
 * Query strings the way PHP reads them into $_GET: `+` is a space, `a[]=x&a[]=y` is an array,
 * a repeated plain key keeps its last value. Order of first appearance is kept (it matters for the
 * Link header, which WordPress builds from the same array).
 */
export type PhpParams = Map<string, string | string[]>;

export function parsePhpQuery(query: string): PhpParams {
  const out: PhpParams = new Map();
  if (!query) return out;
  for (const part of query.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawVal = eq < 0 ? '' : part.slice(eq + 1);
    const key = safeDecode(rawKey);
    const val = safeDecode(rawVal);
    const m = /^([^[]+)\[([^\]]*)\]$/.exec(key);
    if (m) {
      const prev = out.get(m[1]);
      const arr = Array.isArray(prev) ? prev : [];
      arr.push(val);
      out.set(m[1], arr);
    } else {
      out.set(key, val);
    }
  }
  return out;
}

function safeDecode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}

/** PHP urlencode(): everything but A-Za-z0-9 -_. is %XX, space is '+'. */
export function phpUrlencode(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** PHP rawurlencode() (RFC 3986): like urlencode but space is %20 and '~' is kept. */
export function phpRawurlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** add_query_arg(urlencode_deep($params), $url) with one key replaced, as WordPress builds paging links. */
export function buildPhpQuery(params: PhpParams, replace: Record<string, string> = {}): string {
  const merged: PhpParams = new Map(params);
  for (const [k, v] of Object.entries(replace)) merged.set(k, v);
  const parts: string[] = [];
  for (const [k, v] of merged) {
    if (Array.isArray(v)) v.forEach((x, i) => parts.push(`${k}%5B${i}%5D=${phpUrlencode(x)}`));
    else parts.push(`${k}=${phpUrlencode(v)}`);
  }
  return parts.join('&');
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}
