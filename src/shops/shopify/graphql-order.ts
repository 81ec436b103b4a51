import { Dec } from '../../domain/money.js';
import type { Address } from '../../domain/order.js';
import { addressText, compactAddress } from '../address-fields.js';
import { elementObject, invalid, isObject, optArray, optDecimal, optObject, type JsonObject } from '../json-fields.js';
import { connectionNodes, optId, optInstant, optText, reqText } from './fields.js';
import { definedSetter, readLineKey, readShippingLabels } from './parts-fields.js';
import type { PartsAllocation, PartsLine, PartsShipping, PartsTax, ShopifyOrderParts } from './order-parts.js';
import type { CurrencyMode } from './rest-order.js';

/**
 * A GraphQL Admin API `Order` node as the connector's query selects it (queries.ts): money as `MoneyBag`
 * (`shopMoney` / `presentmentMoney`), ids as `gid://shopify/…`, connections as `nodes`.
 */
export function readGraphqlOrder(raw: JsonObject, mode: CurrencyMode): ShopifyOrderParts {
  const shopCurrency = reqText(raw, 'currencyCode', 'currencyCode').toUpperCase();
  const currency = mode === 'shop' ? shopCurrency : (optText(raw, 'presentmentCurrencyCode', 'presentmentCurrencyCode')?.toUpperCase() ?? shopCurrency);
  if (!/^[A-Z]{3}$/.test(currency)) throw invalid(mode === 'shop' ? 'currencyCode' : 'presentmentCurrencyCode', currency, 'an ISO 4217 currency code');
  const moneyKey = mode === 'shop' ? 'shopMoney' : 'presentmentMoney';

  const bag = (obj: JsonObject, key: string, path: string): Dec | undefined => {
    const set = optObject(obj, key, path);
    if (!set) return undefined;
    const money = optObject(set, moneyKey, `${path}.${moneyKey}`);
    if (!money) throw invalid(`${path}.${moneyKey}`, undefined, `the ${currency} amount`);
    return optDecimal(money, 'amount', `${path}.${moneyKey}.amount`);
  };
  const reqBag = (obj: JsonObject, key: string, path: string): Dec => {
    const d = bag(obj, key, path);
    if (d === undefined) throw invalid(path, obj[key], 'a money amount');
    return d;
  };
  const allocations = (obj: JsonObject, path: string): PartsAllocation[] | undefined => {
    if (obj.discountAllocations === undefined || obj.discountAllocations === null) return undefined;
    return optArray(obj, 'discountAllocations', `${path}.discountAllocations`).map((a, i) => {
      const p = `${path}.discountAllocations[${i}]`;
      const alloc = elementObject(a, p);
      const app = optObject(alloc, 'discountApplication', `${p}.discountApplication`);
      const index = app?.index;
      return { amount: reqBag(alloc, 'allocatedAmountSet', `${p}.allocatedAmountSet`), ...(typeof index === 'number' && Number.isInteger(index) && { index }) };
    });
  };
  const taxes = (obj: JsonObject, path: string): PartsTax[] =>
    optArray(obj, 'taxLines', `${path}.taxLines`).map((t, i) => {
      const p = `${path}.taxLines[${i}]`;
      const tax = elementObject(t, p);
      const rate = optDecimal(tax, 'rate', `${p}.rate`);
      return { amount: bag(tax, 'priceSet', `${p}.priceSet`) ?? new Dec(0), ...(rate !== undefined && { rate }) };
    });

  const lines: PartsLine[] = connectionNodes(raw, 'lineItems', 'lineItems').map((value, i) => {
    const path = `lineItems[${i}]`;
    const item = elementObject(value, path);
    const { id, quantity } = readLineKey(item, path);
    const variant = optObject(item, 'variant', `${path}.variant`);
    const product = optObject(item, 'product', `${path}.product`);
    const line: PartsLine = {
      id,
      name: optText(item, 'name', `${path}.name`) ?? optText(item, 'title', `${path}.title`) ?? '',
      quantity,
      unitPrice: reqBag(item, 'originalUnitPriceSet', `${path}.originalUnitPriceSet`),
      taxes: taxes(item, path),
      properties: optArray(item, 'customAttributes', `${path}.customAttributes`).flatMap((a) => {
        if (!isObject(a) || typeof a.key !== 'string' || typeof a.value !== 'string') return [];
        const name = a.key.trim();
        const v = a.value.trim();
        return name === '' || name.startsWith('_') || v === '' ? [] : [{ name, value: v }];
      }),
    };
    const sku = optText(item, 'sku', `${path}.sku`)?.trim() || (variant && optText(variant, 'sku', `${path}.variant.sku`)?.trim());
    if (sku) line.sku = sku;
    const variantId = variant && optId(variant, 'id', `${path}.variant.id`);
    if (variantId) line.variantId = variantId;
    const productId = product && optId(product, 'id', `${path}.product.id`);
    if (productId) line.productId = productId;
    const gtin = variant && optText(variant, 'barcode', `${path}.variant.barcode`)?.trim();
    if (gtin) line.gtin = gtin;
    const allocs = allocations(item, path);
    if (allocs) line.allocations = allocs;
    return line;
  });

  const shippingLines: PartsShipping[] = connectionNodes(raw, 'shippingLines', 'shippingLines').map((value, i) => {
    const path = `shippingLines[${i}]`;
    const s = elementObject(value, path);
    const line: PartsShipping = { price: reqBag(s, 'originalPriceSet', `${path}.originalPriceSet`), taxes: taxes(s, path), ...readShippingLabels(s, path) };
    const discounted = bag(s, 'discountedPriceSet', `${path}.discountedPriceSet`);
    if (discounted !== undefined) line.discountedPrice = discounted;
    const allocs = allocations(s, path);
    if (allocs) line.allocations = allocs;
    return line;
  });

  const discountApplications = new Map<number, { code?: string; title?: string }>();
  connectionNodes(raw, 'discountApplications', 'discountApplications').forEach((value, i) => {
    const app = elementObject(value, `discountApplications[${i}]`);
    const index = typeof app.index === 'number' ? app.index : i;
    const code = optText(app, 'code', `discountApplications[${i}].code`);
    const title = optText(app, 'title', `discountApplications[${i}].title`);
    discountApplications.set(index, { ...(code && { code }), ...(title && { title }) });
  });

  const extras: { name: string; amount: Dec }[] = [];
  for (const [name, key] of [['Tip', 'totalTipReceivedSet'], ['Duties', 'originalTotalDutiesSet'], ['Additional fees', 'originalTotalAdditionalFeesSet']] as const) {
    const amount = bag(raw, key, key);
    if (amount && !amount.isZero()) extras.push({ name, amount });
  }

  const customerObj = optObject(raw, 'customer', 'customer');
  const customerId = customerObj ? optId(customerObj, 'id', 'customer.id') : undefined;
  const parts: ShopifyOrderParts = {
    id: optId(raw, 'legacyResourceId', 'legacyResourceId') ?? optId(raw, 'id', 'id') ?? '',
    taxesIncluded: raw.taxesIncluded === true,
    currency,
    lines,
    shippingLines,
    discountApplications,
    discountCodes: optArray(raw, 'discountCodes', 'discountCodes').filter((c): c is string => typeof c === 'string' && c !== '').map((code) => ({ code })),
    total: reqBag(raw, 'totalPriceSet', 'totalPriceSet'),
    extras,
    refunds: optArray(raw, 'refunds', 'refunds').map((value, i) => {
      const r = elementObject(value, `refunds[${i}]`);
      const refund: ShopifyOrderParts['refunds'][number] = {
        id: optId(r, 'id', `refunds[${i}].id`) ?? `refund-${i}`,
        amount: (bag(r, 'totalRefundedSet', `refunds[${i}].totalRefundedSet`) ?? new Dec(0)).abs(),
      };
      const note = optText(r, 'note', `refunds[${i}].note`);
      if (note) refund.note = note;
      return refund;
    }),
    gateways: optArray(raw, 'paymentGatewayNames', 'paymentGatewayNames').filter((g): g is string => typeof g === 'string' && g !== ''),
  };
  const set = definedSetter(parts);
  set('name', optText(raw, 'name', 'name'));
  set('createdAt', optInstant(raw, 'createdAt', 'createdAt'));
  set('processedAt', optInstant(raw, 'processedAt', 'processedAt'));
  set('updatedAt', optInstant(raw, 'updatedAt', 'updatedAt'));
  set('cancelledAt', optInstant(raw, 'cancelledAt', 'cancelledAt'));
  set('financialStatus', optText(raw, 'displayFinancialStatus', 'displayFinancialStatus')?.toLowerCase());
  set('email', optText(raw, 'email', 'email') ?? (customerObj && optText(customerObj, 'email', 'customer.email')));
  set('phone', optText(raw, 'phone', 'phone') ?? (customerObj && optText(customerObj, 'phone', 'customer.phone')));
  set('note', optText(raw, 'note', 'note'));
  set('totalTax', bag(raw, 'totalTaxSet', 'totalTaxSet'));
  if (customerId) parts.customer = { id: customerId };
  set('billing', readAddress(raw, 'billingAddress'));
  set('shipping', readAddress(raw, 'shippingAddress'));
  return parts;
}

function readAddress(raw: JsonObject, key: string): Address | undefined {
  const a = optObject(raw, key, key);
  if (!a) return undefined;
  const text = addressText(a, key);
  return compactAddress({
    firstName: text('firstName'),
    lastName: text('lastName'),
    name: text('name'),
    company: text('company'),
    line1: text('address1'),
    line2: text('address2'),
    city: text('city'),
    state: text('provinceCode') ?? text('province'),
    postalCode: text('zip'),
    country: (text('countryCodeV2') ?? text('countryCode'))?.toUpperCase(),
    phone: text('phone'),
  });
}
