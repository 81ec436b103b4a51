/**
 * Line and order arithmetic, the way WooCommerce does it when taxes are rounded per line:
 * - prices excl. tax: line tax = round2(line net × rate);
 * - prices incl. tax: the shelf price is gross; line tax = round2(gross × rate / (100 + rate)) and the
 *   line `total`/`subtotal` are the net rest (still net, see woocommerce-live-facts.md), while `price`
 *   is the unrounded net unit price (gross − unrounded tax) / qty, e.g. 20.92437;
 * - shipping and fees are entered net and taxed at the standard rate;
 * - total = Σ line total + Σ line tax + shipping + shipping tax + Σ fee total + Σ fee tax.
 */
import { VAT_PERCENT, type CatalogItem } from '../../catalog.js';
import { D, Decimal, money, rawDecimal, round2, round6 } from './money.js';
import type { WooOrder, WooTaxLine } from './types.js';
import { TAX_RATES } from './world.js';

type TaxGroup = CatalogItem['taxGroupCode'];

export interface PricedLineInput {
  /** Net unit price in the order currency, 2 decimals. */
  unitNet: Decimal;
  quantity: number;
  taxGroup: TaxGroup;
}

export interface PricedLine {
  subtotal: Decimal;
  subtotalTax: Decimal;
  total: Decimal;
  totalTax: Decimal;
  price: number;
}

export interface CouponInput {
  type: 'percent' | 'fixed_cart';
  amount: number;
}

function ratePct(group: TaxGroup): Decimal {
  return D(VAT_PERCENT[group]);
}

/** Tax contained in a gross amount, unrounded to 6 places (WooCommerce's rounding precision). */
function inclusiveTax(gross: Decimal, pct: Decimal): Decimal {
  return round6(gross.times(pct).div(pct.plus(100)));
}

/** Discount per line in cents. Percent coupons round per line; fixed-cart coupons split by weight, remainder cent by cent. */
export function allocateDiscount(bases: Decimal[], coupon: CouponInput | undefined): Decimal[] {
  if (!coupon) return bases.map(() => D(0));
  if (coupon.type === 'percent') {
    return bases.map((b) => Decimal.min(b, round2(b.times(coupon.amount).div(100))));
  }
  const sum = bases.reduce((s, b) => s.plus(b), D(0));
  if (sum.isZero()) return bases.map(() => D(0));
  const amountCents = Decimal.min(D(coupon.amount), sum).times(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP);
  const cents = bases.map((b) => b.times(100).times(amountCents).div(sum.times(100)).floor());
  let rest = amountCents.minus(cents.reduce((s, c) => s.plus(c), D(0)));
  for (let i = 0; rest.gt(0) && i < cents.length * 2; i++) {
    const k = i % cents.length;
    if (cents[k].lt(bases[k].times(100))) {
      cents[k] = cents[k].plus(1);
      rest = rest.minus(1);
    }
  }
  return cents.map((c) => c.div(100));
}

export function priceLines(lines: PricedLineInput[], pricesIncludeTax: boolean, coupon?: CouponInput): PricedLine[] {
  const bases = lines.map((l) => {
    const unit = pricesIncludeTax ? round2(l.unitNet.times(ratePct(l.taxGroup).plus(100)).div(100)) : l.unitNet;
    return unit.times(l.quantity);
  });
  const discounts = allocateDiscount(bases, coupon);
  return lines.map((l, i) => {
    const pct = ratePct(l.taxGroup);
    const base = bases[i];
    const after = base.minus(discounts[i]);
    if (!pricesIncludeTax) {
      return {
        subtotal: base,
        subtotalTax: round2(base.times(pct).div(100)),
        total: after,
        totalTax: round2(after.times(pct).div(100)),
        price: Number(after.toString()) / l.quantity,
      };
    }
    const subTax = round2(inclusiveTax(base, pct));
    const tax6 = inclusiveTax(after, pct);
    const totalTax = round2(tax6);
    return {
      subtotal: base.minus(subTax),
      subtotalTax: subTax,
      total: after.minus(totalTax),
      totalTax,
      price: Number(after.minus(tax6).toString()) / l.quantity,
    };
  });
}

/** Tax on a net amount (shipping, fee) at a tax group's rate. */
export function netTax(net: Decimal, group: TaxGroup = 'STANDARD'): Decimal {
  return round2(net.times(ratePct(group)).div(100));
}

const sum = (values: string[]): Decimal => values.reduce((s, v) => s.plus(D(v || '0')), D(0));

/**
 * Rebuild the order-level totals and tax_lines from the lines as they stand. Used by the generator and
 * for orders inserted with `addOrder` that bring their own lines but no totals.
 * cart_tax includes fee taxes, as WC_Abstract_Order::update_taxes() sums line_item and fee taxes.
 */
export function orderTotals(order: Pick<WooOrder, 'line_items' | 'fee_lines' | 'shipping_lines'>) {
  const lineTotal = sum(order.line_items.map((l) => l.total));
  const lineTax = sum(order.line_items.map((l) => l.total_tax));
  const feeTotal = sum(order.fee_lines.map((f) => f.total));
  const feeTax = sum(order.fee_lines.map((f) => f.total_tax));
  const shippingTotal = sum(order.shipping_lines.map((s) => s.total));
  const shippingTax = sum(order.shipping_lines.map((s) => s.total_tax));
  const discount = sum(order.line_items.map((l) => l.subtotal)).minus(lineTotal);
  const discountTax = sum(order.line_items.map((l) => l.subtotal_tax)).minus(lineTax);
  const cartTax = lineTax.plus(feeTax);
  const totalTax = cartTax.plus(shippingTax);
  return {
    discount_total: money(discount),
    discount_tax: money(discountTax),
    shipping_total: money(shippingTotal),
    shipping_tax: money(shippingTax),
    cart_tax: money(cartTax),
    total: money(lineTotal.plus(feeTotal).plus(shippingTotal).plus(totalTax)),
    total_tax: money(totalTax),
  };
}

/** One tax line per rate that carries tax, from the taxes[] of items, fees and shipping. */
export function buildTaxLines(
  order: Pick<WooOrder, 'line_items' | 'fee_lines' | 'shipping_lines'>,
  nextItemId: () => number,
): WooTaxLine[] {
  const cart = new Map<number, Decimal>();
  const ship = new Map<number, Decimal>();
  const add = (m: Map<number, Decimal>, id: number, v: string) => m.set(id, (m.get(id) ?? D(0)).plus(D(v || '0')));
  for (const l of [...order.line_items, ...order.fee_lines]) for (const t of l.taxes) add(cart, t.id, t.total);
  for (const s of order.shipping_lines) for (const t of s.taxes) add(ship, t.id, t.total);
  const rateIds = [...new Set([...cart.keys(), ...ship.keys()])].sort((a, b) => a - b);
  return rateIds.map((rateId) => {
    const rate = Object.values(TAX_RATES).find((r) => r.id === rateId);
    return {
      id: nextItemId(),
      rate_code: rate?.rateCode ?? `TAX-${rateId}`,
      rate_id: rateId,
      label: rate?.label ?? 'Tax',
      compound: false,
      tax_total: money(cart.get(rateId) ?? 0),
      shipping_tax_total: money(ship.get(rateId) ?? 0),
      rate_percent: rate ? Number(VAT_PERCENT[rate.taxGroupCode]) : 0,
      meta_data: [],
    };
  });
}

export { money, rawDecimal };
