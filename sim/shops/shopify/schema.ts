/**
 * The slice of the GraphQL Admin API the simulator serves (shopify.dev admin-graphql, 2025-10): `shop`,
 * `orders` (search `query`, `sortKey`, cursor pagination), `order(id:)` with its `fulfillmentOrders`,
 * `fulfillments` and metafields, `webhookSubscriptions`, and the `webhookSubscriptionCreate` /
 * `webhookSubscriptionDelete`, `fulfillmentCreate` and `metafieldsSet` mutations. Field names and types follow the
 * Admin schema; a field outside this slice is refused as Shopify refuses an unknown one.
 */
import { digest, LOCATION, type FulfillmentDesk, type FulfillmentInput, type MetafieldsSetInput, type SimFulfillmentOrder } from './fulfillment.js';
import { FieldError, type Schema, type TypeDef } from './graphql/execute.js';
import type { Money2 } from './money.js';
import { parseSearch } from './search.js';
import type { ShopStore } from './store.js';
import { orderTotals } from './totals.js';
import type { SimAllocation, SimAddress, SimDiscountApplication, SimFulfillment, SimLine, SimMetafield, SimOrder, SimShippingLine, SimTaxLine } from './types.js';
import type { Subscription, WebhookDispatcher } from './webhooks.js';

export interface SchemaDeps {
  store: ShopStore;
  webhooks: WebhookDispatcher;
  fulfillments: FulfillmentDesk;
  shopDomain: string;
  shopName: string;
  shopCurrency: string;
  tzOffsetMinutes: number;
  /** The API version of the request being served (subscriptions remember it). */
  apiVersion: () => string;
}

const MAX_PAGE = 250;
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const iso = (sec: number | null) => (sec === null ? null : new Date(sec * 1000).toISOString().replace('.000Z', 'Z'));

function parseGid(value: unknown, type: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return m ? Number(m[1]) : undefined;
}

// ---- connections -------------------------------------------------------------------------------

interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const encodeCursor = (key: (string | number)[]) => Buffer.from(JSON.stringify({ last: key })).toString('base64url');
function decodeCursor(cursor: string): (string | number)[] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v?.last)) return v.last;
  } catch {
    // fall through
  }
  throw new FieldError(`Invalid cursor for current pagination sort.`, 'BAD_REQUEST');
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

/**
 * Keyset pagination over `items` already in order: the cursor holds the sort key of the last item, so an
 * item that changes while a client pages moves rather than shifting every later item (nothing is skipped).
 */
function paginate<T>(items: T[], keyOf: (item: T) => (string | number)[], args: { first?: number; after?: string; last?: number; before?: string }, reverse = false): Page<T> {
  if (args.first === undefined && args.last === undefined) throw new FieldError('you must provide one of first or last', 'BAD_REQUEST');
  for (const [name, n] of [['first', args.first], ['last', args.last]] as const) {
    if (n !== undefined && (n < 0 || n > MAX_PAGE)) throw new FieldError(`The ${name} argument must be between 0 and ${MAX_PAGE}.`, 'BAD_REQUEST');
  }
  const dir = reverse ? -1 : 1;
  let list = items;
  if (args.after) {
    const after = decodeCursor(args.after);
    list = list.filter((i) => dir * compareKeys(keyOf(i), after) > 0);
  }
  if (args.before) {
    const before = decodeCursor(args.before);
    list = list.filter((i) => dir * compareKeys(keyOf(i), before) < 0);
  }
  let slice = list;
  let hasNextPage = false;
  let hasPreviousPage = Boolean(args.after);
  if (args.first !== undefined) {
    slice = list.slice(0, args.first);
    hasNextPage = list.length > args.first;
  }
  if (args.last !== undefined) {
    hasPreviousPage = slice.length > args.last;
    slice = slice.slice(Math.max(0, slice.length - args.last));
  }
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    nodes: slice,
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
  };
}

// ---- renderings --------------------------------------------------------------------------------

function bag(o: SimOrder, m: Money2) {
  return { shopMoney: { amount: m.shop, currencyCode: o.currency }, presentmentMoney: { amount: m.presentment, currencyCode: o.presentmentCurrency } };
}

function address(a: SimAddress | null) {
  if (!a) return null;
  return {
    firstName: a.firstName, lastName: a.lastName, name: `${a.firstName} ${a.lastName}`, company: a.company, address1: a.address1, address2: a.address2,
    city: a.city, province: a.province, provinceCode: a.provinceCode, zip: a.zip, country: a.country, countryCodeV2: a.countryCode, phone: a.phone,
  };
}

function taxLine(o: SimOrder, t: SimTaxLine) {
  return { title: t.title, rate: t.rate, ratePercentage: Math.round(t.rate * 10000) / 100, priceSet: bag(o, t.price), channelLiable: false };
}

function discountApplication(d: SimDiscountApplication, index: number) {
  return {
    __kind: d.type,
    index,
    allocationMethod: d.allocationMethod.toUpperCase(),
    targetSelection: d.targetSelection.toUpperCase(),
    targetType: d.targetType.toUpperCase(),
    value: d.valueType === 'percentage' ? { __kind: 'percentage', percentage: Number(d.value) } : { __kind: 'money', amount: d.value, currencyCode: 'EUR' },
    code: d.code ?? null,
    title: d.title ?? d.code ?? null,
    description: d.title ?? null,
  };
}

