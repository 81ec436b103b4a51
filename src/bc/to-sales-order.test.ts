import { describe, expect, it } from 'vitest';
import { dec, sum } from '../domain/money.js';
import type { CanonicalOrder, OrderLine } from '../domain/order.js';
import { planBundles } from '../domain/rules/bundles.js';
import type { BcSalesOrderDocument, BcSalesOrderLine } from './document.js';
import { toSalesOrder, type ItemLineDecision, type MappingDecisions } from './to-sales-order.js';

function order(over: Partial<CanonicalOrder> = {}): CanonicalOrder {
  return {
    platform: 'woocommerce', shopOrderId: '727', orderNumber: '727', status: 'processing', paid: true,
    createdAt: '2026-11-20T10:00:00.000Z', modifiedAt: '2026-11-20T10:00:00.000Z', currency: 'EUR', pricesIncludeTax: false,
    customer: { guest: true, email: 'max@example.test' },
    billing: { firstName: 'Max', lastName: 'Muster', line1: 'Ring 3', city: 'Wien', postalCode: '1010', country: 'AT', email: 'max@example.test' },
    shipping: { firstName: 'Max', lastName: 'Muster', line1: 'Ring 3', city: 'Wien', postalCode: '1010', country: 'AT' },
    lines: [
      { lineId: '1', sku: 'BEAN-1KG', name: 'Espresso Beans 1kg', quantity: '3', unitPriceNet: '20.92667', discountNet: '2.78', totalNet: '60.00', totalTax: '6.00', options: [] },
    ],
    shippingLines: [{ lineId: 's1', method: 'Flat rate', methodId: 'flat_rate', totalNet: '5.00', totalTax: '1.00' }],
    fees: [],
    coupons: [{ code: 'summer10', discountNet: '2.78', discountTax: '0.28' }],
    refunds: [],
    totals: { total: '72.00', totalTax: '7.00', shippingNet: '5.00', discountNet: '2.78' },
    ...over,
  };
}

const item = (itemNumber: string, over: Partial<ItemLineDecision> = {}): ItemLineDecision => ({ itemNumber, dimensions: [], comments: [], ...over });

function decisions(o: CanonicalOrder, over: Partial<MappingDecisions> = {}): MappingDecisions {
  return {
    orderKey: 'WOO-727', customerNumber: 'WEB-GUEST',
    plan: o.lines.map((line) => ({ kind: 'item', line })),
    items: new Map(o.lines.map((l) => [l.lineId, item(l.sku ?? 'X')])),
    freight: { type: 'Account', no: '6810' }, fees: new Map(), coupons: { mode: 'lineDiscount' },
    pricesIncludeTax: o.pricesIncludeTax, localCurrency: 'EUR', dimensions: [],
    ...over,
  };
}

/** BC's line amount: round(quantity × unit price) − line discount (what the simulator and BC compute). */
function lineAmount(l: BcSalesOrderLine): string {
  if (l.lineType === 'Comment') return '0';
  return dec(l.quantity).times(dec(l.unitPrice)).toDecimalPlaces(2).minus(dec(l.discountAmount ?? '0')).toFixed(2);
}
function documentAmount(doc: BcSalesOrderDocument): string {
  return sum(doc.lines.map(lineAmount)).minus(dec(doc.discountAmount ?? '0')).toFixed(2);
}

