import type { Address, CanonicalOrder, Coupon, OrderLine, OrderOption, Refund, ShippingLine } from '../../domain/order.js';
import { Dec, minorUnits, money, price, sum } from '../../domain/money.js';
import { ValidationError } from '../../domain/errors.js';
import type { RawOrderIdentity } from '../connector.js';
import { addressText, compactAddress } from '../address-fields.js';
import {
  elementObject, invalid, isObject, optArray, optDecimal, optText, reqDecimal, reqQuantity, safe, type JsonObject,
} from '../json-fields.js';
import { optId, optPhpObject, reqId } from '../php-fields.js';
import { nonOrderKind } from './document-kind.js';
import { parseMagentoDate } from './magento-dates.js';

/**
 * Magento 2 REST order (GET /V1/orders/{id}, or an element of the search result) → canonical order.
 * Pure. Amounts are JSON numbers in the order currency (the `base_*` twins are the website currency
 * and are not read). Items form a tree through `parent_item_id` (reference/webshop-api.md §4):
 *  - configurable: the parent carries the price (and the chosen child's SKU); the child is price 0;
 *  - bundle with dynamic price: the children carry the prices; the parent repeats their sum;
 *  - bundle with fixed price: the parent carries the price; the children are price 0.
 * A configurable item becomes one line (the child names the variant). A bundle becomes its parent line
 * and its part lines (parentLineId), each with its own amount, so nothing is counted twice: with a
 * dynamic price the parent's own amount is 0; mapping.bundles chooses what BC receives.
 * Discounts: item `discount_amount` is positive; with prices including tax part of it is tax
 * (`discount_tax_compensation_amount`), so the net discount is the difference.
 */
export function toOrder(input: unknown): CanonicalOrder {
  const raw = orderDocument(input);
  const shopOrderId = reqId(raw, 'entity_id', 'entity_id');
  const orderNumber = optText(raw, 'increment_id', 'increment_id')?.trim() || shopOrderId;
  const status = (optText(raw, 'status', 'status') ?? optText(raw, 'state', 'state'))?.trim().toLowerCase();
  if (!status) throw invalid('status', raw.status, 'an order status');
  const currency = optText(raw, 'order_currency_code', 'order_currency_code')?.trim().toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw invalid('order_currency_code', raw.order_currency_code, 'an ISO 4217 currency code');
  const places = minorUnits(currency);
  const m = (d: Dec): string => money(d, places);
  const createdAt = reqDate(raw, 'created_at');
  const modifiedAt = optDate(raw, 'updated_at') ?? createdAt;

  const items = optArray(raw, 'items', 'items').map((it, i) => elementObject(it, `items[${i}]`));
  const lines = readLines(items, m);
  if (lines.length === 0) throw new ValidationError(`order ${orderNumber} has no items: there is nothing to sell`);
  const ext = optPhpObject(raw, 'extension_attributes', 'extension_attributes');
  const assignment = firstAssignment(ext);
  const shippingLines = readShipping(raw, assignment, m);
  const shippingDiscountNet = shippingLines.length ? shippingDiscount(raw) : new Dec(0);

  const total = reqDecimal(raw, 'grand_total', 'grand_total');
  const totalTax = optDecimal(raw, 'tax_amount', 'tax_amount') ?? sum([...lines, ...shippingLines].map((l) => l.totalTax));
  const billing = readAddress(optPhpObject(raw, 'billing_address', 'billing_address'), 'billing_address');
  const shippingAddress = assignment ? optPhpObject(optPhpObject(assignment.value, 'shipping', `${assignment.path}.shipping`) ?? {}, 'address', `${assignment.path}.shipping.address`) : undefined;
  const shipping = readAddress(shippingAddress, `${assignment?.path ?? 'shipping_assignments[0]'}.shipping.address`);

  const customerId = optId(raw, 'customer_id', 'customer_id');
  const guest = truthy(raw.customer_is_guest) || customerId === undefined || customerId === '0';
  const email = optText(raw, 'customer_email', 'customer_email')?.trim() || billing.email;
  const coupons: Coupon[] = [];
  const couponCode = optText(raw, 'coupon_code', 'coupon_code')?.trim();
  const discountNet = sum(lines.map((l) => l.discountNet)).plus(shippingDiscountNet);
  if (couponCode) coupons.push({ code: couponCode, discountNet: m(discountNet), discountTax: m(new Dec(0)) });
  const refunds: Refund[] = [];
  const refunded = optDecimal(raw, 'total_refunded', 'total_refunded');
  if (refunded && !refunded.isZero()) refunds.push({ refundId: `${shopOrderId}-creditmemos`, amount: m(refunded.abs()) });

  const payment = optPhpObject(raw, 'payment', 'payment');
  const paymentMethod = payment ? optText(payment, 'method', 'payment.method') : undefined;
  const paymentTitle = paymentTitleOf(ext, payment);
  const note = optText(raw, 'customer_note', 'customer_note')?.trim();
  return {
    platform: 'magento',
    shopOrderId,
    orderNumber,
    status,
    paid: isPaid(raw, total),
    createdAt,
    modifiedAt,
    currency,
    pricesIncludeTax: pricesIncludeTax(items),
    customer: {
      ...(!guest && { shopCustomerId: customerId }),
      guest,
      ...(email !== undefined && { email }),
      ...(billing.phone !== undefined && { phone: billing.phone }),
    },
    billing: email && !billing.email ? { ...billing, email } : billing,
    shipping,
    lines,
    shippingLines,
    fees: [],
    coupons,
    refunds,
    ...(paymentMethod !== undefined && { paymentMethod }),
    ...(paymentTitle !== undefined && { paymentMethodTitle: paymentTitle }),
    ...(note && { customerNote: note }),
    totals: {
      total: m(total),
      totalTax: m(totalTax),
      shippingNet: m(sum(shippingLines.map((s) => s.totalNet))),
      discountNet: m(discountNet),
    },
  };
}