function allocation(o: SimOrder, a: SimAllocation) {
  const app = o.discountApplications[a.index]!;
  return { allocatedAmountSet: bag(o, a.amount), discountApplication: discountApplication(app, a.index) };
}

function lineNode(o: SimOrder, l: SimLine) {
  const zero = { shop: '0.00', presentment: '0.00' };
  return {
    id: gid('LineItem', l.id),
    name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
    title: l.title,
    variantTitle: l.variantTitle,
    sku: l.sku,
    vendor: l.vendor,
    quantity: l.quantity,
    currentQuantity: l.quantity,
    requiresShipping: true,
    taxable: true,
    isGiftCard: false,
    variant: { id: gid('ProductVariant', l.variantId), sku: l.sku, title: l.variantTitle ?? 'Default Title', barcode: l.barcode },
    product: { id: gid('Product', l.productId), title: l.title },
    originalUnitPriceSet: bag(o, l.price),
    discountAllocations: l.allocations.map((a) => allocation(o, a)),
    totalDiscountSet: bag(o, l.allocations.reduce((s, a) => ({ shop: (Number(s.shop) + Number(a.amount.shop)).toFixed(2), presentment: (Number(s.presentment) + Number(a.amount.presentment)).toFixed(2) }), zero)),
    taxLines: l.taxLines.map((t) => taxLine(o, t)),
    customAttributes: l.properties.map((p) => ({ key: p.name, value: p.value })),
  };
}

function shippingNode(o: SimOrder, s: SimShippingLine) {
  return {
    id: gid('ShippingLine', s.id),
    title: s.title,
    code: s.code,
    source: s.source,
    carrierIdentifier: null,
    originalPriceSet: bag(o, s.price),
    discountedPriceSet: bag(o, s.discountedPrice),
    discountAllocations: s.allocations.map((a) => allocation(o, a)),
    taxLines: s.taxLines.map((t) => taxLine(o, t)),
  };
}

function fulfillmentOrderNode(o: SimOrder, fo: SimFulfillmentOrder) {
  const byId = new Map(o.lines.map((l) => [l.id, l]));
  return {
    __lineItems: fo.lines.map((x) => {
      const l = byId.get(x.lineId)!;
      return {
        id: gid('FulfillmentOrderLineItem', x.id), totalQuantity: x.totalQuantity, remainingQuantity: x.remainingQuantity, sku: l.sku,
        productTitle: l.title, variantTitle: l.variantTitle, requiresShipping: true, lineItem: lineNode(o, l),
      };
    }),
    id: gid('FulfillmentOrder', fo.id),
    orderId: gid('Order', o.id),
    orderName: o.name,
    status: fo.status,
    requestStatus: 'UNSUBMITTED',
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    assignedLocation: { name: LOCATION.name, location: { id: gid('Location', LOCATION.id), name: LOCATION.name } },
  };
}

function fulfillmentNode(o: SimOrder, f: SimFulfillment) {
  const byId = new Map(o.lines.map((l) => [l.id, l]));
  return {
    __lineItems: f.lines.map((x, i) => ({ id: gid('FulfillmentLineItem', f.id * 100 + i), quantity: x.quantity, lineItem: lineNode(o, byId.get(x.lineId)!) })),
    __tracking: f.tracking ? [{ company: f.tracking.company, number: f.tracking.number, url: f.tracking.url }] : [],
    id: gid('Fulfillment', f.id),
    legacyResourceId: String(f.id),
    name: f.name,
    status: f.status.toUpperCase(),
    displayStatus: f.status === 'success' ? 'FULFILLED' : 'CANCELED',
    createdAt: iso(f.createdAt),
    updatedAt: iso(f.updatedAt),
    totalQuantity: f.lines.reduce((s, l) => s + l.quantity, 0),
    requiresShipping: true,
  };
}

function metafieldNode(m: SimMetafield) {
  let jsonValue: unknown = m.value;
  if (m.type === 'json') jsonValue = JSON.parse(m.value);
  else if (m.type === 'number_integer') jsonValue = Number(m.value);
  else if (m.type === 'boolean') jsonValue = m.value === 'true';
  return {
    id: gid('Metafield', m.id), namespace: m.namespace, key: m.key, type: m.type, value: m.value, jsonValue, compareDigest: digest(m.value),
    ownerType: 'ORDER', createdAt: iso(m.createdAt), updatedAt: iso(m.updatedAt),
  };
}

const DISPLAY_FULFILLMENT: Record<string, string> = { fulfilled: 'FULFILLED', partial: 'PARTIALLY_FULFILLED' };

