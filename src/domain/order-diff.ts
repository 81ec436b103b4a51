import { dec } from './money.js';
import type { Address, CanonicalOrder, OrderLine } from './order.js';

/**
 * What changed in a shop order after it went to BC (issue 9, docs/write-back.md "Conflicts"): the business
 * content only, as readable lines for the timeline, the CLI and the panel.
 *
 * Deliberately not compared, so that bcbridge's own writes never come back as a conflict (the loop guard):
 * the shop status except cancellation and refund (write-back moves it to completed/shipped), timestamps,
 * payment data, the customer note (Shopify keeps the staff note there, where `recordBcNumber` may write),
 * order notes, metafields and meta data (none of them are in the canonical order).
 */
export type OrderChangeKind =
  | 'line-added'
  | 'line-removed'
  | 'line-quantity'
  | 'line-price'
  | 'line-discount'
  | 'line-sku'
  | 'shipping-method'
  | 'shipping-cost'
  | 'fee'
  | 'coupon'
  | 'billing-address'
  | 'shipping-address'
  | 'customer'
  | 'currency'
  | 'total'
  | 'cancelled'
  | 'refunded'
  | 'refund';

export interface OrderChange {
  kind: OrderChangeKind;
  /** One readable line: "line MUG-01: quantity 2 → 3". */
  text: string;
}

/** Shop statuses that mean the order was cancelled (WooCommerce/Shopify/BigCommerce `cancelled`, Magento `canceled`). */
export const CANCELLED_STATUSES: readonly string[] = ['cancelled', 'canceled'];
/** Shop statuses that mean the whole order was refunded. */
export const REFUNDED_STATUSES: readonly string[] = ['refunded'];

export function isCancelled(order: Pick<CanonicalOrder, 'status'>): boolean {
  return CANCELLED_STATUSES.includes(order.status.toLowerCase());
}

/** Business changes from `before` (what BC has, or what a person accepted) to `after` (the shop now); empty = none. */
export function diffOrders(before: CanonicalOrder, after: CanonicalOrder): OrderChange[] {
  const out: OrderChange[] = [];
  const add = (kind: OrderChangeKind, text: string) => out.push({ kind, text });

  if (isCancelled(after) && !isCancelled(before)) add('cancelled', 'the order was cancelled in the shop');
  if (!isCancelled(after) && isCancelled(before)) add('cancelled', `the order is no longer cancelled in the shop (status ${after.status})`);
  const refunded = (o: CanonicalOrder) => REFUNDED_STATUSES.includes(o.status.toLowerCase());
  if (refunded(after) && !refunded(before)) add('refunded', 'the order was refunded in the shop');

  diffLines(before, after, add);

  const methods = (o: CanonicalOrder) => o.shippingLines.map((s) => s.method).join(', ') || 'none';
  if (methods(before) !== methods(after)) add('shipping-method', `shipping method: ${methods(before)} → ${methods(after)}`);
  const shipCost = (o: CanonicalOrder) => o.shippingLines.reduce((s, l) => s.plus(dec(l.totalNet)), dec(0));
  if (!shipCost(before).eq(shipCost(after))) add('shipping-cost', `shipping cost (net): ${amount(shipCost(before))} → ${amount(shipCost(after))}`);

  diffById(before.fees, after.fees, (f) => f.lineId, {
    added: (f) => add('fee', `fee "${f.name}" added: ${amount(f.totalNet)}`),
    removed: (f) => add('fee', `fee "${f.name}" removed (was ${amount(f.totalNet)})`),
    both: (a, b) => {
      if (!dec(a.totalNet).eq(dec(b.totalNet))) add('fee', `fee "${b.name}": ${amount(a.totalNet)} → ${amount(b.totalNet)}`);
    },
  });
  diffById(before.coupons, after.coupons, (c) => c.code.toLowerCase(), {
    added: (c) => add('coupon', `coupon ${c.code} added`),
    removed: (c) => add('coupon', `coupon ${c.code} removed`),
    both: (a, b) => {
      if (!dec(a.discountNet).eq(dec(b.discountNet))) add('coupon', `coupon ${b.code}: discount ${amount(a.discountNet)} → ${amount(b.discountNet)}`);
    },
  });

  diffAddress('billing address', 'billing-address', before.billing, after.billing, add);
  diffAddress('shipping address', 'shipping-address', before.shipping, after.shipping, add);
  const email = (o: CanonicalOrder) => (o.customer.email ?? '').trim().toLowerCase();
  if (email(before) !== email(after)) add('customer', `customer e-mail: ${shown(email(before))} → ${shown(email(after))}`);
  if ((before.customer.shopCustomerId ?? '') !== (after.customer.shopCustomerId ?? '')) {
    add('customer', `shop customer: ${shown(before.customer.shopCustomerId)} → ${shown(after.customer.shopCustomerId)}`);
  }
  if (before.currency.toUpperCase() !== after.currency.toUpperCase()) add('currency', `currency: ${before.currency} → ${after.currency}`);

  diffById(before.refunds, after.refunds, (r) => r.refundId, {
    added: (r) => add('refund', `refund of ${amount(r.amount)} ${after.currency}${r.reason ? ` ("${r.reason}")` : ''}`),
    removed: (r) => add('refund', `refund of ${amount(r.amount)} ${after.currency} withdrawn`),
    both: (a, b) => {
      if (!dec(a.amount).eq(dec(b.amount))) add('refund', `refund ${b.refundId}: ${amount(a.amount)} → ${amount(b.amount)}`);
    },
  });

  // The grand total summarises what the lines above explain; alone it still counts (a change the canonical
  // order carries nowhere else, e.g. a tax correction).
  if (!dec(before.totals.total).eq(dec(after.totals.total))) add('total', `order total: ${amount(before.totals.total)} → ${amount(after.totals.total)} ${after.currency}`);
  return out;
}

