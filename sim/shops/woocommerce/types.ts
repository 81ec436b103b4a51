/**
 * The WooCommerce 11 order document as `GET /wp-json/wc/v3/orders/{id}` returns it (HPOS on).
 * Key set and order follow reference/samples/recorded/woocommerce-11.0.1-orders-list.json.
 * Money is a decimal string everywhere except `line_items[].price` (an unrounded number).
 */

export interface WooMeta {
  id: number;
  key: string;
  value: unknown;
}

/** Item meta carries display_key/display_value as well. */
export interface WooItemMeta extends WooMeta {
  display_key: string;
  display_value: unknown;
}

export interface WooTax {
  id: number;
  total: string;
  subtotal: string;
}

export interface WooAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  /** ISO code as WooCommerce stores it: `DE-BY` for Germany, `CA` for the US, '' where a country has none. */
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}

export interface WooBilling extends WooAddress {
  email: string;
}

export type WooShipping = Omit<WooAddress, 'email'>;

export interface WooLineItem {
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  tax_class: string;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: WooTax[];
  meta_data: WooItemMeta[];
  sku: string;
  global_unique_id: string;
  /** Unit price after discounts, excl. tax, unrounded (e.g. 20.92437). A JSON number. */
  price: number;
  image: { id: number | ''; src: string };
  parent_name: string | null;
}

export interface WooTaxLine {
  id: number;
  rate_code: string;
  rate_id: number;
  label: string;
  compound: boolean;
  tax_total: string;
  shipping_tax_total: string;
  rate_percent: number;
  meta_data: WooItemMeta[];
}

export interface WooShippingLine {
  id: number;
  method_title: string;
  method_id: string;
  instance_id: string;
  total: string;
  total_tax: string;
  taxes: WooTax[];
  tax_status: string;
  meta_data: WooItemMeta[];
}

export interface WooFeeLine {
  id: number;
  name: string;
  tax_class: string;
  tax_status: string;
  /** The raw amount as stored ("2.5"), not money-formatted. */
  amount: string;
  total: string;
  total_tax: string;
  taxes: WooTax[];
  meta_data: WooItemMeta[];
}

export interface WooCouponLine {
  id: number;
  code: string;
  discount: string;
  /** Raw stored value ("0", "0.83"), not money-formatted. */
  discount_tax: string;
  meta_data: WooItemMeta[];
  discount_type: string;
  nominal_amount: number;
  free_shipping: boolean;
}

export interface WooRefundSummary {
  id: number;
  reason: string;
  /** Negative: "-9.99". */
  total: string;
  total_tax: string;
}

export interface WooLink {
  href: string;
  embeddable?: boolean;
  targetHints?: { allow: string[] };
}

export interface WooOrder {
  id: number;
  parent_id: number;
  status: string;
  currency: string;
  version: string;
  prices_include_tax: boolean;
  date_created: string;
  date_modified: string;
  discount_total: string;
  discount_tax: string;
  shipping_total: string;
  shipping_tax: string;
  cart_tax: string;
  total: string;
  total_tax: string;
  customer_id: number;
  order_key: string;
  billing: WooBilling;
  shipping: WooShipping;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_ip_address: string;
  customer_user_agent: string;
  created_via: string;
  customer_note: string;
  date_completed: string | null;
  date_paid: string | null;
  cart_hash: string;
  number: string;
  meta_data: WooMeta[];
  line_items: WooLineItem[];
  tax_lines: WooTaxLine[];
  shipping_lines: WooShippingLine[];
  fee_lines: WooFeeLine[];
  coupon_lines: WooCouponLine[];
  refunds: WooRefundSummary[];
  payment_url: string;
  is_editable: boolean;
  needs_payment: boolean;
  needs_processing: boolean;
  date_created_gmt: string;
  date_modified_gmt: string;
  date_completed_gmt: string | null;
  date_paid_gmt: string | null;
  currency_symbol: string;
  _links: Record<string, WooLink[]>;
}

export interface WooNote {
  id: number;
  author: string;
  date_created: string;
  date_created_gmt: string;
  note: string;
  customer_note: boolean;
  _links: Record<string, WooLink[]>;
}

export interface GenerateOptions {
  /** Share of guest orders (customer_id 0). Default 0.4. */
  guestShare?: number;
  /** Share of unpaid orders (bacs on-hold, cod processing, pending). Default 0.25. */
  unpaidShare?: number;
  /** Only produce these statuses (e.g. ['processing']). Default: processing, on-hold, pending, completed. */
  statuses?: string[];
  /** Force the order currency. Default: mostly the company currency (EUR). */
  currency?: string;
  /** Share of orders with one line whose SKU is not in the catalog (or empty). Default 0. */
  unknownSkuShare?: number;
  /** Share of orders with a line for the catalog's blocked item (OLD-MUG). Default 0. */
  blockedItemShare?: number;
  /** Share of paid orders with a partial refund (order total unchanged, refunds[] negative). Default 0.03. */
  refundShare?: number;
  /** Share of orders with prices_include_tax=true. Default 0.5. */
  pricesIncludeTaxShare?: number;
}
