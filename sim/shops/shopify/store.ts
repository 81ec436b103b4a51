/**
 * The shop's orders and clock. Modification stamps have whole seconds (as Shopify's `updated_at`) and never
 * go backwards; a change to an order always moves its `updated_at` forward by at least a second, so two
 * versions of one order are never ambiguous. Every change raises the webhook topics Shopify would.
 */
import { createGenerator, type OrderGenerator, type ShopSettings } from './generator.js';
import { D, fmt } from './money.js';
import { orderTotals } from './totals.js';
import type { FinancialStatus, GenerateOptions, SimOrder } from './types.js';

/** Webhook topics in the GraphQL enum spelling (WebhookSubscriptionTopic). */
export type OrderTopic = 'ORDERS_CREATE' | 'ORDERS_UPDATED' | 'ORDERS_CANCELLED' | 'ORDERS_PAID' | 'ORDERS_DELETE' | 'ORDERS_FULFILLED' | 'ORDERS_PARTIALLY_FULFILLED';

export interface OrderPatch {
  note?: string | null;
  tags?: string;
  email?: string;
  financialStatus?: FinancialStatus;
}

export class ShopStore {
  private readonly orders = new Map<number, SimOrder>();
  private readonly generator: OrderGenerator;
  private lastStamp = 0;
  private refundSeq = 0;

  constructor(
    private readonly opts: { seed: number; shop: ShopSettings; now: () => number; onEvent: (topic: OrderTopic, order: SimOrder) => void },
  ) {
    this.generator = createGenerator(opts.seed, opts.shop);
  }

  /** Sim clock, epoch seconds: the wall clock, never behind the newest stamp handed out. */
  nowSec(): number {
    return Math.max(Math.floor(this.opts.now() / 1000), this.lastStamp);
  }

  private stamp(after = 0): number {
    const s = Math.max(this.nowSec(), after + 1);
    this.lastStamp = Math.max(this.lastStamp, s);
    return s;
  }

  generate(n: number, opts: GenerateOptions = {}): SimOrder[] {
    if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new Error('n must be a whole number from 0 to 100000');
    const out: SimOrder[] = [];
    for (let i = 0; i < n; i++) {
      const order = this.generator.next(opts, this.stamp());
      this.orders.set(order.id, order);
      this.opts.onEvent('ORDERS_CREATE', order);
      if (order.financialStatus === 'paid') this.opts.onEvent('ORDERS_PAID', order);
      if (this.generator.rng.chance(opts.cancelledShare ?? 0)) this.cancel(order.id);
      out.push(order);
    }
    return out;
  }

  /** Orders placed before the simulator started: dated over the past `spreadSec`, no webhooks. */
  backfill(n: number, opts: GenerateOptions, spreadSec: number): void {
    const now = this.nowSec();
    for (let i = 0; i < n; i++) {
      const at = now - spreadSec + Math.floor(((i + 1) * spreadSec) / (n + 1));
      const order = this.generator.next(opts, at);
      this.orders.set(order.id, order);
    }
  }

  update(id: number, patch: OrderPatch): SimOrder {
    const o = this.require(id);
    const wasPaid = o.financialStatus === 'paid';
    if (patch.note !== undefined) o.note = patch.note;
    if (patch.tags !== undefined) o.tags = patch.tags;
    if (patch.email !== undefined) o.email = patch.email;
    if (patch.financialStatus !== undefined) o.financialStatus = patch.financialStatus;
    o.updatedAt = this.stamp(o.updatedAt);
    if (!wasPaid && o.financialStatus === 'paid') this.opts.onEvent('ORDERS_PAID', o);
    this.opts.onEvent('ORDERS_UPDATED', o);
    return o;
  }

  /** Cancels like the admin: voided when nothing was captured, else refunded in full. */
  cancel(id: number, reason: SimOrder['cancelReason'] = 'customer'): SimOrder {
    const o = this.require(id);
    if (o.cancelledAt !== null) throw new Error(`order ${id} is already cancelled`);
    const at = this.stamp(o.updatedAt);
    o.cancelledAt = at;
    o.closedAt = at;
    o.cancelReason = reason;
    if (o.financialStatus === 'paid' || o.financialStatus === 'partially_paid') {
      const t = orderTotals(o);
      o.refunds.push({ id: 9_300_000_000_000 + ++this.refundSeq, createdAt: at, note: 'Order cancelled', amount: { shop: fmt(D(t.total.shop)), presentment: fmt(D(t.total.presentment)) } });
      o.financialStatus = 'refunded';
    } else {
      o.financialStatus = 'voided';
    }
    o.updatedAt = at;
    this.opts.onEvent('ORDERS_CANCELLED', o);
    this.opts.onEvent('ORDERS_UPDATED', o);
    return o;
  }

  /**
   * An order changed through the API (a fulfillment, a metafield): `updated_at` moves forward and the
   * topics are raised, then `orders/updated`. Returns the new stamp.
   */
  changed(o: SimOrder, topics: OrderTopic[] = []): number {
    o.updatedAt = this.stamp(o.updatedAt);
    for (const t of topics) this.opts.onEvent(t, o);
    this.opts.onEvent('ORDERS_UPDATED', o);
    return o.updatedAt;
  }

  delete(id: number): void {
    const o = this.require(id);
    this.orders.delete(id);
    this.opts.onEvent('ORDERS_DELETE', o);
  }

  get(id: number): SimOrder | undefined {
    return this.orders.get(id);
  }

  all(): SimOrder[] {
    return [...this.orders.values()];
  }

  private require(id: number): SimOrder {
    const o = this.orders.get(id);
    if (!o) throw new Error(`no order ${id}`);
    return o;
  }
}
