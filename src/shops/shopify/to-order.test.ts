import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.js';
import { dec, sum } from '../../domain/money.js';
import type { CanonicalOrder } from '../../domain/order.js';
import { expectCanonicalAmountsAndDates } from '../to-order-checks.js';
import { identify, toOrder } from './to-order.js';

// The reference samples live beside the checkout (shared/reference) or, once vendored, inside it.
const SAMPLES = ['../../../reference/samples/', '../../../../shared/reference/samples/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../../../../shared/reference/samples/', import.meta.url));

function load(file: string): any {
  return JSON.parse(readFileSync(`${SAMPLES}shopify/${file}`, 'utf8'));
}

/** Sample files holding orders, and how to reach the wire documents (REST shape, 2024-04 and older). */
const ORDER_SAMPLES: Record<string, (doc: any) => unknown[]> = {
  // Single-order responses keep their {"order": …} wrapper: toOrder must unwrap it.
  'rest-2024-04-order-450789469-get-response.json': (d) => [d],
  'rest-2024-04-order-450789469-cancel-with-refund-response.json': (d) => [d],
  'rest-2024-04-order-create-eur-tax-lines-response.json': (d) => [d],
  'rest-2024-04-order-create-discount-code-response.json': (d) => [d],
  'rest-2024-04-orders-get-ids-1073459972-response.json': (d) => d.orders,
  'python-api-fixture-order-450789469-2014.json': (d) => [d.order],
};

/** Shopify samples that are not an order a shop sent (requests we would send, other resources). */
const NOT_ORDERS = [
  'rest-2024-04-fulfillment-create-with-tracking-request.json',
  'rest-2024-04-fulfillment-create-with-tracking-response.json',
  'rest-2024-04-fulfillment-update-tracking-request.json',
  'rest-2024-04-fulfillment-update-tracking-response.json',
  'rest-2024-04-order-450789469-cancel-with-refund-request.json',
  'rest-2024-04-order-create-discount-code-request.json',
  'rest-2024-04-order-create-eur-tax-lines-request.json',
  'rest-2024-04-order-fulfillment-orders-list-response.json',
  'rest-2024-04-order-refunds-list-response.json',
  'rest-2024-04-order-transactions-list-response.json',
  'rest-2024-04-webhook-create-orders-create-request.json',
  'rest-2024-04-webhook-create-orders-create-response.json',
];

function all(): { file: string; index: number; raw: unknown }[] {
  return Object.entries(ORDER_SAMPLES).flatMap(([file, extract]) => extract(load(file)).map((raw, index) => ({ file, index, raw })));
}

function expectWellFormed(o: CanonicalOrder): void {
  expectCanonicalAmountsAndDates(o);
  expect(o.lines.length).toBeGreaterThan(0);
  for (const l of o.lines) {
    const subtotal = dec(l.totalNet).plus(l.discountNet);
    expect(dec(l.unitPriceNet).times(l.quantity).minus(subtotal).abs().lte(dec('0.00001').times(l.quantity))).toBe(true);
  }
  expect(o.orderNumber.startsWith('#')).toBe(false);
}

describe('Shopify samples', () => {
  it('classifies every Shopify sample file as holding orders or explicitly not', () => {
    const files = readdirSync(`${SAMPLES}shopify`).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual([...Object.keys(ORDER_SAMPLES), ...NOT_ORDERS].sort());
  });

  it.each(all().map((s) => [`${s.file} #${s.index}`, s.raw] as const))('maps %s', (_name, raw) => {
    const order = toOrder(raw);
    expectWellFormed(order);
    expect(order.platform).toBe('shopify');
    const id = identify(raw);
    expect(id).toEqual({ shopOrderId: order.shopOrderId, orderNumber: order.orderNumber, modifiedAt: order.modifiedAt });
    // Presentment amounts are in every 2024-04 sample (sets); the 2014 fixture has none and one currency.
    expect(toOrder(raw, { currency: 'presentment' }).totals.total).toBe(order.totals.total);
  });

  it.each(NOT_ORDERS)('refuses %s with a ValidationError: it is not an order', (file) => {
    expect(() => toOrder(load(file))).toThrow(ValidationError);
  });
});

