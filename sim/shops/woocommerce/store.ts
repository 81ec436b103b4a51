/**
 * The shop's orders, notes and clock. Every create/update stamps date_modified_gmt from the sim clock at
 * one-second resolution and never goes backwards; several orders can share a second, as in WordPress,
 * so a client polling `modified_after` needs an overlap window.
 */
import { type ShopProduct, sellableProducts, UNKNOWN_PRODUCTS, TAX_RATES, blockedProducts } from './world.js';
import { fmtGmt, fmtLocal, parseGmt } from './dates.js';
import { finalizeOrder, orderKeys, type SiteInfo } from './document.js';
import { createGenerator, type OrderGenerator } from './generator.js';
import { convert, D, money } from './money.js';
import { buildTaxLines, netTax, orderTotals, priceLines } from './totals.js';
import type {
  GenerateOptions, WooCouponLine, WooFeeLine, WooLineItem, WooMeta, WooNote, WooOrder, WooShippingLine,
} from './types.js';
import { ITEMS } from '../../catalog.js';

/** What addOrder/updateOrder accept: any order field, lines possibly partial. */
export type WooOrderInput = Partial<Omit<WooOrder, 'line_items' | 'fee_lines' | 'shipping_lines' | 'coupon_lines' | 'billing' | 'shipping'>> & {
  line_items?: Partial<WooLineItem>[];
  fee_lines?: Partial<WooFeeLine>[];
  shipping_lines?: Partial<WooShippingLine>[];
  coupon_lines?: Partial<WooCouponLine>[];
  billing?: Partial<WooOrder['billing']>;
  shipping?: Partial<WooOrder['shipping']>;
};

export const STATUS_LABELS: Record<string, string> = {
  pending: 'Pending payment', processing: 'Processing', 'on-hold': 'On hold', completed: 'Completed',
  cancelled: 'Cancelled', refunded: 'Refunded', failed: 'Failed', 'checkout-draft': 'Draft', trash: 'Trash',
};

const TOTAL_KEYS = ['discount_total', 'discount_tax', 'shipping_total', 'shipping_tax', 'cart_tax', 'total', 'total_tax'] as const;

export interface StoreOptions {
  seed: number;
  site: SiteInfo;
  /** Wall clock in ms (injectable for tests). */
  now: () => number;
}

/** What happened to an order, for webhooks (order.created / order.updated). */
export type OrderChange = 'created' | 'updated';

export class OrderStore {
  private byId = new Map<number, WooOrder>();
  /** Goes up with every order created or changed: list requests reuse their sorted answer until it does. */
  revision = 0;
  /** Called after every create and update through the API or sim control (not for startup backfill). */
  readonly changeListeners: ((change: OrderChange, id: number) => void)[] = [];
  private notesById = new Map<number, WooNote[]>();
  private gen: OrderGenerator;
  private lastStamp = 0;
  private commentId = 100;
  private products: ShopProduct[];

  constructor(private opts: StoreOptions) {
    this.gen = createGenerator(opts.seed, opts.site);
    this.products = [...sellableProducts(opts.site.homeUrl), ...blockedProducts(opts.site.homeUrl)];
  }

  get site(): SiteInfo {
    return this.opts.site;
  }

  /** Current sim time in epoch seconds (never behind the last stamp). */
  nowSec(): number {
    return Math.max(Math.floor(this.opts.now() / 1000), this.lastStamp);
  }

  /** Stamp a modification: the clock, at least `step` seconds after the previous stamp. */
  private stamp(step = 0): number {
    this.lastStamp = Math.max(Math.floor(this.opts.now() / 1000), this.lastStamp + step);
    return this.lastStamp;
  }

  private changed(change: OrderChange, id: number): void {
    for (const l of this.changeListeners) l(change, id);
  }

  all(): WooOrder[] {
    return [...this.byId.values()];
  }

  get(id: number): WooOrder | undefined {
    return this.byId.get(id);
  }

  notes(id: number): WooNote[] {
    return [...(this.notesById.get(id) ?? [])].sort((a, b) => b.id - a.id);
  }

  generate(n: number, opts: GenerateOptions = {}): WooOrder[] {
    const out: WooOrder[] = [];
    for (let i = 0; i < n; i++) {
      // Orders arrive in bursts: about half share the second of the one before.
      const step = this.gen.rng.weighted([[0, 50], [1, 35], [2, 15]] as const);
      const order = this.gen.next(opts, this.stamp(i === 0 && this.lastStamp === 0 ? 0 : step));
      this.byId.set(order.id, order);
      this.revision++;
      out.push(order);
      this.changed('created', order.id);
    }
    return out;
  }

