import { ShopError } from '../../domain/errors.js';
import type { ShopBcNumber, ShopWriteBack, ShopWriteBackResult } from '../connector.js';
import { namesToken, withShipmentMark } from '../shipment-mark.js';
import type { MagentoClient } from './client.js';
import { anythingLeft, planShipment, readItems, type ShipItem } from './ship-items.js';

/** Magento's own carriers; any other carrier is sent as `custom` with its name as the title. */
const MAGENTO_CARRIERS = new Set(['ups', 'usps', 'fedex', 'dhl']);
/** BundleShipmentTypeValidator: the bundle ships the other way (by its parts, or by itself). */
const BUNDLE_TYPE = /has shipment type "(Separately|Together)"/;

/**
 * Magento write-back of one BC shipment (docs/write-back.md "Magento"): one Magento shipment
 * (`POST /V1/order/{id}/ship`) with the shipped items, the tracking as a track, and the rendered note as the
 * shipment comment. Magento moves the order to `complete` by itself once everything is invoiced and shipped.
 *
 * Idempotent without state of its own: the order's shipments are read first (`GET /V1/shipments` by
 * order_id), and a shipment whose comment names this BC shipment no., or that carries the same tracking no.,
 * means it is written. The ship call itself is never repeated by the client (a POST is not retried), so a
 * lost answer is resolved by that read on the next attempt.
 */
export async function magentoWriteBack(client: MagentoClient, wb: ShopWriteBack, signal?: AbortSignal, msiSources: Record<string, string> = {}): Promise<ShopWriteBackResult> {
  const order = await readOrder(client, wb.shopOrderId, wb.orderNumber, signal);
  const shipments = await listShipments(client, wb.shopOrderId, signal);
  const comment = shipmentComment(wb);
  const there = shipments.find((s) => (s.comments ?? []).some((c) => mentions(c.comment, wb.shipmentNo)) || (wb.tracking !== undefined && (s.tracks ?? []).some((t) => t.track_number === wb.tracking!.number)));
  if (there) return { detail: `Magento shipment ${there.increment_id ?? there.entity_id} already there` };

  const items = readItems(order);
  const plan = wb.complete ? undefined : planShipment(items, wb.lines, wb.orderNumber);
  // The completing shipment ships whatever Magento has left (no items: Magento's "ship the rest", right for either bundle type).
  const attempts: ShipItem[][] = !plan
    ? anythingLeft(items) ? [[]] : []
    : unique(plan.partsFirst ? [plan.separately, plan.together] : [plan.together, plan.separately]).filter((a) => a.length > 0);
  const held = plan?.held ?? [];
  const source = msiSourceFor(msiSources, wb.locationCode);

  for (const shipItems of attempts) {
    try {
      const res = await client.send('POST', `/order/${encodeURIComponent(wb.shopOrderId)}/ship`, { body: shipBody(wb, shipItems, comment, source), signal });
      const id = typeof res.body === 'number' || typeof res.body === 'string' ? String(res.body) : '?';
      const done = [`Magento shipment ${id} created (${shipItems.length ? `${shipItems.length} item(s)` : 'everything left'}${source ? `, from source ${source}` : ''})`];
      if (held.length) done.push(`not shipped yet: ${held.join('; ')}`);
      if (wb.complete) {
        const after = await client.getOrder(wb.shopOrderId, signal);
        const status = (after as { status?: unknown } | undefined)?.status;
        if (typeof status === 'string') done.push(`Magento status ${status}`);
      }
      return { detail: done.join(', ') };
    } catch (err) {
      // A bundle that ships the other way: the next spelling is tried; a 400 created nothing.
      if (err instanceof ShopError && err.status === 400 && BUNDLE_TYPE.test(err.message)) continue;
      throw err;
    }
  }

  // Nothing Magento can ship for these lines (shipped there already, or bundle parts that only ship whole):
  // the shop still hears about the BC shipment, as an order comment.
  const detail = await addOrderComment(client, order, wb.shopOrderId, comment, wb.shipmentNo, wb.customerNote, signal);
  return { detail: `nothing left to ship in Magento for these lines${held.length ? ` (${held.join('; ')})` : ''}; ${detail}` };
}

/** The BC sales order no. as an order comment (status history), not visible on the storefront; once. */
export async function magentoRecordBcNumber(client: MagentoClient, rec: ShopBcNumber, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const order = await readOrder(client, rec.shopOrderId, rec.orderNumber, signal);
  return { detail: await addOrderComment(client, order, rec.shopOrderId, rec.note, rec.bcOrderNumber, false, signal) };
}

interface MagentoShipment {
  entity_id?: number;
  increment_id?: string;
  tracks?: { track_number?: string }[];
  comments?: { comment?: string }[];
}

