import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBcSim } from '../../../sim/bc/server.js';
import { systemClock } from '../../domain/clock.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { createBcTarget } from '../create-target.js';
import type { BcTarget } from '../target.js';
import { BcLimiter } from './limiter.js';

/** Posted shipments/invoices through the api target against the BC simulator over real HTTP. */

type Sim = Awaited<ReturnType<typeof startBcSim>>;
let sim: Sim;
const log: RequestLogEntry[] = [];
const targets: BcTarget[] = [];

beforeAll(async () => {
  sim = await startBcSim({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
  log.length = 0;
});

function target(): BcTarget {
  const t = createBcTarget(
    { name: 'production', transport: 'api', tenant: sim.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: sim.tokenUrl, baseUrl: sim.url },
    {
      clock: systemClock,
      requestLog: { record: (e) => log.push(e) },
      sleep: async () => {},
      limiter: new BcLimiter({ maxInFlight: 5, requestsPerWindow: 6000, windowMs: 300_000 }, { clock: systemClock, sleep: async () => {} }),
    },
  );
  targets.push(t);
  return t;
}

async function createOrder(t: BcTarget, key: string): Promise<string> {
  const snap = await t.create({
    externalDocumentNumber: key, customerNumber: 'C10000', orderDate: '2026-03-01', currencyCode: '', pricesIncludeTax: false,
    lines: [
      { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '3', unitPrice: '10.00' },
      { lineType: 'Account', lineObjectNumber: '6810', quantity: '1', unitPrice: '4.95' },
    ],
    expected: { currency: 'EUR', totalNet: '34.95', totalTax: '6.99', total: '41.94' },
  });
  return snap.number;
}

describe('api target: posted shipments and invoices', () => {
  it('lists the shipments of many orders in one request, with lines and tracking from the custom page', async () => {
    const t = target();
    const a = await createOrder(t, 'SHIPTEST-A');
    const b = await createOrder(t, 'SHIPTEST-B');
    const c = await createOrder(t, 'SHIPTEST-C');
    sim.ship({ env: 'production', externalDocumentNumber: 'SHIPTEST-A', lines: [{ sequence: 10000, quantity: 2 }], trackingNo: 'TRK-A1', shippingAgentCode: 'UPS' });
    sim.ship({ env: 'production', externalDocumentNumber: 'SHIPTEST-A' });
    sim.ship({ env: 'production', externalDocumentNumber: 'SHIPTEST-B', trackingNo: 'TRK-B' });

    log.length = 0;
    const shipments = await t.listShipments!([a, b, c], { source: 'customPage', apiPath: 'bcbridge/shipping/v1.0', entitySet: 'shipmentTracking', shipmentNoField: 'shipmentNo', trackingField: 'packageTrackingNo', agentField: 'shippingAgentCode' });
    const shipmentCalls = log.filter((e) => e.url.includes('/salesShipments'));
    expect(shipmentCalls).toHaveLength(1);
    expect(decodeURIComponent(shipmentCalls[0]!.url)).toContain('orderNumber in (');
    expect(log.filter((e) => e.url.includes('/api/bcbridge/shipping/v1.0/'))).toHaveLength(1);

    expect(shipments.map((s) => s.orderNumber)).toEqual([a, a, b]);
    expect(shipments[0]).toMatchObject({ externalDocumentNumber: 'SHIPTEST-A', lines: [{ sequence: 10000, lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '2' }], tracking: { number: 'TRK-A1', agentCode: 'UPS' } });
    expect(shipments[1]!.lines.map((l) => [l.sequence, l.quantity])).toEqual([[10000, '1'], [20000, '1']]);
    expect(shipments[1]!.tracking).toBeUndefined();
    expect(shipments[2]!.tracking).toEqual({ number: 'TRK-B' });

    // Without a tracking source: no tracking, no request to the custom page.
    log.length = 0;
    const plain = await t.listShipments!([b]);
    expect(plain).toHaveLength(1);
    expect(plain[0]!.tracking).toBeUndefined();
    expect(log.some((e) => e.url.includes('/api/bcbridge/'))).toBe(false);
  });

  it('tracking from a field of the shipment itself', async () => {
    const t = target();
    const d = await createOrder(t, 'SHIPTEST-D');
    sim.ship({ env: 'production', externalDocumentNumber: 'SHIPTEST-D' });
    const [s] = await t.listShipments!([d], { source: 'shipmentField', field: 'externalDocumentNumber' });
    expect(s!.tracking).toEqual({ number: 'SHIPTEST-D' });
  });

  it('lists the invoice of an order BC invoiced and deleted', async () => {
    const t = target();
    const e = await createOrder(t, 'SHIPTEST-E');
    sim.invoice({ env: 'production', externalDocumentNumber: 'SHIPTEST-E' });
    expect(sim.salesOrders('production').some((o) => o.externalDocumentNumber === 'SHIPTEST-E')).toBe(false);
    const invoices = await t.listInvoices!([e]);
    expect(invoices).toEqual([expect.objectContaining({ orderNumber: e, externalDocumentNumber: 'SHIPTEST-E', status: 'Open' })]);
    // findExisting still knows the order (its posted invoice carries the key): it is never created twice.
    const found = await t.findExisting(['SHIPTEST-E']);
    expect(found.get('SHIPTEST-E')?.number).toBe(e);
  });
});