/** Id, number and modification time, read without the full mapping; never throws. */
export function identify(input: unknown): RawOrderIdentity | undefined {
  try {
    if (!isObject(input) || nonOrderKind(input) !== undefined) return undefined;
    const shopOrderId = optId(input, 'entity_id', 'entity_id');
    if (shopOrderId === undefined) return undefined;
    const identity: RawOrderIdentity = { shopOrderId };
    const number = safe(() => optText(input, 'increment_id', 'increment_id')?.trim());
    if (number) identity.orderNumber = number;
    const modifiedAt = safe(() => optDate(input, 'updated_at') ?? optDate(input, 'created_at'));
    if (modifiedAt !== undefined) identity.modifiedAt = modifiedAt;
    return identity;
  } catch {
    return undefined;
  }
}

function truthy(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 'true';
}

function orderDocument(input: unknown): JsonObject {
  const kind = nonOrderKind(input);
  if (kind !== undefined) throw new ValidationError(`the document is ${kind}, not an order`);
  if (!isObject(input)) throw invalid('the document', input, 'a JSON object');
  return input;
}

function optDate(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'string' ? parseMagentoDate(value) : undefined;
  if (ms === undefined) throw invalid(key, value, 'a date (YYYY-MM-DD HH:MM:SS)');
  return new Date(ms).toISOString();
}

function reqDate(obj: JsonObject, key: string): string {
  const date = optDate(obj, key);
  if (date === undefined) throw invalid(key, obj[key], 'a date (YYYY-MM-DD HH:MM:SS)');
  return date;
}

/** Paid when nothing is due any more (Magento moves money through invoices: total_due, total_paid). */
function isPaid(raw: JsonObject, total: Dec): boolean {
  const due = safe(() => optDecimal(raw, 'total_due', 'total_due'));
  if (due !== undefined) return due.lte(0);
  const paid = safe(() => optDecimal(raw, 'total_paid', 'total_paid'));
  return paid !== undefined && paid.gte(total);
}

/**
 * Magento has no order-level flag. A catalog entered including tax shows in the items: the catalog
 * price (`original_price`) equals the price including tax and differs from the net `price`.
 */
function pricesIncludeTax(items: JsonObject[]): boolean {
  return items.some((it) => {
    const original = safe(() => optDecimal(it, 'original_price', ''));
    const incl = safe(() => optDecimal(it, 'price_incl_tax', ''));
    const net = safe(() => optDecimal(it, 'price', ''));
    const tax = safe(() => optDecimal(it, 'tax_amount', ''));
    return original !== undefined && incl !== undefined && net !== undefined && tax !== undefined && tax.gt(0) && original.eq(incl) && !incl.eq(net);
  });
}

