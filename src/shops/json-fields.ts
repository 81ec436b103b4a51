import { Dec, parseDec } from '../domain/money.js';
import { ValidationError } from '../domain/errors.js';

/**
 * Readers for untrusted shop JSON, shared by every connector. Each one either returns a value of the
 * promised type or throws a ValidationError that names the field path and the value found, so a held
 * order says exactly what is wrong ("line_items[2].quantity is \"abc\", not a number"). Absent and null
 * are the same thing everywhere: field subsets and plugins drop or null keys freely.
 * Platform readers live next to their connector: ids and PHP's empty arrays in php-fields.ts, Shopify's
 * global ids, connections and blank text in shopify/fields.ts.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** A short rendering of a bad value for a message (never a whole document). */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function invalid(path: string, value: unknown, expected: string): ValidationError {
  if (isAbsent(value)) return new ValidationError(`${path} is missing; ${expected} is needed`);
  return new ValidationError(`${path} is ${describe(value)}, not ${expected}`);
}

/** The value, or undefined when reading it throws: for identify(), which never throws. */
export function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/** Text: strings as they are, numbers and booleans in their string form; '' counts as absent. */
export function optText(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw invalid(path, value, 'text');
}

export function reqText(obj: JsonObject, key: string, path: string): string {
  const text = optText(obj, key, path);
  if (text === undefined) throw invalid(path, obj[key], 'text');
  return text;
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A JSON number or a decimal string as a Dec; undefined for anything else. */
export function toDec(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseDec(String(value)) : undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) return parseDec(value.trim());
  return undefined;
}

/** A decimal amount: shops send decimal strings ("9.99", "-9.99"); a plain JSON number is accepted too. */
export function optDecimal(obj: JsonObject, key: string, path: string): Dec | undefined {
  const value = obj[key];
  if (isAbsent(value) || value === '') return undefined;
  const d = toDec(value);
  if (d === undefined) throw invalid(path, value, 'a decimal amount');
  return d;
}

export function reqDecimal(obj: JsonObject, key: string, path: string): Dec {
  const d = optDecimal(obj, key, path);
  if (d === undefined) throw invalid(path, obj[key], 'a decimal amount');
  return d;
}

/** A quantity: a number or a numeric string (measurement plugins sell fractions). */
export function reqQuantity(obj: JsonObject, key: string, path: string): Dec {
  const value = obj[key];
  const d = isAbsent(value) ? undefined : toDec(value);
  if (d === undefined) throw invalid(path, value, 'a number');
  return d;
}

/** A list: absent/null is empty; anything that is not an array is an error. */
export function optArray(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (isAbsent(value)) return [];
  if (Array.isArray(value)) return value;
  throw invalid(path, value, 'a list');
}

/** A nested object: absent/null is undefined. (The PHP platforms need optPhpObject, php-fields.ts.) */
export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  if (isAbsent(value)) return undefined;
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}

export function elementObject(value: unknown, path: string): JsonObject {
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}
