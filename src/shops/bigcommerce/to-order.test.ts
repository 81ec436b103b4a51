import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import type { CanonicalOrder } from '../../domain/order.js';
import { dec } from '../../domain/money.js';
import { expectCanonicalAmountsAndDates, seededRandom } from '../to-order-checks.js';
import { identify, toOrder } from './to-order.js';

const SAMPLES = ['../../../reference/samples/bigcommerce/', '../../../../shared/reference/samples/bigcommerce/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../../shared/reference/samples/bigcommerce/', import.meta.url));

const load = (file: string): any => JSON.parse(readFileSync(`${SAMPLES}${file}`, 'utf8'));

/**
 * A BigCommerce order sample is only the v2 order; its products, addresses and coupons are separate
 * samples. bcbridge stores the order with its sub-resources read in (to-order.ts), so the stored
 * document is built here the way the client builds it.
 */
function stored(orderFile: string, pick: (d: any) => any = (d) => d, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...structuredClone(pick(load(orderFile))),
    products: load('v2-order-products-response.json'),
    shipping_addresses: load('v2-order-shipping-addresses-response.json'),
    coupons: load('v2-order-coupons-response.json'),
    ...extra,
  };
}

/** Sample files that hold orders (mapped as stored documents) … */
const ORDER_SAMPLES: Record<string, () => Record<string, unknown>> = {
  'v2-order-218-get-response.json': () => stored('v2-order-218-get-response.json', (d) => d, {
    taxes: load('v2-order-taxes-response.json'),
    refunds: [load('v3-order-refund-get-response.json').data],
  }),
  'v2-order-247-multiple-items-get-response.json': () => stored('v2-order-247-multiple-items-get-response.json', (d) => d, { fees: load('v2-order-fees-response.json').fees }),
  'v2-orders-list-response.json': () => stored('v2-orders-list-response.json', (d) => d[0]),
};

/** … the sub-resources read into them … */
const SUB_RESOURCES = [
  'v2-order-products-response.json', 'v2-order-shipping-addresses-response.json', 'v2-order-coupons-response.json',
  'v2-order-taxes-response.json', 'v2-order-fees-response.json', 'v3-order-refund-get-response.json',
];

