import { dec } from '../../domain/money.js';
import { ShopError } from '../../domain/errors.js';
import type { ShopBcNumber, ShopWriteBack, ShopWriteBackResult } from '../connector.js';
import { namesToken, withShipmentMark } from '../shipment-mark.js';
import { trackingFields } from './carriers.js';
import type { BigCommerceClient } from './client.js';
import { slugStatus, STATUS_SLUGS } from './statuses.js';

/** Sub-resource lists are read 250 at a time (BigCommerce's maximum `limit`). */
const PAGE = 250;
/** orderShipment_Post `comments`. */
const MAX_COMMENTS = 65535;

/** One BigCommerce shipment to create: an address and the order products (with quantities) sent there. */
export interface PlannedShipment {
  orderAddressId: number;
  items: { order_product_id: number; quantity: number }[];
}

export interface ShipmentPlan {
  create: PlannedShipment[];
  /** What was left out and why, for the order's timeline. */
  notes: string[];
}

/** The fields of an order product the plan needs (GET /v2/orders/{id}/products). */
interface OrderProduct {
  id: number;
  orderAddressId: number;
  quantity: number;
  shipped: number;
  digital: boolean;
  name: string;
}

/**
 * True when a BigCommerce shipment's `comments` name exactly this BC shipment (not 102001 when asked for 10200):
 * what makes a retry idempotent. Before creating, the order's shipments are read, and an address that already
 * has a shipment naming it is not shipped to again.
 */
export function carriesMark(comments: unknown, shipmentNo: string): boolean {
  return namesToken(comments, shipmentNo);
}

/** The shipment comments: the stage's rendered note, which carries the mark unless a custom template dropped it. */
export function shipmentComments(wb: ShopWriteBack): string {
  return withShipmentMark(wb.note, wb.shipmentNo).slice(0, MAX_COMMENTS);
}

/**
 * Which shipments to create for one BC shipment (pure). Each shop line is an order product
 * (`shopLineId` = the product's `id`, to-order.ts); the products are grouped by the address they ship to
 * (`order_address_id`: an order shipped to several addresses gets one shipment per address). An address
 * that already has a shipment carrying this BC shipment's mark is skipped. A quantity is capped at what
 * BigCommerce still has to ship of that product (someone shipped part of it by hand in BigCommerce);
 * a product with nothing left is left out, and so are digital products, which are never shipped.
 */
export function planShipments(wb: ShopWriteBack, rawProducts: unknown[], existing: unknown[], fallbackAddressId?: number): ShipmentPlan {
  const products = new Map(rawProducts.map(readProduct).filter((p): p is OrderProduct => p !== undefined).map((p) => [String(p.id), p]));
  const marked = new Set(
    existing
      .filter((s) => isObject(s) && carriesMark(s.comments, wb.shipmentNo))
      .map((s) => Number((s as Record<string, unknown>).order_address_id)),
  );
  const groups = new Map<number, PlannedShipment>();
  const notes: string[] = [];
  for (const line of wb.lines) {
    const product = products.get(line.shopLineId);
    const label = line.name ?? line.sku ?? line.shopLineId;
    if (!product) {
      throw new ShopError(
        'SHOP_WRITEBACK_MISMATCH',
        `BigCommerce order ${wb.orderNumber} has no order product ${line.shopLineId} (${label}) any more; was the order edited in BigCommerce after export?`,
      );
    }
    const quantity = dec(line.quantity);
    if (!quantity.isInteger() || quantity.lte(0)) {
      throw new ShopError('SHOP_WRITEBACK_INVALID', `BC shipped ${line.quantity} of ${label} (order ${wb.orderNumber}); BigCommerce ships whole units only`);
    }
    if (product.digital) {
      notes.push(`${label} is digital and not shipped`);
      continue;
    }
    const addressId = product.orderAddressId || fallbackAddressId;
    if (!addressId) {
      throw new ShopError('SHOP_WRITEBACK_MISMATCH', `order product ${product.id} (${label}) of BigCommerce order ${wb.orderNumber} has no shipping address to ship to`);
    }
    if (marked.has(addressId)) continue;
    const left = product.quantity - product.shipped;
    const send = Math.min(quantity.toNumber(), left);
    if (send < quantity.toNumber()) notes.push(left <= 0 ? `${label} already shipped in BigCommerce` : `only ${left} of ${label} left to ship in BigCommerce`);
    if (send <= 0) continue;
    const group = groups.get(addressId) ?? { orderAddressId: addressId, items: [] };
    const same = group.items.find((i) => i.order_product_id === product.id);
    if (same) same.quantity += send;
    else group.items.push({ order_product_id: product.id, quantity: send });
    groups.set(addressId, group);
  }
  if (marked.size > 0) notes.push(`shipment for BC shipment ${wb.shipmentNo} already there (address ${[...marked].join(', ')})`);
  return { create: [...groups.values()], notes };
}

