import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import type { CanonicalOrder } from '../../domain/order.js';
import { dec, sum } from '../../domain/money.js';
import { seededRandom } from '../to-order-checks.js';
import { identify, toOrder } from './to-order.js';

const SAMPLES = ['../../../reference/samples/magento/', '../../../../shared/reference/samples/magento/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../../shared/reference/samples/magento/', import.meta.url));
const load = (file: string): any => JSON.parse(readFileSync(`${SAMPLES}${file}`, 'utf8'));
const ORDER = 'rest-v1-order-3-get-response.json';

/** Magento samples that are not orders, each refused by name. */
const NOT_ORDERS: Record<string, RegExp> = {
  'rest-v1-carts-mine-payment-information-request.json': /cart payment-information request/,
  'rest-v1-invoice-3-get-response.json': /invoice or credit memo of order 3/,
  'rest-v1-invoice-3-inventory-tutorial-get-response.json': /invoice or credit memo of order 3/,
  'rest-v1-order-3-invoice-request.json': /invoice request body/,
  'rest-v1-order-3-ship-request.json': /shipment, invoice or refund request/,
  'rest-v1-order-refund-request.json': /shipment, invoice or refund request/,
  'rest-v1-order-ship-msi-source-request.json': /shipment, invoice or refund request/,
  'rest-v1-orders-search-fields-filter-response.json': /search result with 3 orders/,
};

function reconciles(o: CanonicalOrder): boolean {
  return sum([...o.lines, ...o.shippingLines].flatMap((l) => [l.totalNet, l.totalTax])).minus(o.totals.total).abs().lte('0.01');
}

describe('Magento samples', () => {
  it('classifies every sample file', () => {
    const files = readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual([ORDER, ...Object.keys(NOT_ORDERS)].sort());
  });

  it('maps order 3: simple, downloadable, a dynamic bundle and a configurable, to the cent', () => {
    const raw = load(ORDER);
    const o = toOrder(raw);
    expect(identify(raw)).toEqual({ shopOrderId: '3', orderNumber: '000000003', modifiedAt: '2017-08-21T22:22:20.000Z' });
    expect(o).toMatchObject({ platform: 'magento', shopOrderId: '3', orderNumber: '000000003', status: 'pending', paid: false, currency: 'USD', pricesIncludeTax: false });
    expect(o.lines.map((l) => [l.lineId, l.sku, l.totalNet, l.parentLineId ?? null])).toEqual([
      ['3', 'WS12-M-Orange', '22.00', null],
      ['4', '240-LV08', '18.00', null],
      // The bundle's parent repeats its parts' sum (68), so its own amount is 0; the parts carry the money.
      ['5', '24-WG080-24-WG084-24-WG088-24-WG082-blue-24-WG086', '0.00', null],
      ['6', '24-WG082-blue', '27.00', '5'],
      ['7', '24-WG084', '5.00', '5'],
      ['8', '24-WG086', '17.00', '5'],
      ['9', '24-WG088', '19.00', '5'],
      // The configurable is one line: the child (price 0, same SKU) names the variant.
      ['10', 'MH01-S-Gray', '52.00', null],
    ]);
    expect(o.lines.find((l) => l.lineId === '10')).toMatchObject({ variantId: '56', options: [{ label: 'Variant', value: 'Chaz Kangeroo Hoodie-S-Gray' }] });
    expect(o.shippingLines).toEqual([{ lineId: 'shipping', method: 'Best Way - Table Rate', methodId: 'tablerate_bestway', totalNet: '5.00', totalTax: '0.00' }]);
    expect(o.customer).toEqual({ shopCustomerId: '3', guest: false, email: 'jdoe@example.com', phone: '512-555-1111' });
    expect(o.billing).toMatchObject({ firstName: 'Jane', line1: '123 Oak Ave', city: 'Purchase', state: 'NY', postalCode: '10577', country: 'US' });
    expect(o.shipping).toMatchObject({ line1: '123 Oak Ave', country: 'US' });
    expect(o.paymentMethod).toBe('banktransfer');
    expect(o.paymentMethodTitle).toBe('Bank Transfer Payment');
    expect(o.totals).toEqual({ total: '165.00', totalTax: '0.00', shippingNet: '5.00', discountNet: '0.00' });
    expect(reconciles(o)).toBe(true);
  });

  it.each(Object.entries(NOT_ORDERS))('refuses %s by name', (file, message) => {
    expect(() => toOrder(load(file))).toThrow(ValidationError);
    expect(() => toOrder(load(file))).toThrow(message);
    expect(identify(load(file))).toBeUndefined();
  });

  it('each element of the search result is an order subset (fields=…) that is held, not lost: identify still reads it', () => {
    for (const item of load('rest-v1-orders-search-fields-filter-response.json').items) {
      expect(identify(item)).toEqual({ shopOrderId: String(item.entity_id), orderNumber: item.increment_id });
      expect(() => toOrder(item)).toThrow(/status is missing/);
    }
  });
});

