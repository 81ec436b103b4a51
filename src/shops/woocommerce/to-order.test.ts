import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import type { CanonicalOrder } from '../../domain/order.js';
import { dec, sum } from '../../domain/money.js';
import { expectCanonicalAmountsAndDates, seededRandom } from '../to-order-checks.js';
import { WOO_ORDER_SAMPLES as ORDER_SAMPLES } from './order-samples.js';
import { identify, toOrder } from './to-order.js';

// The reference samples live beside the checkout (shared/reference) or, once vendored, inside it.
const SAMPLES = ['../../../reference/samples/', '../../../../shared/reference/samples/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../../shared/reference/samples/', import.meta.url));
const SAMPLE_DIRS = ['woocommerce', 'recorded'];

function load(file: string): unknown {
  return JSON.parse(readFileSync(`${SAMPLES}${file}`, 'utf8'));
}

/** WooCommerce samples that are not orders (and must not be read as one). */
const NOT_ORDERS = [
  'woocommerce/fluxc-order-shipping-lines.json',
  'woocommerce/fluxc-shipment-tracking-create-response-jetpack-wrapped.json',
  'woocommerce/fluxc-shipment-trackings-list-jetpack-wrapped.json',
  'woocommerce/wc-v3-order-note-create-response.json',
  'woocommerce/wc-v3-order-notes-list-response.json',
  'woocommerce/wc-v3-order-refund-create-response.json',
  'woocommerce/wc-v3-order-refunds-list-response.json',
  'woocommerce/wc-v3-webhook-create-response.json',
  'recorded/woocommerce-11.0.1-order-14-refunds.json',
];

function wooSampleFiles(): string[] {
  return SAMPLE_DIRS.flatMap((dir) =>
    readdirSync(`${SAMPLES}${dir}`)
      .filter((f) => f.endsWith('.json') && (dir === 'woocommerce' || f.startsWith('woocommerce')))
      .map((f) => `${dir}/${f}`),
  ).sort();
}

function allSampleOrders(): { file: string; index: number; raw: unknown }[] {
  return Object.entries(ORDER_SAMPLES).flatMap(([file, extract]) =>
    extract(load(file)).map((raw, index) => ({ file, index, raw })),
  );
}

function sampleOrder(file: string, id: number): unknown {
  const found = ORDER_SAMPLES[file]!(load(file)).find((o: any) => (o.id ?? o.data?.id) === id);
  if (!found) throw new Error(`no order ${id} in ${file}`);
  return structuredClone(found);
}

/** Shape checks that hold for every successful mapping. */
function expectWellFormed(order: CanonicalOrder): void {
  expectCanonicalAmountsAndDates(order);
  for (const r of order.refunds) expect(r.amount.startsWith('-')).toBe(false);
  expect(order.lines.length + order.fees.length).toBeGreaterThan(0);
  for (const l of order.lines) {
    // discount = subtotal − total, and unit price × quantity rebuilds the subtotal to within the 5-decimal rounding.
    const subtotal = dec(l.totalNet).plus(l.discountNet);
    expect(dec(l.unitPriceNet).times(l.quantity).minus(subtotal).abs().lte(dec('0.00001').times(l.quantity))).toBe(true);
  }
}

describe('WooCommerce samples', () => {
  it('classifies every WooCommerce sample file as holding orders or explicitly not', () => {
    const classified = [...Object.keys(ORDER_SAMPLES), ...NOT_ORDERS].sort();
    expect(wooSampleFiles()).toEqual(classified);
  });

  it.each(allSampleOrders().map((s) => [`${s.file} #${s.index}`, s.raw] as const))('maps %s', (_name, raw) => {
    const order = toOrder(raw);
    expectWellFormed(order);
    expect(order.platform).toBe('woocommerce');
    const id = identify(raw);
    expect(id?.shopOrderId).toBe(order.shopOrderId);
    expect(id?.orderNumber).toBe(order.orderNumber);
    expect(id?.modifiedAt).toBe(order.modifiedAt);
  });

  it('maps every element of every list: 22 orders in all', () => {
    expect(allSampleOrders()).toHaveLength(1 + 1 + 2 + 4 + 1 + 4 + 3 + 5 + 1);
  });

  it.each(NOT_ORDERS)('refuses %s with a ValidationError: it is not an order', (file) => {
    const doc = load(file);
    expect(() => toOrder(doc)).toThrow(ValidationError);
  });
});

