import type { CanonicalOrder } from '../order.js';

/**
 * The text of the comment line that keeps the shop's ids on the BC order. API v2.0 `salesOrders` has no
 * field for them (no "Your Reference", no custom fields), and Sana keeps both ids on the BC side; a first
 * comment line costs no request and survives into the posted documents. BC Description is Text[100].
 */
export function shopIdsComment(order: CanonicalOrder): string {
  const customer = order.customer.shopCustomerId ? `customer ${order.customer.shopCustomerId}` : 'guest';
  return `Shop order ${order.orderNumber} (id ${order.shopOrderId}), ${customer}`.slice(0, 100);
}
