/**
 * The store's orders and clock. date_modified has whole seconds and never goes backwards; a burst of
 * new orders shares seconds (several orders per second), so a client polling min_date_modified needs
 * to page within one second and keep an overlap window. Every change notifies the webhook registry.
 */
import { Decimal } from 'decimal.js';
import { StampClock } from '../common/stamp-clock.js';
import { rfc2822 } from './dates.js';
import { createGenerator, D, m4, type BigCommerceGenerator } from './generator.js';
import { validateShipment } from './shipments.js';
import type { BcOrderRecord, BcOrderSpec, BcRefund, BcShipment, GenerateOptions } from './types.js';
import { statusBy } from './world.js';

export interface OrderEvent {
  scope: string;
  data: Record<string, unknown>;
}

export interface OrderPatch {
  /** New status, slug or id. */
  status?: string | number;
  /** Refund this much (default: the rest of the order) with a reason. */
  refund?: { amount?: string; reason?: string };
  customerMessage?: string;
  staffNotes?: string;
}

/** Orders a generated burst puts into one second before the clock moves on. */
const ORDERS_PER_SECOND = 3;

export class OrderStore {
  private records = new Map<number, BcOrderRecord>();
  private gen: BigCommerceGenerator;
  private clock: StampClock;
  private listeners: ((e: OrderEvent) => void)[] = [];
  private nextShipmentId = 1;

  constructor(private opts: { seed: number; apiBase: string; now: () => number }) {
    this.clock = new StampClock(opts.now, ORDERS_PER_SECOND);
    this.gen = createGenerator(opts.seed, opts.apiBase);
  }

  onEvent(listener: (e: OrderEvent) => void): void {
    this.listeners.push(listener);
  }

  nowSec(): number {
    return this.clock.nowSec();
  }

  private emit(scope: string, data: Record<string, unknown>): void {
    for (const l of this.listeners) l({ scope, data });
  }

  generate(n: number, opts: GenerateOptions = {}): BcOrderRecord[] {
    const out: BcOrderRecord[] = [];
    for (let i = 0; i < n; i++) {
      const sec = this.clock.stamp(true);
      const record = this.gen.next(opts, sec - this.gen.rng.int(0, 2), sec);
      this.records.set(record.order.id, record);
      if (record.order.status_id !== 0 && record.order.payment_status === 'captured' && this.gen.rng.chance(opts.refundShare ?? 0.03)) {
        this.applyRefund(record, { amount: '5.00', reason: this.gen.rng.pick(['Mug broken', 'Kulanz', 'Item missing from parcel']) }, sec);
      }
      out.push(record);
      this.emit('store/order/created', { type: 'order', id: record.order.id });
    }
    return out;
  }

  add(spec: BcOrderSpec, opts: GenerateOptions = {}): BcOrderRecord {
    const sec = this.clock.stamp(false);
    const record = this.gen.next(opts, sec, sec, spec);
    this.records.set(record.order.id, record);
    this.emit('store/order/created', { type: 'order', id: record.order.id });
    return record;
  }

  /** Orders that already exist at start: dated over the past hours, before anything generated later. */
  backfill(n: number, opts: GenerateOptions = {}): void {
    const end = Math.floor(this.opts.now() / 1000) - 60;
    for (let i = 0; i < n; i++) {
      const sec = end - (n - i) * 30;
      const record = this.gen.next(opts, sec, sec);
      this.records.set(record.order.id, record);
    }
  }

  update(id: number, patch: OrderPatch): BcOrderRecord {
    const record = this.records.get(id);
    if (!record) throw new Error(`no order ${id}`);
    const sec = this.clock.stamp(false);
    const o = record.order;
    if (patch.refund) this.applyRefund(record, patch.refund, sec);
    if (patch.status !== undefined) this.setStatus(record, patch.status, sec);
    if (patch.customerMessage !== undefined) o.customer_message = patch.customerMessage;
    if (patch.staffNotes !== undefined) o.staff_notes = patch.staffNotes;
    record.modifiedSec = sec;
    o.date_modified = rfc2822(sec);
    this.emit('store/order/updated', { type: 'order', id });
    return record;
  }

