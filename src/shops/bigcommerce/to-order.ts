import type { Address, CanonicalOrder, Coupon, FeeLine, OrderLine, OrderOption, Refund, ShippingLine } from '../../domain/order.js';
import { Dec, minorUnits, money, price, sum } from '../../domain/money.js';
import { ValidationError } from '../../domain/errors.js';
import type { RawOrderIdentity } from '../connector.js';
import { addressText, compactAddress } from '../address-fields.js';
import {
  describe, elementObject, invalid, isObject, optArray, optDecimal, optText, reqDecimal, reqQuantity, safe, type JsonObject,
} from '../json-fields.js';
import { optId, optPhpObject, reqId } from '../php-fields.js';
import { nonOrderKind } from './document-kind.js';
import { parseBigCommerceDate } from './rfc2822.js';
import { CAPTURED_PAYMENT_STATUSES, FAILED_PAYMENT_STATUSES, PAYMENT_CONFIRMED_STATUS_IDS, slugStatus, STATUS_SLUGS } from './statuses.js';

/**
 * A BigCommerce order as bcbridge stores it (docs/bigcommerce.md, "raw order"): the v2 order object
 * exactly as GET /v2/orders/{id} returns it, with the sub-resources it only links to replaced by
 * their content — `products`, `shipping_addresses`, `coupons` (lists), `fees` (BigCommerce's own
 * embedded list, or the /fees answer when the order had none), and when fetched `taxes` (/taxes) and
 * `refunds` (v3 refund objects). Pure mapping to the canonical order.
 *
 * Amounts: product `total_ex_tax`/`total_inc_tax`/`total_tax` are before discounts;
 * `applied_discounts[].amount` is in the store's pricing basis (including tax when
 * `is_tax_inclusive_pricing`); `discounted_total_inc_tax` is the line after discounts, including tax.
 */
export function toOrder(input: unknown): CanonicalOrder {
  const raw = orderDocument(input);
  const shopOrderId = reqId(raw, 'id', 'id');
  const status = readStatus(raw);
  const currency = (optText(raw, 'default_currency_code', 'default_currency_code') ?? optText(raw, 'currency_code', 'currency_code'))?.trim().toUpperCase();
  if (!currency || !/^[A-Z]{3}$/.test(currency)) {
    throw invalid('default_currency_code', raw.default_currency_code ?? raw.currency_code, 'an ISO 4217 currency code');
  }
  const places = minorUnits(currency);
  const m = (d: Dec): string => money(d, places);
  const createdAt = reqDate(raw, 'date_created');
  const modifiedAt = optDate(raw, 'date_modified') ?? createdAt;
  const inclusive = raw.is_tax_inclusive_pricing === true || raw.is_tax_inclusive_pricing === 'true';

  const products = subResource(raw, 'products', shopOrderId);
  const taxRates = readTaxRates(raw);
  const lines = products.map((p, i) => readLine(p, `products[${i}]`, inclusive, places, m, taxRates));
  if (lines.length === 0) throw new ValidationError(`order ${shopOrderId} has no products: there is nothing to sell`);
  const addresses = subResource(raw, 'shipping_addresses', shopOrderId).map((a, i) => elementObject(a, `shipping_addresses[${i}]`));
  const shippingLines = readShipping(raw, addresses, m);
  const fees = readFees(raw, m);
  const coupons = optArray(raw, 'coupons', 'coupons').map((c, i) => readCoupon(c, `coupons[${i}]`, m));
  const refunds = readRefunds(raw, shopOrderId, m);

  const total = reqDecimal(raw, 'total_inc_tax', 'total_inc_tax');
  const totalEx = optDecimal(raw, 'total_ex_tax', 'total_ex_tax');
  const totalTax = optDecimal(raw, 'total_tax', 'total_tax') ?? (totalEx ? total.minus(totalEx) : sum([...lines, ...shippingLines, ...fees].map((l) => l.totalTax)));
  const billing = readAddress(raw.billing_address, 'billing_address');
  const shipping = addresses[0] ? readAddress(addresses[0], 'shipping_addresses[0]') : {};
  const customerId = optId(raw, 'customer_id', 'customer_id');
  const guest = customerId === undefined || customerId === '0';
  const paymentStatus = optText(raw, 'payment_status', 'payment_status')?.toLowerCase();
  const statusId = optId(raw, 'status_id', 'status_id');
  const paid = paymentStatus !== undefined && FAILED_PAYMENT_STATUSES.has(paymentStatus)
    ? false
    : (paymentStatus !== undefined && CAPTURED_PAYMENT_STATUSES.has(paymentStatus)) || (statusId !== undefined && PAYMENT_CONFIRMED_STATUS_IDS.has(Number(statusId)));
  const paymentMethodTitle = optText(raw, 'payment_method', 'payment_method');
  const provider = optText(raw, 'payment_provider_id', 'payment_provider_id');
  return {
    platform: 'bigcommerce',
    shopOrderId,
    // BigCommerce has one number: the order id is what the customer sees.
    orderNumber: shopOrderId,
    status,
    paid,
    createdAt,
    modifiedAt,
    currency,
    pricesIncludeTax: inclusive,
    customer: {
      ...(!guest && { shopCustomerId: customerId }),
      guest,
      ...(billing.email !== undefined && { email: billing.email }),
      ...(billing.phone !== undefined && { phone: billing.phone }),
    },
    billing,
    shipping,
    lines,
    shippingLines,
    fees,
    coupons,
    refunds,
    ...((provider ?? paymentMethodTitle) !== undefined && { paymentMethod: provider ?? paymentMethodTitle }),
    ...(paymentMethodTitle !== undefined && { paymentMethodTitle }),
    ...(optText(raw, 'customer_message', 'customer_message')?.trim() && { customerNote: optText(raw, 'customer_message', 'customer_message')!.trim() }),
    totals: {
      total: m(total),
      totalTax: m(totalTax),
      shippingNet: m(sum(shippingLines.map((s) => s.totalNet))),
      discountNet: m(sum(lines.map((l) => l.discountNet))),
    },
  };
}