/** Does any line need the order's shipping addresses (a physical product without order_address_id)? */
function needsAddressLookup(wb: ShopWriteBack, rawProducts: unknown[]): boolean {
  const wanted = new Set(wb.lines.map((l) => l.shopLineId));
  return rawProducts.map(readProduct).some((p) => p !== undefined && wanted.has(String(p.id)) && !p.digital && !p.orderAddressId);
}

/**
 * A BigCommerce status named by id ("2"), by its system name or slug ("Shipped", "shipped",
 * "partially-shipped"), or by a custom label the merchant gave it (read from /v2/order_statuses only then).
 */
export function statusIdFor(name: string): number | undefined {
  const text = name.trim();
  if (/^\d+$/.test(text)) return STATUS_SLUGS[Number(text)] !== undefined ? Number(text) : undefined;
  const slug = slugStatus(text);
  const found = Object.entries(STATUS_SLUGS).find(([, s]) => s === slug);
  return found ? Number(found[0]) : undefined;
}

async function resolveStatus(client: BigCommerceClient, name: string, signal?: AbortSignal): Promise<{ id: number; label: string }> {
  const id = statusIdFor(name);
  if (id !== undefined) return { id, label: STATUS_SLUGS[id]! };
  const res = await client.send('GET', '/v2/order_statuses', { signal });
  const statuses = Array.isArray(res.body) ? res.body.filter(isObject) : [];
  const custom = statuses.find((s) => typeof s.custom_label === 'string' && slugStatus(s.custom_label) === slugStatus(name));
  if (custom && typeof custom.id === 'number') return { id: custom.id, label: String(custom.custom_label) };
  throw new ShopError(
    'SHOP_CONFIG',
    `writeBack.completeStatus "${name}" is not a BigCommerce order status: use an id (0–14), a status name such as shipped or completed, or the store's own label for one (docs/bigcommerce.md)`,
  );
}

/**
 * BigCommerce write-back of one BC shipment (docs/write-back.md "BigCommerce"): one `POST
 * /v2/orders/{id}/shipments` per shipping address with the shipped order products, the tracking and the BC
 * shipment no. in the comments. BigCommerce itself moves the order to Shipped or Partially Shipped when a
 * shipment is created; on the completing shipment `completeStatus` is set if the order is not in it then.
 *
 * Idempotent without any state of its own: the order's shipments are read first, and an address already
 * holding a shipment marked with this BC shipment no. gets no second one. A POST is never retried after an
 * ambiguous failure (client.ts); the stage retries later, and this read finds what did go through.
 */