function diffLines(before: CanonicalOrder, after: CanonicalOrder, add: (k: OrderChangeKind, t: string) => void): void {
  diffById(before.lines, after.lines, (l) => l.lineId, {
    added: (l) => add('line-added', `line ${label(l)} added: ${qty(l.quantity)} × ${l.name} at ${amount(l.unitPriceNet)}`),
    removed: (l) => add('line-removed', `line ${label(l)} removed (was ${qty(l.quantity)} × ${l.name})`),
    both: (a, b) => {
      if ((a.sku ?? '') !== (b.sku ?? '')) add('line-sku', `line ${label(a)}: SKU ${shown(a.sku)} → ${shown(b.sku)}`);
      if (!dec(a.quantity).eq(dec(b.quantity))) add('line-quantity', `line ${label(b)}: quantity ${qty(a.quantity)} → ${qty(b.quantity)}`);
      if (!dec(a.unitPriceNet).eq(dec(b.unitPriceNet))) add('line-price', `line ${label(b)}: unit price ${amount(a.unitPriceNet)} → ${amount(b.unitPriceNet)}`);
      if (!dec(a.discountNet).eq(dec(b.discountNet))) add('line-discount', `line ${label(b)}: discount ${amount(a.discountNet)} → ${amount(b.discountNet)}`);
    },
  });
}

const ADDRESS_FIELDS: [keyof Address, string][] = [
  ['name', 'name'],
  ['company', 'company'],
  ['line1', 'street'],
  ['line2', 'address line 2'],
  ['postalCode', 'postcode'],
  ['city', 'city'],
  ['state', 'region'],
  ['country', 'country'],
  ['phone', 'phone'],
  ['email', 'e-mail'],
];

function diffAddress(title: string, kind: OrderChangeKind, a: Address, b: Address, add: (k: OrderChangeKind, t: string) => void): void {
  for (const [field, name] of ADDRESS_FIELDS) {
    const va = field === 'name' ? fullName(a) : norm(a[field]);
    const vb = field === 'name' ? fullName(b) : norm(b[field]);
    // Case of e-mail addresses and country codes is not a change.
    const same = field === 'email' || field === 'country' ? va.toLowerCase() === vb.toLowerCase() : va === vb;
    if (!same) add(kind, `${title}: ${name} ${shown(va)} → ${shown(vb)}`);
  }
}

function fullName(a: Address): string {
  return norm([a.firstName, a.lastName].filter(Boolean).join(' ') || a.name);
}

function norm(v: string | undefined): string {
  return (v ?? '').trim().replace(/\s+/g, ' ');
}

function diffById<T>(a: T[], b: T[], key: (x: T) => string, on: { added(x: T): void; removed(x: T): void; both(x: T, y: T): void }): void {
  const before = new Map(a.map((x) => [key(x), x]));
  const after = new Map(b.map((x) => [key(x), x]));
  for (const [k, x] of before) {
    const y = after.get(k);
    if (y === undefined) on.removed(x);
    else on.both(x, y);
  }
  for (const [k, y] of after) if (!before.has(k)) on.added(y);
}

function label(l: OrderLine): string {
  return l.sku?.trim() ? l.sku.trim() : `"${l.name}"`;
}

function shown(v: string | undefined): string {
  return v && v !== '' ? `"${v}"` : '(empty)';
}

function qty(v: string): string {
  return dec(v).toFixed();
}

function amount(v: string | ReturnType<typeof dec>): string {
  const d = dec(v);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toFixed();
}

/** The reason code, reason and fix hint of an order in `conflict` (stored on the order, shown everywhere). */
export function conflictReason(changes: OrderChange[], orderRef: string): { code: string; reason: string; hint: string } {
  const cancelled = changes.some((c) => c.kind === 'cancelled' && c.text.includes('was cancelled'));
  return {
    code: cancelled ? 'SHOP_CANCELLED' : 'SHOP_CHANGED',
    reason: `The shop changed order ${orderRef} after it went to BC: ${changes.map((c) => c.text).join('; ')}.`,
    hint: cancelled
      ? `Cancel it in BC (bcbridge orders resolve ${orderRef} --cancel) or keep the BC order (--accept).`
      : `Update the BC order (bcbridge orders resolve ${orderRef} --resync), keep BC as it is (--accept), or cancel it in BC (--cancel).`,
  };
}
