import { Dec } from '../../domain/money.js';
import type { Address } from '../../domain/order.js';
import { addressText, compactAddress } from '../address-fields.js';
import { elementObject, invalid, isObject, optArray, optDecimal, optObject, type JsonObject } from '../json-fields.js';
import { optId, optInstant, optText, reqText } from './fields.js';
import { definedSetter, readLineKey, readShippingLabels } from './parts-fields.js';
import type { PartsAllocation, PartsLine, PartsShipping, PartsTax, ShopifyOrderParts } from './order-parts.js';

export type CurrencyMode = 'shop' | 'presentment';

/**
 * The REST shape (webshop-api.md §2 "Order document"): what Shopify delivers as a webhook body even to
 * GraphQL apps, and what the reference samples are. Every amount has a plain field in the shop currency
 * and a `*_set` with shop_money and presentment_money; the set is read when present so presentment
 * amounts can be chosen, the plain field otherwise (old API shapes have no sets).
 */
export function readRestOrder(raw: JsonObject, mode: CurrencyMode): ShopifyOrderParts {
  const shopCurrency = reqText(raw, 'currency', 'currency').toUpperCase();
  const presentment = optText(raw, 'presentment_currency', 'presentment_currency')?.toUpperCase() ?? shopCurrency;
  const currency = mode === 'shop' ? shopCurrency : presentment;
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(mode === 'shop' ? 'currency' : 'presentment_currency', currency, 'an ISO 4217 currency code');
  const bagKey = mode === 'shop' ? 'shop_money' : 'presentment_money';
  const plainUsable = currency === shopCurrency;

  /** `key` in the chosen currency: from `key_set` when there is one, else the plain field (shop currency). */
  const amount = (obj: JsonObject, key: string, path: string): Dec | undefined => {
    const set = optObject(obj, `${key}_set`, `${path}_set`);
    if (set) {
      const bag = optObject(set, bagKey, `${path}_set.${bagKey}`);
      if (bag) return optDecimal(bag, 'amount', `${path}_set.${bagKey}.amount`);
    }
    if (!plainUsable) {
      if (obj[key] === undefined || obj[key] === null) return undefined;
      throw invalid(`${path}_set.${bagKey}`, undefined, `the ${currency} amount (the order's presentment currency differs from the shop's ${shopCurrency})`);
    }
    return optDecimal(obj, key, path);
  };
  const setOnly = (obj: JsonObject, key: string, path: string): Dec | undefined => {
    const set = optObject(obj, key, path);
    const bag = set && optObject(set, bagKey, `${path}.${bagKey}`);
    return bag ? optDecimal(bag, 'amount', `${path}.${bagKey}.amount`) : undefined;
  };
  const allocations = (obj: JsonObject, path: string): PartsAllocation[] | undefined => {
    if (obj.discount_allocations === undefined || obj.discount_allocations === null) return undefined;
    return optArray(obj, 'discount_allocations', `${path}.discount_allocations`).map((a, i) => {
      const p = `${path}.discount_allocations[${i}]`;
      const alloc = elementObject(a, p);
      const value = amount(alloc, 'amount', `${p}.amount`);
      if (value === undefined) throw invalid(`${p}.amount`, undefined, 'a decimal amount');
      const index = alloc.discount_application_index;
      return { amount: value, ...(typeof index === 'number' && Number.isInteger(index) && { index }) };
    });
  };
  const taxes = (obj: JsonObject, path: string): PartsTax[] =>
    optArray(obj, 'tax_lines', `${path}.tax_lines`).map((t, i) => {
      const p = `${path}.tax_lines[${i}]`;
      const tax = elementObject(t, p);
      const price = amount(tax, 'price', `${p}.price`) ?? new Dec(0);
      const rate = optDecimal(tax, 'rate', `${p}.rate`);
      return { amount: price, ...(rate !== undefined && { rate }) };
    });

  const lines: PartsLine[] = optArray(raw, 'line_items', 'line_items').map((value, i) => {
    const path = `line_items[${i}]`;
    const item = elementObject(value, path);
    const { id, quantity } = readLineKey(item, path);
    const unitPrice = amount(item, 'price', `${path}.price`);
    if (unitPrice === undefined) throw invalid(`${path}.price`, item.price, 'a decimal amount');
    const line: PartsLine = {
      id,
      name: optText(item, 'name', `${path}.name`) ?? optText(item, 'title', `${path}.title`) ?? '',
      quantity,
      unitPrice,
      taxes: taxes(item, path),
      properties: readProperties(item, path),
    };
    const sku = optText(item, 'sku', `${path}.sku`)?.trim();
    if (sku) line.sku = sku;
    const productId = optId(item, 'product_id', `${path}.product_id`);
    if (productId) line.productId = productId;
    const variantId = optId(item, 'variant_id', `${path}.variant_id`);
    if (variantId) line.variantId = variantId;
    const allocs = allocations(item, path);
    if (allocs) line.allocations = allocs;
    const legacy = amount(item, 'total_discount', `${path}.total_discount`);
    if (legacy !== undefined) line.legacyDiscount = legacy;
    return line;
  });

  const shippingLines: PartsShipping[] = optArray(raw, 'shipping_lines', 'shipping_lines').map((value, i) => {
    const path = `shipping_lines[${i}]`;
    const s = elementObject(value, path);
    const price = amount(s, 'price', `${path}.price`);
    if (price === undefined) throw invalid(`${path}.price`, s.price, 'a decimal amount');
    const line: PartsShipping = { price, taxes: taxes(s, path), ...readShippingLabels(s, path) };
    const discounted = amount(s, 'discounted_price', `${path}.discounted_price`);
    if (discounted !== undefined) line.discountedPrice = discounted;
    const allocs = allocations(s, path);
    if (allocs) line.allocations = allocs;
    return line;
  });

  const discountApplications = new Map<number, { code?: string; title?: string }>();
  optArray(raw, 'discount_applications', 'discount_applications').forEach((value, i) => {
    const app = elementObject(value, `discount_applications[${i}]`);
    const code = optText(app, 'code', `discount_applications[${i}].code`);
    const title = optText(app, 'title', `discount_applications[${i}].title`) ?? optText(app, 'description', `discount_applications[${i}].description`);
    // REST allocations point at the position in this list.
    discountApplications.set(i, { ...(code && { code }), ...(title && { title }) });
  });
  const discountCodes = optArray(raw, 'discount_codes', 'discount_codes').map((value, i) => {
    const dc = elementObject(value, `discount_codes[${i}]`);
    const code = optText(dc, 'code', `discount_codes[${i}].code`) ?? '';
    // discount_codes[].amount is in the shop currency only.
    const amt = plainUsable ? optDecimal(dc, 'amount', `discount_codes[${i}].amount`) : undefined;
    return { code, ...(amt !== undefined && { amount: amt }) };
  });

  const total = amount(raw, 'total_price', 'total_price');
  if (total === undefined) throw invalid('total_price', raw.total_price, 'a decimal amount');
  const extras: { name: string; amount: Dec }[] = [];
  const tip = plainUsable ? optDecimal(raw, 'total_tip_received', 'total_tip_received') : undefined;
  if (tip && !tip.isZero()) extras.push({ name: 'Tip', amount: tip });
  const duties = setOnly(raw, 'original_total_duties_set', 'original_total_duties_set');
  if (duties && !duties.isZero()) extras.push({ name: 'Duties', amount: duties });
  const fees = setOnly(raw, 'original_total_additional_fees_set', 'original_total_additional_fees_set');
  if (fees && !fees.isZero()) extras.push({ name: 'Additional fees', amount: fees });

  const customerObj = optObject(raw, 'customer', 'customer');
  const customerId = customerObj ? optId(customerObj, 'id', 'customer.id') : undefined;
  const parts: ShopifyOrderParts = {
    id: optId(raw, 'id', 'id') ?? '',
    taxesIncluded: raw.taxes_included === true || raw.taxes_included === 'true',
    currency,
    lines,
    shippingLines,
    discountApplications,
    discountCodes,
    total,
    extras,
    refunds: readRefunds(raw, currency, amount),
    gateways: optArray(raw, 'payment_gateway_names', 'payment_gateway_names').filter((g): g is string => typeof g === 'string' && g !== ''),
  };
  const set = definedSetter(parts);
  set('name', optText(raw, 'name', 'name'));
  set('number', optText(raw, 'order_number', 'order_number') ?? optText(raw, 'number', 'number'));
  set('createdAt', optInstant(raw, 'created_at', 'created_at'));
  set('processedAt', optInstant(raw, 'processed_at', 'processed_at'));
  set('updatedAt', optInstant(raw, 'updated_at', 'updated_at'));
  set('cancelledAt', optInstant(raw, 'cancelled_at', 'cancelled_at'));
  set('financialStatus', optText(raw, 'financial_status', 'financial_status')?.toLowerCase());
  set('email', optText(raw, 'email', 'email') ?? optText(raw, 'contact_email', 'contact_email') ?? (customerObj && optText(customerObj, 'email', 'customer.email')));
  set('phone', optText(raw, 'phone', 'phone') ?? (customerObj && optText(customerObj, 'phone', 'customer.phone')));
  set('note', optText(raw, 'note', 'note'));
  set('totalTax', amount(raw, 'total_tax', 'total_tax'));
  if (customerId) {
    parts.customer = { id: customerId };
    const email = customerObj && optText(customerObj, 'email', 'customer.email');
    if (email) parts.customer.email = email;
  }
  set('billing', readAddress(raw, 'billing_address'));
  set('shipping', readAddress(raw, 'shipping_address'));
  return parts;
}

