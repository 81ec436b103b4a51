import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../domain/clock.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { staticAuth } from '../auth.js';
import { BcApiClient } from './client.js';
import { findByKey } from './find-by-key.js';
import { BcHttp } from './http.js';
import { BcLimiter } from './limiter.js';
import { filterIn } from './odata.js';

/** Behaviour the simulator does not exercise: a server without `in`, paging, hostile nextLinks, headers. */

const COMPANY = '11111111-2222-3333-4444-555555555555';
let server: Server | undefined;
let http: BcHttp | undefined;
afterEach(async () => {
  await http?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, url: URL, res: ServerResponse) => void) {
  const seen: Array<{ method: string; url: URL; headers: IncomingMessage['headers'] }> = [];
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    seen.push({ method: req.method ?? '', url, headers: req.headers });
    handler(req, url, res);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bc/api/v2.0`;
  const log: RequestLogEntry[] = [];
  http = new BcHttp({
    environment: 'onprem',
    auth: staticAuth(''),
    limiter: new BcLimiter({ maxInFlight: 5, requestsPerWindow: 100, windowMs: 1000 }, { clock: systemClock, sleep: async () => {} }),
    clock: systemClock,
    requestLog: { record: (e) => log.push(e) },
    timeoutMs: 5000,
  });
  const client = new BcApiClient({ apiUrl: base, environment: 'onprem', company: COMPANY, http, maxRetries: 2, sleep: async () => {} });
  return { base, client, seen, log };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('BcApiClient', () => {
  it('falls back from `in` to `eq … or eq …` when the server rejects `in`, and remembers', async () => {
    const { client, seen } = await serve((_req, url, res) => {
      if (url.pathname.endsWith(`/companies(${COMPANY})`)) return json(res, 200, { id: COMPANY, name: 'On-Prem Co' });
      const filter = url.searchParams.get('$filter') ?? '';
      if (filter.includes(' in ')) return json(res, 400, { error: { code: 'BadRequest_NotFound', message: 'Bad Request - Error in query syntax.' } });
      const keys = [...filter.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
      json(res, 200, { value: keys.filter((k) => k.startsWith('HIT')).map((k) => ({ id: k, externalDocumentNumber: k })) });
    });
    const dialect = { inRejected: false };
    const hits = await findByKey(client, ['HIT-1', "MISS-O'NEIL", 'HIT-2'], { entitySet: 'salesOrders', field: 'externalDocumentNumber', dialect }, {});
    expect(hits.map((h) => h.externalDocumentNumber)).toEqual(['HIT-1', 'HIT-2']);
    expect(dialect.inRejected).toBe(true);
    await findByKey(client, ['HIT-3', 'X'], { entitySet: 'salesOrders', field: 'externalDocumentNumber', dialect }, {});
    const filters = seen.filter((s) => s.url.pathname.endsWith('/salesOrders')).map((s) => s.url.searchParams.get('$filter'));
    expect(filters).toEqual([
      "externalDocumentNumber in ('HIT-1','MISS-O''NEIL','HIT-2')",
      "externalDocumentNumber eq 'HIT-1' or externalDocumentNumber eq 'MISS-O''NEIL' or externalDocumentNumber eq 'HIT-2'",
      "externalDocumentNumber eq 'HIT-3' or externalDocumentNumber eq 'X'",
    ]);
  });

  it('reads many keys in as few requests as URLs of at most 2,048 characters allow, each key once', async () => {
    const { client, seen } = await serve((_req, url, res) => {
      if (url.pathname.endsWith(`/companies(${COMPANY})`)) return json(res, 200, { id: COMPANY, name: 'Co' });
      const keys = [...(url.searchParams.get('$filter') ?? '').matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
      json(res, 200, { value: keys.map((k) => ({ id: k, externalDocumentNumber: k })) });
    });
    // Keys of different lengths, some with quotes (escaped twice over: OData '' and URL %27).
    const keys = Array.from({ length: 150 }, (_, i) => (i % 7 === 0 ? `O'NEIL-${i}` : `WOO-${'X'.repeat(i % 13)}${i}`));
    const hits = await findByKey(client, keys, { entitySet: 'salesOrders', field: 'externalDocumentNumber', select: 'id,externalDocumentNumber', dialect: { inRejected: false } }, {});
    expect(hits.map((h) => h.externalDocumentNumber)).toEqual(keys);
    const reads = seen.filter((s) => s.url.pathname.endsWith('/salesOrders'));
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.every((r) => r.url.searchParams.get('$select') === 'id,externalDocumentNumber')).toBe(true);
    // Every request fits, and each but the last is full: one more key would not have fitted.
    let done = 0;
    for (const [i, r] of reads.entries()) {
      expect(r.url.href.length).toBeLessThanOrEqual(2048);
      const n = [...(r.url.searchParams.get('$filter') ?? '').matchAll(/'((?:[^']|'')*)'/g)].length;
      if (i < reads.length - 1) {
        const longer = await client.companyUrl('salesOrders', { $filter: filterIn('externalDocumentNumber', keys.slice(done, done + n + 1)), $select: 'id,externalDocumentNumber' });
        expect(new URL(longer).href.length).toBeGreaterThan(2048);
      }
      done += n;
    }
    expect(done).toBe(keys.length);
  });

  it('follows @odata.nextLink, sends BC headers, and never follows a link to another host', async () => {
    let base = '';
    const { client, seen, log } = await serve((_req, url, res) => {
      if (url.pathname.endsWith(`/companies(${COMPANY})`)) return json(res, 200, { id: COMPANY, name: 'Co' });
      if (url.searchParams.get('$skiptoken') === '2') return json(res, 200, { value: [{ n: 3 }], '@odata.nextLink': 'http://evil.example/steal' });
      if (url.searchParams.get('$skiptoken') === '1') return json(res, 200, { value: [{ n: 2 }], '@odata.nextLink': `${base}/companies(${COMPANY})/items?$skiptoken=2` });
      json(res, 200, { value: [{ n: 1.10 }], '@odata.nextLink': `${base}/companies(${COMPANY})/items?$skiptoken=1` });
    });
    base = client.apiUrl;
    const err = await client.list(await client.companyUrl('items')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_PROTOCOL' });
    expect(seen.filter((s) => s.url.pathname.endsWith('/items'))).toHaveLength(3);
    const h = seen[1].headers;
    expect(h).toMatchObject({ accept: 'application/json', 'accept-language': 'en-US', 'data-access-intent': 'ReadOnly', prefer: 'odata.maxpagesize=1000' });
    expect(h.authorization).toBeUndefined();
    await client.get(await client.companyUrl('items'), { consistent: true }).catch(() => {});
    expect(seen.at(-1)!.headers['data-access-intent']).toBe('ReadWrite');
    expect(log.every((e) => e.system === 'bc' && e.target === 'onprem' && e.status === 200)).toBe(true);
  });

  it('posts JSON without Data-Access-Intent and keeps amounts exact in the answer', async () => {
    let received = '';
    const { client, seen } = await serve((req, url, res) => {
      if (url.pathname.endsWith(`/companies(${COMPANY})`)) return json(res, 200, { id: COMPANY, name: 'Co' });
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        received = raw;
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"id":"x","totalAmountIncludingTax":12345678901234567.89}');
      });
    });
    const { jsonDecimal } = await import('./json.js');
    const res = await client.post(await client.companyUrl('salesOrders'), { unitPrice: jsonDecimal('20.92437') });
    expect(received).toBe('{"unitPrice":20.92437}');
    expect((res.json() as Record<string, unknown>).totalAmountIncludingTax).toBe('12345678901234567.89');
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers['data-access-intent']).toBeUndefined();
  });
});

