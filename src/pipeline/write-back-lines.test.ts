import { describe, expect, it } from 'vitest';
import type { BcSalesOrderDocument, BcSalesOrderLine } from '../bc/document.js';
import type { BcPostedShipment } from '../bc/target.js';
import type { CanonicalOrder, OrderLine } from '../domain/order.js';
import { linesBcShips, shopLines } from './write-back.js';

const line = (lineId: string, sku: string, quantity: string, parentLineId?: string): OrderLine => ({
  lineId, sku, name: sku, quantity, unitPriceNet: '10.00', discountNet: '0.00', totalNet: '10.00', totalTax: '0.00', options: [],
  ...(parentLineId && { parentLineId }),
});
const docLine = (l: Partial<BcSalesOrderLine> & Pick<BcSalesOrderLine, 'lineType'>): BcSalesOrderLine => ({ quantity: '1', unitPrice: '10.00', ...l });

// A bundle (line 1) with two parts (2, 3), and a plain item (4).
const order = { lines: [line('1', 'BUNDLE', '1'), line('2', 'PART-A', '1', '1'), line('3', 'PART-B', '2', '1'), line('4', 'MUG-01', '3')] } as CanonicalOrder;
const doc = (lines: BcSalesOrderLine[]) => ({ lines }) as BcSalesOrderDocument;

describe('write-back: which shop lines BC ships', () => {
  it('bundles as children: the parent is a comment line and does not hold the order back', () => {
    const d = doc([
      docLine({ lineType: 'Comment', description: 'BUNDLE', sourceLineId: '1' }),
      docLine({ lineType: 'Item', lineObjectNumber: 'PART-A', sourceLineId: '2' }),
      docLine({ lineType: 'Item', lineObjectNumber: 'PART-B', quantity: '2', sourceLineId: '3' }),
      docLine({ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '3', sourceLineId: '4' }),
      docLine({ lineType: 'Account', lineObjectNumber: '6810' }),
    ]);
    expect(linesBcShips(order, d).map((l) => l.lineId)).toEqual(['2', '3', '4']);
  });

  it('bundles as parent: the parts are priced into the parent and never ship on their own', () => {
    const d = doc([
      docLine({ lineType: 'Item', lineObjectNumber: 'BUNDLE', sourceLineId: '1' }),
      docLine({ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '3', sourceLineId: '4' }),
    ]);
    expect(linesBcShips(order, d).map((l) => l.lineId)).toEqual(['1', '4']);
  });

  it('a document without traced item lines falls back to every shop line', () => {
    expect(linesBcShips(order, doc([docLine({ lineType: 'Item', lineObjectNumber: 'X' })])).map((l) => l.lineId)).toEqual(['1', '2', '3', '4']);
  });

  it('maps shipment lines to shop lines by Line No., and by item no. when lines were inserted in BC', () => {
    const d = doc([
      docLine({ lineType: 'Item', lineObjectNumber: 'BUNDLE', sourceLineId: '1' }),
      docLine({ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '3', sourceLineId: '4' }),
      docLine({ lineType: 'Account', lineObjectNumber: '6810' }),
    ]);
    const shipment: BcPostedShipment = {
      id: 'g1', number: 'S-SHP1', orderNumber: 'S-ORD1', externalDocumentNumber: 'WOO-1', postingDate: '2026-11-23',
      lines: [
        { sequence: 20000, lineType: 'Item', lineObjectNumber: 'MUG-01', description: 'Mug', quantity: '2' },
        { sequence: 30000, lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping', quantity: '1' },
        // Someone inserted a line in BC: Line No. 15000 names no document line; the item no. still finds it.
        { sequence: 15000, lineType: 'Item', lineObjectNumber: 'BUNDLE', description: 'Bundle', quantity: '1' },
      ],
    };
    expect(shopLines(shipment, d, order)).toEqual([
      { shopLineId: '4', quantity: '2', sku: 'MUG-01', name: 'MUG-01' },
      { shopLineId: '1', quantity: '1', sku: 'BUNDLE', name: 'BUNDLE' },
    ]);
  });
});
