import { GUID_RE } from '../ids.js';
import { querySyntax } from '../errors.js';

export interface Segment {
  name: string;
  /** Lower-cased GUID key from `name(<guid>)`. */
  key?: string;
}

const SEGMENT_RE = /^([A-Za-z$][A-Za-z0-9_.$]*)(?:\((.*)\))?$/;

/**
 * Splits the path below `/api/v2.0/` into segments. Keys are bare GUIDs in parentheses
 * (`salesOrders(b6f4017a-…)`, bc-api.md §1.1); a quoted or otherwise malformed key is a query
 * syntax error (400 BadRequest_NotFound, bc-api.md §8).
 */
export function parseSegments(path: string): Segment[] {
  const out: Segment[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue; // tolerate `customers/?$filter=…` as in the REST client sample
    let text: string;
    try {
      text = decodeURIComponent(raw);
    } catch {
      throw querySyntax();
    }
    const m = SEGMENT_RE.exec(text);
    if (!m) throw querySyntax();
    const [, name, key] = m;
    if (key === undefined) {
      out.push({ name: name! });
      continue;
    }
    const k = key.trim();
    if (!GUID_RE.test(k)) throw querySyntax();
    out.push({ name: name!, key: k.toLowerCase() });
  }
  return out;
}