describe('toOrder: hand-checked documents', () => {
  it('727 (docs): lines, variation options, shipping, tax', () => {
    const o = toOrder(sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727));
    expect(o).toMatchObject({
      shopOrderId: '727', orderNumber: '727', status: 'processing', currency: 'USD', pricesIncludeTax: false,
      paid: true, paidAt: '2017-03-22T19:28:08.000Z',
      // _gmt fields, not the site-local 16:28:02.
      createdAt: '2017-03-22T19:28:02.000Z', modifiedAt: '2017-03-22T19:28:08.000Z',
      customer: { guest: true, email: 'john.doe@example.com', phone: '(555) 555-5555' },
      billing: { firstName: 'John', lastName: 'Doe', line1: '969 Market', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' },
      paymentMethod: 'bacs', paymentMethodTitle: 'Direct Bank Transfer',
      totals: { total: '29.35', totalTax: '1.35', shippingNet: '10.00', discountNet: '0.00' },
    });
    expect(o.customer.shopCustomerId).toBeUndefined();
    expect(o.billing.company).toBeUndefined();
    expect(o.customerNote).toBeUndefined();
    expect(o.lines).toEqual([
      { lineId: '315', name: 'Woo Single #1', productId: '93', quantity: '2', unitPriceNet: '3.00', discountNet: '0.00', totalNet: '6.00', totalTax: '0.45', options: [] },
      {
        lineId: '316', name: 'Ship Your Idea \u2013 Color: Black, Size: M Test', sku: 'Bar3', productId: '22', variantId: '23',
        quantity: '1', unitPriceNet: '12.00', discountNet: '0.00', totalNet: '12.00', totalTax: '0.90',
        options: [{ label: 'pa_color', value: 'black' }, { label: 'size', value: 'M Test' }],
      },
    ]);
    expect(o.shippingLines).toEqual([{ lineId: '317', method: 'Flat Rate', methodId: 'flat_rate', totalNet: '10.00', totalTax: '0.00' }]);
    expect(o.fees).toEqual([]);
    expect(o.coupons).toEqual([]);
    expect(o.refunds).toEqual([]);
    // net lines + shipping + tax = the stated grand total.
    const rebuilt = sum([...o.lines.map((l) => l.totalNet), ...o.shippingLines.map((s) => s.totalNet), o.totals.totalTax]);
    expect(rebuilt.toFixed(2)).toBe(o.totals.total);
  });

  it('recorded AT order 17: coupon with prices_include_tax, unit price from subtotal/quantity, never the float price', () => {
    const o = toOrder(sampleOrder('recorded/woocommerce-11.0.1-order-restapi-created-coupon-AT.json', 17));
    expect(o).toMatchObject({
      shopOrderId: '17', orderNumber: '17', currency: 'EUR', pricesIncludeTax: true, status: 'processing', paid: true,
      totals: { total: '46.39', totalTax: '0.00', shippingNet: '4.90', discountNet: '4.61' },
    });
    expect(o.billing.state).toBeUndefined(); // "" in the document
    expect(o.billing.country).toBe('AT');
    expect(o.lines.map((l) => [l.sku, l.quantity, l.unitPriceNet, l.discountNet, l.totalNet, l.totalTax])).toEqual([
      // price is 18.82437 (after discount, float): the unit price before discount is subtotal 20.92 / 1.
      ['ESP-1KG', '1', '20.92', '2.10', '18.82', '0.00'],
      // 25.18 / 3 = 8.393333…, kept to 5 decimals; price 7.558291333333333 is ignored.
      ['MUG-01', '3', '8.39333', '2.51', '22.67', '0.00'],
    ]);
    // _reduced_stock is bookkeeping, not an option.
    expect(o.lines.every((l) => l.options.length === 0)).toBe(true);
    expect(o.coupons).toEqual([{ code: 'summer10', discountNet: '4.61', discountTax: '0.00' }]);
    // The coupon's discount is the sum of the per-line discounts (subtotal − total).
    expect(sum(o.lines.map((l) => l.discountNet)).toFixed(2)).toBe('4.61');
    const rebuilt = sum([...o.lines.map((l) => l.totalNet), ...o.shippingLines.map((s) => s.totalNet), o.totals.totalTax]);
    expect(rebuilt.toFixed(2)).toBe('46.39');
  });

  it('recorded COD order 14, partially refunded: unpaid, DE-BY → BY, refund positive, gross = total + total_tax', () => {
    const o = toOrder(sampleOrder('recorded/woocommerce-11.0.1-order-storeapi-cod-partially-refunded.json', 14));
    expect(o).toMatchObject({
      shopOrderId: '14', status: 'processing', paid: false, pricesIncludeTax: true, paymentMethod: 'cod',
      customerNote: 'Bitte beim Nachbarn abgeben',
      billing: { company: 'Beispiel GmbH', line1: 'Hauptstraße 5', line2: '2. OG', city: 'München', state: 'BY', postalCode: '80331', country: 'DE' },
      shipping: { state: 'BY', country: 'DE', phone: '+49 89 123456' },
      totals: { total: '65.62', totalTax: '10.48', shippingNet: '4.90', discountNet: '0.00' },
    });
    expect(o.paidAt).toBeUndefined();
    expect(o.refunds).toEqual([{ refundId: '18', amount: '9.99', reason: 'Mug broken' }]);
    const [beans, mug] = o.lines;
    // prices_include_tax=true, yet line totals are net: 41.85 net + 7.95 tax = 49.80 gross for 2 × 24.90.
    expect(beans).toMatchObject({ sku: 'ESP-1KG', quantity: '2', unitPriceNet: '20.925', totalNet: '41.85', totalTax: '7.95', taxPercent: '19' });
    expect(dec(beans!.totalNet).plus(beans!.totalTax).toFixed(2)).toBe('49.80');
    expect(mug).toMatchObject({ sku: 'MUG-01', quantity: '1', unitPriceNet: '8.39', totalNet: '8.39', totalTax: '1.60', taxPercent: '19' });
    expect(o.shippingLines).toEqual([{ lineId: '8', method: 'Flat rate', methodId: 'flat_rate', totalNet: '4.90', totalTax: '0.93' }]);
    const rebuilt = sum([...o.lines.map((l) => l.totalNet), ...o.shippingLines.map((s) => s.totalNet), o.totals.totalTax]);
    expect(rebuilt.toFixed(2)).toBe('65.62');
  });

  it('recorded BACS order 15, completed and paid', () => {
    const o = toOrder(sampleOrder('recorded/woocommerce-11.0.1-order-storeapi-bacs-completed.json', 15));
    expect(o).toMatchObject({
      shopOrderId: '15', orderNumber: '15', status: 'completed', paid: true, paidAt: '2026-11-23T01:51:11.000Z',
      createdAt: '2026-11-23T01:51:10.000Z', modifiedAt: '2026-11-23T01:51:11.000Z',
      paymentMethod: 'bacs', paymentMethodTitle: 'Direct bank transfer',
      customer: { guest: true, email: 'erika@example.test' },
    });
    expect(o.refunds).toEqual([]);
  });

  it('FluxC guest order 88 inside the {"data": …} wrapper', () => {
    const raw = load('woocommerce/fluxc-wc-v2-order-88-guest-jetpack-wrapped.json');
    const o = toOrder(raw);
    expect(o).toMatchObject({
      shopOrderId: '88', orderNumber: '88', status: 'refunded', paid: true,
      customer: { guest: true, email: 'place2153216321532152@thing.com' },
      totals: { total: '15.00', totalTax: '0.00', shippingNet: '0.00' },
    });
    expect(o.customer.shopCustomerId).toBeUndefined();
    expect(o.shippingLines).toEqual([{ lineId: '4', method: 'Free shipping', methodId: 'free_shipping:1', totalNet: '0.00', totalTax: '0.00' }]);
    expect(identify(raw)).toEqual({ shopOrderId: '88', orderNumber: '88', modifiedAt: '2018-04-11T18:58:54.000Z' });
  });

  it('FluxC `_fields` subset: fees, coupons, string number, legacy refund key, missing keys', () => {
    const file = 'woocommerce/fluxc-wc-orders-fee-coupon-lines-fields-subset-jetpack-wrapped.json';
    const o949 = toOrder(sampleOrder(file, 949));
    expect(o949.fees).toEqual([
      { lineId: '28', name: '$10.00 fee', totalNet: '10.00', totalTax: '2.00' },
      { lineId: '30', name: '12.00 fee', totalNet: '12.00', totalTax: '2.40' },
    ]);
    // No date_modified in the subset: creation is the modification lower bound.
    expect(o949.modifiedAt).toBe('2018-04-02T14:57:39.000Z');
    // shipping_lines is not in the subset, shipping_total is: one synthetic line keeps the 4.00.
    expect(o949.shippingLines).toEqual([{ lineId: 'shipping', method: 'Shipping', totalNet: '4.00', totalTax: '0.00' }]);
    expect(o949.customer.guest).toBe(true);
    expect(o949.lines[1]).toMatchObject({ name: 'Black T-shirt (H&M)', sku: '111-111-111' });

    const o939 = toOrder(sampleOrder(file, 939));
    expect(o939).toMatchObject({ paid: false, customerNote: 'test checkout field editor note', fees: [] });

    const o937 = toOrder(sampleOrder(file, 937));
    expect(o937.refunds).toEqual([{ refundId: '940', amount: '92.00', reason: 'Order fully refunded' }]);

    const o786 = toOrder(sampleOrder(file, 786));
    expect(o786).toMatchObject({ shopOrderId: '786', orderNumber: '56AQ', status: 'completed' });
    expect(o786.coupons).toEqual([
      { code: '20$off', discountNet: '20.00', discountTax: '0.00' },
      { code: '40$off', discountNet: '40.00', discountTax: '0.00' },
    ]);
    expect(o786.lines.map((l) => [l.unitPriceNet, l.discountNet, l.totalNet])).toEqual([
      ['50.00', '50.00', '0.00'],
      ['10.00', '10.00', '0.00'],
    ]);
    expect(o786.totals.discountNet).toBe('60.00');
  });

  it('registered customer with two refunds (order 723 from the docs list)', () => {
    const o = toOrder(sampleOrder('woocommerce/wc-v3-orders-list-response.json', 723));
    expect(o.customer).toMatchObject({ shopCustomerId: '26', guest: false });
    expect(o.refunds.map((r) => r.amount)).toEqual(['10.00', '9.00']);
  });

  it('keeps the sign of a negative fee (a discount booked as a fee)', () => {
    const raw: any = sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727);
    raw.fee_lines = [{ id: 400, name: 'Loyalty &amp; more', total: '-5.00', total_tax: '-0.38', taxes: [] }];
    expect(toOrder(raw).fees).toEqual([{ lineId: '400', name: 'Loyalty & more', totalNet: '-5.00', totalTax: '-0.38' }]);
  });

  it('accepts an order made only of fees', () => {
    const raw: any = sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727);
    raw.line_items = [];
    raw.fee_lines = [{ id: 1, name: 'Gift wrapping', total: '3.00', total_tax: '0.00' }];
    expect(toOrder(raw).lines).toEqual([]);
  });

  it('strips a state prefix only when it is the address country', () => {
    const raw: any = sampleOrder('recorded/woocommerce-11.0.1-order-storeapi-bacs-completed.json', 15);
    raw.shipping.state = 'AT-9';
    raw.billing.state = 'de-by';
    const o = toOrder(raw);
    expect(o.shipping.state).toBe('AT-9');
    expect(o.billing.state).toBe('by');
  });

  it('uses display_key/display_value for options, keeps the stored key/value beside them, and skips `_` keys and non-scalar values', () => {
    const raw: any = sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727);
    raw.line_items[1].meta_data = [
      { id: 1, key: 'pa_size', value: 'xl', display_key: 'Size', display_value: 'XL' },
      { id: 2, key: '_hidden', value: 'x' },
      { id: 3, key: 'Gift message', value: '<p>Alles Gute &amp; viel Glück 🎉</p>' },
      { id: 4, key: '_addons', value: { a: 1 } },
      { id: 5, key: 'engraving', value: ['array'] },
      'garbage',
    ];
    expect(toOrder(raw).lines[1]!.options).toEqual([
      { label: 'Size', value: 'XL', key: { label: 'pa_size', value: 'xl' } },
      { label: 'Gift message', value: 'Alles Gute & viel Glück 🎉' },
    ]);
  });

  it('falls back to local dates shifted by the offset learned from a complete pair', () => {
    const raw: any = sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727);
    delete raw.date_modified_gmt; // local 16:28:08, site is UTC−3 (created 16:28:02 local = 19:28:02 GMT)
    expect(toOrder(raw).modifiedAt).toBe('2017-03-22T19:28:08.000Z');
    delete raw.date_created_gmt;
    delete raw.date_paid_gmt;
    // No complete pair left: local time is read as UTC (documented approximation).
    expect(toOrder(raw).createdAt).toBe('2017-03-22T16:28:02.000Z');
  });

  it('accepts `number` as an integer and falls back to the id without it', () => {
    const raw: any = sampleOrder('woocommerce/wc-v3-order-727-get-response.json', 727);
    raw.number = 1727;
    expect(toOrder(raw).orderNumber).toBe('1727');
    delete raw.number;
    expect(toOrder(raw).orderNumber).toBe('727');
  });
});

