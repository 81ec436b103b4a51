import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

describe('BC simulator: /_sim/ admin surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());

  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${h.sim.url}/_sim/${path}`, {
      method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'Content-Type': 'application/json' },
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : undefined };
  };

  it('reports info, stats and created sales orders', async () => {
    const info = await admin('GET', 'info');
    expect(info.body.environments.production.companyId).toBe(h.sim.companyId('production'));
    expect(info.body.tokenUrl).toBe(h.sim.tokenUrl);

    await h.call('POST', 'salesOrders', sampleOrder('woo-admin'));
    const orders = await admin('GET', 'sales-orders?env=production');
    expect(orders.body).toHaveLength(1);
    expect(orders.body[0]).toMatchObject({ externalDocumentNumber: 'WOO-ADMIN', number: 'S-ORD101001' });
    expect(orders.body[0].salesOrderLines).toHaveLength(2);
    expect((await admin('GET', 'sales-orders?env=sandbox')).body).toHaveLength(0);

    const stats = await admin('GET', 'stats');
    expect(stats.body).toMatchObject({ tokenRequests: 1, rejected429: 0 });
    expect(stats.body.byStatus['201']).toBe(1);
    expect(stats.body.requests).toBe(2); // token + POST; admin calls are not counted
  });

  it('adds and clears faults, sets latency, resets', async () => {
    expect((await admin('POST', 'faults', [{ kind: '503', pathIncludes: '/items' }, { kind: '429', pathIncludes: '/items' }])).body).toEqual({ active: 2 });
    expect((await h.call('GET', 'items')).status).toBe(503);
    expect((await h.call('GET', 'items')).status).toBe(429);
    expect((await h.call('GET', 'items')).status).toBe(200);

    await admin('POST', 'faults', { kind: '503', times: 5 });
    expect((await admin('DELETE', 'faults')).status).toBe(204);
    expect((await h.call('GET', 'items')).status).toBe(200);

    expect((await admin('POST', 'faults', [{ kind: 'nonsense' }])).status).toBe(400);

    await admin('POST', 'latency', { ms: 120 });
    const t0 = Date.now();
    await h.call('GET', 'items');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
    await admin('POST', 'latency', { ms: 0 });

    const companyBefore = h.sim.companyId();
    expect((await admin('POST', 'reset')).status).toBe(204);
    expect((await admin('GET', 'sales-orders')).body).toHaveLength(0);
    expect((await admin('GET', 'stats')).body.requests).toBe(0);
    expect(h.sim.companyId()).toBe(companyBefore); // ids survive a reset; the token too
    expect((await h.call('GET', 'items')).status).toBe(200);
  });
});