/** Id, number and modification time, read without the full mapping; never throws. */
export function identify(input: unknown): RawOrderIdentity | undefined {
  try {
    if (!isObject(input)) return undefined;
    const shopOrderId = optId(input, 'id', 'id');
    if (shopOrderId === undefined || nonOrderKind(input) !== undefined) return undefined;
    const identity: RawOrderIdentity = { shopOrderId, orderNumber: shopOrderId };
    const modifiedAt = safe(() => optDate(input, 'date_modified') ?? optDate(input, 'date_created'));
    if (modifiedAt !== undefined) identity.modifiedAt = modifiedAt;
    return identity;
  } catch {
    return undefined;
  }
}

function orderDocument(input: unknown): JsonObject {
  const kind = nonOrderKind(input);
  if (kind !== undefined) throw new ValidationError(`the document is ${kind}, not an order`);
  if (Array.isArray(input)) throw new ValidationError(`the document is a list of ${input.length} elements, not one order`);
  if (!isObject(input)) throw invalid('the document', input, 'a JSON object');
  return input;
}

function readStatus(raw: JsonObject): string {
  const id = optId(raw, 'status_id', 'status_id');
  const known = id !== undefined ? STATUS_SLUGS[Number(id)] : undefined;
  if (known) return known;
  const label = optText(raw, 'status', 'status') ?? optText(raw, 'custom_status', 'custom_status');
  if (label && slugStatus(label)) return slugStatus(label);
  throw invalid('status_id', raw.status_id, 'an order status id');
}

function optDate(obj: JsonObject, key: string): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalid(key, value, 'an RFC 2822 date');
  const ms = parseBigCommerceDate(value);
  if (ms === undefined) throw invalid(key, value, 'an RFC 2822 date');
  return new Date(ms).toISOString();
}

function reqDate(obj: JsonObject, key: string): string {
  const date = optDate(obj, key);
  if (date === undefined) throw invalid(key, obj[key], 'an RFC 2822 date');
  return date;
}

