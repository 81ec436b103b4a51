import { Decimal } from 'decimal.js';

/**
 * Money is decimal (DESIGN.md §1 guarantee 5). BC rounds amounts to the currency's
 * "Amount Rounding Precision" (0.01 for every currency in the demo world), half away from zero.
 */
export const D = (v: Decimal.Value): Decimal => new Decimal(v);

export function round2(v: Decimal): Decimal {
  return v.toDecimalPlaces(2, Decimal.ROUND_HALF_UP); // ROUND_HALF_UP in decimal.js = away from zero
}

export function round5(v: Decimal): Decimal {
  return v.toDecimalPlaces(5, Decimal.ROUND_HALF_UP);
}

/** JSON numbers on the wire, as BC sends them (e.g. `16767.6`, `0`). */
export function num(v: Decimal): number {
  return Number(v.toFixed());
}
