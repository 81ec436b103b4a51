import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim } from '../../../sim/bc/server.js';
import { systemClock } from '../../domain/clock.js';
import { BcError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { createBcTarget } from '../create-target.js';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcTarget } from '../target.js';
import { apiRoot, type BcApiConfig, type BcApiDeps } from './config.js';
import { BcLimiter } from './limiter.js';

/**
 * The api target against the BC simulator over real HTTP (DESIGN.md §6). Waits go through a recording
 * fake sleep, so Retry-After and backoff are asserted without being waited out.
 */

type Sim = Awaited<ReturnType<typeof startBcSim>>;
let sim: Sim;
let log: RequestLogEntry[];
let sleeps: number[];
const targets: BcTarget[] = [];

beforeAll(async () => {
  sim = await startBcSim({ port: 0, limits: { concurrent: 5 }, clients: [{ clientId: 'bcbridge-demo', clientSecret: 'demo-secret' }] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  log = [];
  sleeps = [];
  sim.faults.clear();
  sim.faults.setLatency(0);
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

function config(over: Partial<BcApiConfig> = {}): BcApiConfig {
  return {
    name: 'production',
    transport: 'api',
    tenant: sim.tenant,
    company: 'CRONUS Webshop',
    clientId: 'bcbridge-demo',
    clientSecret: 'demo-secret',
    tokenUrl: sim.tokenUrl,
    baseUrl: sim.url,
    ...over,
  };
}

function deps(over: Partial<BcApiDeps> = {}): BcApiDeps {
  return {
    clock: systemClock,
    requestLog: { record: (e) => log.push(e) },
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    // A limiter per target keeps tests independent of each other's pacing state.
    limiter: new BcLimiter({ maxInFlight: 5, requestsPerWindow: 6000, windowMs: 300_000 }, { clock: systemClock, sleep: async () => {} }),
    ...over,
  };
}

function target(cfg: Partial<BcApiConfig> = {}, d: Partial<BcApiDeps> = {}): BcTarget {
  const t = createBcTarget(config(cfg), deps(d));
  targets.push(t);
  return t;
}

let seq = 0;
function order(over: Partial<BcSalesOrderDocument> = {}): BcSalesOrderDocument {
  seq++;
  return {
    externalDocumentNumber: `WOO-${Date.now() % 1_000_000}-${seq}`,
    customerNumber: 'WEB-GUEST',
    orderDate: '2026-03-01',
    currencyCode: '',
    pricesIncludeTax: false,
    email: 'anna@example.com',
    shipToName: 'Anna Muster',
    shipToAddressLine1: 'Unter den Linden 1',
    shipToCity: 'Berlin',
    shipToPostCode: '10117',
    shipToCountry: 'DE',
    lines: [
      { lineType: 'Item', lineObjectNumber: 'MUG-01', description: 'Enamel Mug Blue', quantity: '2', unitPrice: '12.50' },
      { lineType: 'Item', lineObjectNumber: 'BEAN-1KG', quantity: '1', unitPrice: '24.95' },
      { lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping', quantity: '1', unitPrice: '4.99' },
    ],
    expected: { currency: 'EUR', totalNet: '54.94', totalTax: '8.49', total: '63.43' },
    ...over,
  };
}

const bcCalls = (method?: string, includes?: string) =>
  log.filter((e) => !e.url.includes('/oauth2/') && !e.url.endsWith('/token') && (!method || e.method === method) && (!includes || e.url.includes(includes)));
const tokenCalls = () => log.filter((e) => e.url === sim.tokenUrl || e.url.includes('/oauth2/'));

describe('api target against the BC simulator', () => {
  it('builds the simulator API URL from baseUrl, tenant and environment', () => {
    expect(apiRoot(config())).toBe(sim.apiBase('production'));
  });

  it('checkCompany resolves the company by name, and by id', async () => {
    expect(await target().checkCompany()).toEqual({ id: sim.companyId('production'), name: 'CRONUS Webshop' });
    expect(await target({ company: sim.companyId('production') }).checkCompany()).toEqual({ id: sim.companyId('production'), name: 'CRONUS Webshop' });
    const err = await target({ company: 'No Such Co' }).checkCompany().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_COMPANY_NOT_FOUND', retryable: false });
    expect((err as Error).message).toContain("'CRONUS Webshop'");
  });

  it('fetches one token for many calls, and the request log never holds it', async () => {
    const t = target();
    for (let i = 0; i < 20; i++) await t.getItem('MUG-01');
    expect(tokenCalls()).toHaveLength(1);
    expect(bcCalls('GET')).toHaveLength(21); // company lookup + 20 items
    const text = JSON.stringify(log);
    expect(text).not.toContain('demo-secret');
    expect(text).not.toMatch(/bearer|eyJ/i);
    for (const e of bcCalls()) expect(e).toMatchObject({ system: 'bc', target: 'production', status: 200 });
  });

  it('reads customers and items, with blocked states', async () => {
    const t = target();
    expect(await t.getCustomer('WEB-GUEST')).toMatchObject({ number: 'WEB-GUEST', blocked: '' });
    expect(await t.getCustomer('C40000')).toMatchObject({ number: 'C40000', blocked: 'All' });
    expect(await t.getCustomer('c10000')).toMatchObject({ number: 'C10000', email: 'orders@adatum.example' });
    expect(await t.getCustomer('NOPE')).toBeUndefined();
    expect(await t.getItem('MUG-01')).toMatchObject({ number: 'MUG-01', blocked: false, gtin: '5701234567001' });
    expect(await t.getItem('OLD-MUG')).toMatchObject({ blocked: true });
    expect(await t.getItem("it's")).toBeUndefined();
  });

  it('creates an order with one POST; number and totals come from the 201 body', async () => {
    const t = target();
    await t.checkCompany();
    log = [];
    const doc = order();
    const snap = await t.create(doc, { orderId: 42 });
    expect(bcCalls()).toHaveLength(1);
    expect(bcCalls('POST')[0]).toMatchObject({ status: 201, orderId: 42 });
    const stored = sim.salesOrders('production').find((o) => o.externalDocumentNumber === doc.externalDocumentNumber.toUpperCase());
    expect(stored).toBeDefined();
    expect(snap).toMatchObject({
      id: stored!.id,
      number: stored!.number,
      externalDocumentNumber: doc.externalDocumentNumber.toUpperCase(),
      currencyCode: '',
      lineCount: 3,
      complete: true,
    });
    expect(snap.number).not.toBe('');
    expect(snap.totalAmountExcludingTax).toBe(String(stored!.totalAmountExcludingTax));
    expect(snap.totalTaxAmount).toBe(String(stored!.totalTaxAmount));
    expect(snap.totalAmountIncludingTax).toBe(String(stored!.totalAmountIncludingTax));
    expect(snap.totalAmountExcludingTax).toBe('54.94');
    expect(stored!.salesOrderLines.map((l) => [l.lineType, l.lineObjectNumber, l.quantity, l.unitPrice])).toEqual([
      ['Item', 'MUG-01', 2, 12.5],
      ['Item', 'BEAN-1KG', 1, 24.95],
      ['Account', '6810', 1, 4.99],
    ]);

    // read() sees the same order; an unknown id is "not there", not an error.
    expect(await t.read(snap.id)).toMatchObject({ id: snap.id, number: snap.number, lineCount: 3, totalAmountIncludingTax: snap.totalAmountIncludingTax });
    expect(await t.read('00000000-0000-0000-0000-00000000abcd')).toBeUndefined();
  });

  it('keeps 5-decimal unit prices exact on the wire', async () => {
    const t = target();
    const doc = order({ lines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '3', unitPrice: '20.92437' }] });
    await t.create(doc);
    const stored = sim.salesOrders('production').find((o) => o.externalDocumentNumber === doc.externalDocumentNumber.toUpperCase());
    expect(stored!.salesOrderLines[0].unitPrice).toBe(20.92437);
  });

  it('resolves a shipment method code to its id (cached)', async () => {
    const t = target();
    await t.create(order({ shipmentMethodCode: 'DHL' }));
    await t.create(order({ shipmentMethodCode: 'dhl' }));
    expect(bcCalls('GET', 'shipmentMethods')).toHaveLength(1);
    const err = await t.create(order({ shipmentMethodCode: 'ZEPPELIN' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_REFERENCE_NOT_FOUND', retryable: false });
    expect((err as Error).message).toContain('ZEPPELIN');
  });

  it('finds 30 keys with one request', async () => {
    const t = target({ lookupPostedInvoices: false });
    const docs = [order(), order(), order()];
    const created = await Promise.all(docs.map((d) => t.create(d)));
    log = [];
    const keys = [...docs.map((d) => d.externalDocumentNumber.toLowerCase()), ...Array.from({ length: 27 }, (_, i) => `MISSING-${i}-O'NEIL`)];
    const found = await t.findExisting(keys, { orderId: 7 });
    expect(bcCalls()).toHaveLength(1);
    expect(bcCalls()[0].url).toContain('externalDocumentNumber');
    expect(found.size).toBe(3);
    docs.forEach((d, i) => expect(found.get(d.externalDocumentNumber.toLowerCase())).toMatchObject({ id: created[i].id, number: created[i].number, lineCount: 3 }));
  });

  it('also looks for posted invoices of missing keys, and stops when the API has none', async () => {
    const t = target();
    const doc = order();
    await t.create(doc);
    log = [];
    const first = await t.findExisting([doc.externalDocumentNumber, 'NEVER-SENT-1']);
    expect([...first.keys()]).toEqual([doc.externalDocumentNumber]);
    const invoiceCalls = bcCalls('GET', 'salesInvoices').length;
    expect(invoiceCalls).toBe(1);
    await t.findExisting(['NEVER-SENT-2']);
    // The simulator has no salesInvoices set (404): asked once, then remembered.
    if (bcCalls('GET', 'salesInvoices')[0].status === 404) expect(bcCalls('GET', 'salesInvoices')).toHaveLength(1);
  });

  it('splits a lookup that would make the URL too long', async () => {
    const t = target({ lookupPostedInvoices: false });
    const keys = Array.from({ length: 120 }, (_, i) => `SHOPIFY-${String(i).padStart(4, '0')}-ABCDEFGHIJKLMNOPQRST`);
    const found = await t.findExisting(keys);
    expect(found.size).toBe(0);
    const gets = bcCalls('GET', 'salesOrders');
    expect(gets.length).toBeGreaterThan(2);
    for (const g of gets) expect(g.url.length).toBeLessThanOrEqual(2048);
  });

  it('retries 429 (with and without Retry-After) and 503, then succeeds', async () => {
    const t = target();
    await t.checkCompany();
    sim.faults.add({ kind: '429', method: 'POST', pathIncludes: 'salesOrders', times: 1, retryAfterSeconds: 2 });
    sim.faults.add({ kind: '429-no-retry-after', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    sim.faults.add({ kind: '503', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    log = [];
    const doc = order();
    const snap = await t.create(doc);
    expect(snap.number).not.toBe('');
    expect(bcCalls('POST').map((e) => e.status)).toEqual(expect.arrayContaining([429, 429, 503, 201]));
    expect(bcCalls('POST')).toHaveLength(4);
    expect(sleeps).toContain(2000);
    expect(sim.salesOrders('production').filter((o) => o.externalDocumentNumber === doc.externalDocumentNumber.toUpperCase())).toHaveLength(1);
  });

  it('a 400 Application_* is a permanent BcError with BC message and correlation id', async () => {
    const t = target();
    const err = await t.create(order({ customerNumber: 'NOPE-404' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BcError);
    expect(err).toMatchObject({ code: 'BC_REJECTED', status: 400, retryable: false, ambiguous: false });
    expect((err as { bcCode?: string }).bcCode).toMatch(/^Application_/);
    expect((err as BcError).correlationId).toMatch(/^[0-9a-f-]{36}$/i);
    expect((err as Error).message).not.toContain('CorrelationId');
    expect(bcCalls('POST')).toHaveLength(1); // not retried
    expect(bcCalls('POST')[0]).toMatchObject({ status: 400, correlationId: (err as BcError).correlationId });

    const blocked = await t.create(order({ lines: [{ lineType: 'Item', lineObjectNumber: 'OLD-MUG', quantity: '1', unitPrice: '9' }] })).catch((e: unknown) => e);
    expect(blocked).toMatchObject({ code: 'BC_REJECTED', retryable: false });
  });

  it('a connection dropped after BC committed is ambiguous, not retried, and the lookup finds exactly one order', async () => {
    const t = target();
    await t.checkCompany();
    sim.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    const doc = order();
    const err = await t.create(doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BcError);
    expect(err).toMatchObject({ retryable: true, ambiguous: true });
    expect(bcCalls('POST')).toHaveLength(1);
    const found = await t.findExisting([doc.externalDocumentNumber]);
    expect(found.size).toBe(1);
    expect(sim.salesOrders('production').filter((o) => o.externalDocumentNumber === doc.externalDocumentNumber.toUpperCase())).toHaveLength(1);
  });

  it('a timeout after sending a create is ambiguous', async () => {
    const t = target({ timeoutMs: 300 });
    await t.checkCompany();
    sim.faults.add({ kind: 'timeout', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    const err = await t.create(order()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_TIMEOUT', retryable: true, ambiguous: true });
  });

  it('a reset on a read is retried', async () => {
    const t = target();
    await t.checkCompany();
    sim.faults.add({ kind: 'reset', method: 'GET', pathIncludes: 'items', times: 1 });
    expect(await t.getItem('MUG-01')).toMatchObject({ number: 'MUG-01' });
    expect(bcCalls('GET', 'items')).toHaveLength(2);
  });

  describe('createMany ($batch)', () => {
    it('creates several orders in one request, each with its own outcome and request log row', async () => {
      const t = target();
      await t.checkCompany();
      log = [];
      const before = sim.stats();
      const good = [order(), order()];
      const rejected = order({ customerNumber: 'NOPE-404' });
      const keyless = order({ externalDocumentNumber: '  ' });
      const out = await t.createMany!([
        { doc: good[0]!, orderId: 1 },
        { doc: rejected, orderId: 2 },
        { doc: keyless, orderId: 3 },
        { doc: good[1]!, orderId: 4 },
      ]);
      // One HTTP exchange; the keyless order was refused before it, so three operations went to BC.
      expect(sim.stats().requests - before.requests).toBe(1);
      expect(sim.stats().operations - before.operations).toBe(3);
      expect(out.map((o) => o.ok)).toEqual([true, false, false, true]);
      for (const [i, doc] of [[0, good[0]!], [3, good[1]!]] as const) {
        const stored = sim.salesOrders('production').find((o) => o.externalDocumentNumber === doc.externalDocumentNumber.toUpperCase());
        expect(out[i]).toEqual({ ok: true, snapshot: expect.objectContaining({ id: stored!.id, number: stored!.number, lineCount: 3, totalAmountIncludingTax: String(stored!.totalAmountIncludingTax) }) });
      }
      const rejectedErr = (out[1] as { error: BcError }).error;
      expect(rejectedErr).toMatchObject({ code: 'BC_REJECTED', status: 400, retryable: false, ambiguous: false });
      expect(rejectedErr.correlationId).toMatch(/^[0-9a-f-]{36}$/i);
      expect((out[2] as { error: BcError }).error).toMatchObject({ code: 'BC_INVALID_DOCUMENT', retryable: false });
      // The request log has the operations, with the orders they belong to, not the envelope.
      expect(bcCalls('POST').map((e) => [e.orderId, e.status])).toEqual([[1, 201], [2, 400], [4, 201]]);
      expect(bcCalls('POST').every((e) => e.url.endsWith('/salesOrders'))).toBe(true);
      expect(bcCalls('POST')[1]!.correlationId).toBe(rejectedErr.correlationId);
    });

    it('a batch dropped after BC committed is ambiguous for every order in it; the lookup finds each once', async () => {
      const t = target({ lookupPostedInvoices: false });
      await t.checkCompany();
      log = [];
      sim.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: '$batch', times: 1 });
      const docs = [order(), order(), order()];
      const out = await t.createMany!(docs.map((doc, i) => ({ doc, orderId: i + 1 })));
      for (const o of out) expect(o).toMatchObject({ ok: false, error: { retryable: true, ambiguous: true } });
      // Not repeated, and every order's row in the request log says what happened to the exchange.
      expect(sim.stats().byStatus.dropped).toBeGreaterThanOrEqual(1);
      expect(bcCalls('POST').map((e) => e.orderId)).toEqual([1, 2, 3]);
      for (const e of bcCalls('POST')) expect(e.error).toBeDefined();
      const found = await t.findExisting(docs.map((d) => d.externalDocumentNumber));
      expect(found.size).toBe(3);
    });

    it('a batch throttled with 429 is sent again as a whole (BC ran none of it), counting its operations against the pace', async () => {
      const paced: number[] = [];
      const limiter = new BcLimiter({ maxInFlight: 5, requestsPerWindow: 4, windowMs: 60_000 }, { clock: systemClock, sleep: async (ms) => void paced.push(ms) });
      const t = target({}, { limiter });
      await t.checkCompany(); // 1 of the 4 places
      sim.faults.add({ kind: '429', method: 'POST', pathIncludes: '$batch', times: 1, retryAfterSeconds: 2 });
      const docs = [order(), order(), order()];
      const out = await t.createMany!(docs.map((doc, i) => ({ doc, orderId: i + 1 })));
      expect(out.every((o) => o.ok)).toBe(true);
      expect(sleeps).toContain(2000);
      // 1 + 3 places fill the window; the repeat of the 3 operations waits for it to pass (counted as one
      // request, it would have fit).
      expect(paced.some((ms) => ms > 50_000)).toBe(true);
      for (const d of docs) expect(sim.salesOrders('production').filter((o) => o.externalDocumentNumber === d.externalDocumentNumber.toUpperCase())).toHaveLength(1);
    });
  });

  it('never has more than 5 requests in flight for 20 concurrent creates', async () => {
    // The process-wide limiter, as production uses it (no per-test override).
    const t = target({}, { limiter: undefined });
    await t.checkCompany();
    sim.reset(); // stats from zero; data and ids stay as seeded
    sim.faults.setLatency(40);
    const docs = Array.from({ length: 20 }, () => order());
    const snaps = await Promise.all(docs.map((d) => t.create(d)));
    expect(new Set(snaps.map((s) => s.number)).size).toBe(20);
    // maxOpen = processing + queued at BC: what we sent at once, so this is our limiter, not BC's queue.
    expect(sim.stats().maxOpen).toBeLessThanOrEqual(5);
    expect(sim.stats().maxOpen).toBeGreaterThanOrEqual(2);
    expect(sim.stats().maxInFlight).toBeLessThanOrEqual(5);
    expect(sim.stats().rejected429).toBe(0);
  });

  it('fetches a new token once when BC answers 401 for a revoked one', async () => {
    const t = target();
    await t.getItem('MUG-01');
    sim.revokeTokens();
    log = [];
    const results = await Promise.all(['MUG-01', 'MUG-02', 'BEAN-1KG'].map((n) => t.getItem(n)));
    expect(results.map((r) => r?.number)).toEqual(['MUG-01', 'MUG-02', 'BEAN-1KG']);
    expect(tokenCalls()).toHaveLength(1); // three 401s, one shared token request
    expect(bcCalls().filter((e) => e.status === 401)).toHaveLength(3);
  });

  it('a wrong client secret is a BC_AUTH error with Entra\'s description and no secret', async () => {
    const t = target({ clientSecret: 'wrong-secret-value' });
    const err = await t.checkCompany().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_AUTH', retryable: false });
    expect((err as Error).message).not.toContain('wrong-secret-value');
    expect(JSON.stringify(log)).not.toContain('wrong-secret-value');
  });

  it('picks the soap target for transport soap (issue 4) and refuses an unknown transport', async () => {
    const soap = createBcTarget({ name: 'legacy', transport: 'soap', company: 'CRONUS', auth: 'basic', username: 'u', password: 'p', soapUrl: 'http://127.0.0.1:9/WS' }, deps());
    expect(soap.transport).toBe('soap');
    await soap.close();
    expect(() => createBcTarget({ name: 'x', transport: 'ftp' } as never, deps())).toThrow(/unknown transport 'ftp'/);
  });
});
