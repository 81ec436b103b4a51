import { describe, expect, it } from 'vitest';
import { diffOrders, isCancelled } from './order-diff.js';
import type { CanonicalOrder } from './order.js';

function order(): CanonicalOrder {
  return {
    platform: 'woocommerce',
    shopOrderId: '501',
    orderNumber: '501',
    status: 'processing',
    paid: true,
    paidAt: '2025-03-01T10:00:00.000Z',
    createdAt: '2025-03-01T09:59:00.000Z',
    modifiedAt: '2025-03-01T10:00:00.000Z',
    currency: 'EUR',
    pricesIncludeTax: false,
    customer: { shopCustomerId: '7', guest: false, email: 'jane@example.com' },
    billing: { firstName: 'Jane', lastName: 'Doe', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE', email: 'jane@example.com' },
    shipping: { firstName: 'Jane', lastName: 'Doe', line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    lines: [
      { lineId: '11', sku: 'MUG-01', name: 'Mug', quantity: '2', unitPriceNet: '10.00', discountNet: '0.00', totalNet: '20.00', totalTax: '3.80', options: [] },
      { lineId: '12', sku: 'TEE-01-M', name: 'Tee M', quantity: '1', unitPriceNet: '15.00', discountNet: '0.00', totalNet: '15.00', totalTax: '2.85', options: [] },
    ],
    shippingLines: [{ lineId: '21', method: 'Flat rate', methodId: 'flat_rate', totalNet: '4.90', totalTax: '0.93' }],
    fees: [],
    coupons: [],
    refunds: [],
    paymentMethod: 'bacs',
    customerNote: 'Leave at the door',
    totals: { total: '47.48', totalTax: '7.58', shippingNet: '4.90', discountNet: '0.00' },
  };
}

const texts = (a: CanonicalOrder, b: CanonicalOrder) => diffOrders(a, b).map((c) => c.text);

describe('diffOrders: business changes after export', () => {
  it('reports nothing for the same order', () => {
    expect(diffOrders(order(), order())).toEqual([]);
  });

  it('ignores what bcbridge itself or the shop changes without business meaning (the loop guard)', () => {
    const after = order();
    after.status = 'completed'; // write-back
    after.modifiedAt = '2025-03-02T08:00:00.000Z';
    after.customerNote = 'Leave at the door\nBC sales order S-ORD101001'; // a staff note carrying the BC number
    after.paidAt = '2025-03-02T08:00:00.000Z';
    after.paymentMethod = 'paypal';
    after.billing.email = 'JANE@example.com';
    expect(diffOrders(order(), after)).toEqual([]);
    for (const status of ['shipped', 'on-hold', 'partially-shipped']) expect(diffOrders(order(), { ...order(), status })).toEqual([]);
  });

  it('a quantity, a unit price, a discount and a SKU on an existing line', () => {
    const after = order();
    after.lines[0] = { ...after.lines[0]!, quantity: '3', unitPriceNet: '9.50', discountNet: '1.00', totalNet: '27.50' };
    after.lines[1] = { ...after.lines[1]!, sku: 'TEE-01-L' };
    after.totals.total = '55.10';
    expect(texts(order(), after)).toEqual([
      'line MUG-01: quantity 2 → 3',
      'line MUG-01: unit price 10.00 → 9.50',
      'line MUG-01: discount 0.00 → 1.00',
      'line TEE-01-M: SKU "TEE-01-M" → "TEE-01-L"',
      'order total: 47.48 → 55.10 EUR',
    ]);
  });

  it('lines added and removed', () => {
    const after = order();
    after.lines = [after.lines[0]!, { lineId: '13', sku: 'CAP-01', name: 'Cap', quantity: '1', unitPriceNet: '12.34567', discountNet: '0', totalNet: '12.35', totalTax: '2.35', options: [] }];
    const kinds = diffOrders(order(), after).map((c) => c.kind);
    expect(kinds).toEqual(['line-removed', 'line-added']);
    expect(texts(order(), after)).toEqual(['line TEE-01-M removed (was 1 × Tee M)', 'line CAP-01 added: 1 × Cap at 12.34567']);
  });

  it('shipping method and cost', () => {
    const after = order();
    after.shippingLines = [{ lineId: '21', method: 'Express', totalNet: '9.90', totalTax: '1.88' }];
    expect(texts(order(), after)).toEqual(['shipping method: Flat rate → Express', 'shipping cost (net): 4.90 → 9.90']);
  });

  it('shipping and billing address fields, by name', () => {
    const after = order();
    after.shipping = { ...after.shipping, line1: 'Side St 9', postalCode: '10117' };
    after.billing = { ...after.billing, lastName: 'Smith' };
    expect(diffOrders(order(), after)).toEqual([
      { kind: 'billing-address', text: 'billing address: name "Jane Doe" → "Jane Smith"' },
      { kind: 'shipping-address', text: 'shipping address: street "Main St 1" → "Side St 9"' },
      { kind: 'shipping-address', text: 'shipping address: postcode "10115" → "10117"' },
    ]);
  });

  it('cancellation, in every platform spelling', () => {
    for (const status of ['cancelled', 'canceled', 'Cancelled']) {
      const after = { ...order(), status };
      expect(isCancelled(after)).toBe(true);
      expect(diffOrders(order(), after)).toEqual([{ kind: 'cancelled', text: 'the order was cancelled in the shop' }]);
    }
  });

  it('a refund: the refunded status and each refund amount', () => {
    const partial = { ...order(), refunds: [{ refundId: 'r1', amount: '5.00', reason: 'scratched' }] };
    expect(diffOrders(order(), partial)).toEqual([{ kind: 'refund', text: 'refund of 5.00 EUR ("scratched")' }]);
    const full = { ...partial, status: 'refunded', refunds: [...partial.refunds, { refundId: 'r2', amount: '42.48' }] };
    expect(texts(partial, full)).toEqual(['the order was refunded in the shop', 'refund of 42.48 EUR']);
  });

  it('fees, coupons, customer and currency', () => {
    const after = order();
    after.fees = [{ lineId: '31', name: 'Gift wrap', totalNet: '2.00', totalTax: '0.38' }];
    after.coupons = [{ code: 'SAVE10', discountNet: '3.50', discountTax: '0.67' }];
    after.customer = { ...after.customer, email: 'john@example.com' };
    after.currency = 'USD';
    expect(texts(order(), after)).toEqual([
      'fee "Gift wrap" added: 2.00',
      'coupon SAVE10 added',
      'customer e-mail: "jane@example.com" → "john@example.com"',
      'currency: EUR → USD',
    ]);
  });

  it('equal amounts written differently are no change', () => {
    const after = order();
    after.lines[0] = { ...after.lines[0]!, quantity: '2.000', unitPriceNet: '10' };
    after.totals.total = '47.480';
    expect(diffOrders(order(), after)).toEqual([]);
  });
});
