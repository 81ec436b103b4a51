/**
 * `POST /V1/order/{id}/ship` as Magento 2.4 core does it (Magento\Sales\Model\ShipOrder, Order\ShipmentFactory,
 * Order\Validation\CanShip, Shipment\Validation\QuantityValidator and TrackValidator, and
 * Magento\Bundle's BundleShipmentTypeValidator). What a client sees:
 *
 * - No `items`: everything left ships. With `items`, only the listed items (and the children that follow
 *   them) ship; a quantity above what is left is cut to what is left, silently; an id the order does not
 *   have is ignored. When that leaves nothing, Magento refuses: "You can't create a shipment without products."
 * - A configurable ships by its **parent** item; the child follows it. A child id alone ships nothing.
 * - A bundle shipped *together* (Magento's default) ships by its parent item, the parts follow (per-bundle
 *   quantity × bundles); a bundle shipped *separately* ships by its part items. Asking for the other one is
 *   refused with BundleShipmentTypeValidator's message. The shipment type is a catalog setting and not part of
 *   the REST order (here: `MgOrderSpec.bundleShipment`).
 * - A held, canceled, in-review order: "A shipment cannot be created when an order has a status of %1";
 *   nothing left to ship: "The order does not allow a shipment to be created."
 * - Every refusal is one 400 `{message: "Shipment Document Validation Error(s):\n…"}` with the messages joined
 *   by newlines, as ShipOrder throws it, and changes nothing.
 *
 * Simplifications (documented in the README): a configurable child's and a separately shipped bundle's parent
 * qty_shipped follow their goods (Magento keeps them apart); the order state is `processing` until nothing is
 * left to ship and every item is invoiced, then `complete` (Magento's order state handler), status = state.
 */
import type { MgItem, MgOrder, MgShipment } from './types.js';

export interface ShipRequest {
  items?: { order_item_id?: unknown; qty?: unknown }[];
  notify?: unknown;
  appendComment?: unknown;
  comment?: { comment?: unknown; is_visible_on_front?: unknown } | null;
  tracks?: { track_number?: unknown; title?: unknown; carrier_code?: unknown }[];
  /** ShipmentCreationArguments; with Multi-Source Inventory its extension attribute `source_code`. */
  arguments?: { extension_attributes?: { source_code?: unknown } | null } | null;
}

