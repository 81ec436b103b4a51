import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { WooClient, type WooClientConfig } from './client.js';

/**
 * Client edge cases over real HTTP against a scripted stub (the WooCommerce simulator covers the
 * shop's normal behaviour in client.test.ts; these are the answers a real site sometimes gives).
 */
type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

let server: Server;
let base: string;
let handler: Handler = (_req, res) => res.end('[]');
const requests: URL[] = [];
const open: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(url);
    open.push(res);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  requests.length = 0;
  for (const res of open.splice(0)) if (!res.writableEnded) res.destroy();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
}

function client(overrides: Partial<WooClientConfig> = {}, log: RequestLogEntry[] = []): WooClient {
  return new WooClient(
    {
      shopCode: 'stub', url: base, consumerKey: 'ck_stubkey', consumerSecret: 'cs_stubsecret',
      retry: { attempts: 3, initialDelayMs: 5, maxDelayMs: 50 }, ...overrides,
    },
    { clock: systemClock, requestLog: { record: (e) => log.push(e) } },
  );
}

async function collect(pages: AsyncIterable<unknown[]>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const gmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);

describe('WooClient against a scripted stub', () => {
  it('signs with OAuth 1.0a over http, verifiable from the received URL alone', async () => {
    handler = (_req, res) => json(res, 200, [], { 'x-wp-total': '0', 'x-wp-totalpages': '0' });
    const c = client({ signatureMethod: 'HMAC-SHA1' });
    await collect(c.listOrders({ modifiedSince: '2026-11-23T01:51:11.000Z', pageSize: 50 }));
    await c.close();
    const url = requests[0]!;
    const params = [...url.searchParams.entries()].filter(([k]) => k !== 'oauth_signature');
    // Independent base string: sorted params, RFC 3986-encoded twice, as WooCommerce rebuilds it.
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
    const normalized = params.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
    const baseString = `GET&${enc(`${base}/wp-json/wc/v3/orders`)}&${enc(normalized)}`;
    expect(url.searchParams.get('oauth_signature')).toBe(createHmac('sha1', 'cs_stubsecret&').update(baseString).digest('base64'));
    expect(url.searchParams.get('oauth_signature_method')).toBe('HMAC-SHA1');
    expect(url.searchParams.has('oauth_version')).toBe(false);
    // at-or-after 01:51:11 is WooCommerce's exclusive, zone-less modified_after one second earlier.
    expect(url.searchParams.get('modified_after')).toBe('2026-11-23T01:51:10');
    expect(Object.fromEntries([...url.searchParams].filter(([k]) => !k.startsWith('oauth_')))).toEqual({
      modified_after: '2026-11-23T01:51:10', dates_are_gmt: 'true', orderby: 'modified', order: 'asc', per_page: '50', page: '1',
    });
  });

  it('sends HTTP Basic and a User-Agent when told to, never the key in the URL', async () => {
    let auth: string | undefined;
    let agent: string | undefined;
    handler = (req, res) => {
      auth = req.headers.authorization;
      agent = req.headers['user-agent'];
      json(res, 200, [], { 'x-wp-total': '7' });
    };
    const c = client({ authMode: 'basic' });
    expect(await c.ping()).toEqual({ detail: 'WooCommerce wc/v3 reachable (HTTP Basic), 7 orders' });
    await c.close();
    expect(auth).toBe(`Basic ${Buffer.from('ck_stubkey:cs_stubsecret').toString('base64')}`);
    expect(agent).toBe('bcbridge/0.1');
    expect(requests[0]!.search).toBe('?per_page=1');
  });

  it('does not lose an order that shifts pages when another one is modified during the listing', async () => {
    const t0 = Date.UTC(2026, 0, 1);
    const orders = Array.from({ length: 25 }, (_, i) => ({ id: i + 1, date_modified_gmt: gmt(t0 + i * 1000) }));
    let served = 0;
    handler = (_req, res, url) => {
      const after = url.searchParams.get('modified_after');
      const perPage = Number(url.searchParams.get('per_page'));
      const page = Number(url.searchParams.get('page'));
      const matching = orders
        .filter((o) => after === null || o.date_modified_gmt > after)
        .sort((a, b) => (a.date_modified_gmt < b.date_modified_gmt ? -1 : a.date_modified_gmt > b.date_modified_gmt ? 1 : a.id - b.id));
      const pages = Math.ceil(matching.length / perPage);
      const next: Record<string, string> = page < pages ? { link: `<${base}/wp-json/wc/v3/orders?page=${page + 1}>; rel="next"` } : {};
      json(res, 200, matching.slice((page - 1) * perPage, page * perPage), { 'x-wp-totalpages': String(pages), ...next });
      // After the first page, a customer edits order 3: it moves to the end of the modified order.
      if (++served === 1) orders[2]!.date_modified_gmt = gmt(t0 + 3_600_000);
    };
    const c = client();
    const pages = await collect(c.listOrders({ pageSize: 10 }));
    await c.close();
    const ids = pages.flat().map((o) => (o as { id: number }).id);
    // Every order arrives; order 3 twice (before and after its edit), nothing else twice.
    expect(new Set(ids)).toEqual(new Set(orders.map((o) => o.id)));
    expect(ids.filter((id) => id === 3)).toHaveLength(2);
    expect(ids).toHaveLength(26);
  });

  it('pages by X-WP-TotalPages without a Link header, and stops on a short page without either', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ id: i + 1 }));
    let headers = true;
    handler = (_req, res, url) => {
      const page = Number(url.searchParams.get('page'));
      json(res, 200, all.slice((page - 1) * 2, page * 2), headers ? { 'x-wp-totalpages': '3' } : {});
    };
    const c = client();
    expect((await collect(c.listOrders({ pageSize: 2 }))).map((p) => p.length)).toEqual([2, 2, 1]);
    headers = false;
    expect((await collect(c.listOrders({ pageSize: 2 }))).map((p) => p.length)).toEqual([2, 2, 1]);
    await c.close();
  });

  it('waits as long as Retry-After asks on 429', async () => {
    let calls = 0;
    const at: number[] = [];
    handler = (_req, res) => {
      at.push(Date.now());
      if (++calls === 1) json(res, 429, { code: 'too_many', message: 'Slow down' }, { 'retry-after': '1' });
      else json(res, 200, []);
    };
    const c = client({ retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 5_000 } });
    await c.ping();
    await c.close();
    expect(calls).toBe(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(950);
  });

  it('gives up after the bounded attempts with a retryable error, one log entry per attempt', async () => {
    handler = (_req, res) => json(res, 503, { code: 'maintenance', message: 'Briefly unavailable' });
    const log: RequestLogEntry[] = [];
    const c = client({}, log);
    const err = await c.ping().catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(ShopError);
    expect(err).toMatchObject({ code: 'SHOP_UNAVAILABLE', retryable: true, status: 503 });
    expect(log.map((e) => e.status)).toEqual([503, 503, 503]);
  });

  it('times out a silent shop and retries it', async () => {
    handler = () => {}; // never answers
    const log: RequestLogEntry[] = [];
    const c = client({ timeoutMs: 150, retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 5 } }, log);
    const err = await c.ping().catch((e: unknown) => e);
    await c.close();
    expect(err).toMatchObject({ code: 'SHOP_TIMEOUT', retryable: true });
    expect(log).toHaveLength(2);
    expect(log[0]!.status).toBeUndefined();
    expect(log[0]!.error).toMatch(/did not answer/);
  });

  it('does not repeat a POST after a 503: it may have been applied', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      json(res, 503, {});
    };
    const c = client();
    await expect(c.send('POST', '/orders/1/notes', { body: { note: 'x' } })).rejects.toMatchObject({ code: 'SHOP_UNAVAILABLE' });
    await c.close();
    expect(calls).toBe(1);
  });

  it('tells a missing order (undefined) from a wrong url (SHOP_NOT_FOUND)', async () => {
    handler = (_req, res, url) => {
      if (url.pathname.endsWith('/orders/5')) json(res, 404, { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
      else if (url.pathname.endsWith('/orders/6')) json(res, 404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
      else { res.writeHead(404, { 'content-type': 'text/html' }); res.end('<html>Page not found</html>'); }
    };
    const c = client();
    expect(await c.getOrder('5')).toBeUndefined();
    await expect(c.getOrder('6')).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND', message: expect.stringMatching(/check the url of shop "stub"/) });
    await expect(c.getOrder('7')).rejects.toMatchObject({ code: 'SHOP_NOT_FOUND' });
    expect(await c.getOrder('../../users')).toBeUndefined();
    await c.close();
    expect(requests).toHaveLength(3);
  });

  it('reads JSON behind PHP notices, and refuses an HTML page', async () => {
    let html = false;
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': html ? 'text/html' : 'application/json' });
      res.end(html ? '<!doctype html><title>Maintenance</title>' : '\uFEFF<b>Deprecated</b>: something in plugin.php\n{"id": 9, "status": "processing"}');
    };
    const c = client();
    expect(await c.getOrder('9')).toEqual({ id: 9, status: 'processing' });
    html = true;
    await expect(c.getOrder('9')).rejects.toMatchObject({ code: 'SHOP_BAD_RESPONSE', retryable: false });
    await c.close();
  });

  it('explains a redirect instead of following it with credentials', async () => {
    handler = (_req, res) => {
      res.writeHead(301, { location: 'https://www.shop.test/wp-json/wc/v3/orders?oauth_signature=abc' });
      res.end();
    };
    const c = client();
    const err = await c.ping().catch((e: unknown) => e as ShopError);
    await c.close();
    expect(err).toMatchObject({ code: 'SHOP_REDIRECTED' });
    expect((err as Error).message).toContain('https://www.shop.test/');
    expect((err as Error).message).not.toContain('abc');
  });

  it('reports a 400 with WordPress code, message and parameter details', async () => {
    handler = (_req, res) => json(res, 400, {
      code: 'rest_invalid_param', message: 'Invalid parameter(s): orderby',
      data: { status: 400, params: { orderby: 'orderby is not one of date, id, include, title, slug.' } },
    });
    const c = client();
    const err = await collect(c.listOrders()).catch((e: unknown) => e as ShopError);
    await c.close();
    expect(err).toMatchObject({ code: 'SHOP_REQUEST_REJECTED', retryable: false, status: 400 });
    expect((err as Error).message).toMatch(/^WooCommerce rejected GET \/wp-json\/wc\/v3\/orders\?.*\(400 rest_invalid_param: "Invalid parameter\(s\): orderby" \(orderby: orderby is not one of/);
    expect((err as Error).message).toMatch(/does not support listing by modification date/);
    expect((err as Error).message).not.toContain('oauth_');
  });

  it('stops at once when the caller aborts', async () => {
    handler = () => {};
    const c = client({ timeoutMs: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(c.ping(controller.signal)).rejects.toThrow('shutting down');
    await c.close();
  });
});
