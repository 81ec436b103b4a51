import { ShopError } from '../../domain/errors.js';
import { dec } from '../../domain/money.js';
import type { ShopWriteBack } from '../connector.js';

/**
 * The pure part of the Shopify write-back (docs/write-back.md "Shopify"): which fulfillment order line
 * items, and how many of each, one BC shipment fulfils. No I/O here, so every rule is unit-tested.
 */

/** A fulfillment order as the write-back reads it (GraphQL FulfillmentOrder, ids kept as GIDs). */
export interface FulfillmentOrderState {
  id: string;
  /** FulfillmentOrderStatus: OPEN, IN_PROGRESS, ON_HOLD, SCHEDULED, INCOMPLETE, CLOSED, CANCELLED. */
  status: string;
  /** The assigned location's id: one fulfillment may only take fulfillment orders of one location. */
  locationId?: string;
  lines: { id: string; lineItemId: string; remaining: number }[];
}

/** What one `fulfillmentCreate` sends (FulfillmentInput.lineItemsByFulfillmentOrder). */
export interface FulfillmentGroup {
  locationId?: string;
  lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems: { id: string; quantity: number }[] }[];
}

/** Remaining quantity per order line item (numeric id) before this shipment was first attempted. */
export type LedgerEntry = Record<string, number>;

export interface FulfillmentPlan {
  /** One fulfillment per location; empty when the shop has nothing left to fulfil for this shipment. */
  groups: FulfillmentGroup[];
  /** Per shipped line: quantity still to fulfil now (after what an earlier attempt already did). */
  toFulfil: Map<string, number>;
  /** Remaining quantity per shipped line now (the ledger snapshot taken before the first attempt). */
  remainingNow: LedgerEntry;
  /** Readable remarks for the timeline ("Mug: 1 of 2 already fulfilled in Shopify"). */
  remarks: string[];
}

/** Fulfillment order statuses `fulfillmentCreate` accepts. */
const FULFILLABLE = new Set(['OPEN', 'IN_PROGRESS']);

/** `gid://shopify/LineItem/123`, `123` → `123`; anything else → undefined. */
export function numericId(id: string | undefined | null): string | undefined {
  if (!id) return undefined;
  const m = /^(?:gid:\/\/shopify\/[A-Za-z]+\/)?0*(\d{1,20})(?:\?.*)?$/.exec(id.trim());
  return m?.[1];
}

/** A shipped quantity as Shopify's Int: BC may post decimals, a fulfillment cannot. */
export function wholeQuantity(line: ShopWriteBack['lines'][number], orderNumber: string): number {
  const q = dec(line.quantity);
  if (!q.isInteger() || q.lte(0) || q.gt(1_000_000)) {
    throw new ShopError('SHOP_BAD_QUANTITY', `shop order ${orderNumber}: BC shipped ${line.quantity} of ${label(line)}; Shopify fulfils whole items only`);
  }
  return q.toNumber();
}

export function label(line: ShopWriteBack['lines'][number]): string {
  return line.name ?? line.sku ?? `line item ${line.shopLineId}`;
}

/**
 * Plans the fulfillment of one shipment.
 *
 * Remaining quantity of a line = Σ remainingQuantity over all its fulfillment order line items. With a
 * ledger entry (a snapshot taken before the first attempt of this shipment), what disappeared since counts
 * as already fulfilled by that attempt: to do = shipped − (before − now), never below 0. Whatever the
 * ledger says, never more than remains (a merchant may have fulfilled by hand): the shop is never asked
 * for more than it has, and a retry never fulfils twice.
 *
 * Quantities are taken from fulfillable fulfillment orders (OPEN, IN_PROGRESS) in the order Shopify lists
 * them; quantities that only remain on fulfillment orders Shopify will not fulfil (ON_HOLD, SCHEDULED …)
 * make the plan fail with a reason, so the stage retries later.
 */
export function planFulfillment(wb: Pick<ShopWriteBack, 'lines' | 'orderNumber'>, fulfillmentOrders: FulfillmentOrderState[], ledger: LedgerEntry | undefined): FulfillmentPlan {
  const remainingNow: LedgerEntry = {};
  const toFulfil = new Map<string, number>();
  const remarks: string[] = [];
  const shipped = new Map<string, { quantity: number; line: ShopWriteBack['lines'][number] }>();
  for (const line of wb.lines) {
    const id = numericId(line.shopLineId);
    if (!id) throw new ShopError('SHOP_BAD_LINE', `shop order ${wb.orderNumber}: "${line.shopLineId}" is not a Shopify line item id`);
    const prior = shipped.get(id);
    shipped.set(id, { quantity: (prior?.quantity ?? 0) + wholeQuantity(line, wb.orderNumber), line });
  }
  for (const [id, { quantity, line }] of shipped) {
    const items = fulfillmentOrders.flatMap((fo) => fo.lines.filter((l) => numericId(l.lineItemId) === id));
    const remaining = items.reduce((s, l) => s + Math.max(0, l.remaining), 0);
    remainingNow[id] = remaining;
    if (items.length === 0) {
      remarks.push(`${label(line)}: not on any fulfillment order in Shopify (removed from the order?)`);
      toFulfil.set(id, 0);
      continue;
    }
    const before = ledger?.[id];
    const doneEarlier = before === undefined ? 0 : Math.max(0, before - remaining);
    const todo = Math.max(0, Math.min(quantity - doneEarlier, remaining));
    toFulfil.set(id, todo);
    if (doneEarlier >= quantity) continue;
    if (todo < quantity - doneEarlier) {
      remarks.push(todo === 0 ? `${label(line)}: already fulfilled in Shopify` : `${label(line)}: ${quantity - doneEarlier - todo} of ${quantity - doneEarlier} already fulfilled in Shopify`);
    }
  }

  const groups = new Map<string, FulfillmentGroup>();
  for (const [id, todo] of toFulfil) {
    let left = todo;
    for (const fo of fulfillmentOrders) {
      if (left === 0) break;
      if (!FULFILLABLE.has(fo.status)) continue;
      for (const l of fo.lines) {
        if (left === 0) break;
        if (numericId(l.lineItemId) !== id || l.remaining <= 0) continue;
        const take = Math.min(left, l.remaining);
        left -= take;
        const key = fo.locationId ?? '';
        const group = groups.get(key) ?? { ...(fo.locationId && { locationId: fo.locationId }), lineItemsByFulfillmentOrder: [] };
        groups.set(key, group);
        let entry = group.lineItemsByFulfillmentOrder.find((e) => e.fulfillmentOrderId === fo.id);
        if (!entry) {
          entry = { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [] };
          group.lineItemsByFulfillmentOrder.push(entry);
        }
        entry.fulfillmentOrderLineItems.push({ id: l.id, quantity: take });
      }
    }
    if (left > 0) {
      const line = shipped.get(id)!.line;
      const blocking = [...new Set(fulfillmentOrders.filter((fo) => !FULFILLABLE.has(fo.status) && fo.lines.some((l) => numericId(l.lineItemId) === id && l.remaining > 0)).map((fo) => fo.status))];
      throw new ShopError(
        'SHOP_FULFILLMENT_BLOCKED',
        `shop order ${wb.orderNumber}: ${left} × ${label(line)} can't be fulfilled in Shopify now: its fulfillment order is ${blocking.join(', ') || 'not fulfillable'} (release the hold in Shopify; the write-back is retried)`,
        { retryable: true },
      );
    }
  }
  return { groups: [...groups.values()], toFulfil, remainingNow, remarks };
}
