/**
 * Fulfillment orders, fulfillments and order metafields (GraphQL Admin API 2025-10: FulfillmentOrder,
 * `fulfillmentCreate(fulfillment: FulfillmentInput!)`, `metafieldsSet`), the way Shopify behaves:
 *
 * - Every order has one fulfillment order at the shop's single location, derived from its lines: a
 *   line's remaining quantity is its quantity minus what non-cancelled fulfillments shipped. Status OPEN
 *   (nothing shipped), IN_PROGRESS (some), CLOSED (all, or the order is cancelled), ON_HOLD (admin hold).
 * - `fulfillmentCreate` checks ids, statuses and quantities and answers `userErrors` (nothing changes);
 *   a fulfillment order without line items fulfils all that remains on it.
 * - Every change moves the order's `updated_at` and raises orders/fulfilled or orders/partially_fulfilled
 *   and orders/updated, as Shopify does.
 *
 * Ids are kept apart from the ids they refer to (a fulfillment order line item's id is not its order line
 * item's id), so a client that mixes them up is refused as it would be by Shopify.
 */
import { createHash } from 'node:crypto';
import type { OrderTopic, ShopStore } from './store.js';
import type { SimFulfillment, SimMetafield, SimOrder } from './types.js';

const FULFILLMENT_ORDER_OFFSET = 700_000_000_000;
const FULFILLMENT_ORDER_LINE_OFFSET = 2_000_000_000_000;
export const LOCATION = { id: 81_000_000_001, name: 'Lager Berlin' };

export type FulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'CLOSED' | 'ON_HOLD';

export interface SimFulfillmentOrder {
  id: number;
  orderId: number;
  status: FulfillmentOrderStatus;
  lines: { id: number; lineId: number; totalQuantity: number; remainingQuantity: number }[];
}

export interface UserError {
  field: (string | number)[] | null;
  message: string;
  code?: string;
  elementIndex?: number;
}

export interface FulfillmentInput {
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null }[];
  notifyCustomer?: boolean | null;
  trackingInfo?: { company?: string | null; number?: string | null; numbers?: string[] | null; url?: string | null; urls?: string[] | null } | null;
  originAddress?: unknown;
}

export interface MetafieldsSetInput {
  ownerId: string;
  namespace?: string | null;
  key: string;
  type?: string | null;
  value: string;
  compareDigest?: string | null;
}

/** Metafield types the simulator stores (a subset of Shopify's list), with a check of the value. */
const METAFIELD_TYPES: Record<string, (v: string) => boolean> = {
  single_line_text_field: (v) => !v.includes('\n'),
  multi_line_text_field: () => true,
  json: (v) => {
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  },
  number_integer: (v) => /^-?\d+$/.test(v),
  boolean: (v) => v === 'true' || v === 'false',
  url: (v) => /^(https?|mailto|sms|tel):/.test(v),
};

const gidNumber = (value: unknown, type: string): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const m = new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(value);
  return m ? Number(m[1]) : undefined;
};

/** Quantity of a line shipped by the order's fulfillments (cancelled ones excluded). */
export function fulfilledQuantity(o: SimOrder, lineId: number): number {
  let n = 0;
  for (const f of o.fulfillments) if (f.status === 'success') for (const l of f.lines) if (l.lineId === lineId) n += l.quantity;
  return n;
}

export function fulfillmentStatusOf(o: SimOrder): SimOrder['fulfillmentStatus'] {
  const shipped = o.lines.map((l) => fulfilledQuantity(o, l.id));
  if (shipped.every((q) => q === 0)) return null;
  return o.lines.every((l, i) => shipped[i]! >= l.quantity) ? 'fulfilled' : 'partial';
}

export class FulfillmentDesk {
  private fulfillmentSeq = 0;
  private metafieldSeq = 0;
  private readonly held = new Set<number>();

  constructor(private readonly store: ShopStore) {}

  /** The order's fulfillment orders (one, at the shop's location), computed from its lines now. */
  fulfillmentOrders(o: SimOrder): SimFulfillmentOrder[] {
    const lines = o.lines.map((l) => {
      const remaining = o.cancelledAt !== null ? 0 : Math.max(0, l.quantity - fulfilledQuantity(o, l.id));
      return { id: l.id + FULFILLMENT_ORDER_LINE_OFFSET, lineId: l.id, totalQuantity: l.quantity, remainingQuantity: remaining };
    });
    const remaining = lines.reduce((s, l) => s + l.remainingQuantity, 0);
    const total = lines.reduce((s, l) => s + l.totalQuantity, 0);
    let status: FulfillmentOrderStatus = remaining === 0 ? 'CLOSED' : remaining < total ? 'IN_PROGRESS' : 'OPEN';
    if (status !== 'CLOSED' && this.held.has(o.id)) status = 'ON_HOLD';
    return [{ id: o.id + FULFILLMENT_ORDER_OFFSET, orderId: o.id, status, lines }];
  }

