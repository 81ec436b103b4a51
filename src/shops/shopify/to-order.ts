import { ValidationError } from '../../domain/errors.js';
import { Dec, minorUnits, money, price, sum } from '../../domain/money.js';
import type { CanonicalOrder, Coupon, FeeLine, OrderLine, ShippingLine } from '../../domain/order.js';
import type { RawOrderIdentity } from '../connector.js';
import { describe, invalid, isObject, safe, type JsonObject } from '../json-fields.js';
import { optId, optInstant, optText } from './fields.js';
import { readGraphqlOrder } from './graphql-order.js';
import type { PartsAllocation, PartsTax, ShopifyOrderParts } from './order-parts.js';
import { readRestOrder, type CurrencyMode } from './rest-order.js';

export interface ShopifyMappingOptions {
  /** Which amounts become the BC order: the shop's currency (default) or what the buyer saw. */
  currency?: CurrencyMode;
}

/** Financial statuses that mean the money was taken (webshop-api.md §2, OrderDisplayFinancialStatus). */
const PAID = new Set(['paid', 'partially_refunded', 'refunded']);

/**
 * Shopify order → canonical order. Pure. Reads both shapes (docs/shopify.md):
 * - the REST shape: webhook bodies (Shopify delivers REST JSON even to GraphQL apps) and the samples;
 * - a GraphQL Admin API node: what the poll lists.
 * Both give the same canonical order for the same Shopify order, so a webhook and a poll converge.
 *
 * Amounts follow the canonical net + tax convention whatever `taxes_included` says: with prices excluding
 * tax a line is price × quantity − discount allocations, plus its tax lines; with prices including tax the
 * tax lines are taken out of the discounted gross.
 *
 * Status: `cancelled` when the order is cancelled, else the financial status in lower case (`paid`,
 * `pending`, `partially_refunded` …): Shopify has no single order status, and the export rules are about
 * payment and cancellation.
 */
export function toOrder(input: unknown, opts: ShopifyMappingOptions = {}): CanonicalOrder {
  const raw = unwrap(input);
  const parts = isGraphqlShape(raw) ? readGraphqlOrder(raw, opts.currency ?? 'shop') : readRestOrder(raw, opts.currency ?? 'shop');
  return fromParts(parts);
}

/** Id, number and modification time, read without the full mapping; never throws. */
export function identify(input: unknown): RawOrderIdentity | undefined {
  try {
    const raw = unwrap(input);
    const graphql = isGraphqlShape(raw);
    const shopOrderId = graphql ? (optId(raw, 'legacyResourceId', 'legacyResourceId') ?? optId(raw, 'id', 'id')) : optId(raw, 'id', 'id');
    if (shopOrderId === undefined) return undefined;
    const identity: RawOrderIdentity = { shopOrderId };
    const number = safe(() => orderNumberOf(optText(raw, 'name', 'name'), graphql ? undefined : (optText(raw, 'order_number', 'order_number') ?? optText(raw, 'number', 'number')), shopOrderId));
    if (number !== undefined) identity.orderNumber = number;
    const modifiedAt = safe(() =>
      graphql
        ? (optInstant(raw, 'updatedAt', 'updatedAt') ?? optInstant(raw, 'createdAt', 'createdAt'))
        : (optInstant(raw, 'updated_at', 'updated_at') ?? optInstant(raw, 'created_at', 'created_at')),
    );
    if (modifiedAt !== undefined) identity.modifiedAt = modifiedAt;
    return identity;
  } catch {
    return undefined;
  }
}

/** A GraphQL node has camelCase connections and global ids; the REST shape has snake_case and numbers. */
export function isGraphqlShape(raw: JsonObject): boolean {
  if ('lineItems' in raw || 'legacyResourceId' in raw || 'totalPriceSet' in raw) return true;
  return typeof raw.id === 'string' && raw.id.startsWith('gid://');
}

/**
 * Accepts the order itself, a REST response `{"order": …}`, or a GraphQL response `{"data": {"order": …}}`
 * (what `bcbridge map FILE` is likely to be given). A list is refused: it is many orders, not one.
 */
