import type { Money } from './money.js';

/**
 * The canonical order: what every platform's raw order is mapped to (shops/<platform>/to-order.ts) and
 * what the rules and the BC mapping read. Plain JSON (stored as such); money as decimal strings.
 *
 * Amounts follow one convention whatever the shop sends: `net` = excluding tax, `tax` = the tax on it.
 * Gross amounts are net + tax. Unit prices may carry up to 5 decimals.
 */
export interface Address {
  firstName?: string;
  lastName?: string;
  /** Full name as the shop shows it, when it has no first/last split. */
  name?: string;
  company?: string;
  line1?: string;
  line2?: string;
  city?: string;
  /** Region as the shop sends it, e.g. `BY` (WooCommerce `DE-BY` is normalised to `BY`). */
  state?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string;
  email?: string;
  phone?: string;
}

export interface OrderOption {
  /** The option as the shop shows it (Tinx "Title"): "Color", "Black". */
  label: string;
  value: string;
  /**
   * The option as the shop stores it (Tinx "Value"), where that differs from what it shows: WooCommerce's
   * attribute slug and term (`pa_color`, `black`), BigCommerce's option name and value id, Magento's option id
   * and value. `mapping.options.element: value` sends these instead of the shown text.
   */
  key?: { label: string; value: string };
}

export interface OrderLine {
  /** The shop's id of this line (stable across re-downloads). */
  lineId: string;
  sku?: string;
  name: string;
  productId?: string;
  variantId?: string;
  gtin?: string;
  /** Decimal string; most shops use integers. */
  quantity: string;
  /** Unit price before line discount, excluding tax (≤ 5 decimals). */
  unitPriceNet: Money;
  /** Line discount (excl. tax) = subtotal − total. */
  discountNet: Money;
  /** Line amount after discount, excluding tax. */
  totalNet: Money;
  /** Tax on totalNet. */
  totalTax: Money;
  /** Tax rate in percent when the shop says it or it can be derived; informational. */
  taxPercent?: string;
  options: OrderOption[];
  /** Id of the parent line for bundle/configurable children. */
  parentLineId?: string;
}

export interface ShippingLine {
  lineId: string;
  method: string;
  methodId?: string;
  totalNet: Money;
  totalTax: Money;
}

export interface FeeLine {
  lineId: string;
  name: string;
  totalNet: Money;
  totalTax: Money;
}

export interface Coupon {
  code: string;
  /** Discount excl. tax already spread over the lines (informational; lines carry it). */
  discountNet: Money;
  discountTax: Money;
}

export interface Refund {
  refundId: string;
  /** Positive amount refunded. */
  amount: Money;
  reason?: string;
}

export interface CanonicalOrder {
  platform: string;
  /** The shop's own id (used for API calls). */
  shopOrderId: string;
  /** The number the customer sees (WooCommerce `number`, Shopify `name`, Magento `increment_id`). */
  orderNumber: string;
  /** Shop status as sent (lower case), e.g. `processing`, `on-hold`. */
  status: string;
  /** The shop says the order is paid (WooCommerce `date_paid` set, Shopify financial_status paid …). */
  paid: boolean;
  paidAt?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC: the shop's last modification; newer wins over older. */
  modifiedAt: string;
  currency: string;
  /** The shop's prices were entered including tax (informational: canonical amounts are always net + tax). */
  pricesIncludeTax: boolean;
  customer: {
    /** Shop customer id; absent for a guest. */
    shopCustomerId?: string;
    guest: boolean;
    email?: string;
    phone?: string;
  };
  billing: Address;
  shipping: Address;
  lines: OrderLine[];
  shippingLines: ShippingLine[];
  fees: FeeLine[];
  coupons: Coupon[];
  refunds: Refund[];
  paymentMethod?: string;
  paymentMethodTitle?: string;
  customerNote?: string;
  totals: {
    /** Grand total including tax, as the shop states it. */
    total: Money;
    totalTax: Money;
    shippingNet: Money;
    discountNet: Money;
  };
}

/** The key put in BC's `externalDocumentNumber` (Code[35], stored upper case): the shop order number, prefixed per shop. */
export function orderKey(prefix: string, orderNumber: string): string {
  const key = `${prefix}${orderNumber}`.toUpperCase();
  if (key.length > 35) throw new RangeError(`order key "${key}" is longer than BC's 35 characters`);
  return key;
}
