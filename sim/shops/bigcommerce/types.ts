/**
 * BigCommerce v2 order documents as the simulator serves them (reference/webshop-api.md §3 and the
 * samples in reference/samples/bigcommerce/). Money is a decimal string with 4 places ("12.5000"),
 * dates are RFC 2822 in UTC, ids are integers.
 */

export interface BcAddress {
  first_name: string;
  last_name: string;
  company: string;
  street_1: string;
  street_2: string;
  city: string;
  state: string;
  zip: string;
  country: string;
  country_iso2: string;
  phone: string;
  email: string;
}

export interface BcBillingAddress extends BcAddress {
  form_fields: { name: string; value: string }[];
}

export interface BcLink {
  url: string;
  resource: string;
}

export interface BcFee {
  id: number;
  type: 'custom_fee';
  display_name_customer: string;
  display_name_merchant: string;
  source: string;
  base_cost: string;
  cost_ex_tax: string;
  cost_inc_tax: string;
  cost_tax: string;
  tax_class_id: number | null;
}

export interface BcOrder {
  id: number;
  customer_id: number;
  date_created: string;
  date_modified: string;
  date_shipped: string;
  status_id: number;
  status: string;
  subtotal_ex_tax: string;
  subtotal_inc_tax: string;
  subtotal_tax: string;
  base_shipping_cost: string;
  shipping_cost_ex_tax: string;
  shipping_cost_inc_tax: string;
  shipping_cost_tax: string;
  shipping_cost_tax_class_id: number;
  base_handling_cost: string;
  handling_cost_ex_tax: string;
  handling_cost_inc_tax: string;
  handling_cost_tax: string;
  handling_cost_tax_class_id: number;
  base_wrapping_cost: string;
  wrapping_cost_ex_tax: string;
  wrapping_cost_inc_tax: string;
  wrapping_cost_tax: string;
  wrapping_cost_tax_class_id: number;
  total_ex_tax: string;
  total_inc_tax: string;
  total_tax: string;
  is_tax_inclusive_pricing: boolean;
  items_total: number;
  items_shipped: number;
  payment_method: string;
  payment_provider_id: string;
  payment_status: string;
  refunded_amount: string;
  order_is_digital: boolean;
  store_credit_amount: string;
  gift_certificate_amount: string;
  ip_address: string;
  ip_address_v6: string;
  geoip_country: string;
  geoip_country_iso2: string;
  currency_id: number;
  currency_code: string;
  currency_exchange_rate: string;
  default_currency_id: number;
  default_currency_code: string;
  staff_notes: string;
  customer_message: string;
  discount_amount: string;
  coupon_discount: string;
  shipping_address_count: number;
  ebay_order_id: string;
  cart_id: string;
  billing_address: BcBillingAddress;
  is_email_opt_in: boolean;
  credit_card_type: string | null;
  order_source: string;
  channel_id: number;
  external_source: string | null;
  products: BcLink;
  shipping_addresses: BcLink;
  coupons: BcLink;
  external_id: string | null;
  external_merchant_id: string | null;
  tax_provider_id: string;
  store_default_currency_code: string;
  store_default_to_transactional_exchange_rate: string;
  custom_status: string;
  customer_locale: string;
  external_order_id: string;
  fees: BcFee[];
}

export interface BcProductOption {
  id: number;
  option_id: number;
  order_product_id: number;
  product_option_id: number;
  display_name: string;
  display_name_customer: string;
  display_name_merchant: string;
  display_value: string;
  display_value_customer: string;
  display_value_merchant: string;
  value: string;
  type: string;
  name: string;
  display_style: string;
}

export interface BcAppliedDiscount {
  id: string;
  amount: string;
  name: string;
  code: string | null;
  target: 'order' | 'product';
}

export interface BcProduct {
  id: number;
  order_id: number;
  product_id: number;
  variant_id: number;
  order_address_id: number;
  name: string;
  name_customer: string;
  name_merchant: string;
  sku: string;
  upc: string;
  type: 'physical' | 'digital';
  base_price: string;
  price_ex_tax: string;
  price_inc_tax: string;
  price_tax: string;
  base_total: string;
  total_ex_tax: string;
  total_inc_tax: string;
  total_tax: string;
  weight: string;
  quantity: number;
  base_cost_price: string;
  cost_price_inc_tax: string;
  cost_price_ex_tax: string;
  cost_price_tax: string;
  is_refunded: boolean;
  quantity_refunded: number;
  refund_amount: string;
  return_id: number;
  wrapping_id: number;
  wrapping_name: string;
  base_wrapping_cost: string;
  wrapping_cost_ex_tax: string;
  wrapping_cost_inc_tax: string;
  wrapping_cost_tax: string;
  wrapping_message: string;
  quantity_shipped: number;
  fixed_shipping_cost: string;
  ebay_item_id: string;
  ebay_transaction_id: string;
  option_set_id: number | null;
  parent_order_product_id: number | null;
  is_bundled_product: boolean;
  bin_picking_number: string;
  external_id: string | null;
  brand: string;
  applied_discounts: BcAppliedDiscount[];
  product_options: BcProductOption[];
  configurable_fields: unknown[];
  gift_certificate_id: number | null;
  discounted_total_inc_tax: string;
}