describe('BcLookups', () => {
  it('resolves location and variant codes to ids once, and says which code is missing', async () => {
    const { BcLookups } = await import('./lookups.js');
    const { client, seen } = await serve((_req, url, res) => {
      const f = url.searchParams.get('$filter') ?? '';
      if (url.pathname.endsWith(`/companies(${COMPANY})`)) return json(res, 200, { id: COMPANY, name: 'Co' });
      if (url.pathname.endsWith('/locations')) return json(res, 200, { value: f === "code eq 'MAIN'" ? [{ id: 'loc-main', code: 'MAIN' }] : [] });
      if (url.pathname.endsWith('/items')) return json(res, 200, { value: [{ id: 'item-tee', number: 'TEE-01' }] });
      if (url.pathname.endsWith('/items(item-tee)/itemVariants')) return json(res, 200, { value: f === "code eq 'M'" ? [{ id: 'var-m', code: 'M' }] : [] });
      json(res, 404, { error: { code: 'BadRequest_ResourceNotFound', message: "Resource not found for the segment 'x'." } });
    });
    const lookups = new BcLookups(client);
    const doc = {
      externalDocumentNumber: 'K',
      customerNumber: 'C',
      orderDate: '2026-01-01',
      currencyCode: '',
      pricesIncludeTax: false,
      locationCode: 'main',
      lines: [
        { lineType: 'Item' as const, lineObjectNumber: 'TEE-01', itemVariantCode: 'm', quantity: '1', unitPrice: '1' },
        { lineType: 'Item' as const, lineObjectNumber: 'TEE-01', itemVariantCode: 'M', locationCode: 'MAIN', quantity: '1', unitPrice: '1' },
        { lineType: 'Account' as const, lineObjectNumber: '6810', quantity: '1', unitPrice: '1' },
      ],
      expected: { currency: 'EUR', totalNet: '0', totalTax: '0', total: '0' },
    };
    expect(await lookups.resolve(doc)).toEqual({
      shipmentMethodId: undefined,
      lines: [{ locationId: 'loc-main', itemVariantId: 'var-m' }, { locationId: 'loc-main', itemVariantId: 'var-m' }, {}],
    });
    expect(seen.filter((s) => s.url.pathname.endsWith('/locations'))).toHaveLength(1);
    expect(seen.filter((s) => s.url.pathname.endsWith('/itemVariants'))).toHaveLength(1);
    await expect(lookups.locationId('EAST')).rejects.toMatchObject({ code: 'BC_REFERENCE_NOT_FOUND', message: expect.stringContaining('EAST') });
    await expect(lookups.shipmentMethodId('DHL')).rejects.toMatchObject({ code: 'BC_REFERENCE_NOT_FOUND', message: expect.stringContaining('shipmentMethod DHL') });
  });
});

