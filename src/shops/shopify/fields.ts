import { invalid, isAbsent, isObject, optText as optAnyText, type JsonObject } from '../json-fields.js';

/**
 * Shopify's own readers, beside the shared ones in ../json-fields.ts (REST webhook bodies and GraphQL
 * nodes alike): text where blank means absent, ids in any of their forms, GraphQL connections, and
 * timestamps with an offset.
 */

/** Text: strings as they are, numbers and booleans in their string form; '' and blank text count as absent. */
export function optText(obj: JsonObject, key: string, path: string): string | undefined {
  const text = optAnyText(obj, key, path);
  return text !== undefined && text.trim() === '' ? undefined : text;
}

export function reqText(obj: JsonObject, key: string, path: string): string {
  const text = optText(obj, key, path);
  if (text === undefined) throw invalid(path, obj[key], 'text');
  return text;
}

const GID = /^gid:\/\/shopify\/[A-Za-z]+\/(\d{1,20})(\?.*)?$/;

/**
 * A Shopify id in any of its forms: a JSON number (REST `id`), its decimal string, or a GraphQL global id
 * `gid://shopify/Order/450789469`. Always returned as the decimal string, so the same order read by
 * webhook (REST shape) and by the poll (GraphQL shape) is one order in the store.
 */
export function optId(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (isAbsent(value) || value === '') return undefined;
  // Shopify ids fit in 2^53 today; a larger JSON number would already have lost digits when parsed.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string') {
    if (/^\d{1,20}$/.test(value)) return value.replace(/^0+(?=\d)/, '');
    const gid = GID.exec(value);
    if (gid) return gid[1]!.replace(/^0+(?=\d)/, '');
  }
  throw invalid(path, value, 'a Shopify id');
}

/**
 * The elements of a GraphQL connection, whichever way it was selected: `{nodes: […]}`, `{edges: [{node}]}`,
 * or a plain list (a node assembled by hand).
 */
export function connectionNodes(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (isAbsent(value)) return [];
  if (Array.isArray(value)) return value;
  if (!isObject(value)) throw invalid(path, value, 'a connection (nodes or edges)');
  if (Array.isArray(value.nodes)) return value.nodes;
  if (Array.isArray(value.edges)) {
    return value.edges.map((e, i) => {
      if (!isObject(e)) throw invalid(`${path}.edges[${i}]`, e, 'an edge');
      return e.node;
    });
  }
  throw invalid(path, value, 'a connection (nodes or edges)');
}

/** Shopify timestamps carry an offset ("2008-01-10T11:00:00-05:00") or Z; returned as ISO UTC with ms. */
export function optInstant(obj: JsonObject, key: string, path: string): string | undefined {
  const text = optText(obj, key, path);
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text.trim())) throw invalid(path, text, 'a date with a time zone');
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw invalid(path, text, 'a date');
  return new Date(ms).toISOString();
}