/** A 400 the webapi answers with Magento's `{message, parameters?}` body. */
export class MagentoInputError extends Error {
  constructor(message: string, readonly parameters?: Record<string, string>) {
    super(message);
  }
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

/** What a shipment needs from the store: ids, the clock, the catalog's bundle shipment types. */
export interface ShipContext {
  nextShipmentId(): number;
  nextChildId(): number;
  now: string;
  shipsSeparately(bundleItemId: number): boolean;
  /** Multi-Source Inventory's sources (Magento 2.4 ships with MSI on and one source, `default`). */
  sources: ReadonlySet<string>;
}

export function shipOrder(order: MgOrder, req: ShipRequest, ctx: ShipContext): MgShipment {
  const items = order.items;
  const byId = new Map(items.map((i) => [i.item_id, i]));
  const parentOf = (it: MgItem) => (it.parent_item_id !== undefined ? byId.get(it.parent_item_id) : undefined);
  const kidsOf = (it: MgItem) => items.filter((c) => c.parent_item_id === it.item_id);
  const virtual = (it: MgItem) => num(it.is_virtual) === 1;
  const separately = (it: MgItem): boolean => {
    if (it.product_type === 'bundle') return ctx.shipsSeparately(it.item_id);
    const p = parentOf(it);
    return p?.product_type === 'bundle' ? ctx.shipsSeparately(p.item_id) : false;
  };
  // Order\Item::isDummy(true): which item of a tree is not shipped by itself.
  const isDummy = (it: MgItem) => (kidsOf(it).length > 0 ? separately(it) : parentOf(it) ? !separately(it) : false);
  const left = (it: MgItem) => Math.max(0, num(it.qty_ordered) - num(it.qty_shipped) - num(it.qty_refunded) - num(it.qty_canceled));

  // The webapi deserializer: each item needs orderItemId and qty, each track a trackNumber.
  const reqItems = Array.isArray(req.items) ? req.items : [];
  for (const i of reqItems) {
    if (typeof i !== 'object' || i === null || i.order_item_id === undefined) throw new MagentoInputError('"%fieldName" is required. Enter and try again.', { fieldName: 'orderItemId' });
    if (i.qty === undefined) throw new MagentoInputError('"%fieldName" is required. Enter and try again.', { fieldName: 'qty' });
  }
  const tracks = Array.isArray(req.tracks) ? req.tracks : [];
  for (const t of tracks) {
    for (const [field, key] of [['trackNumber', 'track_number'], ['title', 'title'], ['carrierCode', 'carrier_code']] as const) {
      if (typeof t !== 'object' || t === null || t[key] === undefined || t[key] === null) throw new MagentoInputError('"%fieldName" is required. Enter and try again.', { fieldName: field });
    }
  }

  const messages: string[] = [];
  // CanShip.
  if (['payment_review', 'holded', 'canceled'].includes(order.state) || num(order.is_virtual) === 1) {
    messages.push(`A shipment cannot be created when an order has a status of ${order.status}`);
  } else if (order.state === 'closed' || !items.some((it) => !virtual(it) && !isDummy(it) && left(it) > 0)) {
    messages.push('The order does not allow a shipment to be created.');
  }

  // ShipmentDocumentFactory: the requested quantities by item id (no items: everything ordered).
  const requested = new Map<number, number>();
  if (reqItems.length === 0) {
    for (const it of items) if (!virtual(it) && (!parentOf(it) || separately(it))) requested.set(it.item_id, num(it.qty_ordered));
  } else {
    for (const i of reqItems) requested.set(num(i.order_item_id), num(i.qty));
  }
  const asked = (it: MgItem | undefined) => (it ? requested.get(it.item_id) ?? 0 : 0);

  // ShipmentFactory::prepareItems.
  const lines: { item: MgItem; qty: number; stored: boolean }[] = [];
  for (const it of items) {
    if (virtual(it)) continue;
    const dummy = isDummy(it);
    const parent = parentOf(it);
    const kids = kidsOf(it);
    const can = dummy
      ? kids.length > 0 ? kids.some((k) => !virtual(k) && asked(k) > 0) : asked(parent) > 0
      : left(it) > 0 && asked(it) > 0;
    if (!can) continue;
    let qty: number;
    if (dummy && parent) {
      // A bundle part follows its bundle (bundle_selection_attributes qty × bundles); a configurable's child ships nothing itself.
      qty = parent.product_type === 'bundle' ? Math.min((num(it.qty_ordered) / num(parent.qty_ordered)) * asked(parent), left(it)) : 0;
    } else if (dummy) {
      qty = 1;
    } else {
      qty = Math.min(asked(it), left(it));
    }
    if (num(it.is_qty_decimal) !== 1) qty = Math.floor(qty);
    lines.push({ item: it, qty: Math.max(0, qty), stored: !(parent && !separately(it)) });
  }
  // setItemsToShipment: a separately shipped bundle without any of its parts is dropped.
  const kept = lines.filter((l) => !(kidsOf(l.item).length > 0 && separately(l.item) && !lines.some((c) => c.item.parent_item_id === l.item.item_id)));

  // QuantityValidator, TrackValidator.
  if (kept.length === 0 || kept.reduce((s, l) => s + l.qty, 0) <= 0) messages.push("You can't create a shipment without products.");
  for (const t of tracks) if (!String(t.track_number ?? '').trim()) messages.push('Please enter a tracking number.');
  // BundleShipmentTypeValidator, over the requested items.
  for (const id of reqItems.length ? requested.keys() : []) {
    const it = byId.get(id);
    if (!it || !isDummy(it)) continue;
    const message = (sku: string, type: string, instead: string) => `Cannot create shipment as bundle product "${sku}" has shipment type "${type}". ${instead} should be shipped instead.`;
    if (kidsOf(it).length > 0 && it.product_type === 'bundle') messages.push(message(it.sku, 'Separately', 'Bundle product options'));
    const parent = parentOf(it);
    if (parent?.product_type === 'bundle') messages.push(message(parent.sku, 'Together', 'Bundle product itself'));
  }
  if (messages.length) throw new MagentoInputError(`Shipment Document Validation Error(s):\n${messages.join('\n')}`);
  // MSI: the shipment is deducted from the source the request names, else from the default source. A source the
  // store does not have has no source items to deduct from (simplified: one 400, nothing changes; see README).
  const askedSource = req.arguments?.extension_attributes?.source_code;
  const sourceCode = typeof askedSource === 'string' && askedSource !== '' ? askedSource : 'default';
  if (!ctx.sources.has(sourceCode)) {
    const sku = kept.find((l) => l.stored)?.item.sku ?? kept[0]?.item.sku ?? '';
    throw new MagentoInputError(`Source item not found by source code: ${sourceCode} and sku: ${sku}.`);
  }

  // OrderRegistrar: the items' qty_shipped grows.
  for (const l of kept) if (l.qty > 0) l.item.qty_shipped = num(l.item.qty_shipped) + l.qty;
  for (const it of items) {
    const parent = parentOf(it);
    if (parent?.product_type === 'configurable') it.qty_shipped = num(parent.qty_shipped);
    if (it.product_type === 'bundle' && separately(it)) {
      const kids = kidsOf(it);
      it.qty_shipped = Math.min(...kids.map((k) => Math.floor(num(k.qty_shipped) / (num(k.qty_ordered) / num(it.qty_ordered)))));
    }
  }
  // Order state: new → processing (ShipOrder); processing → complete when nothing is left to ship or invoice.
  if (order.state === 'new') order.state = 'processing';
  const nothingToShip = !items.some((it) => !virtual(it) && !isDummy(it) && left(it) > 0);
  const invoiced = items.filter((it) => !parentOf(it)).every((it) => num(it.qty_invoiced) >= num(it.qty_ordered) - num(it.qty_canceled) - num(it.qty_refunded));
  if (order.state === 'processing' && nothingToShip && invoiced) order.state = 'complete';
  order.status = order.state;

  const id = ctx.nextShipmentId();
  const notify = req.notify === true;
  const append = req.appendComment === true;
  const text = req.comment && typeof req.comment.comment === 'string' ? req.comment.comment : undefined;
  const stored = kept.filter((l) => l.stored);
  const shippingAddress = ((order.extension_attributes.shipping_assignments as { shipping?: { address?: { entity_id?: number } } }[] | undefined)?.[0]?.shipping?.address?.entity_id) ?? null;
  return {
    billing_address_id: order.billing_address.entity_id,
    created_at: ctx.now,
    customer_id: (order.customer_id as number | undefined) ?? null,
    email_sent: notify ? 1 : null,
    entity_id: id,
    increment_id: String(id).padStart(9, '0'),
    order_id: order.entity_id,
    packages: [],
    shipping_address_id: shippingAddress,
    store_id: 1,
    total_qty: kept.reduce((s, l) => s + l.qty, 0),
    updated_at: ctx.now,
    items: stored.map((l) => ({
      entity_id: ctx.nextChildId(), name: l.item.name, parent_id: id, price: l.item.price, product_id: l.item.product_id, sku: l.item.sku,
      weight: (l.item.weight as number | undefined) ?? null, order_item_id: l.item.item_id, qty: l.qty,
    })),
    tracks: tracks.map((t) => ({
      order_id: order.entity_id, created_at: ctx.now, entity_id: ctx.nextChildId(), parent_id: id, updated_at: ctx.now, weight: null, qty: null, description: null,
      track_number: String(t.track_number), title: String(t.title), carrier_code: String(t.carrier_code),
    })),
    comments: text === undefined ? [] : [{
      is_customer_notified: notify && append ? 1 : 0, parent_id: id, comment: text, is_visible_on_front: num(req.comment?.is_visible_on_front) === 1 ? 1 : 0, created_at: ctx.now, entity_id: ctx.nextChildId(),
    }],
    extension_attributes: { source_code: sourceCode },
  };
}
