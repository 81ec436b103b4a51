import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

describe('BC simulator: a shipped order cannot be changed or deleted (bc-api.md §1.2, Sales Line validation)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.reset());

  it('an unshipped order takes line changes and can be deleted', async () => {
    const order = (await h.call('POST', 'salesOrders', sampleOrder('woo-4001'))).body;
    const lines = (await h.call('GET', `salesOrders(${order.id})/salesOrderLines`)).body.value;
    expect((await h.call('PATCH', `salesOrders(${order.id})/salesOrderLines(${lines[0].id})`, { quantity: 1 }, { 'If-Match': lines[0]['@odata.etag'] })).status).toBe(200);
    expect((await h.call('DELETE', `salesOrders(${order.id})`, undefined, { 'If-Match': '*' })).status).toBe(204);
  });

  it('after a shipment: no line change, no new line, no line or order deletion', async () => {
    const order = (await h.call('POST', 'salesOrders', sampleOrder('woo-4002'))).body;
    h.sim.ship({ env: 'production', externalDocumentNumber: 'WOO-4002', lines: [{ sequence: 10000, quantity: 1 }] });
    const lines = (await h.call('GET', `salesOrders(${order.id})/salesOrderLines`)).body.value;

    const patch = await h.call('PATCH', `salesOrders(${order.id})/salesOrderLines(${lines[1].id})`, { quantity: 2 }, { 'If-Match': '*' });
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toMatch(/^Status must be equal to 'Open'  in Sales Header: Document Type=Order, No.=S-ORD\d+\. Current value is 'Released'\./);
    const add = await h.call('POST', `salesOrders(${order.id})/salesOrderLines`, { lineType: 'Item', lineObjectNumber: 'GIFT-BOX', quantity: 1 });
    expect(add.status).toBe(400);
    const delLine = await h.call('DELETE', `salesOrders(${order.id})/salesOrderLines(${lines[1].id})`, undefined, { 'If-Match': '*' });
    expect(delLine.status).toBe(400);

    const del = await h.call('DELETE', `salesOrders(${order.id})`, undefined, { 'If-Match': '*' });
    expect(del.status).toBe(400);
    expect(del.body.error.message).toMatch(/^Qty\. Shipped Not Invoiced must be equal to '0'  in Sales Line: Document Type=Order, Document No\.=S-ORD\d+, Line No\.=10000\. Current value is '1'\./);
    expect((await h.call('GET', `salesOrders(${order.id})`)).status).toBe(200);
  });
});