/** Line item properties (custom options). Names starting with `_` are hidden by Shopify's convention. */
function readProperties(item: JsonObject, path: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const value of optArray(item, 'properties', `${path}.properties`)) {
    if (!isObject(value)) continue;
    const name = typeof value.name === 'string' ? value.name.trim() : '';
    const v = typeof value.value === 'string' ? value.value.trim() : typeof value.value === 'number' ? String(value.value) : '';
    if (name === '' || name.startsWith('_') || v === '') continue;
    out.push({ name, value: v });
  }
  return out;
}

function readAddress(raw: JsonObject, key: string): Address | undefined {
  const a = optObject(raw, key, key);
  if (!a) return undefined;
  const text = addressText(a, key);
  return compactAddress({
    firstName: text('first_name'),
    lastName: text('last_name'),
    name: text('name'),
    company: text('company'),
    line1: text('address1'),
    line2: text('address2'),
    city: text('city'),
    state: text('province_code') ?? text('province'),
    postalCode: text('zip'),
    country: text('country_code')?.toUpperCase(),
    phone: text('phone'),
  });
}

/**
 * Refunded amounts: the successful refund transactions when they are in the chosen currency (money that
 * actually went back), else the refunded lines (subtotal + tax) from their sets.
 */
function readRefunds(
  raw: JsonObject,
  currency: string,
  amount: (obj: JsonObject, key: string, path: string) => Dec | undefined,
): ShopifyOrderParts['refunds'] {
  return optArray(raw, 'refunds', 'refunds').map((value, i) => {
    const path = `refunds[${i}]`;
    const r = elementObject(value, path);
    let total = new Dec(0);
    let fromTransactions = false;
    for (const [j, t] of optArray(r, 'transactions', `${path}.transactions`).entries()) {
      if (!isObject(t) || t.kind !== 'refund' || (t.status !== undefined && t.status !== 'success')) continue;
      const tc = typeof t.currency === 'string' ? t.currency.toUpperCase() : currency;
      if (tc !== currency) continue;
      const a = optDecimal(t, 'amount', `${path}.transactions[${j}].amount`);
      if (a) {
        total = total.plus(a);
        fromTransactions = true;
      }
    }
    if (!fromTransactions) {
      for (const [j, li] of optArray(r, 'refund_line_items', `${path}.refund_line_items`).entries()) {
        if (!isObject(li)) continue;
        const p = `${path}.refund_line_items[${j}]`;
        total = total.plus(amount(li, 'subtotal', `${p}.subtotal`) ?? 0).plus(amount(li, 'total_tax', `${p}.total_tax`) ?? 0);
      }
    }
    const refund: ShopifyOrderParts['refunds'][number] = { id: optId(r, 'id', `${path}.id`) ?? `refund-${i}`, amount: total.abs() };
    const note = optText(r, 'note', `${path}.note`);
    if (note) refund.note = note;
    return refund;
  });
}
