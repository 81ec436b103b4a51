import { Dec } from '../../domain/money.js';
import { ValidationError } from '../../domain/errors.js';

/**
 * Readers for untrusted JSON. Each one either returns a value of the promised type or throws a
 * ValidationError that names the field path and the value found, so a held order says exactly what is
 * wrong ("line_items[2].quantity is \"abc\", not a number"). Absent and null are the same thing
 * everywhere: `_fields` subsets and plugins drop or null keys freely.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  if (value === undefined || value === null) return new ValidationError(`${path} is missing; ${expected} is needed`);
  return new ValidationError(`${path} is ${describe(value)}, not ${expected}`);
}

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** Text: strings as they are, numbers and booleans in their string form; '' counts as absent. */
export function optText(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
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

/** A WooCommerce id: a non-negative integer, or its decimal string form. */
export function optId(obj: JsonObject, key: string, path: string): string | undefined {
  const value = obj[key];
  if (absent(value) || value === '') return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return String(Number(value));
  throw invalid(path, value, 'an id');
}

export function reqId(obj: JsonObject, key: string, path: string): string {
  const id = optId(obj, key, path);
  if (id === undefined) throw invalid(path, obj[key], 'an id');
  return id;
}

const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

function toDec(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(String(value)) : undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) return new Dec(value.trim());
  return undefined;
}

/** Money: WooCommerce sends decimal strings ("9.99", "-9.99"); a plain JSON number is accepted too. */
export function optMoney(obj: JsonObject, key: string, path: string): Dec | undefined {
  const value = obj[key];
  if (absent(value) || value === '') return undefined;
  const d = toDec(value);
  if (d === undefined) throw invalid(path, value, 'a decimal amount');
  return d;
}

export function reqMoney(obj: JsonObject, key: string, path: string): Dec {
  const d = optMoney(obj, key, path);
  if (d === undefined) throw invalid(path, obj[key], 'a decimal amount');
  return d;
}

/** A quantity: a number or a numeric string (measurement plugins sell fractions). */
export function reqQuantity(obj: JsonObject, key: string, path: string): Dec {
  const value = obj[key];
  const d = absent(value) ? undefined : toDec(value);
  if (d === undefined) throw invalid(path, value, 'a number');
  return d;
}

/** A list: absent/null is empty; anything that is not an array is an error. */
export function optArray(obj: JsonObject, key: string, path: string): unknown[] {
  const value = obj[key];
  if (absent(value)) return [];
  if (Array.isArray(value)) return value;
  throw invalid(path, value, 'a list');
}

/** A nested object: absent/null is undefined; WordPress serialises an empty PHP array as [], so [] counts as absent too. */
export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = obj[key];
  if (absent(value)) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}

export function elementObject(value: unknown, path: string): JsonObject {
  if (isObject(value)) return value;
  throw invalid(path, value, 'an object');
}