export interface BcShippingAddress extends BcAddress {
  id: number;
  order_id: number;
  items_total: number;
  items_shipped: number;
  shipping_method: string;
  base_cost: string;
  cost_ex_tax: string;
  cost_inc_tax: string;
  cost_tax: string;
  cost_tax_class_id: number;
  base_handling_cost: string;
  handling_cost_ex_tax: string;
  handling_cost_inc_tax: string;
  handling_cost_tax: string;
  handling_cost_tax_class_id: number;
  shipping_zone_id: number;
  shipping_zone_name: string;
  shipping_quotes: BcLink;
  form_fields: unknown[];
}

export interface BcCoupon {
  id: number;
  coupon_id: number;
  order_id: number;
  code: string;
  amount: number;
  /** 0 per_item, 1 percentage, 2 per_total, 3 shipping, 4 free_shipping, 5 promotion. */
  type: number;
  discount: number;
}

export interface BcTax {
  id: number;
  order_id: number;
  order_address_id: number;
  tax_rate_id: number;
  sales_tax_id: string;
  tax_class_id: number;
  name: string;
  class: string;
  rate: string;
  priority: number;
  priority_amount: string;
  line_amount: string;
  order_pickup_method_id: number;
}

/** v3 refund object (GET /v3/orders/{id}/payment_actions/refunds → data[]). */
export interface BcRefund {
  id: number;
  order_id: number;
  user_id: number;
  created: string;
  reason: string;
  total_amount: number;
  total_tax: number;
  uses_merchant_override_values: boolean;
  payments: { id: number; provider_id: string; amount: number; offline: boolean; is_declined: boolean; declined_message: string }[];
  items: { item_type: 'PRODUCT' | 'SHIPPING' | 'ORDER'; item_id: number; quantity: number | null; requested_amount: number | null }[];
}

/**
 * v2 order shipment (GET/POST /v2/orders/{id}/shipments; reference/samples/bigcommerce/
 * v2-order-shipment-create-response.json).
 */
export interface BcShipment {
  id: number;
  order_id: number;
  customer_id: number;
  order_address_id: number;
  date_created: string;
  tracking_number: string;
  merchant_shipping_cost: string;
  shipping_method: string;
  comments: string;
  shipping_provider: string;
  tracking_carrier: string;
  tracking_link: string;
  billing_address: BcAddress;
  shipping_address: BcAddress;
  items: { order_product_id: number; product_id: number; quantity: number }[];
  shipping_provider_display_name: string;
  generated_tracking_link: string;
}

/** Everything the simulator keeps about one order. */
export interface BcOrderRecord {
  order: BcOrder;
  products: BcProduct[];
  shippingAddresses: BcShippingAddress[];
  coupons: BcCoupon[];
  taxes: BcTax[];
  refunds: BcRefund[];
  /** Shipments created through POST /v2/orders/{id}/shipments, oldest first. */
  shipments: BcShipment[];
  /** Epoch seconds of date_modified (ordering). */
  modifiedSec: number;
  deleted: boolean;
}

export interface GenerateOptions {
  /** Share of guest orders (customer_id 0). Default 0.4. */
  guestShare?: number;
  /** Share of unpaid orders (Awaiting Payment, Pending). Default 0.25. */
  unpaidShare?: number;
  /** Only these statuses, as slugs (e.g. ['awaiting-fulfillment']) or ids. Default: the usual mix. */
  statuses?: (string | number)[];
  /** Force the order currency. Default: mostly the company currency (EUR). */
  currency?: string;
  /** Share of orders with one line whose SKU is not in the catalog (or empty). Default 0. */
  unknownSkuShare?: number;
  /** Share of orders with a line for the catalog's blocked item (OLD-MUG). Default 0. */
  blockedItemShare?: number;
  /** Share of paid orders with a partial refund. Default 0.03. */
  refundShare?: number;
  /** Share of orders with is_tax_inclusive_pricing. Default 0.5. */
  pricesIncludeTaxShare?: number;
}

/** A hand-made order for addOrder: anything left out is generated. */
export interface BcOrderSpec {
  status?: string | number;
  /** 'guest', or a customer id. */
  customer?: 'guest' | number;
  billing?: Partial<BcAddress>;
  shipping?: Partial<BcAddress>;
  /**
   * Several consignments (BigCommerce "ship to multiple addresses"): one shipping address each, in this
   * order; a line names its address by index (`lines[].address`, default 0). The first carries the shipping cost.
   */
  shippingAddresses?: Partial<BcAddress>[];
  /** SKU from the catalog (or any SKU with unitPrice); unitPrice is net in the order currency. */
  lines?: { sku: string; quantity?: number; unitPrice?: string; name?: string; address?: number }[];
  /** Net shipping cost in the order currency; '0' is free shipping. */
  shippingCost?: string;
  currency?: string;
  pricesIncludeTax?: boolean;
  /** Percent coupon on every line. */
  couponPercent?: number;
  customerMessage?: string;
}
