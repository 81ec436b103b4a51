import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

describe('BC simulator: posting, shipments, invoices (bc-api.md §1.2, §6, §8)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.reset());

  it('a partial shipment posts a salesShipment with orderNumber and grows shippedQuantity; the rest sets fullyShipped', async () => {
    const order = (await h.call('POST', 'salesOrders', sampleOrder('woo-2001'))).body;
    const first = h.sim.ship({ env: 'production', externalDocumentNumber: 'WOO-2001', lines: [{ sequence: 10000, quantity: 1 }], trackingNo: '00340434161094042557', shippingAgentCode: 'dhl' });
    expect(first).toMatchObject({ orderNumber: order.number, externalDocumentNumber: 'WOO-2001', salesShipmentLines: [{ sequence: 10000, lineObjectNumber: 'MUG-01', quantity: 1 }] });

    const lines = (await h.call('GET', `salesOrders(${order.id})/salesOrderLines`)).body.value;
    expect(lines.map((l: { shippedQuantity: number }) => l.shippedQuantity)).toEqual([1, 0]);
    expect((await h.call('GET', `salesOrders(${order.id})`)).body.fullyShipped).toBe(false);

    const listed = await h.call('GET', `salesShipments?$filter=orderNumber in ('${order.number}')&$expand=salesShipmentLines`);
    expect(listed.status).toBe(200);
    expect(listed.body.value).toHaveLength(1);
    expect(listed.body.value[0].salesShipmentLines).toHaveLength(1);
    // The standard API has no tracking no.; the custom page has it.
    expect(listed.body.value[0]).not.toHaveProperty('packageTrackingNo');
    const custom = h.company.replace('/api/v2.0/', '/api/bcbridge/shipping/v1.0/');
    const tracking = await h.call('GET', `${custom}/shipmentTracking?$filter=shipmentNo eq '${first.number as string}'`);
    expect(tracking.status).toBe(200);
    expect(tracking.body.value).toEqual([expect.objectContaining({ shipmentNo: first.number, orderNumber: order.number, packageTrackingNo: '00340434161094042557', shippingAgentCode: 'DHL' })]);
    // …and is not part of api/v2.0.
    expect((await h.call('GET', 'shipmentTracking')).status).toBe(404);

    h.sim.ship({ env: 'production', externalDocumentNumber: 'WOO-2001' });
    expect((await h.call('GET', `salesOrders(${order.id})`)).body.fullyShipped).toBe(true);
    expect((await h.call('GET', `salesShipments?$filter=orderNumber eq '${order.number}'`)).body.value).toHaveLength(2);
    expect(() => h.sim.ship({ env: 'production', externalDocumentNumber: 'WOO-2001' })).toThrow(/nothing to post/);
  });

  it('shipping more than is outstanding is refused and changes nothing', async () => {
    await h.call('POST', 'salesOrders', sampleOrder('woo-2002'));
    expect(() => h.sim.ship({ env: 'production', externalDocumentNumber: 'WOO-2002', lines: [{ sequence: 10000, quantity: 4 }] })).toThrow(/Qty. to Ship/);
    expect(h.sim.salesShipments('production')).toHaveLength(0);
  });

  it('Microsoft.NAV.shipAndInvoice answers 204, posts an invoice with orderId/orderNumber and deletes the order', async () => {
    const order = (await h.call('POST', 'salesOrders', sampleOrder('woo-2003'))).body;
    const r = await h.call('POST', `salesOrders(${order.id})/Microsoft.NAV.shipAndInvoice`);
    expect(r.status).toBe(204);
    expect((await h.call('GET', `salesOrders(${order.id})`)).status).toBe(404);
    const inv = await h.call('GET', `salesInvoices?$filter=orderNumber eq '${order.number}'&$expand=salesInvoiceLines`);
    expect(inv.body.value).toEqual([expect.objectContaining({ orderId: order.id, orderNumber: order.number, externalDocumentNumber: 'WOO-2003', status: 'Open', totalAmountIncludingTax: 78.26 })]);
    expect(inv.body.value[0].salesInvoiceLines).toHaveLength(2);
    // Posting ships what was left: the shipment exists too.
    expect((await h.call('GET', `salesShipments?$filter=orderNumber eq '${order.number}'`)).body.value).toHaveLength(1);
    // Posted documents are read-only.
    expect((await h.call('POST', 'salesShipments', {})).status).toBe(405);
  });

  it('the admin route ships by external document no.', async () => {
    await h.call('POST', 'salesOrders', sampleOrder('woo-2004'));
    const res = await fetch(`${h.sim.url}/_sim/ship`, { method: 'POST', body: JSON.stringify({ env: 'production', externalDocumentNumber: 'WOO-2004', trackingNo: 'T1' }) });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ externalDocumentNumber: 'WOO-2004', packageTrackingNo: 'T1' });
    const bad = await fetch(`${h.sim.url}/_sim/ship`, { method: 'POST', body: JSON.stringify({ externalDocumentNumber: 'NOPE' }) });
    expect(bad.status).toBe(400);
  });
});