  /**
   * Orders the shop already had when the simulator started: spread over the recent past so the last one
   * is modified now. Only for startup, before any client can have read a cursor: a live shop never
   * writes into the past.
   */
  backfill(n: number, opts: GenerateOptions = {}): WooOrder[] {
    const steps: number[] = Array.from({ length: n }, (_, i) => (i === 0 ? 0 : this.gen.rng.weighted([[0, 50], [1, 35], [2, 15]] as const)));
    const span = steps.reduce((a, b) => a + b, 0);
    let t = Math.max(this.lastStamp, Math.floor(this.opts.now() / 1000) - span);
    const out: WooOrder[] = [];
    for (const step of steps) {
      t += step;
      this.lastStamp = Math.max(this.lastStamp, t);
      const order = this.gen.next(opts, this.lastStamp);
      this.byId.set(order.id, order);
      this.revision++;
      out.push(order);
    }
    return out;
  }

  add(input: WooOrderInput, genOpts: GenerateOptions = {}): WooOrder {
    const modified = this.stamp();
    // Generate the base order in the status, currency and tax mode asked for, so its dates, payment
    // and prices agree with them.
    const opts: GenerateOptions = { ...genOpts };
    if (input.status !== undefined) opts.statuses = [input.status];
    if (input.currency !== undefined) opts.currency = input.currency;
    if (input.prices_include_tax !== undefined) opts.pricesIncludeTaxShare = input.prices_include_tax ? 1 : 0;
    if (input.customer_id === 0) opts.guestShare = 1;
    const base = this.gen.next(opts, modified);
    if (input.id !== undefined && input.id !== base.id) {
      if (this.byId.has(input.id)) throw new Error(`order ${input.id} exists`);
      if (input.id > this.gen.ids.order) this.gen.ids.order = input.id;
    }
    const order = this.overlay(base, input, true);
    if (input.number === undefined) order.number = String(order.id);
    this.byId.set(order.id, order);
    this.revision++;
    this.changed('created', order.id);
    return order;
  }

  /** Sim-control update: fields replaced as given, status transitions applied, date_modified bumped. */
  update(id: number, patch: WooOrderInput): WooOrder {
    const current = this.byId.get(id);
    if (!current) throw new Error(`no order ${id}`);
    const sec = this.stamp();
    const before = current.status;
    const order = this.overlay(structuredClone(current), { ...patch, id }, false);
    if (patch.status !== undefined && patch.status !== before) this.transition(order, before, patch.status, sec, patch);
    if (patch.date_modified_gmt === undefined) order.date_modified_gmt = fmtGmt(sec);
    const done = orderKeys(finalizeOrder(order, this.site));
    this.byId.set(id, done);
    this.revision++;
    this.changed('updated', id);
    return done;
  }

  /** PUT /orders/{id}: WooCommerce semantics (meta_data merged by id/key, set_paid, status side effects). */
  apiUpdate(id: number, body: Record<string, unknown>): WooOrder {
    const current = this.byId.get(id)!;
    const order = structuredClone(current);
    const sec = this.stamp();
    const before = order.status;
    for (const k of ['customer_note', 'transaction_id', 'payment_method', 'payment_method_title', 'customer_id', 'currency'] as const) {
      if (body[k] !== undefined) (order as unknown as Record<string, unknown>)[k] = body[k];
    }
    for (const k of ['billing', 'shipping'] as const) {
      if (body[k] && typeof body[k] === 'object') Object.assign(order[k], body[k]);
    }
    if (Array.isArray(body.meta_data)) {
      for (const m of body.meta_data as { id?: number; key?: string; value?: unknown }[]) {
        const existing = m.id ? order.meta_data.find((x) => x.id === m.id) : order.meta_data.find((x) => x.key === m.key);
        if (existing) {
          if (m.value === null) order.meta_data = order.meta_data.filter((x) => x !== existing);
          else existing.value = m.value;
        } else if (m.key) {
          order.meta_data.push({ id: this.gen.nextOrderMetaId(), key: m.key, value: m.value ?? '' });
        }
      }
    }
    if (typeof body.status === 'string' && body.status !== before) {
      order.status = body.status;
      this.transition(order, before, body.status, sec, {});
    }
    if (body.set_paid === true && !order.date_paid_gmt) {
      order.date_paid_gmt = fmtGmt(sec);
      if (order.status === 'pending' || order.status === 'on-hold' || order.status === 'failed') {
        const from = order.status;
        order.status = 'processing';
        this.transition(order, from, 'processing', sec, {});
      }
    }
    order.date_modified_gmt = fmtGmt(sec);
    const done = orderKeys(finalizeOrder(order, this.site));
    this.byId.set(id, done);
    this.revision++;
    this.changed('updated', id);
    return done;
  }

