/**
 * The simulator's own money helpers (it shares none with src/, on purpose).
 * WooCommerce formats money as decimal strings with 2 places (the `dp` default) and rounds half up.
 */
import { Decimal } from 'decimal.js';

export { Decimal };

export const D = (v: Decimal.Value): Decimal => new Decimal(v);

export function round2(v: Decimal.Value): Decimal {
  return new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function round6(v: Decimal.Value): Decimal {
  return new Decimal(v).toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
}

/** "12.50": the REST API's money format. */
export function money(v: Decimal.Value): string {
  return round2(v).toFixed(2);
}

/** "4.5" / "0": how WooCommerce echoes a raw stored amount (fee `amount`, coupon `discount_tax`). */
export function rawDecimal(v: Decimal.Value): string {
  return new Decimal(v).toDecimalPlaces(6).toString();
}

/** Fixed demo exchange rates from the company currency (EUR) into order currencies. */
export const FX_FROM_LCY: Record<string, string> = { EUR: '1', USD: '1.08', GBP: '0.85', CHF: '0.95' };

export const CURRENCY_SYMBOL: Record<string, string> = { EUR: '€', USD: '$', GBP: '£', CHF: 'CHF' };

/** Convert an amount in EUR into `currency`, rounded to cents. */
export function convert(amountLcy: Decimal.Value, currency: string): Decimal {
  const rate = FX_FROM_LCY[currency] ?? '1';
  return round2(new Decimal(amountLcy).times(rate));
}