async function readOrder(client: MagentoClient, id: string, number: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const order = await client.getOrder(id, signal);
  if (!order) throw new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${number} (id ${id})`, { status: 404 });
  return order as Record<string, unknown>;
}

/** GET /V1/shipments filtered by order_id, every page. */
export async function listShipments(client: MagentoClient, orderId: string, signal?: AbortSignal): Promise<MagentoShipment[]> {
  const out: MagentoShipment[] = [];
  const f = 'searchCriteria[filter_groups][0][filters][0]';
  for (let page = 1; ; page++) {
    const query: [string, string][] = [[`${f}[field]`, 'order_id'], [`${f}[value]`, orderId], [`${f}[condition_type]`, 'eq'], ['searchCriteria[pageSize]', '50'], ['searchCriteria[currentPage]', String(page)]];
    const res = await client.send('GET', '/shipments', { query, signal });
    const body = res.body as { items?: unknown; total_count?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || (body.items !== undefined && body.items !== null && !Array.isArray(body.items))) {
      throw new ShopError('SHOP_BAD_RESPONSE', `Magento answered GET /shipments for order ${orderId} without a search result ({items, total_count})`);
    }
    const items = (Array.isArray(body.items) ? body.items : []) as MagentoShipment[];
    out.push(...items);
    const total = typeof body.total_count === 'number' ? body.total_count : out.length;
    // A page past the end comes back as the last page again: stop on a short page or at total_count.
    if (items.length < 50 || page * 50 >= total) return out;
  }
}

export function shipBody(wb: ShopWriteBack, items: ShipItem[], comment: string, source?: string): Record<string, unknown> {
  return {
    ...(items.length > 0 && { items }),
    notify: wb.customerNote,
    // With notify, the comment goes into the customer's shipment e-mail.
    appendComment: wb.customerNote,
    comment: { comment, is_visible_on_front: wb.customerNote ? 1 : 0 },
    ...(wb.tracking && { tracks: [trackOf(wb.tracking)] }),
    // Multi-Source Inventory deducts the shipped goods from this source (without it: the default source).
    ...(source && { arguments: { extension_attributes: { source_code: source } } }),
  };
}

/**
 * The MSI source for an order's shipment: the one configured for the BC location the order was created with
 * (location codes compare case-insensitively), else the `"*"` entry, else none (Magento's default source).
 */
export function msiSourceFor(sources: Record<string, string>, locationCode: string | undefined): string | undefined {
  if (locationCode) {
    const wanted = locationCode.toUpperCase();
    for (const [location, source] of Object.entries(sources)) if (location !== '*' && location.toUpperCase() === wanted) return source;
  }
  return sources['*'];
}

/** Magento's carrier code when the carrier is one of Magento's own carriers (by name), else `custom`. */
export function trackOf(t: NonNullable<ShopWriteBack['tracking']>): { track_number: string; title: string; carrier_code: string } {
  const code = (t.carrier ?? '').trim().toLowerCase().replace(/[\s_-]+/g, '');
  return { track_number: t.number, title: t.carrier ?? 'Tracking', carrier_code: MAGENTO_CARRIERS.has(code) ? code : 'custom' };
}

/** The rendered note; it names the BC shipment no. (the idempotency check looks for it) even with a custom template. */
export function shipmentComment(wb: Pick<ShopWriteBack, 'note' | 'shipmentNo' | 'tracking'>): string {
  return withShipmentMark(wb.note, wb.shipmentNo);
}

/** `text` names `no` as a whole token (S-SHP1001 is not in S-SHP10012). */
export const mentions = namesToken;

/**
 * An order comment (status history), unless one already names `token`. The status sent is the order's
 * current one: Magento keeps the status on a comment, and older versions would otherwise clear it.
 */
async function addOrderComment(
  client: MagentoClient, order: Record<string, unknown>, id: string, comment: string, token: string, visible: boolean, signal?: AbortSignal,
): Promise<string> {
  const histories = Array.isArray(order.status_histories) ? (order.status_histories as { comment?: unknown }[]) : [];
  if (histories.some((h) => mentions(h.comment, token))) return 'order comment already there';
  await client.send('POST', `/orders/${encodeURIComponent(id)}/comments`, {
    body: {
      statusHistory: {
        comment, is_customer_notified: 0, is_visible_on_front: visible ? 1 : 0, parent_id: Number(id),
        ...(typeof order.status === 'string' && { status: order.status }),
      },
    },
    signal,
  });
  return 'order comment added';
}

function unique(lists: ShipItem[][]): ShipItem[][] {
  const seen = new Set<string>();
  return lists.filter((l) => {
    const key = JSON.stringify(l);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