/** … and documents that are not orders. Each is refused by name. */
const NOT_ORDERS: Record<string, RegExp> = {
  'v2-order-products-response.json': /list of 2 order products/,
  'v2-order-shipping-addresses-response.json': /list of 2 shipping addresses/,
  'v2-order-coupons-response.json': /order coupons/,
  'v2-order-taxes-response.json': /order taxes/,
  'v2-order-fees-response.json': /fee list/,
  'v2-order-consignments-response.json': /consignments/,
  'v2-order-shipments-list-response.json': /shipments/,
  'v2-order-shipment-create-response.json': /a shipment/,
  'v2-order-statuses-response.json': /order statuses/,
  'v3-order-refund-get-response.json': /a refund/,
  'v2-orders-list-response.json': /list of 1 orders .*each element is one order/,
  'webhook-store_order_created.json': /webhook notification \(store\/order\/created for order 250/,
  'webhook-store_order_updated.json': /webhook notification \(store\/order\/updated/,
  'webhook-store_order_statusUpdated.json': /webhook notification \(store\/order\/statusUpdated/,
  'webhook-store_order_refund_created.json': /webhook notification \(store\/order\/refund\/created/,
  'webhook-store_shipment_created.json': /webhook notification \(store\/shipment\/created for shipment 12/,
};

function expectWellFormed(order: CanonicalOrder): void {
  expectCanonicalAmountsAndDates(order);
  for (const r of order.refunds) expect(r.amount.startsWith('-')).toBe(false);
  expect(order.lines.length).toBeGreaterThan(0);
  for (const l of order.lines) {
    const before = dec(l.totalNet).plus(l.discountNet);
    expect(dec(l.unitPriceNet).times(l.quantity).minus(before).abs().lte(dec('0.00001').times(l.quantity).plus('0.005'))).toBe(true);
  }
}

describe('BigCommerce samples', () => {
  it('classifies every sample file: an order, a sub-resource read into one, or not an order', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort();
    const classified = new Set([...Object.keys(ORDER_SAMPLES), ...SUB_RESOURCES, ...Object.keys(NOT_ORDERS)]);
    expect(files.filter((f) => !classified.has(f))).toEqual([]);
  });

  it.each(Object.keys(ORDER_SAMPLES))('maps %s (with its sub-resources)', (file) => {
    const raw = ORDER_SAMPLES[file]!();
    const order = toOrder(raw);
    expectWellFormed(order);
    expect(order.platform).toBe('bigcommerce');
    const id = identify(raw);
    expect(id).toEqual({ shopOrderId: order.shopOrderId, orderNumber: order.orderNumber, modifiedAt: order.modifiedAt });
  });

  it.each(Object.entries(NOT_ORDERS))('refuses %s by name', (file, message) => {
    expect(() => toOrder(load(file))).toThrow(ValidationError);
    expect(() => toOrder(load(file))).toThrow(message);
    expect(identify(load(file))).toBeUndefined();
  });

  it('refuses the bare order sample: its products were never read in', () => {
    expect(() => toOrder(load('v2-order-218-get-response.json'))).toThrow(/products holds only the link "\/orders\/218\/products"/);
    // identify still works, so the document is stored and held instead of lost.
    expect(identify(load('v2-order-218-get-response.json'))).toEqual({ shopOrderId: '218', orderNumber: '218', modifiedAt: '2019-03-11T15:17:25.000Z' });
  });
});

describe('toOrder: hand-checked documents', () => {
  it('218: status by id, RFC 2822 dates, both fee spellings, manual discount, pick-list child, v3 refund', () => {
    const o = toOrder(ORDER_SAMPLES['v2-order-218-get-response.json']!());
    expect(o.status).toBe('awaiting-payment');
    // payment_status "authorized" and status Awaiting Payment: not paid.
    expect(o.paid).toBe(false);
    expect(o.createdAt).toBe('2019-03-05T21:40:11.000Z');
    expect(o.currency).toBe('USD');
    expect(o.customer).toEqual({ shopCustomerId: '11', guest: false, email: 'janedoe@example.com', phone: '1234567890' });
    expect(o.billing).toMatchObject({ firstName: 'Jane', line1: '555 East Street', state: 'Texas', postalCode: '78108', country: 'US' });
    expect(o.shipping).toMatchObject({ firstName: 'Trishy', company: 'Acme Pty Ltd', city: 'San Antonio', country: 'US' });
    const [towel, brewer] = o.lines;
    expect(towel).toMatchObject({ lineId: '65', sku: 'S-ORAN', quantity: '1', unitPriceNet: '55.99', discountNet: '1.59', totalNet: '54.40', totalTax: '9.24', gtin: '1234567891112' });
    expect(towel!.options).toContainEqual({ label: 'Size', value: 'S', key: { label: 'Apparel sizes', value: '69' } });
    expect(towel!.options).toContainEqual({ label: 'Color', value: 'Orange', key: { label: 'Colors', value: '112' } });
    expect(brewer).toMatchObject({ lineId: '66', sku: 'ABS', totalNet: '0.00', parentLineId: '65' });
    expect(o.shippingLines).toEqual([{ lineId: 'shipping', method: 'None', methodId: 'None', totalNet: '11.09', totalTax: '0.91' }]);
    // The first fee spells cost_exc_tax (a typo in BigCommerce's own sample); both are read.
    expect(o.fees).toEqual([
      { lineId: 'fee-1', name: 'A Fee', totalNet: '12.30', totalTax: '0.00' },
      { lineId: 'fee-2', name: 'B Fee', totalNet: '4.00', totalTax: '8.00' },
    ]);
    expect(o.coupons).toEqual([{ code: 'S2549JM0Y', discountNet: '5.00', discountTax: '0.00' }]);
    expect(o.refunds).toEqual([{ refundId: '12', amount: '50.00', reason: 'Customer requires a refund.' }]);
    expect(o.totals).toEqual({ total: '69.84', totalTax: '5.31', shippingNet: '11.09', discountNet: '1.59' });
    expect(o.paymentMethodTitle).toBe('Cash');
  });

  it('247: the currency comes from default_currency_code (the sample mangles currency_code), captured is paid', () => {
    const o = toOrder(ORDER_SAMPLES['v2-order-247-multiple-items-get-response.json']!());
    expect(o.currency).toBe('USD');
    expect(o.status).toBe('awaiting-fulfillment');
    expect(o.paid).toBe(true);
    expect(o.customerNote).toBe('Custom Journal Added');
    expect(o.refunds).toEqual([]);
  });

  it('a guest, a tax-inclusive store and a discount taken off the gross', () => {
    const raw = stored('v2-orders-list-response.json', (d) => d[0], {
      customer_id: 0,
      is_tax_inclusive_pricing: true,
      products: [{
        id: 1, product_id: 5, order_address_id: 1, name: 'Mug', sku: 'MUG-01', quantity: 2,
        total_ex_tax: '20.8400', total_inc_tax: '25.0000', total_tax: '4.1600',
        applied_discounts: [{ id: '1', amount: '2.5000', name: 'Coupon', code: 'TEN', target: 'product' }], discounted_total_inc_tax: '22.5000',
      }],
    });
    const o = toOrder(raw);
    expect(o.customer.guest).toBe(true);
    expect(o.customer.shopCustomerId).toBeUndefined();
    expect(o.pricesIncludeTax).toBe(true);
    const [line] = o.lines;
    // 22.50 gross at the line's rate (4.16 / 20.84 ≈ 19.96 %): tax 3.74, net 18.76.
    expect(dec(line!.totalNet).plus(line!.totalTax).toFixed(2)).toBe('22.50');
    expect(line!.totalTax).toBe('3.74');
    expect(line!.discountNet).toBe('2.08');
  });

  it('reads handling and gift wrapping as fees, and refunded_amount when the v3 refunds were not read', () => {
    const raw = stored('v2-orders-list-response.json', (d) => d[0], {
      handling_cost_ex_tax: '3.0000', handling_cost_inc_tax: '3.6000', handling_cost_tax: '0.6000',
      wrapping_cost_ex_tax: '2.0000', wrapping_cost_inc_tax: '2.0000', refunded_amount: '7.5000',
    });
    const o = toOrder(raw);
    expect(o.fees).toEqual([
      { lineId: 'handling', name: 'Handling', totalNet: '3.00', totalTax: '0.60' },
      { lineId: 'wrapping', name: 'Gift wrapping', totalNet: '2.00', totalTax: '0.00' },
    ]);
    expect(o.refunds).toEqual([{ refundId: '100-refunded', amount: '7.50' }]);
  });

  it('names a status outside the table by its label, and the tax rate when /taxes was read', () => {
    const raw = stored('v2-orders-list-response.json', (d) => d[0], {
      status_id: 42, status: 'Ready To Pack',
      taxes: [{ id: 1, order_address_id: 51, rate: '20.0000', line_amount: '9.2400' }],
    });
    const o = toOrder(raw);
    expect(o.status).toBe('ready-to-pack');
    expect(o.lines[0]!.taxPercent).toBe('20');
  });

  it('refuses what cannot be an order with a message naming the field', () => {
    const base = ORDER_SAMPLES['v2-orders-list-response.json']!;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base(), date_created: '2019-13-45' }, /date_created is "2019-13-45", not an RFC 2822 date/],
      [{ ...base(), default_currency_code: 'dollars', currency_code: undefined }, /default_currency_code is "dollars", not an ISO 4217 currency code/],
      [{ ...base(), products: [] }, /order 100 has no products/],
      [{ ...base(), products: undefined }, /products is missing/],
      [{ ...base(), total_inc_tax: 'lots' }, /total_inc_tax is "lots", not a decimal amount/],
      [{ ...base(), products: [{ id: 1, quantity: 0, total_ex_tax: '1' }] }, /products\[0\]\.quantity is 0, not a positive quantity/],
      [{ ...base(), status_id: undefined, status: undefined, custom_status: undefined }, /status_id is missing/],
    ];
    for (const [raw, message] of cases) expect(() => toOrder(raw)).toThrow(message);
    expect(() => toOrder(null)).toThrow(ValidationError);
    expect(() => toOrder('218')).toThrow(ValidationError);
  });
});

describe('toOrder: fuzzing with mutated samples', () => {
  const JUNK: unknown[] = [null, undefined, 'abc', '', '-', '1e3', 1.5, -1, 0, NaN, true, {}, [], [1, 'x'], { resource: '/x' }, 'Tue, 31 Feb 2019 00:00:00 +0000', '🎉', 1e308];
  function slots(node: unknown, out: [any, string | number][] = []): [any, string | number][] {
    if (Array.isArray(node)) node.forEach((v, i) => { out.push([node, i]); slots(v, out); });
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) { out.push([node, k]); slots(v, out); }
    return out;
  }

  it('never throws anything but ValidationError, and every success is well formed (600 mutants)', () => {
    const random = seededRandom(20261123);
    const sources = Object.values(ORDER_SAMPLES).map((f) => f());
    let ok = 0;
    let held = 0;
    for (let n = 0; n < 600; n++) {
      const doc = structuredClone(sources[n % sources.length]);
      for (let i = 0, count = 1 + Math.floor(random() * 4); i < count; i++) {
        const all = slots(doc);
        const [container, key] = all[Math.floor(random() * all.length)]!;
        const action = random();
        if (action < 0.35 && !Array.isArray(container)) delete container[key];
        else if (action < 0.35) container.splice(key as number, 1);
        else container[key] = structuredClone(JUNK[Math.floor(random() * JUNK.length)]);
      }
      try {
        expectWellFormed(toOrder(doc));
        ok++;
      } catch (e) {
        if (!(e instanceof ValidationError)) throw new Error(`mutant ${n} threw ${String(e)}: ${JSON.stringify(doc).slice(0, 300)}`);
        held++;
      }
      expect(() => identify(doc)).not.toThrow();
    }
    expect(ok).toBeGreaterThan(50);
    expect(held).toBeGreaterThan(50);
  });
});