/** An Order node: scalars and objects precomputed, connections resolved from the arrays kept beside them. */
function orderNode(o: SimOrder) {
  const t = orderTotals(o);
  return {
    __sim: o,
    __lines: o.lines.map((l) => lineNode(o, l)),
    __shipping: o.shippingLines.map((s) => shippingNode(o, s)),
    __discounts: o.discountApplications.map((d, i) => discountApplication(d, i)),
    __refunds: o.refunds.map((r) => ({ id: gid('Refund', r.id), createdAt: iso(r.createdAt), note: r.note, totalRefundedSet: bag(o, r.amount) })),
    id: gid('Order', o.id),
    legacyResourceId: String(o.id),
    name: o.name,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    processedAt: iso(o.processedAt),
    cancelledAt: iso(o.cancelledAt),
    cancelReason: o.cancelReason?.toUpperCase() ?? null,
    closed: o.closedAt !== null,
    closedAt: iso(o.closedAt),
    email: o.email,
    phone: o.phone,
    note: o.note,
    tags: o.tags ? o.tags.split(',').map((x) => x.trim()) : [],
    test: o.test,
    confirmed: true,
    sourceName: o.sourceName,
    currencyCode: o.currency,
    presentmentCurrencyCode: o.presentmentCurrency,
    taxesIncluded: o.taxesIncluded,
    displayFinancialStatus: o.financialStatus.toUpperCase(),
    displayFulfillmentStatus: (o.fulfillmentStatus && DISPLAY_FULFILLMENT[o.fulfillmentStatus]) ?? 'UNFULFILLED',
    paymentGatewayNames: [o.gateway],
    discountCodes: o.discountCodes.map((d) => d.code),
    customer: o.customer && {
      id: gid('Customer', o.customer.id), firstName: o.customer.firstName, lastName: o.customer.lastName,
      displayName: `${o.customer.firstName} ${o.customer.lastName}`, email: o.customer.email, phone: o.customer.phone,
    },
    billingAddress: address(o.billing),
    shippingAddress: address(o.shipping),
    taxLines: t.taxLines.map((x) => taxLine(o, x)),
    totalPriceSet: bag(o, t.total),
    currentTotalPriceSet: bag(o, t.total),
    subtotalPriceSet: bag(o, t.subtotal),
    currentSubtotalPriceSet: bag(o, t.subtotal),
    totalTaxSet: bag(o, t.tax),
    currentTotalTaxSet: bag(o, t.tax),
    totalShippingPriceSet: bag(o, t.shipping),
    totalDiscountsSet: bag(o, t.discounts),
    currentTotalDiscountsSet: bag(o, t.discounts),
    totalRefundedSet: bag(o, t.refunded),
    totalTipReceivedSet: bag(o, { shop: '0.00', presentment: '0.00' }),
    originalTotalDutiesSet: null,
    originalTotalAdditionalFeesSet: null,
  };
}

function subscriptionNode(s: Subscription) {
  return {
    id: gid('WebhookSubscription', s.id),
    topic: s.topic,
    uri: s.uri,
    callbackUrl: s.uri,
    format: s.format,
    includeFields: s.includeFields,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    apiVersion: { handle: s.apiVersion, displayName: s.apiVersion, supported: true },
    endpoint: { __kind: 'http', callbackUrl: s.uri },
  };
}

// ---- schema ------------------------------------------------------------------------------------

const CURRENCIES = ['AUD', 'CAD', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'JPY', 'NOK', 'PLN', 'SEK', 'USD'];
const TOPICS = ['APP_UNINSTALLED', 'ORDERS_CANCELLED', 'ORDERS_CREATE', 'ORDERS_DELETE', 'ORDERS_EDITED', 'ORDERS_FULFILLED', 'ORDERS_PAID', 'ORDERS_PARTIALLY_FULFILLED', 'ORDERS_UPDATED', 'REFUNDS_CREATE'];
const SORT_FIELD: Record<string, (o: SimOrder) => number> = {
  UPDATED_AT: (o) => o.updatedAt,
  CREATED_AT: (o) => o.createdAt,
  PROCESSED_AT: (o) => o.processedAt,
  ORDER_NUMBER: (o) => o.orderNumber,
  ID: (o) => o.id,
};

const connection = (node: string): Record<string, TypeDef> => ({
  [`${node}Connection`]: { kind: 'OBJECT', fields: { edges: { type: `[${node}Edge!]!` }, nodes: { type: `[${node}!]!` }, pageInfo: { type: 'PageInfo!' } } },
  [`${node}Edge`]: { kind: 'OBJECT', fields: { cursor: { type: 'String!' }, node: { type: `${node}!` } } },
});

const pageArgs = { first: 'Int', after: 'String', last: 'Int', before: 'String', reverse: 'Boolean' };

