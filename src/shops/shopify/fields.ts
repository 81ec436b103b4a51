import { Dec } from '../../domain/money.js';
import { ValidationError } from '../../domain/errors.js';

/**
 * Readers for untrusted Shopify JSON (REST webhook bodies and GraphQL nodes alike). Each returns a value
 * of the promised type or throws a ValidationError naming the field path and the value found, so a held
 * order says exactly what is wrong. Absent and null are the same thing: `fields` subsets drop keys.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for a message (never a whole document). */
export function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function invalid(path: string, value: unknown, expected: string): ValidationError {
  if (value === undefined || value === null) return new ValidationError(`${path} is missing; ${expected} is needed`);
  return new ValidationError(`${path} is ${describe(value)}, not ${expected}`);
}

const absent = (value: unknown): value is undefined | null => value === undefined || value === null;

/** Text: strings as they are, numbers and booleans in their string form; '' counts as absent. */
export function optText(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw invalid(path, value, 'text');
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
  if (absent(value) || value === '') return undefined;
  // Shopify ids fit in 2^53 today; a larger JSON number would already have lost digits when parsed.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string') {
    if (/^\d{1,20}$/.test(value)) return value.replace(/^0+(?=\d)/, '');
    const gid = GID.exec(value);
    if (gid) return gid[1]!.replace(/^0+(?=\d)/, '');
  }
  throw invalid(path, value, 'a Shopify id');
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

export function toDec(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(String(value)) : undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) return new Dec(value.trim());
  return undefined;
}

/** Money as Shopify sends it: a decimal string ("598.94"); old API versions and requests use JSON numbers. */
export function optDecimal(obj: JsonObject, key: string, path: string): Dec | undefined {
  const value = obj[key];
  if (absent(value) || value === '') return undefined;
  const d = toDec(value);
  if (d === undefined) throw invalid(path, value, 'a decimal amount');
  return d;
}

export function reqDecimal(obj: JsonObject, key: string, path: string): Dec {
  const d = optDecimal(obj, key, path);
  if (d === undefined) throw invalid(path, obj[key], 'a decimal amount');
  return d;
}

/** A list: absent/null is empty; anything that is not an array is an error. */
export function optArray(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (absent(value)) return [];
  if (Array.isArray(value)) return value;
  throw invalid(path, value, 'a list');
}

export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}

export function elementObject(value: unknown, path: string): JsonObject {
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}

/**
 * The elements of a GraphQL connection, whichever way it was selected: `{nodes: […]}`, `{edges: [{node}]}`,
 * or a plain list (a node assembled by hand).
 */
export function connectionNodes(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (absent(value)) return [];
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