  private setStatus(record: BcOrderRecord, status: string | number, sec: number): void {
    const o = record.order;
    const s = statusBy(status);
    if (s.id === o.status_id) return;
    const previous = o.status_id;
    o.status_id = s.id;
    o.status = s.name;
    o.custom_status = s.name;
    if (s.slug === 'cancelled') o.payment_status = o.payment_status === 'captured' ? 'refunded' : 'void';
    if ((s.slug === 'shipped' || s.slug === 'completed') && !o.date_shipped) o.date_shipped = rfc2822(sec);
    this.emit('store/order/statusUpdated', { type: 'order', id: o.id, status: { previous_status_id: previous, new_status_id: s.id } });
  }

  /**
   * POST /v2/orders/{id}/shipments: validates like BigCommerce (shipments.ts), then counts the items as
   * shipped and moves the order itself to Shipped once every product has shipped, else Partially Shipped
   * (the statuses' own descriptions: "seller has used the Ship Items action" / "only some items … shipped").
   */
  addShipment(id: number, body: unknown): { shipment: BcShipment } | { error: string } {
    const record = this.records.get(id);
    if (!record || record.deleted) throw new Error(`no order ${id}`);
    const checked = validateShipment(record, body);
    if ('error' in checked) return checked;
    const sec = this.clock.stamp(false);
    const shipment: BcShipment = { id: this.nextShipmentId++, ...checked.draft, date_created: rfc2822(sec) };
    const o = record.order;
    for (const item of shipment.items) {
      record.products.find((p) => p.id === item.order_product_id)!.quantity_shipped += item.quantity;
      record.shippingAddresses.find((a) => a.id === shipment.order_address_id)!.items_shipped += item.quantity;
      o.items_shipped += item.quantity;
    }
    record.shipments.push(shipment);
    const physical = record.products.filter((p) => p.type === 'physical');
    this.setStatus(record, physical.every((p) => p.quantity_shipped >= p.quantity) ? 'shipped' : 'partially-shipped', sec);
    if (!o.date_shipped) o.date_shipped = rfc2822(sec);
    record.modifiedSec = sec;
    o.date_modified = rfc2822(sec);
    this.emit('store/shipment/created', { type: 'shipment', id: shipment.id, orderId: o.id });
    this.emit('store/order/updated', { type: 'order', id: o.id });
    return { shipment };
  }

  private applyRefund(record: BcOrderRecord, refund: { amount?: string; reason?: string }, sec: number): void {
    const o = record.order;
    const total = D(o.total_inc_tax);
    const already = D(o.refunded_amount);
    const amount = Decimal.min(refund.amount !== undefined ? D(refund.amount) : total.minus(already), total.minus(already));
    if (amount.lte(0)) throw new Error(`order ${o.id} has nothing left to refund`);
    const refunded = already.plus(amount);
    const full = refunded.gte(total);
    const r: BcRefund = {
      id: 12 + this.records.size * 3 + record.refunds.length, order_id: o.id, user_id: 0, created: new Date(sec * 1000).toISOString().replace('.000Z', '+00:00'),
      reason: refund.reason ?? '', total_amount: Number(amount.toFixed(2)), total_tax: 0, uses_merchant_override_values: false,
      payments: [{ id: 13 + record.refunds.length, provider_id: o.payment_provider_id || 'custom', amount: Number(amount.toFixed(2)), offline: o.payment_provider_id === '', is_declined: false, declined_message: '' }],
      items: [{ item_type: 'ORDER', item_id: o.id, quantity: null, requested_amount: Number(amount.toFixed(2)) }],
    };
    record.refunds.push(r);
    o.refunded_amount = m4(refunded);
    o.payment_status = full ? 'refunded' : 'partially refunded';
    const s = statusBy(full ? 'refunded' : 'partially-refunded');
    const previous = o.status_id;
    o.status_id = s.id;
    o.status = s.name;
    o.custom_status = s.name;
    this.emit('store/order/refund/created', { type: 'order', id: o.id, refund: { refund_id: r.id } });
    if (previous !== s.id) this.emit('store/order/statusUpdated', { type: 'order', id: o.id, status: { previous_status_id: previous, new_status_id: s.id } });
  }

  get(id: number): BcOrderRecord | undefined {
    return this.records.get(id);
  }

  all(): BcOrderRecord[] {
    return [...this.records.values()].sort((a, b) => a.order.id - b.order.id);
  }

  delete(id: number): boolean {
    const r = this.records.get(id);
    if (!r) return false;
    r.deleted = true;
    return true;
  }
}
