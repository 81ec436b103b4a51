/**
 * Order-level amounts, derived from the lines as they stand (both renderings use these, so REST and
 * GraphQL never disagree). Shopify's definitions (webshop-api.md §2):
 * total_line_items_price = Σ price × quantity; total_discounts = Σ allocations; subtotal_price = line
 * items after discounts; total_tax = line + shipping tax; total_price = subtotal + shipping + tax (tax only
 * when prices exclude it).
 */
import { lineAfter } from './generator.js';
import { D, fmt, type Money2 } from './money.js';
import type { SimOrder, SimTaxLine } from './types.js';

export interface OrderTotals {
  lineItems: Money2;
  discounts: Money2;
  subtotal: Money2;
  shipping: Money2;
  tax: Money2;
  total: Money2;
  refunded: Money2;
  /** Order tax lines: the line and shipping tax lines summed per title and rate. */
  taxLines: SimTaxLine[];
}

export function orderTotals(o: SimOrder): OrderTotals {
  const both = (f: (key: keyof Money2) => ReturnType<typeof D>): Money2 => ({ shop: fmt(f('shop')), presentment: fmt(f('presentment')) });
  const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), D(0));
  const lineItems = both((k) => o.lines.reduce((s, l) => s.plus(D(l.price[k]).times(l.quantity)), D(0)));
  const discounts = both((k) => sum([...o.lines, ...o.shippingLines].flatMap((l) => l.allocations.map((a) => a.amount[k]))));
  const subtotal = both((k) => o.lines.reduce((s, l) => s.plus(lineAfter(l, k)), D(0)));
  const shipping = both((k) => o.shippingLines.reduce((s, l) => s.plus(l.discountedPrice[k]).minus(sum(l.allocations.map((a) => a.amount[k]))), D(0)));
  const allTax = [...o.lines.flatMap((l) => l.taxLines), ...o.shippingLines.flatMap((l) => l.taxLines)];
  const tax = both((k) => sum(allTax.map((t) => t.price[k])));
  const total = both((k) => D(subtotal[k]).plus(shipping[k]).plus(o.taxesIncluded ? 0 : tax[k]));
  const refunded = both((k) => sum(o.refunds.map((r) => r.amount[k])));
  const byKey = new Map<string, SimTaxLine>();
  for (const t of allTax) {
    const key = `${t.title}|${t.rate}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, price: { shop: fmt(D(prev.price.shop).plus(t.price.shop)), presentment: fmt(D(prev.price.presentment).plus(t.price.presentment)) } } : { ...t });
  }
  return { lineItems, discounts, subtotal, shipping, tax, total, refunded, taxLines: [...byKey.values()] };
}
