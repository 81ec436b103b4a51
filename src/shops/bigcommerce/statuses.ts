/**
 * BigCommerce's fixed order statuses (reference/webshop-api.md §3). `status` on an order is a label the
 * merchant can rename (`custom_status`), so bcbridge names a status by its id: the slug of the system
 * name. An id outside the table keeps the order's own label, lower-cased and slugged the same way.
 */
export const STATUS_SLUGS: Record<number, string> = {
  0: 'incomplete',
  1: 'pending',
  2: 'shipped',
  3: 'partially-shipped',
  4: 'refunded',
  5: 'cancelled',
  6: 'declined',
  7: 'awaiting-payment',
  8: 'awaiting-pickup',
  9: 'awaiting-shipment',
  10: 'completed',
  11: 'awaiting-fulfillment',
  12: 'manual-verification-required',
  13: 'disputed',
  14: 'partially-refunded',
};

export function slugStatus(label: string): string {
  return label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Statuses whose system description says the payment was confirmed ("Awaiting Fulfillment: … payment has been confirmed"). */
export const PAYMENT_CONFIRMED_STATUS_IDS = new Set([2, 3, 8, 9, 10, 11]);

/** payment_status values that mean the money was taken. */
export const CAPTURED_PAYMENT_STATUSES = new Set(['captured', 'paid', 'partially refunded', 'refunded']);

/** payment_status values that veto "paid" whatever the order status says. */
export const FAILED_PAYMENT_STATUSES = new Set(['declined', 'void', 'void pending', 'held for review']);