describe('toSalesOrder', () => {
  it('maps a net-priced order: 5-decimal unit price, line discount, freight line, LCY blank', () => {
    const o = order();
    const doc = toSalesOrder(o, decisions(o));
    expect(doc.externalDocumentNumber).toBe('WOO-727');
    expect(doc.currencyCode).toBe('');
    expect(doc.pricesIncludeTax).toBe(false);
    expect(doc.orderDate).toBe('2026-11-20');
    expect(doc.lines[0]).toMatchObject({ lineType: 'Item', lineObjectNumber: 'BEAN-1KG', quantity: '3', unitPrice: '20.92667', discountAmount: '2.78' });
    expect(doc.lines[1]).toMatchObject({ lineType: 'Account', lineObjectNumber: '6810', quantity: '1', unitPrice: '5' });
    expect(doc.expected).toEqual({ currency: 'EUR', totalNet: '65.00', totalTax: '7.00', total: '72.00' });
    expect(documentAmount(doc)).toBe('65.00');
    expect(doc.shipToName).toBe('Max Muster');
  });

  it('keeps a foreign currency and, with prices including tax, sends gross prices with the discount shown gross', () => {
    const o = order({ currency: 'usd', pricesIncludeTax: true });
    const doc = toSalesOrder(o, decisions(o));
    expect(doc.currencyCode).toBe('USD');
    expect(doc.pricesIncludeTax).toBe(true);
    // Gross subtotal 62.78 × 1.1 = 69.06 → 23.02 each; 69.06 − 3.06 = 66.00, the shop's gross line total.
    expect(doc.lines[0]).toMatchObject({ unitPrice: '23.02', discountAmount: '3.06' });
    expect(doc.lines[1].unitPrice).toBe('6');
    expect(documentAmount(doc)).toBe('72.00');
  });

  it('taxMode forces the basis: a gross shop order sent excluding tax keeps the net amounts', () => {
    const o = order({ pricesIncludeTax: true });
    const doc = toSalesOrder(o, decisions(o, { pricesIncludeTax: false }));
    expect(doc.pricesIncludeTax).toBe(false);
    expect(doc.lines[0]).toMatchObject({ unitPrice: '20.92667', discountAmount: '2.78' });
    expect(documentAmount(doc)).toBe('65.00');
  });

  it('coupons as an order discount: undiscounted lines and the discount on the header', () => {
    const o = order();
    const doc = toSalesOrder(o, decisions(o, { coupons: { mode: 'orderDiscount' } }));
    expect(doc.lines[0]).toMatchObject({ unitPrice: '20.92667' });
    expect(doc.lines[0].discountAmount).toBeUndefined();
    expect(doc.discountAmount).toBe('2.78');
    expect(documentAmount(doc)).toBe('65.00');
  });

  it('coupons as a separate line: one negative line per coupon on the configured account', () => {
    const o = order();
    const doc = toSalesOrder(o, decisions(o, { coupons: { mode: 'separateLine', line: { type: 'Account', no: '6830' } } }));
    expect(doc.lines[0].discountAmount).toBeUndefined();
    const coupon = doc.lines.find((l) => l.description === 'Coupon summer10')!;
    expect(coupon).toMatchObject({ lineType: 'Account', lineObjectNumber: '6830', quantity: '1', unitPrice: '-2.78' });
    expect(doc.discountAmount).toBeUndefined();
    expect(documentAmount(doc)).toBe('65.00');
  });

  it('a discount not explained by the coupons becomes one more discount line, so the total stays', () => {
    const o = order({ coupons: [] });
    const doc = toSalesOrder(o, decisions(o, { coupons: { mode: 'separateLine', line: { type: 'Account', no: '6830', description: 'Webshop discount' } } }));
    expect(doc.lines.find((l) => l.description === 'Webshop discount')).toMatchObject({ unitPrice: '-2.78' });
    expect(documentAmount(doc)).toBe('65.00');
  });

  it('gross separate coupon line carries the coupon including its tax', () => {
    const o = order({ pricesIncludeTax: true });
    const doc = toSalesOrder(o, decisions(o, { coupons: { mode: 'separateLine', line: { type: 'Account', no: '6830' } } }));
    expect(doc.lines.find((l) => l.description === 'Coupon summer10')).toMatchObject({ unitPrice: '-3.06' });
    expect(documentAmount(doc)).toBe('72.00');
  });

  it('writes the shop ids as the first comment line, options as description 2, comment lines and dimensions', () => {
    const o = order();
    const doc = toSalesOrder(o, decisions(o, {
      shopIdsComment: 'Shop order 727 (id 727), guest',
      items: new Map([['1', item('BEAN-1KG', { description2: 'Grind: fine', variantCode: 'M', dimensions: [{ code: 'COLOR', valueCode: 'BLUE' }], comments: [{ description: 'Gift wrap', description2: 'yes' }] })]]),
      dimensions: [{ code: 'SALESCHANNEL', valueCode: 'WEB' }],
      locationCode: 'MAIN',
    }));
    expect(doc.lines[0]).toEqual({ lineType: 'Comment', description: 'Shop order 727 (id 727), guest', description2: undefined, quantity: '0', unitPrice: '0' });
    expect(doc.lines[1]).toMatchObject({ lineType: 'Item', description2: 'Grind: fine', itemVariantCode: 'M', locationCode: 'MAIN', dimensions: [{ code: 'COLOR', valueCode: 'BLUE' }] });
    expect(doc.lines[2]).toMatchObject({ lineType: 'Comment', description: 'Gift wrap', description2: 'yes', sourceLineId: '1' });
    expect(doc.dimensions).toEqual([{ code: 'SALESCHANNEL', valueCode: 'WEB' }]);
  });

  it('free shipping needs no freight target and adds no line; fees use their own targets', () => {
    const o = order({ shippingLines: [{ lineId: 's1', method: 'Free shipping', totalNet: '0.00', totalTax: '0.00' }], fees: [{ lineId: 'f1', name: 'COD fee', totalNet: '2.00', totalTax: '0.40' }] });
    const doc = toSalesOrder(o, decisions(o, { freight: undefined, fees: new Map([['f1', { type: 'Account', no: '6820' }]]) }));
    expect(doc.lines.map((l) => l.lineObjectNumber)).toEqual(['BEAN-1KG', '6820']);
    expect(doc.lines[1]).toMatchObject({ description: 'COD fee', unitPrice: '2' });
  });

  it('bundles: the parent carries its parts in parent mode; parts carry the parent in children mode; totals never change', () => {
    const lines: OrderLine[] = [
      { lineId: 'p', sku: 'GIFT-BOX', name: 'Gift set', quantity: '1', unitPriceNet: '10.00', discountNet: '0.00', totalNet: '10.00', totalTax: '2.00', options: [] },
      { lineId: 'c1', sku: 'MUG-01', name: 'Mug', quantity: '2', unitPriceNet: '5.00', discountNet: '0.00', totalNet: '10.00', totalTax: '2.00', options: [], parentLineId: 'p' },
      { lineId: 'c2', sku: 'BEAN-250', name: 'Beans', quantity: '1', unitPriceNet: '0.00', discountNet: '0.00', totalNet: '0.00', totalTax: '0.00', options: [], parentLineId: 'p' },
    ];
    const o = order({ lines, coupons: [], shippingLines: [], totals: { total: '24.00', totalTax: '4.00', shippingNet: '0', discountNet: '0' } });
    const parent = toSalesOrder(o, decisions(o, { plan: planBundles(lines, 'parent', 2) }));
    expect(parent.lines.map((l) => [l.lineType, l.lineObjectNumber ?? l.description])).toEqual([['Item', 'GIFT-BOX'], ['Comment', '2 × Mug'], ['Comment', '1 × Beans']]);
    expect(parent.lines[0].unitPrice).toBe('20');
    expect(documentAmount(parent)).toBe('20.00');

    const children = toSalesOrder(o, decisions(o, { plan: planBundles(lines, 'children', 2) }));
    expect(children.lines.map((l) => [l.lineType, l.lineObjectNumber ?? l.description])).toEqual([['Comment', 'Gift set'], ['Item', 'MUG-01'], ['Item', 'BEAN-250']]);
    // The parent's 10.00 spread by quantity: 2/3 to the mugs, 1/3 to the beans.
    expect(children.lines[1].unitPrice).toBe('8.335');
    expect(children.lines[2].unitPrice).toBe('3.33');
    expect(documentAmount(children)).toBe('20.00');

    const all = toSalesOrder(o, decisions(o, { plan: planBundles(lines, 'all', 2) }));
    expect(all.lines.filter((l) => l.lineType === 'Item')).toHaveLength(3);
  });

  it('cuts values to BC field lengths instead of letting BC reject the order', () => {
    const long = 'Ä'.repeat(120);
    const o = order({ billing: { line1: long, line2: long, city: long, country: 'AT' }, lines: [{ ...order().lines[0], name: long }] });
    const doc = toSalesOrder(o, decisions(o, { items: new Map([['1', item('BEAN-1KG', { description2: long })]]) }));
    expect([...doc.sellToAddressLine1!].length).toBe(100);
    expect([...doc.sellToAddressLine2!].length).toBe(50);
    expect([...doc.sellToCity!].length).toBe(30);
    expect([...doc.lines[0].description!].length).toBe(100);
    expect([...doc.lines[0].description2!].length).toBe(50);
  });
});
