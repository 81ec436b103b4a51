import type { Dec } from '../../domain/money.js';
import type { Address } from '../../domain/order.js';

/**
 * A Shopify order reduced to what bcbridge maps, whichever shape it came in: the REST shape (webhook
 * bodies, the samples) or a GraphQL Admin API node (the poll). Amounts are already in the currency the
 * shop config chose (`currency: shop | presentment`) and still in the shop's tax mode (`taxesIncluded`).
 */
export interface ShopifyOrderParts {
  id: string;
  /** `name` as the customer sees it ("#1001"). */
  name?: string;
  /** `order_number` / `number` (REST only), when the name is missing. */
  number?: string;
  createdAt?: string;
  processedAt?: string;
  updatedAt?: string;
  cancelledAt?: string;
  /** Lower snake case: paid, partially_refunded, pending, authorized … */
  financialStatus?: string;
  email?: string;
  phone?: string;
  note?: string;
  taxesIncluded: boolean;
  /** ISO 4217 code of the chosen currency. */
  currency: string;
  customer?: { id: string; email?: string; phone?: string };
  billing?: Address;
  shipping?: Address;
  lines: PartsLine[];
  shippingLines: PartsShipping[];
  /** Discount applications by their index (what allocations point at). */
  discountApplications: Map<number, { code?: string; title?: string }>;
  /** Discount codes with an amount when the document states one (REST `discount_codes`). */
  discountCodes: { code: string; amount?: Dec }[];
  total: Dec;
  totalTax?: Dec;
  /** Money the customer paid that is not on a line: tips, duties, additional fees. */
  extras: { name: string; amount: Dec }[];
  refunds: { id: string; amount: Dec; note?: string }[];
  gateways: string[];
}

export interface PartsAllocation {
  amount: Dec;
  /** Index of the discount application it comes from. */
  index?: number;
}

export interface PartsTax {
  amount: Dec;
  /** Fraction (0.06 = 6 %). */
  rate?: Dec;
}

export interface PartsLine {
  id: string;
  name: string;
  sku?: string;
  productId?: string;
  variantId?: string;
  gtin?: string;
  quantity: Dec;
  /** Unit price before discounts, in the shop's tax mode. */
  unitPrice: Dec;
  /** Present when the document lists allocations (current shape); else the legacy `total_discount`. */
  allocations?: PartsAllocation[];
  legacyDiscount?: Dec;
  taxes: PartsTax[];
  properties: { name: string; value: string }[];
}

export interface PartsShipping {
  id?: string;
  title?: string;
  code?: string;
  /** Before discounts. */
  price: Dec;
  /** After shipping-line discounts, when the document says so. */
  discountedPrice?: Dec;
  allocations?: PartsAllocation[];
  taxes: PartsTax[];
}
