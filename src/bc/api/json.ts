import { randomUUID } from 'node:crypto';
import { endOfString } from '../../domain/json-text.js';
import { Dec, parseDec } from '../../domain/money.js';

/**
 * JSON for BC without binary floats (DESIGN.md guarantee 5). BC's Decimal fields are JSON numbers, so an
 * amount must leave as a number literal (`12.50`, not `"12.50"`) yet never be a JS number on our side:
 * JSON.stringify would print 0.1 + 0.2 as 0.30000000000000004, and 20.92437 survives only by luck.
 */

/** A decimal string exactly as Decimal#toFixed() writes it (amounts from the canonical order nearly always are). */
const CANONICAL_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** Already in the form toFixed() prints (no exponent, no leading or trailing zeros): nothing to normalize. */
function isCanonicalDecimal(value: string): boolean {
  return CANONICAL_DECIMAL.test(value) && value !== '-0';
}

/** A decimal that serializes as a bare JSON number token. */
export class JsonDecimal {
  readonly token: string;
  constructor(value: string) {
    if (isCanonicalDecimal(value)) {
      this.token = value;
      return;
    }
    const d = new Dec(value.trim());
    if (!d.isFinite()) throw new RangeError(`Not a finite decimal: ${value}`);
    // toFixed() never uses exponent notation, which some OData parsers reject for Edm.Decimal.
    this.token = d.toFixed();
  }
}

export function jsonDecimal(value: string): JsonDecimal {
  return new JsonDecimal(value);
}

/**
 * Stands in for each JsonDecimal while JSON.stringify runs (it has no way to emit a bare token itself), and is
 * replaced by the token afterwards. Random per process, so no string in an order can spell it.
 */
const DECIMAL_MARK = `\u0000bcbridge-decimal-${randomUUID()}`;
const DECIMAL_MARK_JSON = JSON.stringify(DECIMAL_MARK);

/**
 * JSON.stringify, except JsonDecimal becomes its raw token and JS numbers that are not integers are refused.
 * Native JSON.stringify with a replacer: a hand-written recursive writer cost ~20 µs and ~17 KB of garbage per
 * order in the export (docs/performance.md, seventh pass).
 */
export function stringifyJson(value: unknown): string {
  const tokens: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof JsonDecimal) {
      tokens.push(v.token);
      return DECIMAL_MARK;
    }
    // A fractional JS number here means an amount already went through a float: a bug upstream.
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new TypeError(`Refusing to send non-integer number ${v}; use jsonDecimal()`);
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new TypeError(`Cannot serialize ${typeof v} to JSON`);
    return v;
  });
  if (text === undefined) throw new TypeError(`Cannot serialize ${typeof value} to JSON`);
  if (tokens.length === 0) return text;
  const parts = text.split(DECIMAL_MARK_JSON);
  if (parts.length !== tokens.length + 1) throw new Error('stringifyJson: a decimal placeholder was not where it was put');
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) out += tokens[i - 1]! + parts[i]!;
  return out;
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

/** Digits, sign, decimal point and exponent: what can follow the first character of a JSON number. */
function isNumberChar(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */ || c === 43 /* + */ || c === 45 /* - */;
}

/** A decimal string from a field that may be a lossless-parsed string, a number, or missing. */
export function decimalString(value: unknown, fallback = '0'): string {
  if (typeof value === 'string' && isCanonicalDecimal(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') return parseDec(value).toFixed();
  if (typeof value === 'number' && Number.isFinite(value)) return parseDec(String(value)).toFixed();
  return fallback;
}
