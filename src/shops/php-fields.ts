import { invalid, isAbsent, isObject, type JsonObject } from './json-fields.js';

/**
 * Readers for what the PHP shop platforms (WooCommerce, BigCommerce, Magento) have in common beyond
 * json-fields.ts: integer ids, and PHP's serialisation of an empty array as `[]` where an object is
 * expected.
 */

/** An id: a non-negative integer, or its decimal string form; returned as the decimal string. */
export function optId(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (isAbsent(value) || value === '') return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return String(Number(value));
  throw invalid(path, value, 'an id');
}

export function reqId(obj: JsonObject, key: string, path: string): string {
  const id = optId(obj, key, path);
  if (id === undefined) throw invalid(path, obj[key], 'an id');
  return id;
}

/** A nested object: absent/null is undefined; PHP serialises an empty array as [], so [] counts as absent too. */
export function optPhpObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}