  /** Admin: put the order's fulfillment orders on hold (Shopify: fulfillmentOrderHold) or release them. */
  hold(orderId: number, on: boolean): void {
    if (!this.store.get(orderId)) throw new Error(`no order ${orderId}`);
    if (on) this.held.add(orderId);
    else this.held.delete(orderId);
  }

  create(input: FulfillmentInput): { fulfillment: SimFulfillment | null; order: SimOrder | null; userErrors: UserError[] } {
    const fail = (field: (string | number)[] | null, message: string) => ({ fulfillment: null, order: null, userErrors: [{ field, message }] });
    const groups = input.lineItemsByFulfillmentOrder ?? [];
    if (groups.length === 0) return fail(['fulfillment', 'lineItemsByFulfillmentOrder'], "Line items by fulfillment order can't be blank.");
    const tracking = input.trackingInfo ?? null;
    if (tracking) {
      if (tracking.number != null && tracking.numbers != null) return fail(['fulfillment', 'trackingInfo'], 'Tracking number and tracking numbers cannot both be provided.');
      if (tracking.url != null && tracking.urls != null) return fail(['fulfillment', 'trackingInfo'], 'Tracking url and tracking urls cannot both be provided.');
      if (tracking.url != null && tracking.number == null) return fail(['fulfillment', 'trackingInfo', 'url'], 'A tracking url requires a tracking number.');
      for (const u of [tracking.url, ...(tracking.urls ?? [])]) {
        if (u != null && !/^https?:\/\/[^\s]+$/.test(u)) return fail(['fulfillment', 'trackingInfo', 'url'], `Tracking url ${u} is not a valid url.`);
      }
    }

    let order: SimOrder | undefined;
    const shipped = new Map<number, number>();
    for (const [i, g] of groups.entries()) {
      const path = ['fulfillment', 'lineItemsByFulfillmentOrder', i];
      const foId = gidNumber(g.fulfillmentOrderId, 'FulfillmentOrder');
      const owner = foId === undefined ? undefined : this.store.get(foId - FULFILLMENT_ORDER_OFFSET);
      const fo = owner ? this.fulfillmentOrders(owner).find((f) => f.id === foId) : undefined;
      if (!owner || !fo) return fail([...path, 'fulfillmentOrderId'], 'Fulfillment order does not exist.');
      if (order && order.id !== owner.id) return fail([...path, 'fulfillmentOrderId'], 'All fulfillment orders must belong to the same order.');
      order = owner;
      if (fo.status !== 'OPEN' && fo.status !== 'IN_PROGRESS') {
        return fail([...path, 'fulfillmentOrderId'], `Fulfillment order ${fo.id} has an unfulfillable status= ${fo.status.toLowerCase()}.`);
      }
      const items = g.fulfillmentOrderLineItems ?? [];
      if (items.length === 0) {
        for (const l of fo.lines) if (l.remainingQuantity > 0) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.remainingQuantity);
        continue;
      }
      const asked = new Map<number, number>();
      for (const [j, item] of items.entries()) {
        const id = gidNumber(item.id, 'FulfillmentOrderLineItem');
        const line = fo.lines.find((l) => l.id === id);
        if (!line) return fail([...path, 'fulfillmentOrderLineItems', j, 'id'], `Fulfillment order line item ${String(item.id)} does not belong to fulfillment order ${fo.id}.`);
        if (!Number.isInteger(item.quantity) || item.quantity <= 0) return fail([...path, 'fulfillmentOrderLineItems', j, 'quantity'], 'Invalid fulfillment order line item quantity requested.');
        asked.set(line.id, (asked.get(line.id) ?? 0) + item.quantity);
        if (asked.get(line.id)! > line.remainingQuantity) return fail([...path, 'fulfillmentOrderLineItems', j, 'quantity'], 'Invalid fulfillment order line item quantity requested.');
        shipped.set(line.lineId, (shipped.get(line.lineId) ?? 0) + item.quantity);
      }
    }
    const o = order!;
    const at = this.store.nowSec();
    const number = tracking?.number ?? tracking?.numbers?.[0] ?? null;
    const url = tracking?.url ?? tracking?.urls?.[0] ?? null;
    const f: SimFulfillment = {
      id: 5_500_000_000_000 + ++this.fulfillmentSeq,
      name: `${o.name}.${o.fulfillments.length + 1}`,
      status: 'success',
      createdAt: at,
      updatedAt: at,
      tracking: tracking && (number !== null || tracking.company != null) ? { number, company: tracking.company ?? null, url } : null,
      lines: [...shipped].map(([lineId, quantity]) => ({ lineId, quantity })),
      notifyCustomer: input.notifyCustomer === true,
    };
    o.fulfillments.push(f);
    o.fulfillmentStatus = fulfillmentStatusOf(o);
    const topic: OrderTopic = o.fulfillmentStatus === 'fulfilled' ? 'ORDERS_FULFILLED' : 'ORDERS_PARTIALLY_FULFILLED';
    f.createdAt = f.updatedAt = this.store.changed(o, [topic]);
    return { fulfillment: f, order: o, userErrors: [] };
  }

  /** metafieldsSet: all or nothing; at most 25; only order owners in the simulator. */
  setMetafields(inputs: MetafieldsSetInput[]): { metafields: { owner: SimOrder; metafield: SimMetafield }[] | null; userErrors: UserError[] } {
    const errors: UserError[] = [];
    const err = (i: number, field: string, code: string, message: string) => errors.push({ field: ['metafields', String(i), field], message, code, elementIndex: i });
    if (inputs.length > 25) return { metafields: null, userErrors: [{ field: ['metafields'], message: 'Exceeded the maximum metafields input limit of 25.', code: 'LESS_THAN_OR_EQUAL_TO' }] };
    const plan: { owner: SimOrder; input: MetafieldsSetInput; namespace: string; existing?: SimMetafield; type: string }[] = [];
    for (const [i, m] of inputs.entries()) {
      const ownerId = gidNumber(m.ownerId, 'Order');
      const owner = ownerId === undefined ? undefined : this.store.get(ownerId);
      if (!owner) {
        err(i, 'ownerId', 'INVALID', 'Owner does not exist.');
        continue;
      }
      const namespace = m.namespace ?? 'app--sim';
      if (!/^[A-Za-z0-9_-]{3,255}$/.test(namespace)) err(i, 'namespace', 'INVALID', 'Namespace must be 3-255 characters of letters, digits, hyphens and underscores.');
      if (!/^[A-Za-z0-9_-]{2,64}$/.test(m.key)) err(i, 'key', 'INVALID', 'Key must be 2-64 characters of letters, digits, hyphens and underscores.');
      const existing = owner.metafields.find((x) => x.namespace === namespace && x.key === m.key);
      const type = m.type ?? existing?.type;
      if (!type) {
        err(i, 'type', 'BLANK', "Type can't be blank.");
        continue;
      }
      const check = METAFIELD_TYPES[type];
      if (!check) {
        err(i, 'type', 'INCLUSION', `Type ${type} is not a supported metafield type.`);
        continue;
      }
      if (existing && existing.type !== type) err(i, 'type', 'INVALID_TYPE', `Type must be ${existing.type} (the type of the existing metafield).`);
      if (!check(m.value)) err(i, 'value', 'INVALID_VALUE', `Value is invalid for type ${type}.`);
      if (m.compareDigest !== undefined && (m.compareDigest ?? null) !== (existing ? digest(existing.value) : null)) {
        err(i, 'compareDigest', 'STALE_OBJECT', 'The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.');
      }
      plan.push({ owner, input: m, namespace, existing, type });
    }
    if (errors.length > 0) return { metafields: null, userErrors: errors };
    const out: { owner: SimOrder; metafield: SimMetafield }[] = [];
    const touched = new Set<SimOrder>();
    for (const p of plan) {
      const at = this.store.nowSec();
      let mf = p.existing;
      if (mf) {
        if (mf.value !== p.input.value) {
          mf.value = p.input.value;
          mf.updatedAt = at;
          touched.add(p.owner);
        }
      } else {
        mf = { id: 2_600_000_000_000 + ++this.metafieldSeq, namespace: p.namespace, key: p.input.key, type: p.type, value: p.input.value, createdAt: at, updatedAt: at };
        p.owner.metafields.push(mf);
        touched.add(p.owner);
      }
      out.push({ owner: p.owner, metafield: mf });
    }
    for (const o of touched) this.store.changed(o);
    return { metafields: out, userErrors: [] };
  }
}

/** Metafield.compareDigest: an opaque digest of the stored value. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