function readLines(items: JsonObject[], m: (d: Dec) => string): OrderLine[] {
  const ids = new Map<string, JsonObject>();
  items.forEach((it, i) => {
    const id = optId(it, 'item_id', `items[${i}].item_id`);
    if (id !== undefined) ids.set(id, it);
  });
  const parentOf = (it: JsonObject, i: number): string | undefined => {
    const p = optId(it, 'parent_item_id', `items[${i}].parent_item_id`);
    return p !== undefined && ids.has(p) ? p : undefined;
  };
  const children = new Map<string, { item: JsonObject; index: number }[]>();
  items.forEach((it, i) => {
    const p = parentOf(it, i);
    if (p !== undefined) children.set(p, [...(children.get(p) ?? []), { item: it, index: i }]);
  });
  const lines: OrderLine[] = [];
  items.forEach((it, i) => {
    if (parentOf(it, i) !== undefined) return;
    const path = `items[${i}]`;
    const line = readLine(it, path, m);
    const kids = children.get(line.lineId) ?? [];
    if (kids.length === 0) {
      lines.push(line);
      return;
    }
    if (optText(it, 'product_type', `${path}.product_type`) === 'configurable') {
      // The child is the variant chosen, the same goods as the parent line: one line, never two.
      const { item, index } = kids[0]!;
      const variant = optId(item, 'product_id', `items[${index}].product_id`);
      if (variant !== undefined) line.variantId = variant;
      const name = optText(item, 'name', `items[${index}].name`)?.trim();
      if (name && name !== line.name) line.options.push({ label: 'Variant', value: name });
      lines.push(line);
      return;
    }
    // A bundle: parent and parts become lines linked by parentLineId (mapping.bundles decides what BC gets).
    // With a dynamic price the parts carry the money and the parent only repeats their sum: its own amount is 0.
    const parts = kids.map(({ item, index }) => readLine(item, `items[${index}]`, m));
    if (parts.some((p) => !new Dec(p.totalNet).isZero() || !new Dec(p.discountNet).isZero())) {
      const zero = m(new Dec(0));
      Object.assign(line, { unitPriceNet: zero, discountNet: zero, totalNet: zero, totalTax: zero });
      delete line.taxPercent;
    }
    lines.push(line);
    for (const part of parts) lines.push({ ...part, parentLineId: line.lineId });
  });
  return lines;
}

function readLine(it: JsonObject, path: string, m: (d: Dec) => string): OrderLine {
  const lineId = reqId(it, 'item_id', `${path}.item_id`);
  const quantity = reqQuantity(it, 'qty_ordered', `${path}.qty_ordered`);
  if (quantity.lte(0)) throw new ValidationError(`${path}.qty_ordered is ${quantity.toFixed()}, not a positive quantity`);
  const rowTotal = optDecimal(it, 'row_total', `${path}.row_total`) ?? reqDecimal(it, 'price', `${path}.price`).times(quantity);
  const discount = (optDecimal(it, 'discount_amount', `${path}.discount_amount`) ?? new Dec(0)).abs();
  const compensation = optDecimal(it, 'discount_tax_compensation_amount', `${path}.discount_tax_compensation_amount`) ?? new Dec(0);
  const discountNet = discount.isZero() ? new Dec(0) : discount.minus(compensation);
  const line: OrderLine = {
    lineId,
    name: optText(it, 'name', `${path}.name`)?.trim() ?? '',
    quantity: quantity.toFixed(),
    unitPriceNet: m(new Dec(price(rowTotal.dividedBy(quantity)))),
    discountNet: m(discountNet),
    totalNet: m(rowTotal.minus(discountNet)),
    totalTax: m(optDecimal(it, 'tax_amount', `${path}.tax_amount`) ?? new Dec(0)),
    options: readOptions(it),
  };
  const sku = optText(it, 'sku', `${path}.sku`)?.trim();
  if (sku) line.sku = sku;
  const productId = optId(it, 'product_id', `${path}.product_id`);
  if (productId !== undefined && productId !== '0') line.productId = productId;
  const pct = safe(() => optDecimal(it, 'tax_percent', ''));
  if (pct !== undefined && pct.gt(0)) line.taxPercent = pct.toFixed();
  return line;
}