function unwrap(input: unknown): JsonObject {
  let raw = input;
  if (isObject(raw) && isObject(raw.data) && !('id' in raw)) raw = raw.data.order ?? raw.data.node ?? raw.data;
  if (isObject(raw) && !('id' in raw) && isObject(raw.order)) raw = raw.order;
  if (isObject(raw) && !('id' in raw) && Array.isArray(raw.orders)) {
    throw new ValidationError(`the document is a list of ${raw.orders.length} orders, not one order`);
  }
  if (Array.isArray(raw)) throw new ValidationError(`the document is a list of ${raw.length} elements, not one order`);
  if (!isObject(raw)) throw invalid('the document', raw, 'a JSON object');
  if (isObject(raw) && Array.isArray(raw.errors) && !('id' in raw)) {
    throw new ValidationError(`the document is a Shopify error (${describe(raw.errors)}), not an order`);
  }
  if (!('id' in raw) && !('legacyResourceId' in raw)) throw invalid('id', undefined, 'the order id');
  return raw;
}

/** `#1001` → `1001`: the "#" is decoration, and a BC external document no. is better without it. */
function orderNumberOf(name: string | undefined, number: string | undefined, id: string): string {
  const trimmed = name?.trim().replace(/^#+/, '').trim();
  return trimmed || number || id;
}

function fromParts(p: ShopifyOrderParts): CanonicalOrder {
  if (p.id === '') throw invalid('id', undefined, 'the order id');
  const orderNumber = orderNumberOf(p.name, p.number, p.id);
  const places = minorUnits(p.currency);
  const m = (d: Dec): string => money(d.toDecimalPlaces(places, Dec.ROUND_HALF_UP), places);
  const createdAt = p.processedAt ?? p.createdAt;
  if (!createdAt) throw invalid('created_at', undefined, 'the order date');
  const gross = p.taxesIncluded;
  const rateOf = (taxes: PartsTax[]) => sum(taxes.map((t) => t.rate ?? new Dec(0)));
  const taxOf = (taxes: PartsTax[]) => sum(taxes.map((t) => t.amount));
  /** Net part of a discount given in the shop's tax mode. */
  const netDiscount = (amount: Dec, rate: Dec) => (gross && rate.gt(0) ? amount.dividedBy(rate.plus(1)) : amount);
  const couponTotals = new Map<string, { net: Dec; tax: Dec }>();
  const addCoupon = (allocs: PartsAllocation[] | undefined, rate: Dec) => {
    for (const a of allocs ?? []) {
      const app = a.index !== undefined ? p.discountApplications.get(a.index) : undefined;
      const code = app?.code ?? app?.title ?? (p.discountCodes.length === 1 ? p.discountCodes[0]!.code : 'discount');
      const net = netDiscount(a.amount, rate);
      const tax = gross ? a.amount.minus(net) : a.amount.times(rate);
      const prev = couponTotals.get(code) ?? { net: new Dec(0), tax: new Dec(0) };
      couponTotals.set(code, { net: prev.net.plus(net), tax: prev.tax.plus(tax) });
    }
  };

  const lines: OrderLine[] = p.lines.map((l, i) => {
    if (l.quantity.lte(0)) throw new ValidationError(`line_items[${i}].quantity is ${l.quantity.toFixed()}, not a positive quantity`);
    const discount = l.allocations ? sum(l.allocations.map((a) => a.amount)) : (l.legacyDiscount ?? new Dec(0));
    const tax = taxOf(l.taxes);
    const rate = rateOf(l.taxes);
    const after = l.unitPrice.times(l.quantity).minus(discount);
    let unitPriceNet: Dec;
    let discountNet: Dec;
    let totalNet: Dec;
    if (!gross) {
      unitPriceNet = l.unitPrice;
      discountNet = discount;
      totalNet = after;
    } else {
      totalNet = after.minus(tax);
      discountNet = new Dec(m(netDiscount(discount, rate)));
      unitPriceNet = new Dec(price(totalNet.plus(discountNet).dividedBy(l.quantity)));
    }
    addCoupon(l.allocations, rate);
    const line: OrderLine = {
      lineId: l.id,
      name: l.name,
      quantity: l.quantity.toFixed(),
      unitPriceNet: money(unitPriceNet, places),
      discountNet: m(discountNet),
      totalNet: m(totalNet),
      totalTax: m(tax),
      options: l.properties.map((o) => ({ label: o.name, value: o.value })),
    };
    if (l.sku) line.sku = l.sku;
    if (l.productId) line.productId = l.productId;
    if (l.variantId) line.variantId = l.variantId;
    if (l.gtin) line.gtin = l.gtin;
    if (l.taxes.length > 0 && l.taxes.every((t) => t.rate !== undefined)) line.taxPercent = rate.times(100).toDecimalPlaces(4).toFixed();
    return line;
  });
  if (lines.length === 0) throw new ValidationError(`order ${orderNumber} has no line items: there is nothing to sell`);

  let shippingDiscountNet = new Dec(0);
  const shippingLines: ShippingLine[] = p.shippingLines.map((s, i) => {
    const tax = taxOf(s.taxes);
    const rate = rateOf(s.taxes);
    // Allocations (order-level discounts such as free-shipping codes) are the current source of truth;
    // `discounted_price` covers shipping-line discounts in documents without them.
    const allocated = s.allocations && s.allocations.length > 0 ? sum(s.allocations.map((a) => a.amount)) : undefined;
    const after = allocated !== undefined ? s.price.minus(allocated) : (s.discountedPrice ?? s.price);
    shippingDiscountNet = shippingDiscountNet.plus(netDiscount(s.price.minus(after), rate));
    addCoupon(s.allocations, rate);
    const line: ShippingLine = {
      lineId: s.id ?? `shipping-${i}`,
      method: s.title ?? s.code ?? 'Shipping',
      totalNet: m(gross ? after.minus(tax) : after),
      totalTax: m(tax),
    };
    if (s.code) line.methodId = s.code;
    return line;
  });

  // Tips, duties and additional fees are money the customer paid outside the lines; untaxed here.
  const fees: FeeLine[] = p.extras.map((e) => ({ lineId: e.name.toLowerCase().replace(/\s+/g, '-'), name: e.name, totalNet: m(e.amount), totalTax: m(new Dec(0)) }));

  let coupons: Coupon[] = [...couponTotals].map(([code, t]) => ({ code, discountNet: m(t.net), discountTax: m(t.tax) }));
  if (coupons.length === 0 && p.discountCodes.length > 0) {
    // Old documents without allocations: the codes and, where stated, their amount.
    coupons = p.discountCodes.map((c) => ({ code: c.code, discountNet: m(c.amount ?? new Dec(0)), discountTax: m(new Dec(0)) }));
  }

  const totalTax = p.totalTax ?? sum([...lines, ...shippingLines].map((l) => l.totalTax));
  const status = p.cancelledAt ? 'cancelled' : (p.financialStatus ?? 'pending');
  const billing = { ...p.billing };
  if (p.email && !billing.email) billing.email = p.email;
  const order: CanonicalOrder = {
    platform: 'shopify',
    shopOrderId: p.id,
    orderNumber,
    status,
    paid: PAID.has(p.financialStatus ?? ''),
    createdAt,
    modifiedAt: p.updatedAt ?? createdAt,
    currency: p.currency,
    pricesIncludeTax: gross,
    customer: {
      ...(p.customer && { shopCustomerId: p.customer.id }),
      guest: !p.customer,
      ...((p.email ?? p.customer?.email) && { email: p.email ?? p.customer?.email }),
      ...(p.phone && { phone: p.phone }),
    },
    billing,
    shipping: { ...p.shipping },
    lines,
    shippingLines,
    fees,
    coupons,
    refunds: p.refunds.map((r) => ({ refundId: r.id, amount: m(r.amount), ...(r.note && { reason: r.note }) })),
    totals: {
      total: m(p.total),
      totalTax: m(new Dec(totalTax)),
      shippingNet: m(sum(shippingLines.map((s) => s.totalNet))),
      discountNet: m(sum(lines.map((l) => l.discountNet)).plus(shippingDiscountNet)),
    },
  };
  if (p.gateways[0]) order.paymentMethod = p.gateways[0];
  if (p.note) order.customerNote = p.note;
  return order;
}
