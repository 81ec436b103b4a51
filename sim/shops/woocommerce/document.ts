/**
 * Fields of an order that WooCommerce derives when it renders the REST response: site-time dates from
 * the GMT ones, payment_url, is_editable, needs_payment, currency_symbol and _links.
 */
import { fmtLocal, parseGmt } from './dates.js';
import { CURRENCY_SYMBOL } from './money.js';
import type { WooOrder } from './types.js';

export interface SiteInfo {
  /** Home URL with the scheme WordPress believes it is on (https when assumeHttps). */
  homeUrl: string;
  /** Site time zone offset in minutes east of GMT. */
  tzOffsetMinutes: number;
}

export function apiBase(site: SiteInfo): string {
  return `${site.homeUrl}/wp-json/wc/v3`;
}

export function localFromGmt(gmt: string | null, site: SiteInfo): string | null {
  return gmt === null ? null : fmtLocal(parseGmt(gmt), site.tzOffsetMinutes);
}

/** Recompute everything derived; mutates and returns the order, keeping the live key order. */
export function finalizeOrder(order: WooOrder, site: SiteInfo): WooOrder {
  order.date_created = localFromGmt(order.date_created_gmt, site)!;
  order.date_modified = localFromGmt(order.date_modified_gmt, site)!;
  order.date_completed = localFromGmt(order.date_completed_gmt, site);
  order.date_paid = localFromGmt(order.date_paid_gmt, site);
  order.payment_url = `${site.homeUrl}/checkout/order-pay/${order.id}/?pay_for_order=true&key=${order.order_key}`;
  order.is_editable = ['pending', 'on-hold', 'auto-draft', 'checkout-draft'].includes(order.status);
  order.needs_payment = ['pending', 'failed'].includes(order.status) && Number(order.total) > 0;
  order.currency_symbol = CURRENCY_SYMBOL[order.currency] ?? order.currency;
  const api = apiBase(site);
  const links: WooOrder['_links'] = {
    self: [{ href: `${api}/orders/${order.id}`, targetHints: { allow: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } }],
    collection: [{ href: `${api}/orders` }],
  };
  if (order.customer_id) links.customer = [{ href: `${api}/customers/${order.customer_id}` }];
  if (order.parent_id) links.up = [{ href: `${api}/orders/${order.parent_id}` }];
  links.email_templates = [{ embeddable: true, href: `${api}/orders/${order.id}/actions/email_templates` }];
  order._links = links;
  return order;
}

/** The 47 top-level keys of a live WooCommerce 11.0.1 order, in the order it sends them. */
export const ORDER_KEYS = [
  'id', 'parent_id', 'status', 'currency', 'version', 'prices_include_tax', 'date_created', 'date_modified',
  'discount_total', 'discount_tax', 'shipping_total', 'shipping_tax', 'cart_tax', 'total', 'total_tax',
  'customer_id', 'order_key', 'billing', 'shipping', 'payment_method', 'payment_method_title', 'transaction_id',
  'customer_ip_address', 'customer_user_agent', 'created_via', 'customer_note', 'date_completed', 'date_paid',
  'cart_hash', 'number', 'meta_data', 'line_items', 'tax_lines', 'shipping_lines', 'fee_lines', 'coupon_lines',
  'refunds', 'payment_url', 'is_editable', 'needs_payment', 'needs_processing', 'date_created_gmt',
  'date_modified_gmt', 'date_completed_gmt', 'date_paid_gmt', 'currency_symbol', '_links',
] as const;

/** Put the keys back in the live order (a patch may have added them in another order). */
export function orderKeys(order: WooOrder): WooOrder {
  const out: Record<string, unknown> = {};
  const src = order as unknown as Record<string, unknown>;
  for (const k of ORDER_KEYS) out[k] = src[k];
  for (const k of Object.keys(src)) if (!(k in out)) out[k] = src[k];
  return out as unknown as WooOrder;
}
