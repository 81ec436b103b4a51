/**
 * The Shopify simulator's own money helpers (it shares none with src/ or the other simulators, on purpose).
 * Shopify sends money as decimal strings with the currency's places ("598.94") and rounds half up.
 */
import { Decimal } from 'decimal.js';

export { Decimal };

export const D = (v: Decimal.Value): Decimal => new Decimal(v);

export function round2(v: Decimal.Value): Decimal {
  return new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** "12.50": Shopify's money format. */
export function fmt(v: Decimal.Value): string {
  return round2(v).toFixed(2);
}

/** Fixed demo exchange rates from the shop currency (EUR) into presentment currencies. */
export const FX: Record<string, string> = { EUR: '1', USD: '1.08', GBP: '0.85', CHF: '0.95' };

/** An amount in both currencies of an order, each rounded on its own (as Shopify stores them). */
export interface Money2 {
  shop: string;
  presentment: string;
}

export const zero2 = (): Money2 => ({ shop: '0.00', presentment: '0.00' });

export function add2(a: Money2, b: Money2): Money2 {
  return { shop: fmt(D(a.shop).plus(b.shop)), presentment: fmt(D(a.presentment).plus(b.presentment)) };
}

export function sum2(values: Money2[]): Money2 {
  return values.reduce(add2, zero2());
}
