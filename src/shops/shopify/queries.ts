import type { CurrencyMode } from './rest-order.js';

/**
 * The GraphQL Admin API documents the connector sends (field names checked against shopify.dev admin-graphql,
 * 2025-10: Order, LineItem, ShippingLine, DiscountAllocation, TaxLine, MoneyBag, MailingAddress,
 * WebhookSubscription). Money is asked in the one currency the shop config maps (`shopMoney` or
 * `presentmentMoney`): every MoneyBag field costs points, and the other currency is never read.
 */

/** Line items per order in the listing; an order with more is completed with follow-up pages. */
export const LINES_PER_ORDER = 10;
export const SHIPPING_LINES_PER_ORDER = 5;

function fragments(mode: CurrencyMode): string {
  const money = mode === 'shop' ? 'shopMoney { amount currencyCode }' : 'presentmentMoney { amount currencyCode }';
  return `
fragment Money on MoneyBag { ${money} }
fragment Address on MailingAddress { firstName lastName name company address1 address2 city province provinceCode zip countryCodeV2 phone }
fragment Allocation on DiscountAllocation { allocatedAmountSet { ...Money } discountApplication { index } }
fragment Tax on TaxLine { title rate priceSet { ...Money } }
fragment Line on LineItem {
  id name sku quantity
  variant { id sku }
  product { id }
  originalUnitPriceSet { ...Money }
  discountAllocations { ...Allocation }
  taxLines { ...Tax }
  customAttributes { key value }
}
fragment Shipping on ShippingLine {
  id title code
  originalPriceSet { ...Money }
  discountedPriceSet { ...Money }
  discountAllocations { ...Allocation }
  taxLines { ...Tax }
}
fragment Order on Order {
  id legacyResourceId name createdAt processedAt updatedAt cancelledAt
  displayFinancialStatus email phone note taxesIncluded currencyCode presentmentCurrencyCode
  paymentGatewayNames discountCodes
  customer { id }
  billingAddress { ...Address }
  shippingAddress { ...Address }
  totalPriceSet { ...Money }
  totalTaxSet { ...Money }
  totalTipReceivedSet { ...Money }
  originalTotalDutiesSet { ...Money }
  originalTotalAdditionalFeesSet { ...Money }
  discountApplications(first: 10) {
    nodes {
      index
      ... on DiscountCodeApplication { code }
      ... on ManualDiscountApplication { title }
      ... on AutomaticDiscountApplication { title }
    }
  }
  lineItems(first: ${LINES_PER_ORDER}) { nodes { ...Line } pageInfo { hasNextPage endCursor } }
  shippingLines(first: ${SHIPPING_LINES_PER_ORDER}) { nodes { ...Shipping } pageInfo { hasNextPage endCursor } }
  refunds(first: 10) { id note totalRefundedSet { ...Money } }
}`;
}

/** Orders changed at or after a time, oldest change first (sortKey UPDATED_AT), one page. */
export function listOrdersQuery(mode: CurrencyMode): string {
  return `query ListOrders($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...Order }
    pageInfo { hasNextPage endCursor }
  }
}
${fragments(mode)}`;
}

export function getOrderQuery(mode: CurrencyMode): string {
  return `query GetOrder($id: ID!) {
  order(id: $id) { ...Order }
}
${fragments(mode)}`;
}

/** The rest of an order's line items or shipping lines, after the first page the listing returned. */
export function moreLinesQuery(mode: CurrencyMode, connection: 'lineItems' | 'shippingLines'): string {
  const fragment = connection === 'lineItems' ? 'Line' : 'Shipping';
  const all = fragments(mode);
  // Only the fragments the follow-up uses: GraphQL refuses unused fragments.
  const keep = ['Money', 'Allocation', 'Tax', fragment];
  const used = all.split(/\n(?=fragment )/).filter((f) => keep.some((k) => f.trimStart().startsWith(`fragment ${k} `))).join('\n');
  return `query MoreLines($id: ID!, $after: String) {
  order(id: $id) { ${connection}(first: 50, after: $after) { nodes { ...${fragment} } pageInfo { hasNextPage endCursor } } }
}
${used}`;
}

export const SHOP_QUERY = `query ShopInfo { shop { name myshopifyDomain currencyCode } }`;

export const LIST_WEBHOOKS = `query ListWebhooks($after: String) {
  webhookSubscriptions(first: 100, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const CREATE_WEBHOOK = `mutation CreateWebhook($topic: WebhookSubscriptionTopic!, $uri: String!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;

export const DELETE_WEBHOOK = `mutation DeleteWebhook($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;