/** Custom options the customer entered (product_option.extension_attributes.custom_options), when labelled. */
function readOptions(it: JsonObject): OrderOption[] {
  const out: OrderOption[] = [];
  const po = isObject(it.product_option) ? it.product_option : undefined;
  const ext = po && isObject(po.extension_attributes) ? po.extension_attributes : undefined;
  const custom = ext && Array.isArray(ext.custom_options) ? ext.custom_options : [];
  for (const o of custom) {
    if (!isObject(o)) continue;
    const label = typeof o.option_title === 'string' ? o.option_title : typeof o.title === 'string' ? o.title : undefined;
    const value = typeof o.option_value === 'string' || typeof o.option_value === 'number' ? String(o.option_value) : undefined;
    if (!label || !value) continue;
    const optionId = typeof o.option_id === 'string' || typeof o.option_id === 'number' ? String(o.option_id) : undefined;
    out.push({ label, value, ...(optionId && { key: { label: optionId, value } }) });
  }
  return out;
}

function firstAssignment(ext: JsonObject | undefined): { value: JsonObject; path: string } | undefined {
  if (!ext) return undefined;
  const list = optArray(ext, 'shipping_assignments', 'extension_attributes.shipping_assignments');
  if (list.length === 0) return undefined;
  return { value: elementObject(list[0], 'extension_attributes.shipping_assignments[0]'), path: 'extension_attributes.shipping_assignments[0]' };
}

function shippingDiscount(raw: JsonObject): Dec {
  const discount = (optDecimal(raw, 'shipping_discount_amount', 'shipping_discount_amount') ?? new Dec(0)).abs();
  const compensation = optDecimal(raw, 'shipping_discount_tax_compensation_amount', 'shipping_discount_tax_compensation_amount') ?? new Dec(0);
  return discount.isZero() ? discount : discount.minus(compensation);
}

function readShipping(raw: JsonObject, assignment: { value: JsonObject; path: string } | undefined, m: (d: Dec) => string): ShippingLine[] {
  const amount = optDecimal(raw, 'shipping_amount', 'shipping_amount');
  const description = optText(raw, 'shipping_description', 'shipping_description')?.trim();
  const shipping = assignment ? optPhpObject(assignment.value, 'shipping', `${assignment.path}.shipping`) : undefined;
  const method = shipping ? optText(shipping, 'method', `${assignment!.path}.shipping.method`)?.trim() : undefined;
  // A virtual order (downloads only) has no shipping at all.
  if (truthy(raw.is_virtual) && (amount === undefined || amount.isZero()) && !description) return [];
  if (amount === undefined && !description && !method) return [];
  const net = (amount ?? new Dec(0)).minus(shippingDiscount(raw));
  return [{
    lineId: 'shipping',
    method: description || method || 'Shipping',
    ...(method && { methodId: method }),
    totalNet: m(net),
    totalTax: m(optDecimal(raw, 'shipping_tax_amount', 'shipping_tax_amount') ?? new Dec(0)),
  }];
}

function paymentTitleOf(ext: JsonObject | undefined, payment: JsonObject | undefined): string | undefined {
  const info = ext && Array.isArray(ext.payment_additional_info) ? ext.payment_additional_info : [];
  for (const entry of info) {
    if (isObject(entry) && entry.key === 'method_title' && typeof entry.value === 'string' && entry.value.trim()) return entry.value.trim();
  }
  const additional = payment && Array.isArray(payment.additional_information) ? payment.additional_information : [];
  const first = additional[0];
  return typeof first === 'string' && first.trim() ? first.trim() : undefined;
}

function readAddress(a: JsonObject | undefined, path: string): Address {
  if (!a) return {};
  const text = addressText(a, path);
  const street = Array.isArray(a.street) ? a.street.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : text('street') ? [text('street')!] : [];
  return compactAddress({
    firstName: text('firstname'),
    lastName: text('lastname'),
    company: text('company'),
    line1: street[0],
    line2: street.slice(1).join(', ') || undefined,
    city: text('city'),
    state: text('region_code') ?? text('region'),
    postalCode: text('postcode'),
    country: text('country_id')?.toUpperCase(),
    email: text('email'),
    phone: text('telephone'),
  });
}
