/**
 * The simulator's own model of a Shopify order. The GraphQL schema (schema.ts) and the REST webhook body
 * (rest.ts) are two renderings of it, as in Shopify itself. Amounts are kept in both the shop currency and
 * the presentment currency, each computed and rounded in its own currency.
 */
import type { Money2 } from './money.js';

export interface SimAddress {
  firstName: string;
  lastName: string;
  company: string | null;
  address1: string;
  address2: string | null;
  city: string;
  province: string | null;
  provinceCode: string | null;
  zip: string;
  country: string;
  countryCode: string;
  phone: string | null;
}

export interface SimCustomer {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  createdAt: number;
}

export interface SimTaxLine {
  title: string;
  /** Fraction, e.g. 0.2. */
  rate: number;
  price: Money2;
}

export interface SimAllocation {
  amount: Money2;
  /** Index into the order's discountApplications. */
  index: number;
}

export interface SimLine {
  id: number;
  productId: number;
  variantId: number;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string;
  quantity: number;
  /** Unit price before discounts, in the shop's tax mode. */
  price: Money2;
  allocations: SimAllocation[];
  taxLines: SimTaxLine[];
  properties: { name: string; value: string }[];
  grams: number;
  barcode: string | null;
}

export interface SimShippingLine {
  id: number;
  title: string;
  code: string;
  source: string;
  price: Money2;
  discountedPrice: Money2;
  allocations: SimAllocation[];
  taxLines: SimTaxLine[];
}

export interface SimDiscountApplication {
  type: 'discount_code' | 'manual' | 'automatic';
  code?: string;
  title?: string;
  value: string;
  valueType: 'percentage' | 'fixed_amount';
  allocationMethod: 'across' | 'each';
  targetSelection: 'all' | 'entitled' | 'explicit';
  targetType: 'line_item' | 'shipping_line';
}

export interface SimRefund {
  id: number;
  createdAt: number;
  note: string | null;
  amount: Money2;
}

/** One fulfillment (a shipment) of an order: what `fulfillmentCreate` made. */
export interface SimFulfillment {
  id: number;
  /** `#1001.1`, `#1001.2` … */
  name: string;
  status: 'success' | 'cancelled';
  createdAt: number;
  updatedAt: number;
  /** Tracking as given in `trackingInfo` (null: no tracking). */
  tracking: { number: string | null; company: string | null; url: string | null } | null;
  /** Order line items and the quantity this fulfillment ships of each. */
  lines: { lineId: number; quantity: number }[];
  notifyCustomer: boolean;
}

/** An order metafield (`metafieldsSet`). */
export interface SimMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  createdAt: number;
  updatedAt: number;
}

export type FinancialStatus = 'pending' | 'authorized' | 'partially_paid' | 'paid' | 'partially_refunded' | 'refunded' | 'voided';

export interface SimOrder {
  id: number;
  name: string;
  orderNumber: number;
  /** Epoch seconds. */
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: 'customer' | 'fraud' | 'inventory' | 'declined' | 'other' | null;
  closedAt: number | null;
  email: string;
  phone: string | null;
  note: string | null;
  tags: string;
  currency: string;
  presentmentCurrency: string;
  taxesIncluded: boolean;
  financialStatus: FinancialStatus;
  fulfillmentStatus: 'fulfilled' | 'partial' | null;
  /** Fulfillments, oldest first; the fulfillment orders are derived from the lines minus these (fulfillment.ts). */
  fulfillments: SimFulfillment[];
  metafields: SimMetafield[];
  customer: SimCustomer | null;
  billing: SimAddress | null;
  shipping: SimAddress | null;
  lines: SimLine[];
  shippingLines: SimShippingLine[];
  discountApplications: SimDiscountApplication[];
  /** REST `discount_codes`: amount in the shop currency. */
  discountCodes: { code: string; amount: string; type: 'percentage' | 'fixed_amount' | 'shipping' }[];
  refunds: SimRefund[];
  gateway: string;
  sourceName: string;
  token: string;
  test: boolean;
}

export interface GenerateOptions {
  /** Financial statuses to draw from (default: a realistic mix, mostly paid). */
  financialStatuses?: FinancialStatus[];
  /** Share of orders that are not paid (pending/authorized) when financialStatuses is not given. */
  unpaidShare?: number;
  /** Share of orders with a line whose SKU the BC catalog does not know. */
  unknownSkuShare?: number;
  /** Share of orders cancelled right after they were placed. */
  cancelledShare?: number;
  /** Share of guest orders (no customer account). Default 0.3. */
  guestShare?: number;
  /** Share of orders in another presentment currency than the shop's. Default 0.2. */
  foreignCurrencyShare?: number;
}
