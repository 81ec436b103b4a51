import type { Address, CanonicalOrder, Coupon, FeeLine, OrderLine, OrderOption, Refund, ShippingLine } from '../../domain/order.js';
import { Dec, minorUnits, money, price, sum } from '../../domain/money.js';
import { ValidationError } from '../../domain/errors.js';
import type { RawOrderIdentity } from '../connector.js';
import { addressText, compactAddress } from '../address-fields.js';
import {
  describe, elementObject, invalid, isObject, optArray, optDecimal, optText, reqDecimal, reqQuantity, reqText, safe, type JsonObject,
} from '../json-fields.js';
import { optId, optPhpObject, reqId } from '../php-fields.js';
import { plainText } from './plain-text.js';
import { wooInstant } from './woo-dates.js';

/**
 * WooCommerce `wc/v3` order (REST, webhook body, batch element) → canonical order. Pure.
 * Amounts: WooCommerce line `subtotal`/`total` are net even when `prices_include_tax` is true
 * (reference/woocommerce-live-facts.md), so they map straight to the canonical net + tax convention.
 * `line_items[].price` is an unrounded float and is never read: the unit price is subtotal / quantity.
 */
export function toOrder(input: unknown): CanonicalOrder {
  const raw = unwrap(input);
  const shopOrderId = reqId(raw, 'id', 'id');
  const orderNumber = optText(raw, 'number', 'number') ?? shopOrderId;
  const status = reqText(raw, 'status', 'status').toLowerCase();
  const currency = reqText(raw, 'currency', 'currency').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid('currency', raw.currency, 'an ISO 4217 currency code');
  const places = minorUnits(currency);
  const m = (d: Dec): string => money(d, places);

  const createdAt = wooInstant(raw, 'date_created');
  if (createdAt === undefined) throw invalid('date_created_gmt', raw.date_created_gmt, 'a date');
  // A `_fields` subset may leave out the modification dates; creation is then the best lower bound.
  const modifiedAt = wooInstant(raw, 'date_modified') ?? createdAt;
  const paidAt = wooInstant(raw, 'date_paid');

  const taxRates = readTaxRates(raw);
  const lines = optArray(raw, 'line_items', 'line_items').map((item, i) => readLine(item, `line_items[${i}]`, m, taxRates));
  const fees = optArray(raw, 'fee_lines', 'fee_lines').map((fee, i) => readFee(fee, i, m));
  if (lines.length === 0 && fees.length === 0) {
    throw new ValidationError(`order ${orderNumber} has no line_items and no fee_lines: there is nothing to sell`);
  }
  const shippingLines = readShippingLines(raw, m);
  const coupons = optArray(raw, 'coupon_lines', 'coupon_lines').map((c, i) => readCoupon(c, `coupon_lines[${i}]`, m));
  const refunds = optArray(raw, 'refunds', 'refunds').map((r, i) => readRefund(r, i, m));

  const total = reqDecimal(raw, 'total', 'total');
  const totalTax = optDecimal(raw, 'total_tax', 'total_tax')
    ?? sum([...lines, ...shippingLines, ...fees].map((l) => l.totalTax));
  const shippingNet = optDecimal(raw, 'shipping_total', 'shipping_total') ?? sum(shippingLines.map((s) => s.totalNet));
  const discountNet = optDecimal(raw, 'discount_total', 'discount_total') ?? sum(lines.map((l) => l.discountNet));

  const billing = readAddress(raw, 'billing');
  const customerId = optId(raw, 'customer_id', 'customer_id');
  const guest = customerId === undefined || customerId === '0';
  return {
    platform: 'woocommerce',
    shopOrderId,
    orderNumber,
    status,
    paid: paidAt !== undefined,
    ...(paidAt !== undefined && { paidAt }),
    createdAt,
    modifiedAt,
    currency,
    pricesIncludeTax: raw.prices_include_tax === true || raw.prices_include_tax === 'true',
    customer: {
      // customer_id 0 is WooCommerce's guest; a `_fields` subset without it is treated as a guest too.
      ...(!guest && { shopCustomerId: customerId }),
      guest,
      ...(billing.email !== undefined && { email: billing.email }),
      ...(billing.phone !== undefined && { phone: billing.phone }),
    },
    billing,
    shipping: readAddress(raw, 'shipping'),
    lines,
    shippingLines,
    fees,
    coupons,
    refunds,
    ...optional('paymentMethod', optText(raw, 'payment_method', 'payment_method')),
    ...optional('paymentMethodTitle', optText(raw, 'payment_method_title', 'payment_method_title')),
    ...optional('customerNote', optText(raw, 'customer_note', 'customer_note')),
    totals: { total: m(total), totalTax: m(totalTax), shippingNet: m(shippingNet), discountNet: m(discountNet) },
  };
}

