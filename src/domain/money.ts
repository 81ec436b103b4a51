import { Decimal } from 'decimal.js';

/**
 * Money is a decimal string everywhere it is stored or sent ("20.92437"), and decimal.js whenever it is
 * computed. Binary floats never touch an amount (DESIGN.md guarantee 5).
 */
export type Money = string;

/** A Decimal configured for money: enough precision for 5-decimal unit prices × large quantities. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

/** ISO 4217 minor units that differ from 2 (the rest use 2). */
const MINOR_UNITS: Record<string, number> = {
  JPY: 0, KRW: 0, ISK: 0, CLP: 0, VND: 0, HUF: 2, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3,
};

export function minorUnits(currency: string): number {
  return MINOR_UNITS[currency.toUpperCase()] ?? 2;
}

const ZERO = new Dec(0);

/**
 * Decimals parsed from text, by the text. Amounts repeat (catalog prices, quantities, tax rates, zeros) and a
 * Decimal is immutable, so one parse serves them all: parsing was the largest single source of garbage per
 * order (docs/performance.md, seventh pass). Bounded: emptied when full.
 */
const parsed = new Map<string, Dec>();
const PARSED_MAX = 4096;

/** `new Dec(text)`, from the cache when the same text was parsed before. Throws as Decimal does for non-numbers. */
export function parseDec(text: string): Dec {
  let d = parsed.get(text);
  if (d === undefined) {
    d = new Dec(text);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(text, d);
  }
  return d;
}

export function dec(value: Money | number | Dec | null | undefined): Dec {
  if (value === null || value === undefined || value === '') return ZERO;
  // Decimals are immutable: one already made with this configuration is used as it is, not copied.
  if (value instanceof Dec) return value;
  // A number reaches here only from a shop that sends one (WooCommerce line price); going through its
  // shortest string form keeps 20.92437 as 20.92437 instead of its binary expansion.
  return parseDec(typeof value === 'number' ? String(value) : value);
}

export function sum(values: Iterable<Money | Dec>): Dec {
  let total = ZERO;
  for (const v of values) total = total.plus(dec(v));
  return total;
}

/** Round to the currency's minor unit, half away from zero, as shops and BC do. */
export function roundTo(value: Dec | Money, currency: string): Dec {
  return dec(value).toDecimalPlaces(minorUnits(currency), Dec.ROUND_HALF_UP);
}

/** Canonical string form: no exponent, trailing zeros trimmed except the currency's decimals. */
export function money(value: Dec | Money, places = 2): Money {
  const d = dec(value);
  const fixed = d.toFixed(Math.max(places, Math.min(d.decimalPlaces(), 5)));
  return fixed;
}

/** A price with at most `places` decimals (unit prices: BC takes up to 5). */
export function price(value: Dec | Money, places = 5): Money {
  return dec(value).toDecimalPlaces(places, Dec.ROUND_HALF_UP).toFixed();
}

/** One minor unit per number of decimals (a division at 40 digits' precision, once per order otherwise). */
const TOLERANCES = new Map<number, Dec>();

/** The smallest amount the currency can express: the tolerance when totals are compared. */
export function currencyTolerance(currency: string): Dec {
  const places = minorUnits(currency);
  let tol = TOLERANCES.get(places);
  if (tol === undefined) {
    tol = new Dec(1).dividedBy(new Dec(10).pow(places));
    TOLERANCES.set(places, tol);
  }
  return tol;
}
