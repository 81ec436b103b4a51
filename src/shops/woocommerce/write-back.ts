import { ShopError } from '../../domain/errors.js';
import type { ShopWriteBack, ShopWriteBackResult } from '../connector.js';
import type { WooClient } from './client.js';

/** The Shipment Tracking extension's namespace (webshop-api.md "Writing back"). */
const TRACKING_PATH = (id: string) => `/wp-json/wc-shipment-tracking/v3/orders/${encodeURIComponent(id)}/shipment-trackings`;

/**
 * WooCommerce write-back of one BC shipment: an order note (with the tracking), the tracking through the
 * Shipment Tracking extension when configured, and the completed status once every line is shipped.
 *
 * Idempotent without any state of its own: the shop is read first, and what it already has is not sent
 * again (the note by its exact text, which the stage renders the same way every time; the tracking by its
 * number). Status last: a shop that shows "completed" has everything else.
 */
export async function wooWriteBack(client: WooClient, wb: ShopWriteBack, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const done: string[] = [];
  const id = encodeURIComponent(wb.shopOrderId);

  const notesRes = await client.send('GET', `/orders/${id}/notes`, { signal, accept404: true });
  if (notesRes.status === 404) throw new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${wb.orderNumber} (id ${wb.shopOrderId})`, { status: 404 });
  const notes = Array.isArray(notesRes.body) ? (notesRes.body as { note?: unknown }[]) : [];
  if (notes.some((n) => typeof n.note === 'string' && sameNoteText(n.note, wb.note))) done.push('note already there');
  else {
    await client.send('POST', `/orders/${id}/notes`, { body: { note: wb.note, customer_note: wb.customerNote, added_by_user: false }, signal });
    done.push('note added');
  }

  if (wb.tracking && wb.trackingMode === 'extension') {
    const listed = await client.send('GET', TRACKING_PATH(wb.shopOrderId), { signal, accept404: true });
    if (listed.status === 404) {
      // rest_no_route: the extension is not installed (the order exists: its notes were just read).
      throw new ShopError('SHOP_TRACKING_UNAVAILABLE', `shop order ${wb.orderNumber}: the WooCommerce Shipment Tracking extension does not answer (404); install it or set writeBack.tracking.shopMode to "note"`, { status: 404 });
    }
    const existing = Array.isArray(listed.body) ? (listed.body as { tracking_number?: unknown }[]) : [];
    if (existing.some((t) => t.tracking_number === wb.tracking!.number)) done.push('tracking already there');
    else {
      await client.send('POST', TRACKING_PATH(wb.shopOrderId), {
        body: {
          tracking_number: wb.tracking.number,
          // A carrier name the extension may not know is sent as a custom provider with its own link.
          custom_tracking_provider: wb.tracking.carrier ?? 'Carrier',
          ...(wb.tracking.url && { custom_tracking_link: wb.tracking.url }),
        },
        signal,
      });
      done.push('tracking added');
    }
  }

  if (wb.complete) {
    // PUT is idempotent: repeating it after a lost answer changes nothing.
    await client.send('PUT', `/orders/${id}`, { body: { status: wb.completeStatus }, signal });
    done.push(`status ${wb.completeStatus}`);
  }
  return { detail: done.join(', ') };
}

/** WooCommerce stores notes through wpautop/kses: compare ignoring markup and whitespace differences. */
export function sameNoteText(stored: string, sent: string): boolean {
  const norm = (s: string) => s.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
  return norm(stored) === norm(sent);
}