/** Id, number and modification time, read without the full mapping; never throws. */
export function identify(input: unknown): RawOrderIdentity | undefined {
  try {
    const raw = unwrap(input);
    const shopOrderId = optId(raw, 'id', 'id');
    if (shopOrderId === undefined) return undefined;
    const identity: RawOrderIdentity = { shopOrderId };
    const number = safe(() => optText(raw, 'number', 'number'));
    if (number !== undefined) identity.orderNumber = number;
    const modifiedAt = safe(() => wooInstant(raw, 'date_modified') ?? wooInstant(raw, 'date_created'));
    if (modifiedAt !== undefined) identity.modifiedAt = modifiedAt;
    return identity;
  } catch {
    return undefined;
  }
}

/** The WordPress.com/Jetpack tunnel wraps a response as `{"data": …}`; a plain order has an `id` instead. */
function unwrap(input: unknown): JsonObject {
  let raw = input;
  if (isObject(raw) && typeof raw.code === 'string' && typeof raw.message === 'string' && !('id' in raw)) {
    throw new ValidationError(`the document is a WordPress error (${describe(raw.code)}: ${describe(raw.message)}), not an order`);
  }
  if (isObject(raw) && !('id' in raw) && 'data' in raw) raw = raw.data;
  if (Array.isArray(raw)) throw new ValidationError(`the document is a list of ${raw.length} elements, not one order`);
  if (!isObject(raw)) throw invalid('the document', raw, 'a JSON object');
  return raw;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function readAddress(raw: JsonObject, key: 'billing' | 'shipping'): Address {
  const a = optPhpObject(raw, key, key);
  if (a === undefined) return {};
  const text = addressText(a, key);
  const country = text('country')?.toUpperCase();
  let state = text('state');
  // WooCommerce 11 sends German states as DE-BY; strip the prefix only when it is this address's country.
  if (state && country && state.toUpperCase().startsWith(`${country}-`)) state = state.slice(country.length + 1);
  return compactAddress({
    firstName: text('first_name'),
    lastName: text('last_name'),
    company: text('company'),
    line1: text('address_1'),
    line2: text('address_2'),
    city: text('city'),
    state,
    postalCode: text('postcode'),
    country,
    email: text('email'),
    phone: text('phone'),
  });
}

/** rate_id → rate_percent from tax_lines, when the store sends the percentage (WooCommerce 8+). */
function readTaxRates(raw: JsonObject): Map<string, string> {
  const rates = new Map<string, string>();
  optArray(raw, 'tax_lines', 'tax_lines').forEach((t, i) => {
    if (!isObject(t)) return;
    const rateId = optId(t, 'rate_id', `tax_lines[${i}].rate_id`);
    const percent = optDecimal(t, 'rate_percent', `tax_lines[${i}].rate_percent`);
    if (rateId !== undefined && percent !== undefined) rates.set(rateId, percent.toFixed());
  });
  return rates;
}

function readLine(value: unknown, path: string, m: (d: Dec) => string, taxRates: Map<string, string>): OrderLine {
  const item = elementObject(value, path);
  const lineId = reqId(item, 'id', `${path}.id`);
  const quantity = reqQuantity(item, 'quantity', `${path}.quantity`);
  if (quantity.lte(0)) throw new ValidationError(`${path}.quantity is ${quantity.toFixed()}, not a positive quantity`);
  const total = reqDecimal(item, 'total', `${path}.total`);
  // Before-discount amount; without it the line had no discount.
  const subtotal = optDecimal(item, 'subtotal', `${path}.subtotal`) ?? total;
  const totalTax = optDecimal(item, 'total_tax', `${path}.total_tax`) ?? new Dec(0);
  const line: OrderLine = {
    lineId,
    name: plainText(optText(item, 'name', `${path}.name`) ?? ''),
    quantity: quantity.toFixed(),
    unitPriceNet: m(new Dec(price(subtotal.dividedBy(quantity)))),
    discountNet: m(subtotal.minus(total)),
    totalNet: m(total),
    totalTax: m(totalTax),
    options: readOptions(item),
  };
  const sku = optText(item, 'sku', `${path}.sku`)?.trim();
  if (sku) line.sku = sku;
  const productId = optId(item, 'product_id', `${path}.product_id`);
  if (productId !== undefined && productId !== '0') line.productId = productId;
  const variantId = optId(item, 'variation_id', `${path}.variation_id`);
  if (variantId !== undefined && variantId !== '0') line.variantId = variantId;
  const gtin = optText(item, 'global_unique_id', `${path}.global_unique_id`)?.trim();
  if (gtin) line.gtin = gtin;
  const taxPercent = lineTaxPercent(item, taxRates);
  if (taxPercent !== undefined) line.taxPercent = taxPercent;
  // Product Bundles (`bundled_by`) and Composite Products (`composite_parent`) point at the parent line.
  const parent = safe(() => optId(item, 'bundled_by', '') ?? optId(item, 'composite_parent', ''));
  if (parent !== undefined && parent !== '0') line.parentLineId = parent;
  return line;
}

/**
 * Variation attributes and add-on choices live in the line's meta_data. Keys starting with `_` are
 * WooCommerce's own bookkeeping (`_reduced_stock`); values that are not scalars are plugin internals.
 * Meta is plugin land, so a malformed entry is skipped rather than holding the order.
 */
function readOptions(item: JsonObject): OrderOption[] {
  const meta = item.meta_data;
  if (!Array.isArray(meta)) return [];
  const options: OrderOption[] = [];
  for (const entry of meta) {
    if (!isObject(entry) || typeof entry.key !== 'string' || entry.key === '' || entry.key.startsWith('_')) continue;
    const label = scalar(entry.display_key) ?? entry.key;
    const value = scalar(entry.display_value) ?? scalar(entry.value);
    if (value === undefined) continue;
    const cleanLabel = plainText(label);
    const cleanValue = plainText(value);
    if (cleanLabel === '' || cleanValue === '') continue;
    const raw = scalar(entry.value);
    const stored = raw === undefined ? undefined : plainText(raw);
    const differs = stored !== undefined && stored !== '' && (entry.key !== cleanLabel || stored !== cleanValue);
    options.push({ label: cleanLabel, value: cleanValue, ...(differs && { key: { label: entry.key, value: stored } }) });
  }
  return options;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return undefined;
}

/** The line's rate when exactly one rate taxed it and tax_lines says its percentage; informational. */
function lineTaxPercent(item: JsonObject, taxRates: Map<string, string>): string | undefined {
  if (!Array.isArray(item.taxes) || taxRates.size === 0) return undefined;
  const used = new Set<string>();
  for (const t of item.taxes) {
    if (!isObject(t)) return undefined;
    const id = safe(() => optId(t, 'id', ''));
    const amount = safe(() => optDecimal(t, 'total', ''));
    if (id !== undefined && amount !== undefined && !amount.isZero()) used.add(id);
  }
  if (used.size !== 1) return undefined;
  return taxRates.get([...used][0] as string);
}

function readShippingLines(raw: JsonObject, m: (d: Dec) => string): ShippingLine[] {
  if (raw.shipping_lines === undefined) {
    // A `_fields` subset without shipping_lines still states shipping_total; one synthetic line keeps
    // that money on the BC document instead of silently dropping it.
    const total = optDecimal(raw, 'shipping_total', 'shipping_total');
    if (total === undefined || total.isZero()) return [];
    const tax = optDecimal(raw, 'shipping_tax', 'shipping_tax') ?? new Dec(0);
    return [{ lineId: 'shipping', method: 'Shipping', totalNet: m(total), totalTax: m(tax) }];
  }
  return optArray(raw, 'shipping_lines', 'shipping_lines').map((value, i) => {
    const path = `shipping_lines[${i}]`;
    const s = elementObject(value, path);
    const methodId = optText(s, 'method_id', `${path}.method_id`);
    const line: ShippingLine = {
      lineId: optId(s, 'id', `${path}.id`) ?? `shipping-${i}`,
      method: plainText(optText(s, 'method_title', `${path}.method_title`) ?? '') || methodId || 'Shipping',
      totalNet: m(reqDecimal(s, 'total', `${path}.total`)),
      totalTax: m(optDecimal(s, 'total_tax', `${path}.total_tax`) ?? new Dec(0)),
    };
    if (methodId !== undefined) line.methodId = methodId;
    return line;
  });
}

/** Fees keep their sign: a negative fee is how many stores book a discount. */
function readFee(value: unknown, i: number, m: (d: Dec) => string): FeeLine {
  const path = `fee_lines[${i}]`;
  const fee = elementObject(value, path);
  const name = plainText(optText(fee, 'name', `${path}.name`) ?? '');
  return {
    lineId: optId(fee, 'id', `${path}.id`) ?? `fee-${i}`,
    name: name || 'Fee',
    totalNet: m(reqDecimal(fee, 'total', `${path}.total`)),
    totalTax: m(optDecimal(fee, 'total_tax', `${path}.total_tax`) ?? new Dec(0)),
  };
}

function readCoupon(value: unknown, path: string, m: (d: Dec) => string): Coupon {
  const c = elementObject(value, path);
  return {
    code: optText(c, 'code', `${path}.code`) ?? '',
    discountNet: m(optDecimal(c, 'discount', `${path}.discount`) ?? new Dec(0)),
    discountTax: m(optDecimal(c, 'discount_tax', `${path}.discount_tax`) ?? new Dec(0)),
  };
}

/** Order refunds carry negative totals ("-9.99"); the canonical amount is positive. */
function readRefund(value: unknown, i: number, m: (d: Dec) => string): Refund {
  const path = `refunds[${i}]`;
  const r = elementObject(value, path);
  const refund: Refund = {
    refundId: optId(r, 'id', `${path}.id`) ?? `refund-${i}`,
    amount: m(reqDecimal(r, 'total', `${path}.total`).abs()),
  };
  // Current stores send `reason`; the v3 docs' samples show the same text under `refund`.
  const reason = optText(r, 'reason', `${path}.reason`) ?? optText(r, 'refund', `${path}.refund`);
  if (reason !== undefined) refund.reason = reason;
  return refund;
}