describe('toOrder: hand-checked documents', () => {
  const order3 = () => structuredClone(load(ORDER));

  it('a fixed-price bundle: the parent carries the price, the parts are lines at 0 under it', () => {
    const raw = order3();
    for (const it of raw.items) if (it.parent_item_id === 5) Object.assign(it, { price: 0, row_total: 0, tax_amount: 0 });
    const o = toOrder(raw);
    expect(o.lines.find((l) => l.lineId === '5')!.totalNet).toBe('68.00');
    expect(o.lines.filter((l) => l.parentLineId === '5').every((l) => l.totalNet === '0.00')).toBe(true);
    expect(reconciles(o)).toBe(true);
  });

  it('discounts with and without tax compensation, shipping discount, paid, guest, refunded', () => {
    const raw = order3();
    raw.items = raw.items.filter((it: any) => it.item_id === 3);
    Object.assign(raw.items[0], { qty_ordered: 2, price: 20, row_total: 40, discount_amount: 4.84, discount_tax_compensation_amount: 0.84, tax_amount: 7.2, tax_percent: 20 });
    Object.assign(raw, {
      customer_is_guest: 1, customer_id: null, total_due: 0, total_paid: 48, total_refunded: 10,
      shipping_amount: 5, shipping_discount_amount: 1, shipping_tax_amount: 0.8, grand_total: 48, tax_amount: 8, coupon_code: 'H20',
    });
    const o = toOrder(raw);
    const [line] = o.lines;
    expect(line).toMatchObject({ quantity: '2', unitPriceNet: '20.00', discountNet: '4.00', totalNet: '36.00', totalTax: '7.20', taxPercent: '20' });
    expect(o.shippingLines[0]).toMatchObject({ totalNet: '4.00', totalTax: '0.80' });
    expect(o.customer.guest).toBe(true);
    expect(o.paid).toBe(true);
    expect(o.refunds).toEqual([{ refundId: '3-creditmemos', amount: '10.00' }]);
    expect(o.coupons).toEqual([{ code: 'H20', discountNet: '5.00', discountTax: '0.00' }]);
    expect(o.totals.discountNet).toBe('5.00');
    expect(reconciles(o)).toBe(true);
  });

  it('recognises a catalog entered including tax from the items (original price = price incl. tax ≠ net price)', () => {
    const raw = order3();
    raw.items = raw.items.filter((it: any) => it.item_id === 3);
    Object.assign(raw.items[0], { price: 18.3333, original_price: 22, price_incl_tax: 22, row_total: 18.33, tax_amount: 3.67, tax_percent: 20 });
    expect(toOrder(raw).pricesIncludeTax).toBe(true);
    Object.assign(raw.items[0], { original_price: 18.3333 });
    expect(toOrder(raw).pricesIncludeTax).toBe(false);
  });

  it('a virtual order (downloads only) has no shipping line', () => {
    const raw = order3();
    raw.items = raw.items.filter((it: any) => it.item_id === 4);
    Object.assign(raw, { is_virtual: 1, shipping_amount: 0, grand_total: 18 });
    delete raw.shipping_description;
    delete raw.extension_attributes;
    const o = toOrder(raw);
    expect(o.shippingLines).toEqual([]);
    expect(o.shipping).toEqual({});
    expect(reconciles(o)).toBe(true);
  });

  it('refuses what cannot be an order with a message naming the field', () => {
    const cases: [(r: any) => void, RegExp][] = [
      [(r) => (r.created_at = '21.08.2017'), /created_at is "21\.08\.2017", not a date/],
      [(r) => (r.order_currency_code = 'usd dollars'), /order_currency_code is "usd dollars", not an ISO 4217/],
      [(r) => (r.items = []), /order 000000003 has no items/],
      [(r) => (r.grand_total = 'much'), /grand_total is "much", not a decimal amount/],
      [(r) => (r.items[0].qty_ordered = -1), /items\[0\]\.qty_ordered is -1, not a positive quantity/],
      [(r) => (r.items[0].item_id = 'x'), /items\[0\]\.item_id is "x", not an id/],
    ];
    for (const [mutate, message] of cases) {
      const raw = order3();
      mutate(raw);
      expect(() => toOrder(raw)).toThrow(message);
    }
  });
});

describe('toOrder: fuzzing with mutated samples', () => {
  const JUNK: unknown[] = [null, undefined, 'abc', '', '-', 1.5, -1, 0, NaN, true, {}, [], [1, 'x'], '0000-00-00 00:00:00', '🎉', 1e308, 3];
  function slots(node: unknown, out: [any, string | number][] = []): [any, string | number][] {
    if (Array.isArray(node)) node.forEach((v, i) => { out.push([node, i]); slots(v, out); });
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) { out.push([node, k]); slots(v, out); }
    return out;
  }

  it('never throws anything but ValidationError, and every success is well formed (400 mutants)', () => {
    const random = seededRandom(8);
    const source = JSON.parse(readFileSync(`${SAMPLES}${ORDER}`, 'utf8'));
    let ok = 0;
    let held = 0;
    for (let n = 0; n < 400; n++) {
      const doc = structuredClone(source);
      for (let i = 0, count = 1 + Math.floor(random() * 4); i < count; i++) {
        // Aim at the order's own fields and items more than the repeated parent_item copies.
        const all = slots(doc).filter(([c, k]) => k !== 'parent_item' || random() < 0.2);
        const [container, key] = all[Math.floor(random() * all.length)]!;
        const action = random();
        if (action < 0.35 && !Array.isArray(container)) delete container[key];
        else if (action < 0.35) container.splice(key as number, 1);
        else container[key] = structuredClone(JUNK[Math.floor(random() * JUNK.length)]);
      }
      let order: CanonicalOrder | undefined;
      try {
        order = toOrder(doc);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw new Error(`mutant ${n} threw ${String(e)}: ${JSON.stringify(doc).slice(0, 300)}`);
        held++;
      }
      if (order) {
        ok++;
        for (const l of order.lines) expect(l.totalNet).toMatch(/^-?\d+\.\d{2,5}$/);
        expect(dec(order.totals.total).isNaN()).toBe(false);
      }
      expect(() => identify(doc)).not.toThrow();
    }
    expect(ok).toBeGreaterThan(50);
    expect(held).toBeGreaterThan(30);
  });
});
