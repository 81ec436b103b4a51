import { isObject } from '../json-fields.js';

/** What a Magento document is when it is not an order, so a refusal names it (files given to `bcbridge map`, a bad answer). */
export function nonOrderKind(doc: unknown): string | undefined {
  if (Array.isArray(doc)) return `a list of ${doc.length} elements`;
  if (!isObject(doc)) return undefined;
  if (typeof doc.message === 'string' && !('entity_id' in doc)) return `a Magento error response ("${doc.message.slice(0, 120)}")`;
  if (Array.isArray(doc.items) && !('entity_id' in doc) && !('increment_id' in doc)) {
    const first = doc.items.find(isObject);
    if (first && 'order_item_id' in first && ('notify' in doc || 'tracks' in doc || 'arguments' in doc || 'comment' in doc)) {
      return 'a shipment, invoice or refund request body (POST /V1/order/{id}/ship|invoice|refund)';
    }
    return `a search result with ${doc.items.length} orders (GET /V1/orders?searchCriteria…); each element of items is one order`;
  }
  if ('order_id' in doc && Array.isArray(doc.items) && doc.items.some((i) => isObject(i) && 'order_item_id' in i)) {
    return `an invoice or credit memo of order ${String(doc.order_id)} (GET /V1/invoices|creditmemo/{id})`;
  }
  if ('paymentMethod' in doc) return 'a cart payment-information request (POST /V1/carts/mine/payment-information)';
  if (('capture' in doc || 'notify' in doc) && !('entity_id' in doc)) return 'an invoice request body (POST /V1/order/{id}/invoice)';
  return undefined;
}