describe('toOrder: hand-checked documents', () => {
  it('450789469: discount allocations, tax lines, free shipping, refund, customer and address', () => {
    const o = toOrder(load('rest-2024-04-order-450789469-get-response.json'));
    expect(o).toMatchObject({
      shopOrderId: '450789469', orderNumber: '1001', status: 'partially_refunded', paid: true, currency: 'USD', pricesIncludeTax: false,
      createdAt: '2008-01-10T16:00:00.000Z', modifiedAt: '2008-01-10T16:00:00.000Z',
      customer: { shopCustomerId: '207119551', guest: false, email: 'bob.norman@mail.example.com', phone: '+557734881234' },
      billing: { firstName: 'Bob', lastName: 'Norman', name: 'Bob Norman', line1: 'Chestnut Street 92', city: 'Louisville', state: 'KY', postalCode: '40202', country: 'US', phone: '+1(502)-459-2181' },
      paymentMethod: 'bogus',
      totals: { total: '598.94', totalTax: '11.94', shippingNet: '0.00', discountNet: '10.00' },
    });
    expect(o.lines.map((l) => [l.lineId, l.sku, l.quantity, l.unitPriceNet, l.discountNet, l.totalNet, l.totalTax, l.taxPercent, l.variantId])).toEqual([
      ['466157049', 'IPOD2008GREEN', '1', '199.00', '3.34', '195.66', '3.98', '6', '39072856'],
      ['518995019', 'IPOD2008RED', '1', '199.00', '3.33', '195.67', '3.98', '6', '49148385'],
      ['703073504', 'IPOD2008BLACK', '1', '199.00', '3.33', '195.67', '3.98', '6', '457924702'],
    ]);
    // `_`-less properties are the customer's options.
    expect(o.lines[0]!.options).toEqual([{ label: 'Custom Engraving Front', value: 'Happy Birthday' }, { label: 'Custom Engraving Back', value: 'Merry Christmas' }]);
    expect(o.shippingLines).toEqual([{ lineId: '369256396', method: 'Free Shipping', methodId: 'Free Shipping', totalNet: '0.00', totalTax: '0.00' }]);
    expect(o.coupons).toEqual([{ code: 'TENOFF', discountNet: '10.00', discountTax: '0.60' }]);
    expect(o.refunds).toEqual([{ refundId: '509562969', amount: '209.00', reason: 'it broke during shipping' }]);
    // net lines + shipping + tax = the stated grand total.
    const rebuilt = sum([...o.lines.map((l) => l.totalNet), ...o.shippingLines.map((s) => s.totalNet), o.totals.totalTax]);
    expect(rebuilt.toFixed(2)).toBe(o.totals.total);
  });

  it('1073459975: EUR with order tax lines, a guest without SKU or address', () => {
    const o = toOrder(load('rest-2024-04-order-create-eur-tax-lines-response.json'));
    expect(o).toMatchObject({ currency: 'EUR', status: 'paid', paid: true, customer: { guest: true }, totals: { total: '238.47', totalTax: '13.50' } });
    expect(o.customer.email).toBeUndefined();
    expect(o.lines).toEqual([
      { lineId: '1071823207', name: 'Big Brown Bear Boots', quantity: '3', unitPriceNet: '74.99', discountNet: '0.00', totalNet: '224.97', totalTax: '13.50', taxPercent: '6', options: [] },
    ]);
    expect(sum([o.lines[0]!.totalNet, o.totals.totalTax]).toFixed(2)).toBe('238.47');
  });

  it('1073459981: a percentage code allocated to the line', () => {
    const o = toOrder(load('rest-2024-04-order-create-discount-code-response.json'));
    expect(o.lines.map((l) => [l.sku, l.unitPriceNet, l.discountNet, l.totalNet])).toEqual([['IPOD2009BLACK', '199.00', '17.91', '181.09']]);
    expect(o.coupons).toEqual([{ code: 'FAKE30', discountNet: '17.91', discountTax: '0.00' }]);
    expect(o.totals).toMatchObject({ total: '181.09', discountNet: '17.91' });
    expect(o.shipping).toMatchObject({ firstName: 'Jane', city: 'Fakecity' });
  });

  it('cancelled orders read as status "cancelled" whatever the financial status', () => {
    const doc = load('rest-2024-04-order-450789469-get-response.json');
    doc.order.cancelled_at = '2024-04-02T09:00:00-05:00';
    doc.order.financial_status = 'voided';
    expect(toOrder(doc)).toMatchObject({ status: 'cancelled', paid: false });
  });

  it('prices including tax: the tax lines come out of the discounted gross', () => {
    const doc = load('rest-2024-04-order-create-discount-code-response.json').order;
    doc.taxes_included = true;
    doc.line_items[0].tax_lines = [{ price: '30.18', rate: 0.2, title: 'VAT', price_set: { shop_money: { amount: '30.18', currency_code: 'USD' }, presentment_money: { amount: '30.18', currency_code: 'USD' } } }];
    doc.total_tax = '30.18';
    const o = toOrder(doc);
    const [l] = o.lines;
    // 199.00 − 17.91 = 181.09 gross; 30.18 tax → 150.91 net; discount 17.91 / 1.2 = 14.925 → 14.93 net.
    expect(l).toMatchObject({ totalNet: '150.91', totalTax: '30.18', discountNet: '14.93', unitPriceNet: '165.84' });
    expect(o.pricesIncludeTax).toBe(true);
    expect(o.totals.total).toBe('181.09');
  });

  it('presentment currency: amounts from presentment_money, refused when a set lacks it', () => {
    const doc = load('rest-2024-04-order-450789469-get-response.json');
    const bump = (set: any) => {
      if (set && set.presentment_money) set.presentment_money = { amount: (Number(set.presentment_money.amount) * 2).toFixed(2), currency_code: 'CAD' };
    };
    const walk = (v: any): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (k.endsWith('_set') ? bump(x) : walk(x));
    };
    walk(doc.order);
    doc.order.presentment_currency = 'CAD';
    const o = toOrder(doc, { currency: 'presentment' });
    expect(o.currency).toBe('CAD');
    expect(o.totals.total).toBe('1197.88');
    expect(o.lines[0]).toMatchObject({ unitPriceNet: '398.00', discountNet: '6.68', totalTax: '7.96' });
    expect(toOrder(doc).currency).toBe('USD');
    delete doc.order.line_items[1].price_set;
    expect(() => toOrder(doc, { currency: 'presentment' })).toThrow(/line_items\[1\]\.price_set\.presentment_money is missing/);
  });

  it('a bad amount names its path', () => {
    const doc = load('rest-2024-04-order-450789469-get-response.json');
    doc.order.line_items[2].tax_lines[0].price_set.shop_money.amount = 'abc';
    expect(() => toOrder(doc)).toThrow('line_items[2].tax_lines[0].price_set.shop_money.amount is "abc", not a decimal amount');
  });

  it('a GraphQL node maps like its REST twin', () => {
    const rest = load('rest-2024-04-order-create-discount-code-response.json').order;
    const bag = (amount: string) => ({ shopMoney: { amount, currencyCode: 'USD' }, presentmentMoney: { amount, currencyCode: 'USD' } });
    const node = {
      id: 'gid://shopify/Order/1073459981', legacyResourceId: '1073459981', name: '#1002',
      createdAt: '2024-04-02T14:04:43Z', processedAt: '2024-04-02T14:04:43Z', updatedAt: '2024-04-02T14:04:43Z',
      cancelledAt: null, displayFinancialStatus: 'PAID', email: 'jane@example.com', phone: null, note: null, taxesIncluded: false,
      currencyCode: 'USD', presentmentCurrencyCode: 'USD', paymentGatewayNames: [], discountCodes: ['FAKE30'],
      customer: { id: `gid://shopify/Customer/${rest.customer.id}` },
      billingAddress: { firstName: 'John', lastName: 'Smith', name: 'John Smith', address1: '123 Fake Street', city: 'Fakecity', provinceCode: 'ON', zip: 'K2P 1L4', countryCodeV2: 'CA', phone: '555-555-5555' },
      shippingAddress: { firstName: 'Jane', lastName: 'Smith', name: 'Jane Smith', address1: '123 Fake Street', city: 'Fakecity', provinceCode: 'ON', zip: 'K2P 1L4', countryCodeV2: 'CA', phone: '777-777-7777' },
      totalPriceSet: bag('181.09'), totalTaxSet: bag('0.00'), totalTipReceivedSet: bag('0.00'), originalTotalDutiesSet: null, originalTotalAdditionalFeesSet: null,
      discountApplications: { nodes: [{ index: 0, code: 'FAKE30' }] },
      lineItems: {
        nodes: [{
          id: 'gid://shopify/LineItem/1071823212', name: 'IPod Touch 8GB - Black', sku: 'IPOD2009BLACK', quantity: 1,
          variant: { id: 'gid://shopify/ProductVariant/447654529', sku: 'IPOD2009BLACK' }, product: { id: 'gid://shopify/Product/921728736' },
          originalUnitPriceSet: bag('199.00'), discountAllocations: [{ allocatedAmountSet: bag('17.91'), discountApplication: { index: 0 } }], taxLines: [], customAttributes: [],
        }],
        pageInfo: { hasNextPage: false, endCursor: null },
      },
      shippingLines: { nodes: [] },
      refunds: [],
    };
    const fromRest = toOrder(rest);
    const fromGraphql = toOrder(node);
    expect(fromGraphql.lines).toEqual(fromRest.lines);
    expect(fromGraphql).toMatchObject({ shopOrderId: '1073459981', orderNumber: '1002', status: 'paid', paid: true, totals: fromRest.totals, coupons: fromRest.coupons });
    expect(identify(node)).toEqual({ shopOrderId: '1073459981', orderNumber: '1002', modifiedAt: '2024-04-02T14:04:43.000Z' });
  });

  it('refuses documents that are not one order, naming what they are', () => {
    expect(() => toOrder(load('rest-2024-04-orders-get-ids-1073459972-response.json'))).toThrow('a list of 1 orders');
    expect(() => toOrder({ errors: [{ message: 'Throttled' }] })).toThrow(/Shopify error/);
    expect(identify({ nothing: true })).toBeUndefined();
  });
});
