import { isObject, type JsonObject } from '../json-fields.js';

/**
 * What a BigCommerce document is, when it is not an order: BigCommerce answers every sub-resource
 * with its own shape, and a file handed to `bcbridge map` may be any of them. Naming it turns "id is
 * missing" into a message a person can act on.
 */
export function nonOrderKind(doc: unknown): string | undefined {
  if (Array.isArray(doc)) {
    const first = doc.find(isObject);
    if (!first) return doc.length === 0 ? 'an empty list' : undefined;
    if ('order_address_id' in first && 'product_id' in first) return `a list of ${doc.length} order products (GET /v2/orders/{id}/products)`;
    if ('tracking_number' in first) return `a list of ${doc.length} shipments (GET /v2/orders/{id}/shipments)`;
    if ('shipping_method' in first && 'order_id' in first) return `a list of ${doc.length} shipping addresses (GET /v2/orders/{id}/shipping_addresses)`;
    if ('coupon_id' in first) return `a list of ${doc.length} order coupons (GET /v2/orders/{id}/coupons)`;
    if ('tax_rate_id' in first || 'priority_amount' in first) return `a list of ${doc.length} order taxes (GET /v2/orders/{id}/taxes)`;
    if ('system_label' in first) return `the list of order statuses (GET /v2/order_statuses)`;
    if ('status_id' in first && 'date_created' in first) return `a list of ${doc.length} orders (GET /v2/orders); each element is one order`;
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const d: JsonObject = doc;
  if (typeof d.scope === 'string' && isObject(d.data)) {
    const id = d.data.id ?? d.data.orderId;
    return `a webhook notification (${d.scope}${id !== undefined ? ` for ${String(d.data.type ?? 'object')} ${String(id)}` : ''}; it carries only the id, the order itself is fetched)`;
  }
  if (Array.isArray(d.fees) && !('status_id' in d) && !('date_created' in d)) return 'a fee list (GET /v2/orders/{id}/fees)';
  if (Array.isArray(d.pickups) || Array.isArray(d.shipping) || Array.isArray(d.digital) || Array.isArray(d.email)) {
    if (!('status_id' in d)) return 'an order\'s consignments (GET /v2/orders/{id}/consignments)';
  }
  if ('tracking_number' in d && 'order_address_id' in d) return 'a shipment (POST /v2/orders/{id}/shipments)';
  if (isObject(d.data) && 'total_amount' in d.data && 'order_id' in d.data) return 'a refund (GET /v3/orders/{id}/payment_actions/refunds/{id})';
  if (isObject(d.data) && !('status_id' in d)) return 'a v3 response envelope ({"data": …}), not a v2 order';
  return undefined;
}
