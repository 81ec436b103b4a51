import { describe, expect, it } from 'vitest';
import type { BcSalesOrderDocument } from './document.js';
import type { BcOrderLineNow, BcOrderNow } from './order-change.js';
import { planResync } from './resync-plan.js';

function doc(over: Partial<BcSalesOrderDocument> = {}): BcSalesOrderDocument {
  return {
    externalDocumentNumber: 'WOO-501',
    customerNumber: 'WEB-GUEST',
    orderDate: '2025-03-01',
    currencyCode: '',
    pricesIncludeTax: false,
    shipToAddressLine1: 'Main St 1',
    shipToCity: 'Berlin',
    lines: [
      { lineType: 'Comment', description: 'Shop order 501' },
      { lineType: 'Item', lineObjectNumber: 'MUG-01', description: 'Mug', quantity: '2', unitPrice: '10', sourceLineId: '11' },
      { lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping: Flat rate', quantity: '1', unitPrice: '4.9' },
    ] as BcSalesOrderDocument['lines'],
    expected: { currency: 'EUR', totalNet: '24.90', totalTax: '4.73', total: '29.63' },
    ...over,
  };
}

function line(i: number, over: Partial<BcOrderLineNow>): BcOrderLineNow {
  return { id: `l${i}`, etag: `W/"e${i}"`, sequence: (i + 1) * 10000, lineType: 'Item', lineObjectNumber: '', description: '', description2: '', quantity: '1', unitPrice: '0', discountAmount: '0', shippedQuantity: '0', invoicedQuantity: '0', ...over };
}

/** BC's order as bcbridge created it from doc(), plus what the test adds. */
function bc(extra: BcOrderLineNow[] = [], over: Partial<BcOrderNow> = {}): BcOrderNow {
  return {
    id: 'o1', number: 'S-ORD101001', etag: 'W/"h"', status: 'Draft', fullyShipped: false, discountAmount: '0',
    header: { email: '', phoneNumber: '', sellToAddressLine1: '', sellToAddressLine2: '', sellToCity: '', sellToState: '', sellToPostCode: '', sellToCountry: '', shipToName: '', shipToContact: '', shipToAddressLine1: 'Main St 1', shipToAddressLine2: '', shipToCity: 'Berlin', shipToState: '', shipToPostCode: '', shipToCountry: 'DE' },
    lines: [
      line(0, { lineType: 'Comment', description: 'Shop order 501', quantity: '0' }),
      line(1, { lineObjectNumber: 'MUG-01', description: 'Mug', quantity: '2', unitPrice: '10' }),
      line(2, { lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping: Flat rate', unitPrice: '4.9' }),
      ...extra,
    ],
    ...over,
  };
}

const ops = (p: ReturnType<typeof planResync>) => (p.kind === 'change' ? p.change.lines.map((o) => o.op === 'add' ? `add ${o.line.lineObjectNumber ?? o.line.description}` : `${o.op} ${o.id}${o.op === 'patch' ? ' ' + JSON.stringify(o.set) : ''}`) : p.reason);

describe('planResync: BC order → the shop\'s new version', () => {
  it('nothing to do when BC already matches', () => {
    const p = planResync(doc(), doc(), bc());
    expect(p).toMatchObject({ kind: 'change', change: { lines: [], header: {} } });
  });

  it('a quantity and a price are patched on the same line, with its ETag', () => {
    const next = doc();
    next.lines[1] = { ...next.lines[1]!, quantity: '3' };
    next.lines[2] = { ...next.lines[2]!, description: 'Shipping: Express', unitPrice: '9.9' };
    const p = planResync(doc(), next, bc());
    expect(ops(p)).toEqual(['patch l1 {"quantity":"3"}', 'patch l2 {"description":"Shipping: Express","unitPrice":"9.9"}']);
    expect(p.kind === 'change' && p.change.lines[0]).toMatchObject({ etag: 'W/"e1"' });
  });

  it('added and removed lines; a changed item is deleted and added again; lines added in BC by hand stay', () => {
    const next = doc();
    next.lines = [next.lines[0]!, { lineType: 'Item', lineObjectNumber: 'MUG-02', description: 'Red mug', quantity: '2', unitPrice: '10', sourceLineId: '11' }, next.lines[2]!, { lineType: 'Item', lineObjectNumber: 'GIFT-BOX', quantity: '1', unitPrice: '4.5' }];
    const p = planResync(doc(), next, bc([line(3, { lineObjectNumber: 'HANDLING', description: 'added in BC' })]));
    expect(ops(p)).toEqual(['delete l1', 'add MUG-02', 'add GIFT-BOX']);
  });

  it('is idempotent: planned against BC as it is, a half-applied re-sync plans only the rest', () => {
    const next = doc();
    next.lines = [...next.lines, { lineType: 'Item', lineObjectNumber: 'GIFT-BOX', description: 'Gift Box', quantity: '1', unitPrice: '4.5' }];
    next.lines[1] = { ...next.lines[1]!, quantity: '5' };
    const halfway = bc([line(3, { lineObjectNumber: 'GIFT-BOX', description: 'Gift Box', unitPrice: '4.5' })]);
    expect(ops(planResync(doc(), next, halfway))).toEqual(['patch l1 {"quantity":"5"}']);
  });

  it('header: changed address fields, a removed value is cleared, blanks filled by BC are left alone', () => {
    const next = doc({ shipToAddressLine1: 'Side St 9', shipToCity: undefined, shipToPostCode: '10117' });
    const p = planResync(doc(), next, bc());
    expect(p.kind === 'change' && p.change.header).toEqual({ shipToAddressLine1: 'Side St 9', shipToCity: '', shipToPostCode: '10117' });
    // Post codes and countries are Code fields: BC's upper case is no difference.
    const upper = planResync(doc({ shipToCountry: 'de' }), doc({ shipToCountry: 'de' }), bc());
    expect(upper.kind === 'change' && upper.change.header).toEqual({});
  });

  it('shipment method and order discount', () => {
    const p = planResync(doc({ shipmentMethodCode: 'STD' }), doc({ shipmentMethodCode: 'EXPRESS', discountAmount: '5' }), bc());
    expect(p).toMatchObject({ kind: 'change', change: { shipmentMethodCode: 'EXPRESS', discountAmount: '5' } });
  });

  it('refuses when BC has shipped or invoiced any of it', () => {
    const shipped = bc();
    shipped.lines[1] = { ...shipped.lines[1]!, shippedQuantity: '1' };
    expect(planResync(doc(), doc(), shipped)).toMatchObject({ kind: 'refused', reason: expect.stringContaining('BC has already shipped part of sales order S-ORD101001 (1 × MUG-01)') });
    expect(planResync(doc(), doc(), bc([], { fullyShipped: true }))).toMatchObject({ kind: 'refused' });
  });

  it('refuses a different customer, currency or price basis', () => {
    expect(planResync(doc(), doc({ customerNumber: 'C10000' }), bc())).toMatchObject({ kind: 'refused', reason: expect.stringContaining('BC customer C10000') });
    expect(planResync(doc(), doc({ currencyCode: 'USD' }), bc())).toMatchObject({ kind: 'refused', reason: expect.stringContaining('currency') });
    expect(planResync(doc(), doc({ pricesIncludeTax: true }), bc())).toMatchObject({ kind: 'refused' });
  });
});
