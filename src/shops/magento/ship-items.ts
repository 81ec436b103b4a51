import { dec, type Dec } from '../../domain/money.js';
import { ShopError } from '../../domain/errors.js';
import type { ShopWriteBack } from '../connector.js';

/** One entry of `POST /V1/order/{id}/ship` `items`. */
export interface ShipItem {
  order_item_id: number;
  qty: number;
}

/**
 * The `items` to send for one BC shipment, in the two spellings Magento may require. The REST order does not
 * say how a bundle ships (a catalog setting), so both are prepared: `together` names each bundle by its parent
 * item (Magento's default), `separately` by its part items. Everything else is the same in both.
 */
export interface ShipmentPlan {
  together: ShipItem[];
  separately: ShipItem[];
  /** Try `separately` first: the shop lines named bundle parts, not bundles (mapping.bundles: children). */
  partsFirst: boolean;
  /** Shipped quantities Magento cannot take now (e.g. parts of a bundle that only ships whole, or nothing left). */
  held: string[];
}

interface Item {
  id: number;
  sku: string;
  name: string;
  type: string;
  parentId?: number;
  ordered: Dec;
  left: Dec;
  virtual: boolean;
  decimal: boolean;
}

const EPS = dec('0.0001');

/** Reads the order's items (GET /V1/orders/{id} `items`) as far as shipping needs them. */
export function readItems(raw: unknown): Item[] {
  const items = typeof raw === 'object' && raw !== null && Array.isArray((raw as { items?: unknown }).items) ? (raw as { items: unknown[] }).items : [];
  const out: Item[] = [];
  for (const it of items) {
    if (typeof it !== 'object' || it === null) continue;
    const o = it as Record<string, unknown>;
    const id = Number(o.item_id);
    if (!Number.isInteger(id)) continue;
    const q = (k: string) => {
      const v = o[k];
      return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) ? dec(String(v)) : dec(0);
    };
    const ordered = q('qty_ordered');
    const left = ordered.minus(q('qty_shipped')).minus(q('qty_refunded')).minus(q('qty_canceled'));
    const parent = o.parent_item_id === undefined || o.parent_item_id === null ? undefined : Number(o.parent_item_id);
    out.push({
      id, sku: String(o.sku ?? ''), name: String(o.name ?? o.sku ?? id), type: String(o.product_type ?? 'simple'), ...(parent !== undefined && Number.isInteger(parent) && { parentId: parent }),
      ordered, left: left.gt(0) ? left : dec(0), virtual: o.is_virtual === 1 || o.is_virtual === '1' || o.is_virtual === true, decimal: o.is_qty_decimal === 1 || o.is_qty_decimal === '1' || o.is_qty_decimal === true,
    });
  }
  return out;
}

/**
 * Something of the order can still ship: an item with quantity left, not counting a configurable's child
 * (it follows its parent) nor a bundle item with parts (the parts say what is left).
 */
export function anythingLeft(items: Item[]): boolean {
  const byId = new Map(items.map((i) => [i.id, i]));
  const hasParts = new Set(items.filter((i) => i.parentId !== undefined && byId.get(i.parentId)?.type === 'bundle').map((i) => i.parentId));
  return items.some((i) => !i.virtual && i.left.gt(0) && !hasParts.has(i.id) && byId.get(i.parentId ?? -1)?.type !== 'configurable');
}

/**
 * BC shipment lines (shop line ids as toOrder made them: Magento item ids) → Magento `items`.
 *
 * - A simple (or any top-level) item ships by its own id.
 * - A configurable is one shop line with the parent's id, and Magento ships it by the parent: the child
 *   follows. (A child id, should one come, is taken to its parent.)
 * - A bundle line (mapping.bundles parent/all) ships the bundle: `together` sends the parent with that many
 *   bundles, `separately` each part with its per-bundle quantity (part ordered ÷ bundles ordered) × bundles.
 *   Part lines of a bundle that is itself a line are then not counted again.
 * - Bundle part lines without their bundle line (mapping.bundles children): `separately` sends the parts as
 *   they are; `together` sends as many whole bundles as the parts make up (the smallest parts ÷ per-bundle
 *   quantity); parts beyond whole bundles are `held` (they ship with the shipment that completes the order).
 * - Quantities are cut to what Magento has left to ship (Magento would cut them silently); what is cut is `held`.
 * A shop line the Magento order does not have (the order was edited in the shop) is an error.
 */
