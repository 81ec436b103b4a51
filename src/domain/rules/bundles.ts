import { dec, money, sum, type Dec } from '../money.js';
import type { OrderLine } from '../order.js';

/** One line of the BC document before item numbers are known: a shop line to sell, or a comment. */
export type PlannedLine =
  | { kind: 'item'; line: OrderLine }
  | { kind: 'comment'; description: string; description2?: string; sourceLineId?: string };

export type BundleMode = 'all' | 'parent' | 'children';

/**
 * Bundles and composite products (Tinx "Product Type in Webshop OrderLine"): the shop sends the bundle and
 * its parts as separate lines, the parts pointing at the bundle with `parentLineId`.
 *
 * - `all`: every line is sold as it comes.
 * - `parent`: only the bundle is sold; the parts' amounts are added to it, so the total stays the shop's,
 *   and each part follows as a comment line ("2 × Mug") for the warehouse.
 * - `children`: only the parts are sold; the bundle becomes a comment line, and an amount charged on the
 *   bundle itself is spread over its parts by quantity, so nothing is lost.
 *
 * Pure; `places` = the currency's minor units.
 */
export function planBundles(lines: OrderLine[], mode: BundleMode, places: number): PlannedLine[] {
  const byId = new Map(lines.map((l) => [l.lineId, l]));
  const children = new Map<string, OrderLine[]>();
  for (const l of lines) {
    // A part whose bundle line is not in the order is sold like any other line.
    if (l.parentLineId && byId.has(l.parentLineId) && l.parentLineId !== l.lineId) {
      children.set(l.parentLineId, [...(children.get(l.parentLineId) ?? []), l]);
    }
  }
  if (mode === 'all' || children.size === 0) return lines.map((line) => ({ kind: 'item', line }));
  const isPart = (l: OrderLine) => l.parentLineId !== undefined && byId.has(l.parentLineId) && l.parentLineId !== l.lineId;
  const descendants = (id: string): OrderLine[] => (children.get(id) ?? []).flatMap((c) => [c, ...descendants(c.lineId)]);
  const out: PlannedLine[] = [];

  if (mode === 'parent') {
    for (const l of lines) {
      if (isPart(l)) continue;
      const parts = descendants(l.lineId);
      if (parts.length === 0) {
        out.push({ kind: 'item', line: l });
        continue;
      }
      out.push({ kind: 'item', line: merge(l, parts, places) });
      for (const p of parts) out.push({ kind: 'comment', description: `${p.quantity} × ${p.name}`, sourceLineId: p.lineId });
    }
    return out;
  }

  // children: containers become comments; their own amounts go to their leaf parts.
  const extra = new Map<string, { net: Dec; tax: Dec; discount: Dec }>();
  for (const l of lines) {
    const parts = descendants(l.lineId).filter((p) => !children.has(p.lineId));
    if (parts.length === 0) continue;
    const own = { net: dec(l.totalNet), tax: dec(l.totalTax), discount: dec(l.discountNet) };
    // Amounts a container carries from its own container are passed on as well.
    const carried = extra.get(l.lineId);
    if (carried) {
      own.net = own.net.plus(carried.net);
      own.tax = own.tax.plus(carried.tax);
      own.discount = own.discount.plus(carried.discount);
    }
    if (own.net.isZero() && own.tax.isZero() && own.discount.isZero()) continue;
    const shares = spread(own, parts.map((p) => dec(p.quantity)), places);
    parts.forEach((p, i) => {
      const prev = extra.get(p.lineId);
      extra.set(p.lineId, prev ? { net: prev.net.plus(shares[i].net), tax: prev.tax.plus(shares[i].tax), discount: prev.discount.plus(shares[i].discount) } : shares[i]);
    });
  }
  for (const l of lines) {
    if (children.has(l.lineId)) {
      out.push({ kind: 'comment', description: l.name, description2: `${l.quantity} ×`, sourceLineId: l.lineId });
      continue;
    }
    const add = extra.get(l.lineId);
    out.push({ kind: 'item', line: add ? withExtra(l, add, places) : l });
  }
  return out;
}

function merge(parent: OrderLine, parts: OrderLine[], places: number): OrderLine {
  const all = [parent, ...parts];
  return {
    ...parent,
    totalNet: money(sum(all.map((l) => l.totalNet)), places),
    totalTax: money(sum(all.map((l) => l.totalTax)), places),
    discountNet: money(sum(all.map((l) => l.discountNet)), places),
    unitPriceNet: unitPrice(sum(all.map((l) => dec(l.totalNet).plus(dec(l.discountNet)))), dec(parent.quantity)),
    // Parts may differ in tax rate; the merged line's rate is not one number any more.
    taxPercent: undefined,
  };
}

function withExtra(l: OrderLine, add: { net: Dec; tax: Dec; discount: Dec }, places: number): OrderLine {
  const net = dec(l.totalNet).plus(add.net);
  const discount = dec(l.discountNet).plus(add.discount);
  return {
    ...l,
    totalNet: money(net, places),
    totalTax: money(dec(l.totalTax).plus(add.tax), places),
    discountNet: money(discount, places),
    unitPriceNet: unitPrice(net.plus(discount), dec(l.quantity)),
  };
}

function unitPrice(subtotal: Dec, quantity: Dec): string {
  return quantity.isZero() ? '0' : subtotal.dividedBy(quantity).toDecimalPlaces(5).toFixed();
}

/** Splits each amount by weight; the rounding remainder goes to the last share, so the shares add up exactly. */
function spread(amounts: { net: Dec; tax: Dec; discount: Dec }, weights: Dec[], places: number): { net: Dec; tax: Dec; discount: Dec }[] {
  const total = weights.reduce((a, b) => a.plus(b), dec(0));
  const split = (amount: Dec): Dec[] => {
    let given = dec(0);
    return weights.map((w, i) => {
      if (i === weights.length - 1) return amount.minus(given);
      const share = total.isZero() ? dec(0) : amount.times(w).dividedBy(total).toDecimalPlaces(places);
      given = given.plus(share);
      return share;
    });
  };
  const net = split(amounts.net);
  const tax = split(amounts.tax);
  const discount = split(amounts.discount);
  return weights.map((_, i) => ({ net: net[i], tax: tax[i], discount: discount[i] }));
}