describe('BcApiClient: a create with a deadline (sendBy, the export lease fence)', () => {
  const created = (res: ServerResponse) => json(res, 201, { id: 'a1b2c3d4-0000-0000-0000-000000000001', number: 'S-1' });
  const throttledOnce = () => {
    let posts = 0;
    return (req: IncomingMessage, _url: URL, res: ServerResponse) => {
      if (req.method !== 'POST') return json(res, 404, {});
      posts++;
      if (posts === 1) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0.05' });
        return res.end(JSON.stringify({ error: { code: 'Application_TooManyRequests', message: 'Too many requests.' } }));
      }
      created(res);
    };
  };
  // The client's pause before a retry, really waited, so that a deadline can pass meanwhile.
  const clientWithRealSleep = (base: string) =>
    new BcApiClient({ apiUrl: base, environment: 'onprem', company: COMPANY, http: http!, maxRetries: 2, sleep: (ms) => new Promise((r) => setTimeout(r, ms + 100)) });

  it('is not sent when its deadline has passed by the time its turn comes: BC never sees it, and it is not ambiguous', async () => {
    const { base, client, seen } = await serve((_req, _url, res) => created(res));
    const err = await client.post(`${base}/companies(${COMPANY})/salesOrders`, { externalDocumentNumber: 'WOO-1' }, { sendBy: Date.now() - 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_NOT_SENT', retryable: false, ambiguous: false });
    expect(seen.filter((s) => s.method === 'POST')).toHaveLength(0);
  });

  it("a retry after a 429 is not sent once the deadline passed during the Retry-After pause; without one it goes through", async () => {
    const first = await serve(throttledOnce());
    const err = await clientWithRealSleep(first.base)
      .post(`${first.base}/companies(${COMPANY})/salesOrders`, { externalDocumentNumber: 'WOO-1' }, { sendBy: Date.now() + 50 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_NOT_SENT', ambiguous: false });
    expect(first.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
    await http?.close();
    await new Promise<void>((r) => server!.close(() => r()));

    const second = await serve(throttledOnce());
    const res = await clientWithRealSleep(second.base).post(`${second.base}/companies(${COMPANY})/salesOrders`, { externalDocumentNumber: 'WOO-1' }, { sendBy: Date.now() + 60_000 });
    expect(res.status).toBe(201);
    expect(second.seen.filter((s) => s.method === 'POST')).toHaveLength(2);
  });
});
