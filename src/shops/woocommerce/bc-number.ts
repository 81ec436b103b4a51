import { ShopError } from '../../domain/errors.js';
import type { ShopBcNumber, ShopWriteBackResult } from '../connector.js';
import type { WooClient } from './client.js';
import { sameNoteText } from './write-back.js';

/**
 * The BC sales order no. on a WooCommerce order (docs/write-back.md "BC document no. on the shop order"): a
 * private order note ("BC sales order S-ORD101001"), which the merchant sees in the order's notes panel and
 * WooCommerce never e-mails. A note rather than order meta: it needs no plugin to be seen, and writing meta
 * means a PUT of the order, whose modification date then moves (WooCommerce notes do not touch it).
 *
 * Idempotent without state of its own: the order's notes are read first and a note with the same text is not
 * added again.
 */
export async function wooRecordBcNumber(client: WooClient, rec: ShopBcNumber, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const id = encodeURIComponent(rec.shopOrderId);
  const res = await client.send('GET', `/orders/${id}/notes`, { signal, accept404: true });
  if (res.status === 404) throw new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${rec.orderNumber} (id ${rec.shopOrderId})`, { status: 404 });
  const notes = Array.isArray(res.body) ? (res.body as { note?: unknown }[]) : [];
  if (notes.some((n) => typeof n.note === 'string' && sameNoteText(n.note, rec.note))) return { detail: 'note already there' };
  await client.send('POST', `/orders/${id}/notes`, { body: { note: rec.note, customer_note: false, added_by_user: false }, signal });
  return { detail: 'order note added' };
}