/** A linked sub-resource must have been fetched into the document (client.ts does it). */
function subResource(raw: JsonObject, key: 'products' | 'shipping_addresses', orderId: string): unknown[] {
  const value = raw[key];
  if (isObject(value) && ('resource' in value || 'url' in value)) {
    throw new ValidationError(
      `${key} holds only the link ${describe(value.resource ?? value.url)}: order ${orderId} was stored without its ${key.replace('_', ' ')}; bcbridge reads BigCommerce orders with their sub-resources (docs/bigcommerce.md)`,
    );
  }
  if (key === 'products' && (value === undefined || value === null)) {
    throw new ValidationError(`products is missing: order ${orderId} was stored without its products`);
  }
  return optArray(raw, key, key);
}

/** order_address_id → the tax rate in percent, when /taxes was read and that address has exactly one rate. */
function readTaxRates(raw: JsonObject): Map<string, string> {
  const byAddress = new Map<string, Set<string>>();
  if (!Array.isArray(raw.taxes)) return new Map();
  raw.taxes.forEach((t, i) => {
    if (!isObject(t)) return;
    const address = safe(() => optId(t, 'order_address_id', `taxes[${i}].order_address_id`));
    const rate = safe(() => optDecimal(t, 'rate', `taxes[${i}].rate`));
    const amount = safe(() => optDecimal(t, 'line_amount', `taxes[${i}].line_amount`));
    if (address === undefined || rate === undefined || (amount !== undefined && amount.isZero())) return;
    byAddress.set(address, (byAddress.get(address) ?? new Set()).add(rate.toFixed()));
  });
  const out = new Map<string, string>();
  for (const [address, rates] of byAddress) if (rates.size === 1) out.set(address, [...rates][0]!);
  return out;
}

function readLine(value: unknown, path: string, inclusive: boolean, places: number, m: (d: Dec) => string, taxRates: Map<string, string>): OrderLine {
  const item = elementObject(value, path);
  const lineId = reqId(item, 'id', `${path}.id`);
  const quantity = reqQuantity(item, 'quantity', `${path}.quantity`);
  if (quantity.lte(0)) throw new ValidationError(`${path}.quantity is ${quantity.toFixed()}, not a positive quantity`);
  const netBefore = optDecimal(item, 'total_ex_tax', `${path}.total_ex_tax`)
    ?? reqDecimal(item, 'price_ex_tax', `${path}.price_ex_tax`).times(quantity);
  const grossBefore = optDecimal(item, 'total_inc_tax', `${path}.total_inc_tax`);
  const taxBefore = optDecimal(item, 'total_tax', `${path}.total_tax`) ?? (grossBefore ? grossBefore.minus(netBefore) : new Dec(0));
  const discount = optArray(item, 'applied_discounts', `${path}.applied_discounts`)
    .reduce<Dec>((acc, d, i) => acc.plus(reqDecimal(elementObject(d, `${path}.applied_discounts[${i}]`), 'amount', `${path}.applied_discounts[${i}].amount`)), new Dec(0));
  const discountedGross = optDecimal(item, 'discounted_total_inc_tax', `${path}.discounted_total_inc_tax`);

  let totalNet: Dec;
  let totalTax: Dec;
  if (discount.isZero()) {
    totalNet = netBefore;
    totalTax = taxBefore;
  } else if (!inclusive) {
    // Discounts of a tax-exclusive store are net amounts; the tax after them is what remains of the discounted gross.
    totalNet = netBefore.minus(discount);
    totalTax = discountedGross !== undefined ? discountedGross.minus(totalNet) : scaleTax(taxBefore, netBefore, totalNet, places);
  } else {
    // Prices include tax: the discount came off the gross; split the rest at the line's own rate.
    const gross = discountedGross ?? (grossBefore ?? netBefore.plus(taxBefore)).minus(discount);
    const rate = netBefore.isZero() ? new Dec(0) : taxBefore.dividedBy(netBefore);
    totalTax = gross.times(rate).dividedBy(rate.plus(1)).toDecimalPlaces(places, Dec.ROUND_HALF_UP);
    totalNet = gross.minus(totalTax);
  }
  const line: OrderLine = {
    lineId,
    name: (optText(item, 'name', `${path}.name`) ?? optText(item, 'name_customer', `${path}.name_customer`) ?? '').trim(),
    quantity: quantity.toFixed(),
    unitPriceNet: m(new Dec(price(netBefore.dividedBy(quantity)))),
    discountNet: m(netBefore.minus(totalNet)),
    totalNet: m(totalNet),
    totalTax: m(totalTax),
    options: readOptions(item, path),
  };
  const sku = optText(item, 'sku', `${path}.sku`)?.trim();
  if (sku) line.sku = sku;
  const productId = optId(item, 'product_id', `${path}.product_id`);
  if (productId !== undefined && productId !== '0') line.productId = productId;
  const variantId = optId(item, 'variant_id', `${path}.variant_id`);
  if (variantId !== undefined && variantId !== '0') line.variantId = variantId;
  const upc = optText(item, 'upc', `${path}.upc`)?.trim();
  if (upc) line.gtin = upc;
  const address = safe(() => optId(item, 'order_address_id', ''));
  const rate = address !== undefined ? taxRates.get(address) : undefined;
  if (rate !== undefined) line.taxPercent = rate;
  // Pick-list and bundle components arrive as their own lines at price 0, pointing at the product they belong to.
  const parent = safe(() => optId(item, 'parent_order_product_id', ''));
  if (parent !== undefined && parent !== '0') line.parentLineId = parent;
  return line;
}

