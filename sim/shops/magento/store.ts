/**
 * The store's orders and clock. updated_at has whole seconds and never goes backwards; a burst shares
 * seconds, so a client filtering `updated_at gteq` needs to page within a second and keep an overlap.
 */
import { Decimal } from 'decimal.js';
import { StampClock } from '../common/stamp-clock.js';
import { createGenerator, mgDate, n, type MagentoGenerator } from './generator.js';
import { MagentoInputError, shipOrder, type ShipRequest } from './shipping.js';
import type { GenerateOptions, MgOrder, MgOrderSpec, MgShipment } from './types.js';
import { STATE_OF } from './world.js';

/** Body of `POST /V1/orders/{id}/comments` (Magento\Sales\Api\Data\OrderStatusHistoryInterface). */
export interface StatusHistoryInput {
  comment?: unknown;
  is_customer_notified?: unknown;
  is_visible_on_front?: unknown;
  parent_id?: unknown;
  status?: unknown;
}

export interface OrderPatch {
  status?: string;
  /** A credit memo for this much (default: everything not refunded yet). */
  refund?: { amount?: string };
  comment?: string;
}

const ORDERS_PER_SECOND = 3;

export class OrderStore {
  private byId = new Map<number, MgOrder>();
  private gen: MagentoGenerator;
  private clock: StampClock;
  private shipmentList: MgShipment[] = [];
  /** Bundle items whose catalog product ships its parts separately. */
  private separately = new Set<number>();
  private ids = { shipment: 0, child: 0, history: 1000 };

  constructor(private opts: { seed: number; now: () => number; sources?: readonly string[] }) {
    this.clock = new StampClock(opts.now, ORDERS_PER_SECOND);
    this.gen = createGenerator(opts.seed);
  }

  nowSec(): number {
    return this.clock.nowSec();
  }

  generate(count: number, opts: GenerateOptions = {}): MgOrder[] {
    const out: MgOrder[] = [];
    for (let i = 0; i < count; i++) {
      const sec = this.clock.stamp(true);
      const order = this.gen.next(opts, sec - this.gen.rng.int(0, 2), sec);
      this.byId.set(order.entity_id, order);
      if (order.total_due === 0 && order.grand_total > 5 && this.gen.rng.chance(opts.refundShare ?? 0.03)) this.applyRefund(order, '5.00');
      out.push(order);
    }
    return out;
  }

  add(spec: MgOrderSpec): MgOrder {
    const sec = this.clock.stamp(false);
    const order = this.gen.next({}, sec, sec, spec);
    this.byId.set(order.entity_id, order);
    if (spec.bundleShipment === 'separately') for (const it of order.items) if (it.product_type === 'bundle') this.separately.add(it.item_id);
    return order;
  }

  /** POST /V1/order/{id}/ship: the new shipment (throws MagentoInputError with Magento's message; nothing changes then). */
  ship(id: number, req: ShipRequest): MgShipment {
    const order = this.byId.get(id);
    if (!order) throw new Error(`no order ${id}`);
    const sec = this.clock.stamp(false);
    const shipment = shipOrder(order, req, {
      now: mgDate(sec),
      nextShipmentId: () => ++this.ids.shipment,
      nextChildId: () => ++this.ids.child,
      shipsSeparately: (itemId) => this.separately.has(itemId),
      sources: new Set(this.opts.sources ?? ['default']),
    });
    this.shipmentList.push(shipment);
    this.touch(order, sec);
    return shipment;
  }

  /** POST /V1/orders/{id}/comments: Magento keeps the order's status whatever the history says (OrderManagement::addComment). */
  addComment(id: number, history: StatusHistoryInput): void {
    const order = this.byId.get(id);
    if (!order) throw new Error(`no order ${id}`);
    if (typeof history !== 'object' || history === null) throw new MagentoInputError('"%fieldName" is required. Enter and try again.', { fieldName: 'statusHistory' });
    const sec = this.clock.stamp(false);
    const flag = (v: unknown) => (v === true || v === 1 || v === '1' ? 1 : 0);
    order.status_histories = [
      {
        comment: typeof history.comment === 'string' ? history.comment : null, created_at: mgDate(sec), entity_id: ++this.ids.history, entity_name: 'order',
        is_customer_notified: flag(history.is_customer_notified), is_visible_on_front: flag(history.is_visible_on_front), parent_id: id, status: order.status,
      },
      ...order.status_histories,
    ];
    this.touch(order, sec);
  }

  shipments(orderId?: number): MgShipment[] {
    return this.shipmentList.filter((s) => orderId === undefined || s.order_id === orderId);
  }

  /** updated_at moves, and the copies of items Magento embeds (children's parent_item, shipping_assignments) follow. */
  private touch(order: MgOrder, sec: number): void {
    order.updated_at = mgDate(sec);
    const byId = new Map(order.items.map((i) => [i.item_id, i]));
    for (const it of order.items) {
      it.updated_at = order.updated_at;
      const parent = it.parent_item_id !== undefined ? byId.get(it.parent_item_id) : undefined;
      if (parent) {
        const { parent_item: _nested, ...copy } = parent;
        it.parent_item = copy as typeof parent;
      }
    }
    const assignments = order.extension_attributes.shipping_assignments as { items?: unknown[] }[] | undefined;
    if (assignments?.[0]) assignments[0].items = order.items.map((i) => ({ ...i }));
  }

  backfill(count: number, opts: GenerateOptions = {}): void {
    const end = Math.floor(this.opts.now() / 1000) - 60;
    for (let i = 0; i < count; i++) {
      const sec = end - (count - i) * 30;
      const order = this.gen.next(opts, sec, sec);
      this.byId.set(order.entity_id, order);
    }
  }

  update(id: number, patch: OrderPatch): MgOrder {
    const order = this.byId.get(id);
    if (!order) throw new Error(`no order ${id}`);
    const sec = this.clock.stamp(false);
    if (patch.refund) this.applyRefund(order, patch.refund.amount);
    if (patch.status !== undefined) {
      order.status = patch.status;
      order.state = STATE_OF[patch.status] ?? patch.status;
    }
    if (patch.comment !== undefined || patch.status !== undefined) {
      order.status_histories = [
        { comment: patch.comment ?? null, created_at: mgDate(sec), entity_id: 1000 + order.status_histories.length, entity_name: 'order', is_customer_notified: 0, is_visible_on_front: 0, parent_id: id, status: order.status },
        ...order.status_histories,
      ];
    }
    order.updated_at = mgDate(sec);
    for (const it of order.items) it.updated_at = order.updated_at;
    return order;
  }

  private applyRefund(order: MgOrder, amount?: string): void {
    const total = new Decimal(order.grand_total);
    const already = new Decimal((order.total_refunded as number | undefined) ?? 0);
    const refund = Decimal.min(amount !== undefined ? new Decimal(amount) : total.minus(already), total.minus(already));
    if (refund.lte(0)) throw new Error(`order ${order.entity_id} has nothing left to refund`);
    const refunded = already.plus(refund);
    order.total_refunded = n(refunded);
    order.base_total_refunded = n(refunded);
    order.total_offline_refunded = n(refunded);
    if (refunded.gte(total)) {
      order.status = 'closed';
      order.state = 'closed';
    }
  }

  get(id: number): MgOrder | undefined {
    return this.byId.get(id);
  }

  all(): MgOrder[] {
    return [...this.byId.values()].sort((a, b) => a.entity_id - b.entity_id);
  }
}