  addNote(id: number, note: string, customerNote: boolean, addedByUser: boolean): WooNote {
    const sec = this.nowSec();
    const api = `${this.site.homeUrl}/wp-json/wc/v3`;
    const nid = ++this.commentId;
    const n: WooNote = {
      id: nid,
      author: addedByUser ? 'admin' : 'system',
      date_created: fmtLocal(sec, this.site.tzOffsetMinutes),
      date_created_gmt: fmtGmt(sec),
      note,
      customer_note: customerNote,
      _links: {
        self: [{ href: `${api}/orders/${id}/notes/${nid}` }],
        collection: [{ href: `${api}/orders/${id}/notes` }],
        up: [{ href: `${api}/orders/${id}` }],
      },
    };
    const list = this.notesById.get(id) ?? [];
    list.push(n);
    this.notesById.set(id, list);
    return n;
  }

  /** Side effects of a status change, as WC_Order::status_transition / maybe_set_date_paid do them. */
  private transition(order: WooOrder, from: string, to: string, sec: number, explicit: WooOrderInput): void {
    if (to === 'completed') {
      if (explicit.date_completed_gmt === undefined) order.date_completed_gmt = fmtGmt(sec);
      if (!order.date_paid_gmt && explicit.date_paid_gmt === undefined) order.date_paid_gmt = fmtGmt(sec);
    }
    // Cash on delivery is paid at the door: processing does not mark it paid (live facts).
    if (to === 'processing' && !order.date_paid_gmt && order.payment_method !== 'cod' && explicit.date_paid_gmt === undefined) {
      order.date_paid_gmt = fmtGmt(sec);
    }
    this.addNote(order.id, `Order status changed from ${STATUS_LABELS[from] ?? from} to ${STATUS_LABELS[to] ?? to}.`, false, false);
  }

  /** Lay `input` over `order`; fill partial lines; recompute totals when lines changed and totals were not given. */
  private overlay(order: WooOrder, input: WooOrderInput, fresh: boolean): WooOrder {
    const { line_items, fee_lines, shipping_lines, coupon_lines, billing, shipping, ...scalars } = input;
    Object.assign(order, scalars);
    if (billing) order.billing = { ...order.billing, ...billing };
    if (shipping) order.shipping = { ...order.shipping, ...shipping };
    if (line_items) order.line_items = line_items.map((l) => this.fillLine(l, order));
    if (fee_lines) order.fee_lines = fee_lines.map((f) => this.fillFee(f));
    if (shipping_lines) order.shipping_lines = shipping_lines.map((s) => this.fillShipping(s));
    if (coupon_lines) {
      order.coupon_lines = coupon_lines.map((c) => ({
        id: this.gen.nextItemId(), code: 'coupon', discount: '0.00', discount_tax: '0', meta_data: [],
        discount_type: 'fixed_cart', nominal_amount: 0, free_shipping: false, ...c,
      }));
    }
    const linesChanged = Boolean(line_items || fee_lines || shipping_lines);
    if (linesChanged) {
      const totals = orderTotals(order);
      for (const k of TOTAL_KEYS) if (input[k] === undefined) order[k] = totals[k];
      if (input.tax_lines === undefined) order.tax_lines = buildTaxLines(order, () => this.gen.nextItemId());
      if (!coupon_lines && D(order.discount_total).isZero()) order.coupon_lines = [];
    }
    if (fresh) order.meta_data = (input.meta_data ?? order.meta_data).map((m: Partial<WooMeta>) => ({ id: m.id ?? this.gen.nextOrderMetaId(), key: m.key ?? '', value: m.value ?? '' }));
    // Site-time dates are derived from the GMT ones; a caller sets *_gmt.
    if (input.date_modified_gmt === undefined && fresh) order.date_modified_gmt = fmtGmt(this.lastStamp);
    if (input.date_created_gmt !== undefined && parseGmt(input.date_created_gmt) > parseGmt(order.date_modified_gmt) && input.date_modified_gmt === undefined) {
      order.date_modified_gmt = input.date_created_gmt;
    }
    return orderKeys(finalizeOrder(order, this.site));
  }