function scaleTax(tax: Dec, before: Dec, after: Dec, places: number): Dec {
  if (before.isZero()) return new Dec(0);
  return tax.times(after).dividedBy(before).toDecimalPlaces(places, Dec.ROUND_HALF_UP);
}

/** product_options: the customer's choices (size, colour, text). Malformed entries are skipped, not fatal. */
function readOptions(item: JsonObject, path: string): OrderOption[] {
  const out: OrderOption[] = [];
  for (const o of optArray(item, 'product_options', `${path}.product_options`)) {
    if (!isObject(o)) continue;
    const label = [o.display_name, o.display_name_customer, o.name].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
    const value = [o.display_value, o.display_value_customer, o.value].find((v) => (typeof v === 'string' && v.trim() !== '') || typeof v === 'number');
    if (label === undefined || value === undefined) continue;
    // `name` and `value` are what the store keeps (option name, value id); display_* is what the customer saw.
    const keyLabel = typeof o.name === 'string' && o.name.trim() !== '' ? o.name.trim() : label.trim();
    const keyValue = typeof o.value === 'string' || typeof o.value === 'number' ? String(o.value).trim() : undefined;
    const differs = keyValue !== undefined && keyValue !== '' && (keyLabel !== label.trim() || keyValue !== String(value).trim());
    out.push({ label: label.trim(), value: String(value).trim(), ...(differs && { key: { label: keyLabel, value: keyValue } }) });
  }
  return out;
}

/**
 * One shipping line with the order's own shipping amounts (they are what the grand total contains);
 * the method names come from the shipping addresses (one per consignment).
 */
function readShipping(raw: JsonObject, addresses: JsonObject[], m: (d: Dec) => string): ShippingLine[] {
  const net = optDecimal(raw, 'shipping_cost_ex_tax', 'shipping_cost_ex_tax');
  const gross = optDecimal(raw, 'shipping_cost_inc_tax', 'shipping_cost_inc_tax');
  const tax = optDecimal(raw, 'shipping_cost_tax', 'shipping_cost_tax') ?? (net && gross ? gross.minus(net) : new Dec(0));
  const amount = net ?? (gross ? gross.minus(tax) : undefined);
  if (addresses.length === 0 && (amount === undefined || amount.isZero())) return [];
  const methods = [...new Set(addresses.map((a, i) => optText(a, 'shipping_method', `shipping_addresses[${i}].shipping_method`)?.trim()).filter((s): s is string => !!s))];
  return [{
    lineId: 'shipping',
    method: methods.join(', ') || 'Shipping',
    ...(methods.length === 1 && { methodId: methods[0] }),
    totalNet: m(amount ?? new Dec(0)),
    totalTax: m(tax),
  }];
}

