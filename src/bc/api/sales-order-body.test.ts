import { describe, expect, it } from 'vitest';
import type { BcSalesOrderDocument } from '../document.js';
import { stringifyJson } from './json.js';
import { salesOrderBody } from './sales-order-body.js';

const doc: BcSalesOrderDocument = {
  externalDocumentNumber: 'WOO-1001',
  customerNumber: 'WEB-GUEST',
  orderDate: '2026-03-01',
  currencyCode: '',
  pricesIncludeTax: false,
  email: 'anna@example.com',
  phoneNumber: '',
  shipToName: 'Anna Muster',
  shipToCity: 'Berlin',
  shipmentMethodCode: 'DHL',
  lines: [
    { lineType: 'Item', lineObjectNumber: 'MUG-01', description: 'Mug', quantity: '2', unitPrice: '20.92437', discountAmount: '0.00', sourceLineId: '7' },
    { lineType: 'Fixed Asset', lineObjectNumber: 'FA-1', quantity: '1', unitPrice: '1', discountAmount: '0.5', unitOfMeasureCode: 'PCS' },
    { lineType: 'Comment', description: 'Gift wrap please', quantity: '0', unitPrice: '0' },
    { lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping', quantity: '1', unitPrice: '4.99' },
  ],
  expected: { currency: 'EUR', totalNet: '51.33', totalTax: '10.27', total: '61.60' },
};

describe('salesOrderBody', () => {
  it('builds the deep-insert body with decimals as number literals', () => {
    const json = stringifyJson(
      salesOrderBody(doc, { shipmentMethodId: '11111111-1111-1111-1111-111111111111', lines: [{ locationId: '22222222-2222-2222-2222-222222222222' }, {}, {}, {}] }),
    );
    expect(json).toBe(
      '{"externalDocumentNumber":"WOO-1001","customerNumber":"WEB-GUEST","orderDate":"2026-03-01","pricesIncludeTax":false,' +
        '"email":"anna@example.com","shipToName":"Anna Muster","shipToCity":"Berlin","shipmentMethodId":"11111111-1111-1111-1111-111111111111",' +
        '"salesOrderLines":[' +
        '{"lineType":"Item","lineObjectNumber":"MUG-01","description":"Mug","quantity":2,"unitPrice":20.92437,"locationId":"22222222-2222-2222-2222-222222222222"},' +
        '{"lineType":"Fixed_x0020_Asset","lineObjectNumber":"FA-1","quantity":1,"unitPrice":1,"discountAmount":0.5,"unitOfMeasureCode":"PCS"},' +
        '{"lineType":"Comment","description":"Gift wrap please"},' +
        '{"lineType":"Account","lineObjectNumber":"6810","description":"Shipping","quantity":1,"unitPrice":4.99}]}',
    );
  });

  it('sends a foreign currency, never the bcbridge-only fields', () => {
    const body = salesOrderBody({ ...doc, currencyCode: 'USD' }, { lines: [] });
    expect(body.currencyCode).toBe('USD');
    expect(body).not.toHaveProperty('expected');
    expect(body).not.toHaveProperty('shipmentMethodCode');
    expect(JSON.stringify(body)).not.toContain('sourceLineId');
  });
});
