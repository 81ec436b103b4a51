import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ITEMS, VAT_PERCENT } from '../../catalog.js';
import { createGenerator } from './generator.js';
import { D, round2 } from './money.js';
import type { WooOrder } from './types.js';

// A real WooCommerce 11.0.1 order list, copied byte for byte from reference/samples/recorded/.
const recorded = JSON.parse(readFileSync(new URL('./fixtures/woocommerce-11.0.1-orders-list.json', import.meta.url), 'utf8')) as Record<string, unknown>[];

const site = { homeUrl: 'http://127.0.0.1:4020', tzOffsetMinutes: 60 };
const T0 = Date.parse('2026-11-23T10:00:00Z') / 1000;

function make(n: number, seed = 42): WooOrder[] {
  const gen = createGenerator(seed, site);
  const out: WooOrder[] = [];
  for (let i = 0; i < n; i++) out.push(gen.next({ unknownSkuShare: 0.05, blockedItemShare: 0.02, guestShare: 0.4 }, T0 + Math.floor(i / 2)));
  return out;
}

const sum = (xs: string[]) => xs.reduce((s, x) => s.plus(D(x)), D(0));
const MONEY = /^-?\d+\.\d{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

describe('order generator', () => {
  const orders = make(500);

  it('has exactly the top-level keys of a live WooCommerce 11 order, in the same order', () => {
    const live = Object.keys(recorded[0]);
    for (const o of orders) expect(Object.keys(o)).toEqual(live);
    const liveLine = Object.keys((recorded[0].line_items as Record<string, unknown>[])[0]);
    for (const l of orders[0].line_items) expect(Object.keys(l)).toEqual(liveLine);
    expect(Object.keys(orders.find((o) => o.shipping_lines.length)!.shipping_lines[0])).toEqual(
      Object.keys((recorded[0].shipping_lines as Record<string, unknown>[])[0]),
    );
    expect(Object.keys(orders[0].tax_lines[0])).toEqual(Object.keys((recorded[0].tax_lines as Record<string, unknown>[])[0]));
  });

  it('reconciles every order to the cent: total = lines + line tax + shipping + shipping tax + fees + fee tax', () => {
    for (const o of orders) {
      const lines = sum(o.line_items.map((l) => l.total));
      const lineTax = sum(o.line_items.map((l) => l.total_tax));
      const fees = sum(o.fee_lines.map((f) => f.total));
      const feeTax = sum(o.fee_lines.map((f) => f.total_tax));
      const ship = sum(o.shipping_lines.map((s) => s.total));
      const shipTax = sum(o.shipping_lines.map((s) => s.total_tax));
      expect(D(o.total).toFixed(2), `order ${o.id}`).toBe(lines.plus(lineTax).plus(fees).plus(feeTax).plus(ship).plus(shipTax).toFixed(2));
      expect(D(o.shipping_total).equals(ship)).toBe(true);
      expect(D(o.shipping_tax).equals(shipTax)).toBe(true);
      expect(D(o.cart_tax).equals(lineTax.plus(feeTax))).toBe(true);
      expect(D(o.total_tax).equals(D(o.cart_tax).plus(o.shipping_tax))).toBe(true);
      expect(D(o.discount_total).equals(sum(o.line_items.map((l) => l.subtotal)).minus(lines))).toBe(true);
      expect(D(o.discount_tax).equals(sum(o.line_items.map((l) => l.subtotal_tax)).minus(lineTax))).toBe(true);
      const taxLines = sum(o.tax_lines.map((t) => t.tax_total)).plus(sum(o.tax_lines.map((t) => t.shipping_tax_total)));
      expect(taxLines.equals(D(o.total_tax))).toBe(true);
      if (o.coupon_lines.length) expect(o.coupon_lines[0].discount).toBe(o.discount_total);
    }
  });

  it('taxes lines per the catalog tax group; net lines even when prices include tax', () => {
    let incl = 0;
    for (const o of orders) {
      for (const l of o.line_items) {
        const pct = D(VAT_PERCENT[l.tax_class === 'reduced-rate' ? 'REDUCED' : 'STANDARD']);
        const exact = D(l.total).times(pct).div(100);
        if (!o.prices_include_tax) {
          expect(l.total_tax).toBe(round2(exact).toFixed(2));
        } else {
          incl++;
          // Tax was taken out of a gross amount: within a cent of net × rate, and price is the unrounded net unit price.
          expect(D(l.total_tax).minus(exact).abs().lte('0.01')).toBe(true);
        }
        expect(typeof l.price).toBe('number');
        expect(Math.abs(l.price * l.quantity - Number(l.total))).toBeLessThan(0.0051);
        expect(l.taxes[0]).toEqual({ id: l.tax_class === 'reduced-rate' ? 2 : 1, total: l.total_tax, subtotal: l.subtotal_tax });
      }
      for (const f of o.fee_lines) expect(f.total_tax).toBe(round2(D(f.total).times(VAT_PERCENT.STANDARD).div(100)).toFixed(2));
      for (const s of o.shipping_lines) expect(s.total_tax).toBe(round2(D(s.total).times(VAT_PERCENT.STANDARD).div(100)).toFixed(2));
    }
    expect(incl).toBeGreaterThan(100);
    // Some incl.-tax prices are not representable in cents: 24.95 net at 10% → 27.45 gross → 24.954545… net.
    expect(orders.flatMap((o) => o.line_items).some((l) => !Number.isInteger(Math.round(l.price * 1e6) / 1e4))).toBe(true);
  });

  it('formats like WooCommerce: money strings, string number, int id, zone-less dates, negative refunds', () => {
    for (const o of orders) {
      for (const k of ['discount_total', 'discount_tax', 'shipping_total', 'shipping_tax', 'cart_tax', 'total', 'total_tax'] as const) {
        expect(o[k]).toMatch(MONEY);
      }
      expect(o.number).toBe(String(o.id));
      expect(Number.isInteger(o.id)).toBe(true);
      for (const k of ['date_created', 'date_modified', 'date_created_gmt', 'date_modified_gmt'] as const) expect(o[k]).toMatch(DATE);
      // Site time is GMT + 1 h.
      expect(Date.parse(o.date_created + 'Z') - Date.parse(o.date_created_gmt + 'Z')).toBe(3600_000);
      for (const r of o.refunds) expect(r.total).toMatch(/^-\d+\.\d{2}$/);
      for (const l of o.line_items) for (const k of ['subtotal', 'subtotal_tax', 'total', 'total_tax'] as const) expect(l[k]).toMatch(MONEY);
    }
  });

  it('sets date_paid the way the live shop does', () => {
    for (const o of orders) {
      if (o.payment_method === 'bacs' && o.status === 'on-hold') expect(o.date_paid_gmt).toBeNull();
      if (o.payment_method === 'cod' && o.status === 'processing') expect(o.date_paid_gmt).toBeNull();
      if (o.payment_method === 'stripe' && ['processing', 'completed'].includes(o.status)) {
        expect(o.date_paid_gmt).toMatch(DATE);
        expect(o.transaction_id).not.toBe('');
      }
      if (o.status === 'completed') expect(o.date_completed_gmt).toMatch(DATE);
      expect(o.needs_payment).toBe(o.status === 'pending');
    }
    const combos = new Set(orders.map((o) => `${o.payment_method}/${o.status}/${o.date_paid ? 'paid' : 'unpaid'}`));
    for (const c of ['bacs/on-hold/unpaid', 'cod/processing/unpaid', 'stripe/processing/paid', 'stripe/pending/unpaid']) expect(combos).toContain(c);
  });

  it('covers the shapes a client must map', () => {
    const all = orders.flatMap((o) => o.line_items);
    const variation = all.find((l) => l.variation_id !== 0)!;
    expect(variation.sku).toMatch(/^TEE-01-[SML]$/);
    expect(variation.meta_data[0]).toMatchObject({ key: 'pa_size', display_key: 'Size', display_value: variation.sku.slice(-1) });
    expect(variation.parent_name).toBe('Organic T-Shirt');
    const catalogSkus = new Set(ITEMS.map((i) => i.number));
    expect(all.some((l) => !catalogSkus.has(l.sku))).toBe(true);
    expect(all.some((l) => l.sku === 'OLD-MUG')).toBe(true);
    expect(orders.some((o) => o.customer_id === 0)).toBe(true);
    expect(orders.some((o) => o.billing.email === 'orders@adatum.example' && o.customer_id > 0)).toBe(true);
    expect(orders.some((o) => o.coupon_lines.length > 0 && o.coupon_lines[0].discount !== '0.00')).toBe(true);
    expect(orders.some((o) => o.fee_lines.length > 0)).toBe(true);
    expect(new Set(orders.flatMap((o) => o.shipping_lines.map((s) => s.method_id)))).toEqual(new Set(['flat_rate', 'free_shipping', 'local_pickup']));
    expect(new Set(orders.map((o) => o.billing.country))).toEqual(new Set(['DE', 'AT', 'NL', 'FR', 'US', 'GB', 'CH']));
    for (const o of orders.filter((x) => x.billing.country === 'DE')) expect(o.billing.state).toMatch(/^DE-[A-Z]{2}$/);
    expect(new Set(orders.map((o) => o.currency)).size).toBeGreaterThan(1);
    expect(orders.filter((o) => o.currency === 'EUR').length).toBeGreaterThan(400);
    expect(orders.some((o) => o.prices_include_tax) && orders.some((o) => !o.prices_include_tax)).toBe(true);
    expect(orders.some((o) => /[^\x00-\x7f]/.test(o.billing.first_name + o.billing.last_name))).toBe(true);
    expect(orders.some((o) => o.refunds.length > 0)).toBe(true);
  });

  it('is deterministic for a seed and different across seeds', () => {
    expect(make(20, 7)).toEqual(make(20, 7));
    expect(make(5, 7)[0].order_key).not.toBe(make(5, 8)[0].order_key);
  });

  it('honours statuses, currency and unpaidShare', () => {
    const gen = createGenerator(3, site);
    const only = Array.from({ length: 50 }, () => gen.next({ statuses: ['processing'], currency: 'USD', unpaidShare: 1 }, T0));
    for (const o of only) {
      expect(o.status).toBe('processing');
      expect(o.currency).toBe('USD');
      expect(o.currency_symbol).toBe('$');
      expect(o.payment_method).toBe('cod');
      expect(o.date_paid).toBeNull();
    }
  });
});