export function createAdminSchema(deps: SchemaDeps): Schema {
  const moneyV2 = { amount: { type: 'Decimal!' }, currencyCode: { type: 'CurrencyCode!' } };
  const listConnection = (key: string) => (parent: Record<string, unknown[]>, args: Record<string, any>) => {
    const items = parent[key] as { id?: string; index?: number }[];
    return paginate(items, (i) => [items.indexOf(i)], args, args.reverse === true);
  };
  const types: Record<string, TypeDef> = {
    String: { kind: 'SCALAR' }, Int: { kind: 'SCALAR' }, Float: { kind: 'SCALAR' }, Boolean: { kind: 'SCALAR' }, ID: { kind: 'SCALAR' },
    DateTime: { kind: 'SCALAR' }, Decimal: { kind: 'SCALAR' }, URL: { kind: 'SCALAR' }, UnsignedInt64: { kind: 'SCALAR' }, JSON: { kind: 'SCALAR' },
    CurrencyCode: { kind: 'ENUM', values: CURRENCIES },
    OrderSortKeys: { kind: 'ENUM', values: ['CREATED_AT', 'CURRENT_TOTAL_PRICE', 'CUSTOMER_NAME', 'DESTINATION', 'FINANCIAL_STATUS', 'FULFILLMENT_STATUS', 'ID', 'ORDER_NUMBER', 'PO_NUMBER', 'PROCESSED_AT', 'RELEVANCE', 'TOTAL_ITEMS_QUANTITY', 'TOTAL_PRICE', 'UPDATED_AT'] },
    OrderDisplayFinancialStatus: { kind: 'ENUM', values: ['AUTHORIZED', 'EXPIRED', 'PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED', 'PENDING', 'REFUNDED', 'VOIDED'] },
    OrderDisplayFulfillmentStatus: { kind: 'ENUM', values: ['FULFILLED', 'IN_PROGRESS', 'ON_HOLD', 'OPEN', 'PARTIALLY_FULFILLED', 'PENDING_FULFILLMENT', 'RESTOCKED', 'SCHEDULED', 'UNFULFILLED'] },
    OrderCancelReason: { kind: 'ENUM', values: ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'] },
    WebhookSubscriptionTopic: { kind: 'ENUM', values: TOPICS },
    WebhookSubscriptionFormat: { kind: 'ENUM', values: ['JSON', 'XML'] },
    FulfillmentOrderStatus: { kind: 'ENUM', values: ['CANCELLED', 'CLOSED', 'INCOMPLETE', 'IN_PROGRESS', 'ON_HOLD', 'OPEN', 'SCHEDULED'] },
    FulfillmentOrderRequestStatus: { kind: 'ENUM', values: ['ACCEPTED', 'CANCELLATION_ACCEPTED', 'CANCELLATION_REJECTED', 'CANCELLATION_REQUESTED', 'CLOSED', 'REJECTED', 'SUBMITTED', 'UNSUBMITTED'] },
    FulfillmentStatus: { kind: 'ENUM', values: ['CANCELLED', 'ERROR', 'FAILURE', 'OPEN', 'PENDING', 'SUCCESS'] },
    FulfillmentDisplayStatus: { kind: 'ENUM', values: ['ATTEMPTED_DELIVERY', 'CANCELED', 'CONFIRMED', 'DELIVERED', 'FAILURE', 'FULFILLED', 'IN_TRANSIT', 'LABEL_PRINTED', 'LABEL_PURCHASED', 'LABEL_VOIDED', 'MARKED_AS_FULFILLED', 'NOT_DELIVERED', 'OUT_FOR_DELIVERY', 'PICKED_UP', 'READY_FOR_PICKUP', 'SUBMITTED'] },
    MetafieldOwnerType: { kind: 'ENUM', values: ['ORDER'] },
    MetafieldsSetUserErrorCode: { kind: 'ENUM', values: ['APP_NOT_AUTHORIZED', 'BLANK', 'INCLUSION', 'INTERNAL_ERROR', 'INVALID', 'INVALID_TYPE', 'INVALID_VALUE', 'LESS_THAN_OR_EQUAL_TO', 'PRESENT', 'STALE_OBJECT', 'TAKEN', 'TOO_LONG', 'TOO_SHORT'] },
    DiscountApplicationAllocationMethod: { kind: 'ENUM', values: ['ACROSS', 'EACH', 'ONE'] },
    DiscountApplicationTargetSelection: { kind: 'ENUM', values: ['ALL', 'ENTITLED', 'EXPLICIT'] },
    DiscountApplicationTargetType: { kind: 'ENUM', values: ['LINE_ITEM', 'SHIPPING_LINE'] },

    PageInfo: { kind: 'OBJECT', fields: { hasNextPage: { type: 'Boolean!' }, hasPreviousPage: { type: 'Boolean!' }, startCursor: { type: 'String' }, endCursor: { type: 'String' } } },
    MoneyV2: { kind: 'OBJECT', fields: moneyV2 },
    MoneyBag: { kind: 'OBJECT', fields: { shopMoney: { type: 'MoneyV2!' }, presentmentMoney: { type: 'MoneyV2!' } } },
    PricingPercentageValue: { kind: 'OBJECT', fields: { percentage: { type: 'Float!' } } },
    PricingValue: { kind: 'UNION', possibleTypes: ['MoneyV2', 'PricingPercentageValue'], resolveType: (v) => (v.__kind === 'percentage' ? 'PricingPercentageValue' : 'MoneyV2') },
    MailingAddress: {
      kind: 'OBJECT',
      fields: Object.fromEntries(['firstName', 'lastName', 'name', 'company', 'address1', 'address2', 'city', 'province', 'provinceCode', 'zip', 'country', 'phone'].map((f) => [f, { type: 'String' }]).concat([['countryCodeV2', { type: 'String' }]])),
    },
    Attribute: { kind: 'OBJECT', fields: { key: { type: 'String!' }, value: { type: 'String' } } },
    TaxLine: { kind: 'OBJECT', fields: { title: { type: 'String!' }, rate: { type: 'Float' }, ratePercentage: { type: 'Float' }, priceSet: { type: 'MoneyBag!' }, channelLiable: { type: 'Boolean' } } },
    Customer: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, firstName: { type: 'String' }, lastName: { type: 'String' }, displayName: { type: 'String!' }, email: { type: 'String' }, phone: { type: 'String' } } },
    ProductVariant: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, sku: { type: 'String' }, title: { type: 'String!' }, barcode: { type: 'String' } } },
    Product: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, title: { type: 'String!' } } },
    DiscountApplication: {
      kind: 'INTERFACE',
      possibleTypes: ['DiscountCodeApplication', 'ManualDiscountApplication', 'AutomaticDiscountApplication'],
      resolveType: (v) => (v.__kind === 'discount_code' ? 'DiscountCodeApplication' : v.__kind === 'manual' ? 'ManualDiscountApplication' : 'AutomaticDiscountApplication'),
      fields: discountAppFields(),
    },
    DiscountCodeApplication: { kind: 'OBJECT', interfaces: ['DiscountApplication'], fields: { ...discountAppFields(), code: { type: 'String!' } } },
    ManualDiscountApplication: { kind: 'OBJECT', interfaces: ['DiscountApplication'], fields: { ...discountAppFields(), title: { type: 'String!' }, description: { type: 'String' } } },
    AutomaticDiscountApplication: { kind: 'OBJECT', interfaces: ['DiscountApplication'], fields: { ...discountAppFields(), title: { type: 'String!' } } },
    DiscountAllocation: { kind: 'OBJECT', fields: { allocatedAmountSet: { type: 'MoneyBag!' }, discountApplication: { type: 'DiscountApplication!' } } },
    LineItem: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, name: { type: 'String!' }, title: { type: 'String!' }, variantTitle: { type: 'String' }, sku: { type: 'String' }, vendor: { type: 'String' },
        quantity: { type: 'Int!' }, currentQuantity: { type: 'Int!' }, requiresShipping: { type: 'Boolean!' }, taxable: { type: 'Boolean!' }, isGiftCard: { type: 'Boolean!' },
        variant: { type: 'ProductVariant' }, product: { type: 'Product' },
        originalUnitPriceSet: { type: 'MoneyBag!' }, totalDiscountSet: { type: 'MoneyBag!' },
        discountAllocations: { type: '[DiscountAllocation!]!' }, taxLines: { type: '[TaxLine!]!', args: { first: 'Int' } }, customAttributes: { type: '[Attribute!]!' },
      },
    },
    ShippingLine: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID' }, title: { type: 'String!' }, code: { type: 'String' }, source: { type: 'String' }, carrierIdentifier: { type: 'String' },
        originalPriceSet: { type: 'MoneyBag!' }, discountedPriceSet: { type: 'MoneyBag!' }, discountAllocations: { type: '[DiscountAllocation!]!' }, taxLines: { type: '[TaxLine!]!' },
      },
    },
    Refund: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, createdAt: { type: 'DateTime' }, note: { type: 'String' }, totalRefundedSet: { type: 'MoneyBag!' } } },
    Location: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, name: { type: 'String!' } } },
    FulfillmentOrderAssignedLocation: { kind: 'OBJECT', fields: { name: { type: 'String!' }, location: { type: 'Location' } } },
    FulfillmentOrderLineItem: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, totalQuantity: { type: 'Int!' }, remainingQuantity: { type: 'Int!' }, sku: { type: 'String' }, productTitle: { type: 'String!' },
        variantTitle: { type: 'String' }, requiresShipping: { type: 'Boolean!' }, lineItem: { type: 'LineItem!' },
      },
    },
    FulfillmentOrder: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, orderId: { type: 'ID!' }, orderName: { type: 'String!' }, status: { type: 'FulfillmentOrderStatus!' }, requestStatus: { type: 'FulfillmentOrderRequestStatus!' },
        createdAt: { type: 'DateTime!' }, updatedAt: { type: 'DateTime!' }, assignedLocation: { type: 'FulfillmentOrderAssignedLocation!' },
        lineItems: { type: 'FulfillmentOrderLineItemConnection!', args: pageArgs, resolve: listConnection('__lineItems') },
      },
    },
    FulfillmentTrackingInfo: { kind: 'OBJECT', fields: { company: { type: 'String' }, number: { type: 'String' }, url: { type: 'URL' } } },
    FulfillmentLineItem: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, quantity: { type: 'Int' }, lineItem: { type: 'LineItem!' } } },
    Fulfillment: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, legacyResourceId: { type: 'UnsignedInt64!' }, name: { type: 'String!' }, status: { type: 'FulfillmentStatus!' },
        displayStatus: { type: 'FulfillmentDisplayStatus' }, createdAt: { type: 'DateTime!' }, updatedAt: { type: 'DateTime!' },
        totalQuantity: { type: 'Int!' }, requiresShipping: { type: 'Boolean!' },
        trackingInfo: { type: '[FulfillmentTrackingInfo!]!', args: { first: 'Int' }, resolve: (p, args) => (p.__tracking as unknown[]).slice(0, args.first ?? undefined) },
        fulfillmentLineItems: { type: 'FulfillmentLineItemConnection!', args: pageArgs, resolve: listConnection('__lineItems') },
      },
    },
    Metafield: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, namespace: { type: 'String!' }, key: { type: 'String!' }, type: { type: 'String!' }, value: { type: 'String!' }, jsonValue: { type: 'JSON!' },
        compareDigest: { type: 'String!' }, ownerType: { type: 'MetafieldOwnerType!' }, createdAt: { type: 'DateTime!' }, updatedAt: { type: 'DateTime!' },
      },
    },
    ...connection('LineItem'),
    ...connection('ShippingLine'),
    ...connection('DiscountApplication'),
    ...connection('Order'),
    ...connection('WebhookSubscription'),
    ...connection('FulfillmentOrder'),
    ...connection('FulfillmentOrderLineItem'),
    ...connection('FulfillmentLineItem'),
    ...connection('Metafield'),
    Order: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, legacyResourceId: { type: 'UnsignedInt64!' }, name: { type: 'String!' },
        createdAt: { type: 'DateTime!' }, updatedAt: { type: 'DateTime!' }, processedAt: { type: 'DateTime!' }, cancelledAt: { type: 'DateTime' }, cancelReason: { type: 'OrderCancelReason' },
        closed: { type: 'Boolean!' }, closedAt: { type: 'DateTime' }, email: { type: 'String' }, phone: { type: 'String' }, note: { type: 'String' }, tags: { type: '[String!]!' },
        test: { type: 'Boolean!' }, confirmed: { type: 'Boolean!' }, sourceName: { type: 'String' },
        currencyCode: { type: 'CurrencyCode!' }, presentmentCurrencyCode: { type: 'CurrencyCode!' }, taxesIncluded: { type: 'Boolean!' },
        displayFinancialStatus: { type: 'OrderDisplayFinancialStatus' }, displayFulfillmentStatus: { type: 'OrderDisplayFulfillmentStatus!' },
        paymentGatewayNames: { type: '[String!]!' }, discountCodes: { type: '[String!]!' },
        customer: { type: 'Customer' }, billingAddress: { type: 'MailingAddress' }, shippingAddress: { type: 'MailingAddress' },
        taxLines: { type: '[TaxLine!]!' },
        totalPriceSet: { type: 'MoneyBag!' }, currentTotalPriceSet: { type: 'MoneyBag!' }, subtotalPriceSet: { type: 'MoneyBag' }, currentSubtotalPriceSet: { type: 'MoneyBag!' },
        totalTaxSet: { type: 'MoneyBag' }, currentTotalTaxSet: { type: 'MoneyBag!' }, totalShippingPriceSet: { type: 'MoneyBag!' }, totalDiscountsSet: { type: 'MoneyBag' },
        currentTotalDiscountsSet: { type: 'MoneyBag!' }, totalRefundedSet: { type: 'MoneyBag!' }, totalTipReceivedSet: { type: 'MoneyBag!' },
        originalTotalDutiesSet: { type: 'MoneyBag' }, originalTotalAdditionalFeesSet: { type: 'MoneyBag' },
        lineItems: { type: 'LineItemConnection!', args: pageArgs, resolve: listConnection('__lines') },
        shippingLines: { type: 'ShippingLineConnection!', args: { ...pageArgs, includeRemovals: 'Boolean' }, resolve: listConnection('__shipping') },
        discountApplications: { type: 'DiscountApplicationConnection!', args: pageArgs, resolve: listConnection('__discounts') },
        refunds: { type: '[Refund!]!', args: { first: 'Int' }, resolve: (p, args) => (p.__refunds as unknown[]).slice(0, args.first ?? undefined) },
        fulfillmentOrders: {
          type: 'FulfillmentOrderConnection!',
          args: { ...pageArgs, displayable: 'Boolean', query: 'String' },
          resolve: (p, args) => {
            const o = p.__sim as SimOrder;
            // displayable: only what a merchant sees in the admin (not closed ones).
            const list = deps.fulfillments.fulfillmentOrders(o).filter((fo) => !args.displayable || fo.status !== 'CLOSED').map((fo) => fulfillmentOrderNode(o, fo));
            return paginate(list, (n) => [list.indexOf(n)], args, args.reverse === true);
          },
        },
        fulfillments: {
          type: '[Fulfillment!]!',
          args: { first: 'Int' },
          resolve: (p, args) => {
            const o = p.__sim as SimOrder;
            return o.fulfillments.slice(0, args.first ?? undefined).map((f) => fulfillmentNode(o, f));
          },
        },
        metafield: {
          type: 'Metafield',
          args: { namespace: 'String', key: 'String!' },
          resolve: (p, args) => {
            const m = (p.__sim as SimOrder).metafields.find((x) => x.namespace === (args.namespace ?? 'app--sim') && x.key === args.key);
            return m ? metafieldNode(m) : null;
          },
        },
        metafields: {
          type: 'MetafieldConnection!',
          args: { ...pageArgs, namespace: 'String', keys: '[String!]' },
          resolve: (p, args) => {
            const list = (p.__sim as SimOrder).metafields
              .filter((m) => !args.namespace || m.namespace === args.namespace)
              .filter((m) => !args.keys || (args.keys as string[]).includes(`${m.namespace}.${m.key}`))
              .map(metafieldNode);
            return paginate(list, (n) => [list.indexOf(n)], args, args.reverse === true);
          },
        },
      },
    },
    Shop: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, name: { type: 'String!' }, myshopifyDomain: { type: 'String!' }, currencyCode: { type: 'CurrencyCode!' }, ianaTimezone: { type: 'String!' }, taxesIncluded: { type: 'Boolean!' } } },
    ApiVersion: { kind: 'OBJECT', fields: { handle: { type: 'String!' }, displayName: { type: 'String!' }, supported: { type: 'Boolean!' } } },
    WebhookHttpEndpoint: { kind: 'OBJECT', fields: { callbackUrl: { type: 'URL!' } } },
    WebhookSubscriptionEndpoint: { kind: 'UNION', possibleTypes: ['WebhookHttpEndpoint'], resolveType: () => 'WebhookHttpEndpoint' },
    WebhookSubscription: {
      kind: 'OBJECT',
      fields: {
        id: { type: 'ID!' }, topic: { type: 'WebhookSubscriptionTopic!' }, uri: { type: 'String!' }, callbackUrl: { type: 'URL!' }, format: { type: 'WebhookSubscriptionFormat!' },
        includeFields: { type: '[String!]!' }, createdAt: { type: 'DateTime!' }, updatedAt: { type: 'DateTime!' }, apiVersion: { type: 'ApiVersion!' },
        endpoint: { type: 'WebhookSubscriptionEndpoint!' },
      },
    },
    UserError: { kind: 'OBJECT', fields: { field: { type: '[String!]' }, message: { type: 'String!' } } },
    WebhookSubscriptionInput: { kind: 'INPUT_OBJECT', fields: { uri: 'String', callbackUrl: 'URL', format: 'WebhookSubscriptionFormat', includeFields: '[String!]', filter: 'String', metafieldNamespaces: '[String!]' } },
    WebhookSubscriptionCreatePayload: { kind: 'OBJECT', fields: { webhookSubscription: { type: 'WebhookSubscription' }, userErrors: { type: '[UserError!]!' } } },
    WebhookSubscriptionDeletePayload: { kind: 'OBJECT', fields: { deletedWebhookSubscriptionId: { type: 'ID' }, userErrors: { type: '[UserError!]!' } } },
    FulfillmentOrderLineItemInput: { kind: 'INPUT_OBJECT', fields: { id: 'ID!', quantity: 'Int!' } },
    FulfillmentOrderLineItemsInput: { kind: 'INPUT_OBJECT', fields: { fulfillmentOrderId: 'ID!', fulfillmentOrderLineItems: '[FulfillmentOrderLineItemInput!]' } },
    FulfillmentTrackingInput: { kind: 'INPUT_OBJECT', fields: { company: 'String', number: 'String', numbers: '[String!]', url: 'URL', urls: '[URL!]' } },
    FulfillmentOriginAddressInput: { kind: 'INPUT_OBJECT', fields: { address1: 'String', address2: 'String', city: 'String', countryCode: 'String!', provinceCode: 'String', zip: 'String' } },
    FulfillmentInput: {
      kind: 'INPUT_OBJECT',
      fields: { lineItemsByFulfillmentOrder: '[FulfillmentOrderLineItemsInput!]!', notifyCustomer: 'Boolean', originAddress: 'FulfillmentOriginAddressInput', trackingInfo: 'FulfillmentTrackingInput' },
    },
    FulfillmentCreatePayload: { kind: 'OBJECT', fields: { fulfillment: { type: 'Fulfillment' }, userErrors: { type: '[UserError!]!' } } },
    MetafieldsSetInput: { kind: 'INPUT_OBJECT', fields: { ownerId: 'ID!', namespace: 'String', key: 'String!', type: 'String', value: 'String!', compareDigest: 'String' } },
    MetafieldsSetUserError: { kind: 'OBJECT', fields: { field: { type: '[String!]' }, message: { type: 'String!' }, code: { type: 'MetafieldsSetUserErrorCode' }, elementIndex: { type: 'Int' } } },
    MetafieldsSetPayload: { kind: 'OBJECT', fields: { metafields: { type: '[Metafield!]' }, userErrors: { type: '[MetafieldsSetUserError!]!' } } },

    QueryRoot: {
      kind: 'OBJECT',
      fields: {
        shop: {
          type: 'Shop!',
          resolve: () => ({ id: 'gid://shopify/Shop/73100000', name: deps.shopName, myshopifyDomain: deps.shopDomain, currencyCode: deps.shopCurrency, ianaTimezone: 'Europe/Berlin', taxesIncluded: true }),
        },
        orders: {
          type: 'OrderConnection!',
          args: { ...pageArgs, query: 'String', sortKey: 'OrderSortKeys', savedSearchId: 'ID' },
          resolve: (_p, args, ctx) => {
            const search = parseSearch(args.query, deps.tzOffsetMinutes);
            if (args.query !== undefined) {
              ctx.extensions.search = [{ path: ['orders'], query: args.query, warnings: search.warnings }];
            }
            const sortKey = (args.sortKey as string | undefined) ?? 'ID';
            const field = SORT_FIELD[sortKey] ?? SORT_FIELD.ID!;
            const key = (o: SimOrder) => [field(o), o.id];
            const reverse = args.reverse === true;
            const list = deps.store.all().filter(search.test).sort((a, b) => (reverse ? -1 : 1) * compareKeys(key(a), key(b)));
            const page = paginate(list, key, args, reverse);
            const nodes = page.nodes.map(orderNode);
            return { ...page, nodes, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })) };
          },
        },
        order: {
          type: 'Order',
          args: { id: 'ID!' },
          resolve: (_p, args) => {
            const id = parseGid(args.id, 'Order');
            const o = id === undefined ? undefined : deps.store.get(id);
            return o ? orderNode(o) : null;
          },
        },
        webhookSubscriptions: {
          type: 'WebhookSubscriptionConnection!',
          args: { ...pageArgs, topics: '[WebhookSubscriptionTopic!]', uri: 'String', callbackUrl: 'URL', format: 'WebhookSubscriptionFormat' },
          resolve: (_p, args) => {
            const list = [...deps.webhooks.subscriptions.values()]
              .filter((s) => !args.topics || (args.topics as string[]).includes(s.topic))
              .filter((s) => !(args.uri ?? args.callbackUrl) || s.uri === (args.uri ?? args.callbackUrl))
              .sort((a, b) => a.id - b.id);
            const page = paginate(list, (s) => [s.id], args, args.reverse === true);
            const nodes = page.nodes.map(subscriptionNode);
            return { ...page, nodes, edges: page.edges.map((e, i) => ({ cursor: e.cursor, node: nodes[i] })) };
          },
        },
      },
    },
    Mutation: {
      kind: 'OBJECT',
      fields: {
        webhookSubscriptionCreate: {
          type: 'WebhookSubscriptionCreatePayload',
          args: { topic: 'WebhookSubscriptionTopic!', webhookSubscription: 'WebhookSubscriptionInput!' },
          resolve: (_p, args) => {
            const input = args.webhookSubscription as { uri?: string; callbackUrl?: string; format?: string; includeFields?: string[] };
            const uri = input.uri ?? input.callbackUrl;
            const field = ['webhookSubscription', input.uri !== undefined ? 'uri' : 'callbackUrl'];
            if (!uri) return { webhookSubscription: null, userErrors: [{ field, message: "Address can't be blank" }] };
            let url: URL;
            try {
              url = new URL(uri);
            } catch {
              return { webhookSubscription: null, userErrors: [{ field, message: 'Address is invalid' }] };
            }
            // Shopify only delivers over https; the simulator also allows plain http to loopback (tests, demo).
            const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
            if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
              return { webhookSubscription: null, userErrors: [{ field, message: `Address protocol ${url.protocol}// is not supported` }] };
            }
            if (input.format === 'XML') return { webhookSubscription: null, userErrors: [{ field: ['webhookSubscription', 'format'], message: 'Format XML is not supported by the simulator' }] };
            const taken = [...deps.webhooks.subscriptions.values()].some((s) => s.topic === args.topic && s.uri === uri);
            if (taken) return { webhookSubscription: null, userErrors: [{ field, message: 'Address for this topic has already been taken' }] };
            const sub = deps.webhooks.subscribe(args.topic, uri, deps.apiVersion(), input.includeFields ?? []);
            return { webhookSubscription: subscriptionNode(sub), userErrors: [] };
          },
        },
        fulfillmentCreate: {
          type: 'FulfillmentCreatePayload',
          args: { fulfillment: 'FulfillmentInput!', message: 'String' },
          resolve: (_p, args) => {
            const r = deps.fulfillments.create(args.fulfillment as FulfillmentInput);
            const userErrors = r.userErrors.map((e) => ({ field: e.field?.map(String) ?? null, message: e.message }));
            return { fulfillment: r.fulfillment && r.order ? fulfillmentNode(r.order, r.fulfillment) : null, userErrors };
          },
        },
        metafieldsSet: {
          type: 'MetafieldsSetPayload',
          args: { metafields: '[MetafieldsSetInput!]!' },
          resolve: (_p, args) => {
            const r = deps.fulfillments.setMetafields(args.metafields as MetafieldsSetInput[]);
            return {
              metafields: r.metafields ? r.metafields.map((m) => metafieldNode(m.metafield)) : null,
              userErrors: r.userErrors.map((e) => ({ field: e.field?.map(String) ?? null, message: e.message, code: e.code ?? null, elementIndex: e.elementIndex ?? null })),
            };
          },
        },
        webhookSubscriptionDelete: {
          type: 'WebhookSubscriptionDeletePayload',
          args: { id: 'ID!' },
          resolve: (_p, args) => {
            const id = parseGid(args.id, 'WebhookSubscription');
            if (id === undefined || !deps.webhooks.unsubscribe(id)) {
              return { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] };
            }
            return { deletedWebhookSubscriptionId: args.id, userErrors: [] };
          },
        },
      },
    },
  };
  return { types, query: 'QueryRoot', mutation: 'Mutation' };
}

function discountAppFields() {
  return {
    index: { type: 'Int!' },
    allocationMethod: { type: 'DiscountApplicationAllocationMethod!' },
    targetSelection: { type: 'DiscountApplicationTargetSelection!' },
    targetType: { type: 'DiscountApplicationTargetType!' },
    value: { type: 'PricingValue!' },
  };
}

export type { Subscription };
