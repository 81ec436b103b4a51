import { fetch } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder, send } from './test-helpers.js';

describe('BC simulator: injected faults (DESIGN.md §6)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.faults.clear());

  it('429 with Retry-After and a BC-style body, then normal service', async () => {
    h.sim.faults.add({ kind: '429', pathIncludes: '/customers', retryAfterSeconds: 7 });
    const r = await h.call('GET', 'customers');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect(r.body.error.code).toBe('Application_TooManyRequests');
    expect(r.body.error.message).toMatch(/^Too many requests reached\. Actual \(101\)\. Maximum \(100\)\. {2}CorrelationId: {2}[0-9a-f-]{36}\.$/);
    expect((await h.call('GET', 'customers')).status).toBe(200); // times defaults to 1
  });

  it('429 without Retry-After, 503 with Retry-After, 504 from a gateway', async () => {
    h.sim.faults.add({ kind: '429-no-retry-after' });
    const a = await h.call('GET', 'items');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBeNull();

    h.sim.faults.add({ kind: '503', retryAfterSeconds: 2 });
    const b = await h.call('GET', 'items');
    expect(b.status).toBe(503);
    expect(b.headers.get('retry-after')).toBe('2');

    h.sim.faults.add({ kind: '504', method: 'GET', times: 2 });
    expect((await h.call('GET', 'items')).status).toBe(504);
    const c = await h.call('GET', 'items');
    expect(c.status).toBe(504);
    expect(c.headers.get('content-type')).toContain('text/html');
    expect((await h.call('GET', 'items')).status).toBe(200);
  });

  it('timeout: the request is accepted and never answered', async () => {
    h.sim.faults.add({ kind: 'timeout', pathIncludes: 'currencies' });
    const started = Date.now();
    await expect(send(`${h.company}/currencies`, 'GET', h.token, undefined, {}, AbortSignal.timeout(300))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(h.sim.stats().byStatus.timeout).toBe(1);
  });

  it('reset: the connection is destroyed before anything happens', async () => {
    h.sim.faults.add({ kind: 'reset', method: 'POST', pathIncludes: 'salesOrders' });
    const before = h.sim.salesOrders().length;
    await expect(h.call('POST', 'salesOrders', sampleOrder('woo-reset'))).rejects.toThrow();
    expect(h.sim.salesOrders()).toHaveLength(before);
  });

  it('drop-after-commit: the order is created but the client gets a socket error', async () => {
    h.sim.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: 'salesOrders' });
    await expect(h.call('POST', 'salesOrders', sampleOrder('woo-dup'))).rejects.toThrow();
    const found = await h.call('GET', `salesOrders?$filter=${encodeURIComponent("externalDocumentNumber eq 'WOO-DUP'")}`);
    expect(found.body.value).toHaveLength(1);
    expect(h.sim.stats().byStatus.dropped).toBe(1);
  });

  it('probability rules apply randomly until cleared; the token endpoint can be faulted too', async () => {
    h.sim.faults.add({ kind: '503', probability: 1, pathIncludes: 'paymentTerms' });
    for (let i = 0; i < 3; i++) expect((await h.call('GET', 'paymentTerms')).status).toBe(503);
    h.sim.faults.clear();
    expect((await h.call('GET', 'paymentTerms')).status).toBe(200);

    h.sim.faults.add({ kind: '503', pathIncludes: '/oauth2/' });
    const t = await fetch(h.sim.tokenUrl, { method: 'POST', body: 'grant_type=client_credentials' });
    expect(t.status).toBe(503);
  });

  it('setLatency slows API requests', async () => {
    h.sim.faults.setLatency(150);
    const started = Date.now();
    await h.call('GET', 'customers');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    h.sim.faults.setLatency(0);
  });

  it('a $batch takes the latency once per operation (BC runs them one after another)', async () => {
    h.sim.faults.setLatency(100);
    const started = Date.now();
    const url = `companies(${h.sim.companyId()})/customers`;
    const r = await h.call('POST', `${h.sim.apiBase()}/$batch`, { requests: [1, 2, 3].map((i) => ({ method: 'GET', id: String(i), url })) });
    expect(r.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    h.sim.faults.setLatency(0);
  });
});
