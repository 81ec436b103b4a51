import { Dec } from '../../domain/money.js';

/**
 * JSON for BC without binary floats (DESIGN.md guarantee 5). BC's Decimal fields are JSON numbers, so an
 * amount must leave as a number literal (`12.50`, not `"12.50"`) yet never be a JS number on our side:
 * JSON.stringify would print 0.1 + 0.2 as 0.30000000000000004, and 20.92437 survives only by luck.
 */

/** A decimal that serializes as a bare JSON number token. */
export class JsonDecimal {
  readonly token: string;
  constructor(value: string) {
    const d = new Dec(value.trim());
    if (!d.isFinite()) throw new RangeError(`Not a finite decimal: ${value}`);
    // toFixed() never uses exponent notation, which some OData parsers reject for Edm.Decimal.
    this.token = d.toFixed();
  }
}

export function jsonDecimal(value: string): JsonDecimal {
  return new JsonDecimal(value);
}

/** JSON.stringify, except JsonDecimal becomes its raw token and JS numbers that are not integers are refused. */
export function stringifyJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value instanceof JsonDecimal) {
    out.push(value.token);
  } else if (value === null) {
    out.push('null');
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(',');
      write(v === undefined ? null : v, out);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    out.push('{');
    let first = true;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(v, out);
    }
    out.push('}');
  } else if (typeof value === 'number') {
    // A fractional JS number here means an amount already went through a float: a bug upstream.
    if (!Number.isSafeInteger(value)) throw new TypeError(`Refusing to send non-integer number ${value}; use jsonDecimal()`);
    out.push(String(value));
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
  } else {
    throw new TypeError(`Cannot serialize ${typeof value} to JSON`);
  }
}

/**
 * JSON.parse, except every number arrives as its literal text (a decimal string). BC answers amounts as
 * numbers (`"totalAmountIncludingTax": 37.5`); parsing them to floats and back could alter them.
 * Numbers are quoted by a scan that skips string literals, then JSON.parse does the rest.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(quoteNumbers(text));
}

/**
 * Wraps every number token outside string literals in quotes. A hand-written scan: string literals are
 * skipped with indexOf (native), and only the text around numbers is copied. (A regex replace calling back
 * for every string and number token cost a tenth of the worker's CPU per order in `overhead`.)
 */
function quoteNumbers(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i = endOfString(text, i + 1) + 1;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      while (j < n && isNumberChar(text.charCodeAt(j))) j++;
      parts.push(text.slice(copied, i), '"', text.slice(i, j), '"');
      copied = j;
      i = j;
    } else {
      i++;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Index of the quote that closes the string literal starting at `from` (or the text's end when unclosed). */
function endOfString(text: string, from: number): number {
  let q = text.indexOf('"', from);
  while (q !== -1) {
    let backslashes = 0;
    for (let k = q - 1; k >= from && text.charCodeAt(k) === 92 /* \\ */; k--) backslashes++;
    if (backslashes % 2 === 0) return q;
    q = text.indexOf('"', q + 1);
  }
  return text.length;
}

/** Digits, sign, decimal point and exponent: what can follow the first character of a JSON number. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */ || c === 43 /* + */ || c === 45 /* - */;
}

/** A decimal string from a field that may be a lossless-parsed string, a number, or missing. */
export function decimalString(value: unknown, fallback = '0'): string {
  if (typeof value === 'string' && value.trim() !== '') return new Dec(value).toFixed();
  if (typeof value === 'number' && Number.isFinite(value)) return new Dec(String(value)).toFixed();
  return fallback;
}