/** Handling and gift wrapping are order-level costs; fees are the newer custom fees (both spellings of cost_ex_tax). */
function readFees(raw: JsonObject, m: (d: Dec) => string): FeeLine[] {
  const out: FeeLine[] = [];
  for (const [key, name] of [['handling_cost', 'Handling'], ['wrapping_cost', 'Gift wrapping']] as const) {
    const net = optDecimal(raw, `${key}_ex_tax`, `${key}_ex_tax`);
    if (!net || net.isZero()) continue;
    const gross = optDecimal(raw, `${key}_inc_tax`, `${key}_inc_tax`);
    const tax = optDecimal(raw, `${key}_tax`, `${key}_tax`) ?? (gross ? gross.minus(net) : new Dec(0));
    out.push({ lineId: key.replace('_cost', ''), name, totalNet: m(net), totalTax: m(tax) });
  }
  optArray(raw, 'fees', 'fees').forEach((value, i) => {
    const path = `fees[${i}]`;
    const fee = elementObject(value, path);
    const net = optDecimal(fee, 'cost_ex_tax', `${path}.cost_ex_tax`) ?? reqDecimal(fee, 'cost_exc_tax', `${path}.cost_ex_tax`);
    const gross = optDecimal(fee, 'cost_inc_tax', `${path}.cost_inc_tax`);
    const tax = optDecimal(fee, 'cost_tax', `${path}.cost_tax`) ?? (gross ? gross.minus(net) : new Dec(0));
    const name = optText(fee, 'display_name_customer', `${path}.display_name_customer`) ?? optText(fee, 'display_name_merchant', `${path}.display_name_merchant`);
    out.push({ lineId: `fee-${optId(fee, 'id', `${path}.id`) ?? i}`, name: name?.trim() || 'Fee', totalNet: m(net), totalTax: m(tax) });
  });
  return out;
}

function readCoupon(value: unknown, path: string, m: (d: Dec) => string): Coupon {
  const c = elementObject(value, path);
  return {
    code: optText(c, 'code', `${path}.code`) ?? '',
    discountNet: m(optDecimal(c, 'discount', `${path}.discount`) ?? optDecimal(c, 'amount', `${path}.amount`) ?? new Dec(0)),
    discountTax: m(new Dec(0)),
  };
}

/** v3 refund objects when fetched; otherwise the order's refunded_amount as one refund. */
function readRefunds(raw: JsonObject, orderId: string, m: (d: Dec) => string): Refund[] {
  if (Array.isArray(raw.refunds)) {
    return raw.refunds.map((value, i) => {
      const path = `refunds[${i}]`;
      const r = elementObject(value, path);
      const refund: Refund = { refundId: optId(r, 'id', `${path}.id`) ?? `refund-${i}`, amount: m(reqDecimal(r, 'total_amount', `${path}.total_amount`).abs()) };
      const reason = optText(r, 'reason', `${path}.reason`)?.trim();
      if (reason) refund.reason = reason;
      return refund;
    });
  }
  const refunded = optDecimal(raw, 'refunded_amount', 'refunded_amount');
  return refunded && !refunded.isZero() ? [{ refundId: `${orderId}-refunded`, amount: m(refunded.abs()) }] : [];
}

function readAddress(value: unknown, path: string): Address {
  const a = value === undefined || value === null ? undefined : optPhpObject({ a: value }, 'a', path);
  if (a === undefined) return {};
  const text = addressText(a, path);
  return compactAddress({
    firstName: text('first_name'),
    lastName: text('last_name'),
    company: text('company'),
    line1: text('street_1'),
    line2: text('street_2'),
    city: text('city'),
    state: text('state'),
    postalCode: text('zip'),
    country: text('country_iso2')?.toUpperCase(),
    email: text('email'),
    phone: text('phone'),
  });
}
