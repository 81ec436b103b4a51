import type { CanonicalOrder, OrderLine } from '../order.js';

/** A small canonical order for the rules' unit tests. */
export function testOrder(over: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    platform: 'woocommerce', shopOrderId: '501', orderNumber: '501', status: 'processing', paid: true,
    createdAt: '2026-11-20T10:00:00.000Z', modifiedAt: '2026-11-20T10:00:00.000Z', currency: 'EUR', pricesIncludeTax: false,
    customer: { shopCustomerId: '42', guest: false, email: 'Anna@Example.test', phone: '+49 30 1234567' },
    billing: { firstName: 'Anna', lastName: 'Schmidt', line1: 'Ring 3', city: 'Berlin', postalCode: '10115', country: 'DE', email: 'Anna@Example.test', phone: '+49 30 1234567' },
    shipping: {},
    lines: [testLine()],
    shippingLines: [],
    fees: [],
    coupons: [],
    refunds: [],
    totals: { total: '12.00', totalTax: '2.00', shippingNet: '0.00', discountNet: '0.00' },
    ...over,
  };
}

export function testLine(over: Partial<OrderLine> = {}): OrderLine {
  return { lineId: '1', sku: 'MUG-01', name: 'Mug', quantity: '1', unitPriceNet: '10.00', discountNet: '0.00', totalNet: '10.00', totalTax: '2.00', options: [], ...over };
}
