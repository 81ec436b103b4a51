import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

describe('BC simulator: JSON $batch (bc-api.md §1.7)', () => {
  let h: Harness;
  let batchUrl: string;
  let cid: string;
  beforeAll(async () => {
    h = await harness();
    batchUrl = `${h.sim.apiBase()}/$batch`;
    cid = h.sim.companyId();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.reset());

  it('runs independent requests with their own statuses; each counts against the rate limit', async () => {
    await h.call('POST', 'salesOrders', sampleOrder('woo-b1'));
    const before = h.sim.stats();
    const r = await h.call('POST', batchUrl, {
      requests: [
        { method: 'GET', id: 'a', url: `companies(${cid})/salesOrders?$filter=externalDocumentNumber in ('WOO-B1','WOO-B2')&$select=number` },
        { method: 'POST', id: 'b', url: `companies(${cid})/salesOrders`, headers: { 'Content-Type': 'application/json' }, body: sampleOrder('woo-b2') },
        { method: 'GET', id: 'c', url: `companies(${cid})/salesOrders(00000000-0000-0000-0000-000000000009)` },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.responses;
    expect(a).toMatchObject({ id: 'a', status: 200 });
    expect(a.body.value).toEqual([expect.objectContaining({ number: 'S-ORD101001' })]);
    expect(b).toMatchObject({ id: 'b', status: 201 });
    expect(b.headers.location).toContain('/salesOrders(');
    expect(c).toMatchObject({ id: 'c', status: 404 });
    expect(h.sim.salesOrders()).toHaveLength(2);
    expect(h.sim.stats().apiUnits - before.apiUnits).toBe(3);
    // One HTTP request, three operations as BC's rate limit counts them.
    expect(h.sim.stats().requests - before.requests).toBe(1);
    expect(h.sim.stats().operations - before.operations).toBe(3);
  });

  it('rolls everything back under Isolation: snapshot when one request fails', async () => {
    const r = await h.call('POST', batchUrl, {
      requests: [
        { method: 'POST', id: '1', url: `companies(${cid})/salesOrders`, body: sampleOrder('woo-s1') },
        { method: 'POST', id: '2', url: `companies(${cid})/salesOrders`, body: { customerNumber: 'C40000' } },
        { method: 'POST', id: '3', url: `companies(${cid})/salesOrders`, body: sampleOrder('woo-s3') },
      ],
    }, { Isolation: 'snapshot' });
    expect(r.body.responses.map((x: { status: number }) => x.status)).toEqual([201, 400, 424]);
    expect(h.sim.salesOrders()).toHaveLength(0);
    const next = await h.call('POST', 'salesOrders', sampleOrder('woo-s4'));
    expect(next.body.number).toBe('S-ORD101001'); // the rolled-back number is handed out again
  });

  it('refuses more than 100 operations', async () => {
    const requests = Array.from({ length: 101 }, (_, i) => ({ method: 'GET', id: String(i), url: `companies(${cid})/items` }));
    const r = await h.call('POST', batchUrl, { requests });
    expect(r.status).toBe(400);
  });
});