  private fillLine(l: Partial<WooLineItem>, order: WooOrder): WooLineItem {
    const sku = l.sku ?? '';
    const product = this.products.find((p) => p.sku === sku);
    const unknown = UNKNOWN_PRODUCTS.find((u) => u.sku === sku && sku !== '');
    const catalogItem = product?.item ?? ITEMS.find((i) => i.number === sku);
    const group = catalogItem?.taxGroupCode ?? unknown?.taxGroupCode ?? (l.tax_class === 'reduced-rate' ? 'REDUCED' : 'STANDARD');
    const rate = TAX_RATES[group];
    const quantity = l.quantity ?? 1;
    let subtotal = l.subtotal, subtotalTax = l.subtotal_tax, total = l.total, totalTax = l.total_tax;
    let price = l.price;
    if (total === undefined) {
      const unitLcy = catalogItem?.unitPrice ?? unknown?.unitPrice ?? '10.00';
      const unitNet = l.price !== undefined ? D(l.price).toDecimalPlaces(2) : convert(unitLcy, order.currency);
      const [p] = priceLines([{ unitNet, quantity, taxGroup: group }], order.prices_include_tax);
      total = money(p.total);
      totalTax = totalTax ?? money(p.totalTax);
      subtotal = subtotal ?? money(p.subtotal);
      subtotalTax = subtotalTax ?? money(p.subtotalTax);
      price = price ?? p.price;
    }
    totalTax = totalTax ?? '0.00';
    subtotal = subtotal ?? total;
    subtotalTax = subtotalTax ?? totalTax;
    return {
      id: l.id ?? this.gen.nextItemId(),
      name: l.name ?? product?.name ?? unknown?.name ?? catalogItem?.name ?? 'Product',
      product_id: l.product_id ?? product?.productId ?? unknown?.productId ?? 0,
      variation_id: l.variation_id ?? product?.variationId ?? 0,
      quantity,
      tax_class: l.tax_class ?? rate.taxClass,
      subtotal, subtotal_tax: subtotalTax, total, total_tax: totalTax,
      taxes: l.taxes ?? (D(totalTax).isZero() && D(subtotalTax).isZero() ? [] : [{ id: rate.id, total: totalTax, subtotal: subtotalTax }]),
      meta_data: (l.meta_data ?? []).map((m) => ({ ...m, id: m.id ?? this.gen.nextItemMetaId(), display_key: m.display_key ?? m.key, display_value: m.display_value ?? m.value })),
      sku,
      global_unique_id: l.global_unique_id ?? catalogItem?.gtin ?? '',
      price: price ?? Number(total) / quantity,
      image: l.image ?? product?.image ?? { id: '', src: '' },
      parent_name: l.parent_name ?? product?.parentName ?? null,
    };
  }

  private fillFee(f: Partial<WooFeeLine>): WooFeeLine {
    const total = f.total ?? money(f.amount ?? '0');
    const tax = f.total_tax ?? money(netTax(D(total)));
    return {
      id: f.id ?? this.gen.nextItemId(), name: f.name ?? 'Fee', tax_class: f.tax_class ?? '', tax_status: f.tax_status ?? 'taxable',
      amount: f.amount ?? D(total).toString(), total, total_tax: tax,
      taxes: f.taxes ?? (D(tax).isZero() ? [] : [{ id: TAX_RATES.STANDARD.id, total: tax, subtotal: '' }]), meta_data: [],
    };
  }

  private fillShipping(s: Partial<WooShippingLine>): WooShippingLine {
    const total = s.total ?? '0.00';
    const tax = s.total_tax ?? money(netTax(D(total)));
    return {
      id: s.id ?? this.gen.nextItemId(), method_title: s.method_title ?? 'Flat rate', method_id: s.method_id ?? 'flat_rate',
      instance_id: s.instance_id ?? '1', total, total_tax: tax,
      taxes: s.taxes ?? (D(tax).isZero() ? [] : [{ id: TAX_RATES.STANDARD.id, total: tax, subtotal: '' }]),
      tax_status: s.tax_status ?? 'taxable', meta_data: (s.meta_data ?? []) as WooShippingLine['meta_data'],
    };
  }
}