export function planShipment(items: Item[], lines: ShopWriteBack['lines'], orderNumber: string): ShipmentPlan {
  const byId = new Map(items.map((i) => [i.id, i]));
  const kids = (bundle: Item) => items.filter((c) => c.parentId === bundle.id && !c.virtual);
  const together = new Map<number, Dec>();
  const separately = new Map<number, Dec>();
  const add = (m: Map<number, Dec>, id: number, q: Dec) => m.set(id, (m.get(id) ?? dec(0)).plus(q));
  const held: string[] = [];

  const resolved = lines.map((l) => {
    const item = byId.get(Number(l.shopLineId));
    if (!item || !/^\d+$/.test(l.shopLineId)) {
      throw new ShopError('SHOP_ITEM_UNKNOWN', `Magento order ${orderNumber} has no item ${l.shopLineId} (${l.name ?? l.sku ?? 'shop line'}): was the order edited in the shop after export?`);
    }
    return { item, qty: dec(l.quantity) };
  });
  const bundleLines = new Set(resolved.filter((r) => r.item.type === 'bundle').map((r) => r.item.id));
  const partsOnly = new Map<number, Map<number, Dec>>();
  for (const { item, qty } of resolved) {
    const parent = item.parentId !== undefined ? byId.get(item.parentId) : undefined;
    if (parent?.type === 'configurable') {
      add(together, parent.id, qty);
      add(separately, parent.id, qty);
    } else if (item.type === 'bundle') {
      add(together, item.id, qty);
      for (const k of kids(item)) add(separately, k.id, qty.times(perBundle(k, item)));
    } else if (parent?.type === 'bundle') {
      if (bundleLines.has(parent.id)) continue;
      add(separately, item.id, qty);
      const parts = partsOnly.get(parent.id) ?? new Map<number, Dec>();
      parts.set(item.id, (parts.get(item.id) ?? dec(0)).plus(qty));
      partsOnly.set(parent.id, parts);
    } else {
      add(together, item.id, qty);
      add(separately, item.id, qty);
    }
  }
  let partsFirst = false;
  for (const [bundleId, parts] of partsOnly) {
    partsFirst = true;
    const bundle = byId.get(bundleId)!;
    const whole = kids(bundle).map((k) => (parts.get(k.id) ?? dec(0)).dividedBy(perBundle(k, bundle)).plus(EPS).floor());
    const sets = whole.length ? whole.reduce((a, b) => (a.lt(b) ? a : b)) : dec(0);
    if (sets.gt(0)) add(together, bundleId, sets);
    const beyond = [...parts].filter(([id, q]) => q.gt(sets.times(perBundle(byId.get(id)!, bundle)).plus(EPS)));
    if (beyond.length) held.push(`parts of ${bundle.name} beyond ${sets.toFixed()} whole bundle(s) (if it ships together)`);
  }
  return { together: toItems(together, byId, held), separately: toItems(separately, byId, held), partsFirst, held };
}

function perBundle(part: Item, bundle: Item): Dec {
  return bundle.ordered.gt(0) ? part.ordered.dividedBy(bundle.ordered) : dec(1);
}

function toItems(m: Map<number, Dec>, byId: Map<number, Item>, held: string[]): ShipItem[] {
  const out: ShipItem[] = [];
  for (const [id, want] of m) {
    const item = byId.get(id)!;
    let qty = want.gt(item.left) ? item.left : want;
    if (!item.decimal) qty = qty.plus(EPS).floor();
    if (qty.lt(want.minus(EPS))) {
      const note = `${want.minus(qty).toFixed()} × ${item.name} (${item.left.toFixed()} left to ship in Magento)`;
      if (!held.includes(note)) held.push(note);
    }
    if (qty.gt(0)) out.push({ order_item_id: id, qty: Number(qty.toFixed()) });
  }
  return out;
}
