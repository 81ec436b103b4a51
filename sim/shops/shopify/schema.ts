/**
 * The slice of the GraphQL Admin API the simulator serves (shopify.dev admin-graphql, 2025-10): `shop`,
 * `orders` (search `query`, `sortKey`, cursor pagination), `order(id:)`, `webhookSubscriptions`, and the
 * `webhookSubscriptionCreate` / `webhookSubscriptionDelete` mutations. Field names and types follow the
 * Admin schema; a field outside this slice is refused as Shopify refuses an unknown one.
 */
import { FieldError, type Schema, type TypeDef } from './graphql/execute.js';
import type { Money2 } from './money.js';
import { parseSearch } from './search.js';
import type { ShopStore } from './store.js';
import { orderTotals } from './totals.js';
import type { SimAllocation, SimAddress, SimDiscountApplication, SimLine, SimOrder, SimShippingLine, SimTaxLine } from './types.js';
import type { Subscription, WebhookDispatcher } from './webhooks.js';

export interface SchemaDeps {
  store: ShopStore;
  webhooks: WebhookDispatcher;
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

/** An Order node: scalars and objects precomputed, connections resolved from the arrays kept beside them. */
function orderNode(o: SimOrder) {
  const t = orderTotals(o);
  return {
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
    displayFulfillmentStatus: o.fulfillmentStatus === 'fulfilled' ? 'FULFILLED' : 'UNFULFILLED',
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
    ...connection('LineItem'),
    ...connection('ShippingLine'),
    ...connection('DiscountApplication'),
    ...connection('Order'),
    ...connection('WebhookSubscription'),
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