export async function bigCommerceWriteBack(client: BigCommerceClient, wb: ShopWriteBack, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const id = orderId(wb.shopOrderId, wb.orderNumber);
  const base = `/v2/orders/${id}`;
  // A completeStatus that names no status fails before anything is created.
  const status = wb.complete ? await resolveStatus(client, wb.completeStatus, signal) : undefined;
  const existing = await readList(client, `${base}/shipments`, signal);
  if (existing === undefined) throw gone(wb);
  const products = (await readList(client, `${base}/products`, signal)) ?? [];
  let fallbackAddressId: number | undefined;
  if (needsAddressLookup(wb, products)) {
    const addresses = ((await readList(client, `${base}/shipping_addresses`, signal)) ?? []).filter(isObject);
    if (addresses.length === 1 && typeof addresses[0]!.id === 'number') fallbackAddressId = addresses[0]!.id;
  }
  const plan = planShipments(wb, products, existing, fallbackAddressId);
  const done: string[] = [];
  const tracking = trackingFields(wb.tracking, wb.orderNumber);
  const comments = shipmentComments(wb);
  for (const shipment of plan.create) {
    const res = await client.send('POST', `${base}/shipments`, {
      body: { order_address_id: shipment.orderAddressId, ...tracking, comments, items: shipment.items },
      signal,
    });
    const created = isObject(res.body) ? res.body.id : undefined;
    const count = shipment.items.reduce((n, i) => n + i.quantity, 0);
    done.push(`shipment ${created ?? '?'} created (address ${shipment.orderAddressId}, ${count} item${count === 1 ? '' : 's'})`);
  }
  done.push(...plan.notes);
  if (wb.lines.length === 0) done.push('no shop products in this shipment');
  if (status) {
    const res = await client.send('GET', base, { signal, accept404: true });
    if (res.status === 404) throw gone(wb);
    const current = isObject(res.body) ? Number(res.body.status_id) : undefined;
    if (current === status.id) done.push(`status already ${status.label}`);
    else {
      // Only status_id: a PUT with products or fees would rewrite them (webshop-api.md §3 "Writing back").
      await client.send('PUT', base, { body: { status_id: status.id }, signal });
      done.push(`status ${status.label}`);
    }
  }
  return { detail: done.join(', ') || 'nothing to do' };
}

/**
 * The BC sales order no. in the order's staff notes (seen only by the merchant), appended to what is there;
 * nothing is written when the notes already carry it. Only `staff_notes` is sent.
 */
export async function bigCommerceRecordBcNumber(client: BigCommerceClient, rec: ShopBcNumber, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const id = orderId(rec.shopOrderId, rec.orderNumber);
  const note = rec.note.trim() || `BC sales order ${rec.bcOrderNumber}`;
  const res = await client.send('GET', `/v2/orders/${id}`, { signal, accept404: true });
  if (res.status === 404) throw new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${rec.orderNumber} (id ${rec.shopOrderId})`, { status: 404 });
  const notes = isObject(res.body) && typeof res.body.staff_notes === 'string' ? res.body.staff_notes : '';
  if (notes.includes(note)) return { detail: 'BC sales order no. already in the staff notes' };
  await client.send('PUT', `/v2/orders/${id}`, { body: { staff_notes: notes.trim() ? `${notes.trimEnd()}\n${note}` : note }, signal });
  return { detail: 'BC sales order no. added to the staff notes' };
}

/** A paged sub-resource list; [] for 204, undefined when the order is not there (404). */
async function readList(client: BigCommerceClient, path: string, signal?: AbortSignal): Promise<unknown[] | undefined> {
  const out: unknown[] = [];
  for (let page = 1; ; page++) {
    const res = await client.send('GET', path, { query: [['limit', String(PAGE)], ['page', String(page)]], signal, accept404: true });
    if (res.status === 404) return page === 1 ? undefined : out;
    if (res.body === undefined) return out;
    if (!Array.isArray(res.body)) throw new ShopError('SHOP_BAD_RESPONSE', `BigCommerce answered GET ${path} with something other than a list`, { status: res.status });
    out.push(...res.body);
    if (res.body.length < PAGE) return out;
  }
}

function readProduct(raw: unknown): OrderProduct | undefined {
  if (!isObject(raw)) return undefined;
  const id = Number(raw.id);
  if (!Number.isInteger(id) || id <= 0) return undefined;
  const int = (v: unknown) => (Number.isFinite(Number(v)) ? Math.trunc(Number(v)) : 0);
  return {
    id,
    orderAddressId: int(raw.order_address_id),
    quantity: int(raw.quantity),
    shipped: int(raw.quantity_shipped),
    digital: raw.type === 'digital' || raw.type === 'giftcertificate',
    name: typeof raw.name === 'string' ? raw.name : String(id),
  };
}

function orderId(shopOrderId: string, orderNumber: string): string {
  // Order ids are integers: anything else cannot exist, and must not become a path.
  if (!/^\d{1,15}$/.test(shopOrderId)) throw new ShopError('SHOP_WRITEBACK_INVALID', `shop order ${orderNumber} has the id "${shopOrderId}", which is not a BigCommerce order id`);
  return shopOrderId;
}

function gone(wb: ShopWriteBack): ShopError {
  return new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${wb.orderNumber} (id ${wb.shopOrderId})`, { status: 404 });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
