import { Dec, dec } from '../money.js';
import type { OrderLine } from '../order.js';

/**
 * A unit price (≤ 5 decimals, what BC accepts) and a line discount such that BC's line amount,
 * round(quantity × unit price) − discount, is exactly `total`. The discount is never negative: when the
 * rounded price would undershoot, the price is rounded up and the (sub-cent) difference becomes discount.
 */
export function linePrice(quantity: Dec, subtotal: Dec, total: Dec, places: number): { unitPrice: Dec; discount: Dec } {
  if (quantity.isZero()) return { unitPrice: dec(0), discount: dec(0) };
  const base = subtotal.lt(total) ? total : subtotal;
  const exact = base.dividedBy(quantity);
  let unitPrice = exact.toDecimalPlaces(5, Dec.ROUND_HALF_UP);
  let discount = quantity.times(unitPrice).toDecimalPlaces(places, Dec.ROUND_HALF_UP).minus(total);
  if (discount.isNegative()) {
    unitPrice = exact.toDecimalPlaces(5, Dec.ROUND_CEIL);
    discount = quantity.times(unitPrice).toDecimalPlaces(places, Dec.ROUND_HALF_UP).minus(total);
  }
  return { unitPrice, discount: discount.isNegative() ? dec(0) : discount };
}

/**
 * A shop line's amounts in the basis the BC order uses: net, or gross (incl. tax). `subtotal` is before the
 * line's discount. The gross subtotal is not in the canonical order; it is the net subtotal at the line's
 * effective tax rate (rounded to the currency), and the line total stays exact either way.
 */
export function lineAmounts(line: OrderLine, gross: boolean, places: number): { subtotal: Dec; total: Dec } {
  const net = dec(line.totalNet);
  const tax = dec(line.totalTax);
  const discount = dec(line.discountNet);
  if (!gross) return { subtotal: net.plus(discount), total: net };
  const total = net.plus(tax);
  if (discount.isZero()) return { subtotal: total, total };
  let rate: Dec | undefined;
  if (!net.isZero()) rate = tax.dividedBy(net);
  else if (line.taxPercent !== undefined) rate = dec(line.taxPercent).dividedBy(100);
  // Without a rate the discount cannot be shown gross: it stays inside the price.
  if (!rate) return { subtotal: total, total };
  return { subtotal: net.plus(discount).times(rate.plus(1)).toDecimalPlaces(places, Dec.ROUND_HALF_UP), total };
}