describe('toOrder: documents that cannot be orders', () => {
  const base = () => sampleOrder('woocommerce/wc-v3-orders-batch-response.json', 728) as any;

  const cases: [string, (raw: any) => unknown, string | RegExp][] = [
    ['no id', (r) => { delete r.id; return r; }, 'id is missing; an id is needed'],
    ['a text id', (r) => { r.id = 'abc'; return r; }, 'id is "abc", not an id'],
    ['line quantity not a number', (r) => { r.line_items[2].quantity = 'abc'; return r; }, 'line_items[2].quantity is "abc", not a number'],
    ['line quantity zero', (r) => { r.line_items[0].quantity = 0; return r; }, 'line_items[0].quantity is 0, not a positive quantity'],
    ['money that is not a decimal', (r) => { r.total = '62,25'; return r; }, 'total is "62,25", not a decimal amount'],
    ['line money that is not a decimal', (r) => { r.line_items[1].subtotal = 'NaN'; return r; }, 'line_items[1].subtotal is "NaN", not a decimal amount'],
    ['no line items and no fees', (r) => { r.line_items = []; r.fee_lines = []; return r; }, /has no line_items and no fee_lines/],
    ['line_items not a list', (r) => { r.line_items = 'none'; return r; }, 'line_items is "none", not a list'],
    ['a line that is not an object', (r) => { r.line_items[1] = 7; return r; }, 'line_items[1] is 7, not an object'],
    ['a bad date', (r) => { r.date_created_gmt = '2017-02-30T10:00:00'; return r; }, 'date_created_gmt is "2017-02-30T10:00:00", not a date'],
    ['no status', (r) => { delete r.status; return r; }, 'status is missing; text is needed'],
    ['a bad currency', (r) => { r.currency = 'EURO'; return r; }, 'currency is "EURO", not an ISO 4217 currency code'],
    ['billing as text', (r) => { r.billing = 'x'; return r; }, 'billing is "x", not an object'],
    ['null', () => null, 'the document is missing; a JSON object is needed'],
    ['a number', () => 42, 'the document is 42, not a JSON object'],
    ['a list', (r) => [r], 'the document is a list of 1 elements, not one order'],
    ['a WordPress error', () => ({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } }),
      /WordPress error \("woocommerce_rest_shop_order_invalid_id": "Invalid ID\."\)/],
  ];

  it.each(cases)('holds %s with a clear ValidationError', (_name, mutate, message) => {
    const raw = mutate(base());
    let error: unknown;
    try {
      toOrder(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('MALFORMED_ORDER');
    expect((error as ValidationError).retryable).toBe(false);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  it('identify still reads what it can from a malformed order', () => {
    const raw = base();
    raw.line_items[0].quantity = 'abc';
    expect(identify(raw)).toEqual({ shopOrderId: '728', orderNumber: '728', modifiedAt: '2017-03-22T19:33:34.000Z' });
    expect(identify({ number: '5' })).toBeUndefined();
    expect(identify(null)).toBeUndefined();
    expect(identify({ id: 5, date_modified_gmt: 'soon' })).toEqual({ shopOrderId: '5' });
  });
});

describe('toOrder: fuzzing with mutated samples', () => {

  const JUNK: unknown[] = [null, undefined, 'abc', '', '-', '1e3', 1.5, -1, 0, NaN, true, false, {}, [], [1, 'x'], { id: 'x' }, '0000-00-00 00:00:00', '🎉', 1e308, '12.5.6'];

  /** Every (container, key) in the document, to pick mutation targets from. */
  function slots(node: unknown, out: [any, string | number][] = []): [any, string | number][] {
    if (Array.isArray(node)) node.forEach((v, i) => { out.push([node, i]); slots(v, out); });
    else if (node !== null && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) { out.push([node, k]); slots(v, out); }
    }
    return out;
  }

  function mutate(raw: unknown, random: () => number): unknown {
    const doc = structuredClone(raw);
    const count = 1 + Math.floor(random() * 4);
    for (let i = 0; i < count; i++) {
      const all = slots(doc);
      if (all.length === 0) break;
      const [container, key] = all[Math.floor(random() * all.length)]!;
      const action = random();
      if (action < 0.35 && !Array.isArray(container)) delete container[key];
      else if (action < 0.35) container.splice(key as number, 1);
      else container[key] = JUNK[Math.floor(random() * JUNK.length)];
    }
    return doc;
  }

  it('never throws anything but ValidationError, and every success is well formed (600 mutants)', () => {
    const random = seededRandom(20261123);
    const sources = allSampleOrders().map((s) => s.raw);
    let ok = 0;
    let held = 0;
    for (let n = 0; n < 600; n++) {
      const mutant = mutate(sources[n % sources.length], random);
      let order: CanonicalOrder | undefined;
      try {
        order = toOrder(mutant);
      } catch (e) {
        if (!(e instanceof ValidationError)) {
          throw new Error(`mutant ${n} threw ${String(e)}: ${JSON.stringify(mutant).slice(0, 400)}`);
        }
        expect(e.message.length).toBeGreaterThan(5);
        held++;
      }
      if (order) {
        expectWellFormed(order);
        ok++;
      }
      expect(() => identify(mutant)).not.toThrow();
    }
    // Both outcomes occur, so the fuzzing reaches past the first field.
    expect(ok).toBeGreaterThan(50);
    expect(held).toBeGreaterThan(50);
  });
});
