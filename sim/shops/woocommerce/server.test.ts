/**
 * The simulator over real HTTP, with a client written here from RFC 5849 and the WooCommerce docs
 * (not from the simulator's verifier).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWooSim, type WooOrder, type WooSim } from './server.js';

type Algo = 'HMAC-SHA1' | 'HMAC-SHA256';

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** One-legged OAuth 1.0a: returns the URL (params in the query) or an Authorization header. */
function oauthSign(
  method: string,
  url: string,
  key: string,
  secret: string,
  o: { algo?: Algo; timestamp?: number; nonce?: string; header?: boolean } = {},
): { url: string; headers: Record<string, string> } {
  const u = new URL(url);
  const oauth: Record<string, string> = {
    oauth_consumer_key: key,
    oauth_nonce: o.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: o.algo ?? 'HMAC-SHA256',
    oauth_timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
  };
  const pairs = [...u.searchParams.entries(), ...Object.entries(oauth)]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  const base = [method.toUpperCase(), rfc3986(`${u.origin}${u.pathname}`), rfc3986(pairs.map(([k, v]) => `${k}=${v}`).join('&'))].join('&');
  const signature = createHmac(oauth.oauth_signature_method === 'HMAC-SHA1' ? 'sha1' : 'sha256', `${secret}&`).update(base).digest('base64');
  if (o.header) {
    const h = Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}="${rfc3986(v)}"`).join(', ');
    return { url, headers: { authorization: `OAuth ${h}` } };
  }
  const q = Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${k}=${rfc3986(v)}`).join('&');
  return { url: `${url}${u.search ? '&' : '?'}${q}`, headers: {} };
}

async function call(method: string, url: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await request(url, {
    method: method as 'GET',
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, json, text };
}

const api = (sim: WooSim, path: string) => `${sim.url}/wp-json/wc/v3${path}`;

/** The client's wall clock: Date.now, or the fake clock a test gave the simulator. */
const clocks = new WeakMap<WooSim, () => number>();
const wallSec = (sim: WooSim) => Math.floor((clocks.get(sim) ?? Date.now)() / 1000);

/** A signed call the way a correct OAuth client makes it. */
function signed(sim: WooSim, method: string, path: string, body?: unknown, o: Parameters<typeof oauthSign>[4] = {}) {
  const s = oauthSign(method, api(sim, path), sim.consumerKey, sim.consumerSecret, { timestamp: wallSec(sim), ...o });
  return call(method, s.url, s.headers, body);
}

const basic = (k: string, s: string) => ({ authorization: `Basic ${Buffer.from(`${k}:${s}`).toString('base64')}` });

function links(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const raw = h.link;
  const all = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((x) => x.split(/,\s*(?=<)/));
  const out: Record<string, string> = {};
  for (const l of all) {
    const m = /^<([^>]+)>;\s*rel="([^"]+)"$/.exec(l.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}

describe('auth over plain http', () => {
  let sim: WooSim;
  beforeAll(async () => {
    sim = await startWooSim({ seed: 5 });
    sim.generate(3);
  });
  afterAll(() => sim.close());

  it.each(['HMAC-SHA256', 'HMAC-SHA1'] as const)('accepts OAuth 1.0a %s in the query string', async (algo) => {
    const r = await signed(sim, 'GET', '/orders?per_page=2&status=processing,on-hold,completed,pending&modified_after=2026-01-01T00:00:00&dates_are_gmt=true', undefined, { algo });
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
  });

  it('accepts OAuth 1.0a in the Authorization header', async () => {
    const r = await signed(sim, 'GET', '/orders?per_page=1', undefined, { header: true });
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(1);
  });

  it('refuses a bad signature, an old timestamp, a reused nonce and an unknown key', async () => {
    const bad = oauthSign('GET', api(sim, '/orders'), sim.consumerKey, 'wrong-secret', { timestamp: wallSec(sim) });
    let r = await call('GET', bad.url);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Invalid signature - provided signature does not match.', data: { status: 401 } });

    r = await signed(sim, 'GET', '/orders', undefined, { timestamp: wallSec(sim) - 16 * 60 });
    expect(r.status).toBe(401);
    expect(r.json.message).toBe('Invalid timestamp.');

    const once = oauthSign('GET', api(sim, '/orders'), sim.consumerKey, sim.consumerSecret, { timestamp: wallSec(sim), nonce: 'fixed-nonce-1' });
    expect((await call('GET', once.url)).status).toBe(200);
    r = await call('GET', once.url);
    expect(r.status).toBe(401);
    expect(r.json.message).toBe('Invalid nonce - nonce has already been used.');

    const stranger = oauthSign('GET', api(sim, '/orders'), 'ck_other', sim.consumerSecret, { timestamp: wallSec(sim) });
    r = await call('GET', stranger.url);
    expect(r.json).toMatchObject({ code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.' });
  });

  it('refuses a signature made for another host name (the base URL must match the site URL)', async () => {
    const s = oauthSign('GET', api(sim, '/orders').replace('127.0.0.1', 'localhost'), sim.consumerKey, sim.consumerSecret, { timestamp: wallSec(sim) });
    const r = await call('GET', s.url.replace('localhost', '127.0.0.1'));
    expect(r.status).toBe(401);
  });

  it('ignores Basic auth and query keys over http (401 woocommerce_rest_cannot_view)', async () => {
    let r = await call('GET', api(sim, '/orders'), basic(sim.consumerKey, sim.consumerSecret));
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
    r = await call('GET', api(sim, `/orders?consumer_key=${sim.consumerKey}&consumer_secret=${sim.consumerSecret}`));
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('woocommerce_rest_cannot_view');
  });

  it('serves the namespace index without auth and system_status with it', async () => {
    expect((await call('GET', `${sim.url}/wp-json/wc/v3`)).status).toBe(200);
    expect((await call('GET', api(sim, '/system_status'))).status).toBe(401);
    const r = await signed(sim, 'GET', '/system_status');
    expect(r.status).toBe(200);
    expect(r.json.environment.version).toBe('11.0.1');
    const root = await call('GET', `${sim.url}/wp-json/`);
    expect(root.json.gmt_offset).toBe(1);
  });

  it('answers unknown orders and routes like WordPress', async () => {
    let r = await signed(sim, 'GET', '/orders/999999');
    expect(r.status).toBe(404);
    expect(r.json).toEqual({ code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
    r = await signed(sim, 'PUT', '/orders/999999', { status: 'completed' });
    expect(r.status).toBe(400);
    r = await signed(sim, 'GET', '/products');
    expect(r.json.code).toBe('rest_no_route');
  });
});

describe('auth behind https (assumeHttps)', () => {
  let sim: WooSim;
  beforeAll(async () => {
    sim = await startWooSim({ assumeHttps: true, seed: 6, consumerKey: 'ck_live', consumerSecret: 'cs_live' });
    sim.generate(12);
  });
  afterAll(() => sim.close());

  it('accepts Basic auth and query keys, refuses a wrong secret, links with https', async () => {
    let r = await call('GET', api(sim, '/orders'), basic('ck_live', 'cs_live'));
    expect(r.status).toBe(200);
    expect(links(r.headers).next).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/wp-json\/wc\/v3\/orders\?page=2$/);
    expect(r.json[0]._links.self[0].href.startsWith('https://')).toBe(true);
    r = await call('GET', api(sim, '/orders?consumer_key=ck_live&consumer_secret=cs_live'));
    expect(r.status).toBe(200);
    r = await call('GET', api(sim, '/orders'), basic('ck_live', 'nope'));
    expect(r.status).toBe(401);
    expect(r.json.message).toBe('Consumer secret is invalid.');
    expect(r.headers['www-authenticate']).toMatch(/^Basic realm=/);
  });

  it('still accepts OAuth signed against the https site URL', async () => {
    const s = oauthSign('GET', `${sim.siteUrl}/wp-json/wc/v3/orders`, 'ck_live', 'cs_live', { timestamp: wallSec(sim) });
    expect((await call('GET', s.url.replace(sim.siteUrl, sim.url))).status).toBe(200);
  });
});

describe('listing', () => {
  let sim: WooSim;
  let clock = Date.parse('2026-11-23T10:00:00Z');
  let firstBatch: WooOrder[] = [];
  beforeAll(async () => {
    sim = await startWooSim({ seed: 9, now: () => clock });
    clocks.set(sim, () => clock);
  });
  afterAll(() => sim.close());

  it('pages with X-WP-Total, X-WP-TotalPages and Link prev/next (no last)', async () => {
    firstBatch = sim.generate(25);
    let r = await signed(sim, 'GET', '/orders');
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(10);
    expect(r.headers['x-wp-total']).toBe('25');
    expect(r.headers['x-wp-totalpages']).toBe('3');
    let l = links(r.headers);
    expect(Object.keys(l).sort()).toEqual(['https://api.w.org/', 'next']);

    r = await signed(sim, 'GET', '/orders?page=2&per_page=10');
    l = links(r.headers);
    expect(l.prev).toContain('page=1');
    expect(l.next).toContain('page=3');
    expect(l.last).toBeUndefined();
    // WordPress copies every query parameter into the links, OAuth ones included: re-sign, never reuse.
    expect(l.next).toContain('oauth_signature=');

    r = await signed(sim, 'GET', '/orders?page=3&per_page=10');
    expect(r.json).toHaveLength(5);
    expect(Object.keys(links(r.headers)).sort()).toEqual(['https://api.w.org/', 'prev']);
    r = await signed(sim, 'GET', '/orders?page=4&per_page=10');
    expect(r.json).toEqual([]);
  });

  it('rejects per_page over 100 with 400 rest_out_of_bounds', async () => {
    const r = await signed(sim, 'GET', '/orders?per_page=101');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page',
      data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' }, details: { per_page: { code: 'rest_out_of_bounds' } } },
    });
    expect((await signed(sim, 'GET', '/orders?per_page=100')).status).toBe(200);
  });

  it('filters modified_after with dates_are_gmt, sorted by modified ascending; without dates_are_gmt reads site time', async () => {
    const cut = clock + 30 * 60_000; // between the first batch and the next
    clock += 2 * 3600_000;
    const later = sim.generate(7);
    const cutStr = new Date(cut).toISOString().slice(0, 19);

    let r = await signed(sim, 'GET', `/orders?modified_after=${cutStr}&dates_are_gmt=true&orderby=modified&order=asc&per_page=100`);
    expect(r.status).toBe(200);
    expect(r.json.map((o: WooOrder) => o.id)).toEqual(later.map((o) => o.id));
    const mods = r.json.map((o: WooOrder) => o.date_modified_gmt);
    expect([...mods].sort()).toEqual(mods);

    // A client that forgets dates_are_gmt: the value is read as +01:00, i.e. one hour earlier, and gets everything.
    r = await signed(sim, 'GET', `/orders?modified_after=${cutStr}&orderby=modified&order=asc&per_page=100`);
    expect(r.json).toHaveLength(32);

    // Strictly after: an order modified in exactly that second is not returned.
    const last = later[later.length - 1].date_modified_gmt;
    r = await signed(sim, 'GET', `/orders?modified_after=${last}&dates_are_gmt=true`);
    expect(r.json).toEqual([]);

    r = await signed(sim, 'GET', '/orders?modified_after=yesterday');
    expect(r.status).toBe(400);
    expect(r.json.data.params.modified_after).toBe('Invalid date.');
  });

  it('filters by status and include', async () => {
    const some = sim.orders().slice(0, 3).map((o) => o.id);
    let r = await signed(sim, 'GET', `/orders?include=${some.join(',')}&orderby=id&order=asc`);
    expect(r.json.map((o: WooOrder) => o.id)).toEqual(some);
    r = await signed(sim, 'GET', '/orders?status=on-hold&per_page=100');
    expect(r.json.every((o: WooOrder) => o.status === 'on-hold')).toBe(true);
    expect(Number(r.headers['x-wp-total'])).toBe(sim.orders().filter((o) => o.status === 'on-hold').length);
    r = await signed(sim, 'GET', '/orders?status=shipped');
    expect(r.status).toBe(400);
  });

  it('updates status over PUT (bumps modified, completes, notes it) and takes notes', async () => {
    const o = sim.orders().find((x) => x.status === 'on-hold')!;
    clock += 5000;
    let r = await signed(sim, 'PUT', `/orders/${o.id}`, { status: 'completed' });
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('completed');
    expect(r.json.date_modified_gmt > o.date_modified_gmt).toBe(true);
    expect(r.json.date_completed_gmt).toBe(r.json.date_modified_gmt);
    expect(r.json.date_paid_gmt).not.toBeNull();

    r = await signed(sim, 'POST', `/orders/${o.id}/notes`, { note: 'Shipped with DHL 00340434161094000000', customer_note: false });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ note: 'Shipped with DHL 00340434161094000000', customer_note: false, author: 'system' });
    r = await signed(sim, 'GET', `/orders/${o.id}/notes`);
    expect(r.json.map((n: { note: string }) => n.note)).toEqual(['Shipped with DHL 00340434161094000000', 'Order status changed from On hold to Completed.']);

    r = await signed(sim, 'PUT', `/orders/${o.id}`, { status: 'shipped' });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('rest_invalid_param');
  });

  it('the same list asked again after an order changed answers with the change (sorted answers are reused only while nothing changed)', async () => {
    const q = '/orders?dates_are_gmt=true&orderby=modified&order=asc&per_page=100&status=processing';
    const before = (await signed(sim, 'GET', q)).json as WooOrder[];
    const again = (await signed(sim, 'GET', q)).json as WooOrder[];
    expect(again.map((o) => o.id)).toEqual(before.map((o) => o.id));
    const first = before[0]!;
    clock += 60_000;
    const r = await signed(sim, 'PUT', `/orders/${first.id}`, { customer_note: 'leave at the door' });
    expect(r.status).toBe(200);
    const after = (await signed(sim, 'GET', q)).json as WooOrder[];
    // Modified last now: at the end of the list, with the new note.
    expect(after.at(-1)).toMatchObject({ id: first.id, customer_note: 'leave at the door' });
    expect(after.map((o) => o.id).sort()).toEqual(before.map((o) => o.id).sort());
    const since = (await signed(sim, 'GET', `${q}&modified_after=${before.at(-1)!.date_modified_gmt}`)).json as WooOrder[];
    expect(since.map((o) => o.id)).toEqual([first.id]);
  });

  it('stamps modifications at one-second resolution, never backwards, sometimes sharing a second', () => {
    const stamps = firstBatch.map((o) => o.date_modified_gmt);
    expect(stamps).toEqual([...stamps].sort());
    expect(new Set(stamps).size).toBeLessThan(stamps.length);
    expect(new Set(stamps).size).toBeGreaterThan(1);
    clock -= 3600_000; // the wall clock steps back: stamps still do not
    const u = sim.updateOrder(sim.orders()[0].id, { customer_note: 'changed' });
    const latest = sim.orders().map((o) => o.date_modified_gmt).sort().at(-2)!;
    expect(u.date_modified_gmt >= latest).toBe(true);
  });
});

describe('faults and stats', () => {
  let sim: WooSim;
  beforeAll(async () => {
    sim = await startWooSim({ seed: 11 });
    sim.generate(2);
  });
  afterEach(() => sim.faults.clear());
  afterAll(() => sim.close());

  it('429 with Retry-After for a number of times, then normal service', async () => {
    sim.faults.add({ kind: '429', pathIncludes: '/orders', times: 2, retryAfter: 3 });
    let r = await signed(sim, 'GET', '/orders');
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('3');
    expect((await signed(sim, 'GET', '/orders')).status).toBe(429);
    r = await signed(sim, 'GET', '/orders');
    expect(r.status).toBe(200);
  });

  it('500 with the WordPress critical-error body and 503 without Retry-After', async () => {
    sim.faults.add({ kind: '500', times: 1 });
    let r = await signed(sim, 'GET', '/orders');
    expect(r.status).toBe(500);
    expect(r.json.code).toBe('internal_server_error');
    sim.faults.add({ kind: '503', times: 1 });
    r = await signed(sim, 'GET', '/orders');
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBeUndefined();
  });

  it('resets the connection and lets a request time out', async () => {
    sim.faults.add({ kind: 'reset', times: 1 });
    await expect(signed(sim, 'GET', '/orders')).rejects.toThrow();
    sim.faults.add({ kind: 'timeout', times: 1 });
    const s = oauthSign('GET', api(sim, '/orders'), sim.consumerKey, sim.consumerSecret, { timestamp: wallSec(sim) });
    await expect(request(s.url, { headersTimeout: 300 })).rejects.toThrow(/timeout/i);
    expect((await signed(sim, 'GET', '/orders')).status).toBe(200);
  });

  it('only faults matching paths and counts what it answered', async () => {
    sim.faults.add({ kind: '500', pathIncludes: '/notes' });
    expect((await signed(sim, 'GET', '/orders')).status).toBe(200);
    const id = sim.orders()[0].id;
    expect((await signed(sim, 'GET', `/orders/${id}/notes`)).status).toBe(500);
    sim.faults.clear();
    // A rule with a method hits that method only.
    sim.faults.add({ kind: '503', pathIncludes: '/notes', method: 'POST', times: 1 });
    expect((await signed(sim, 'GET', `/orders/${id}/notes`)).status).toBe(200);
    expect((await signed(sim, 'POST', `/orders/${id}/notes`, { note: 'x' })).status).toBe(503);
    expect((await signed(sim, 'POST', `/orders/${id}/notes`, { note: 'x' })).status).toBe(201);
    const st = sim.stats();
    expect(st.requests).toBeGreaterThanOrEqual(10);
    expect(st.byStatus['429']).toBe(2);
    expect(st.byStatus.reset).toBe(1);
    expect(st.byStatus.timeout).toBe(1);
  });

  it('trims documents with _fields', async () => {
    const r = await signed(sim, 'GET', '/orders?per_page=1&_fields=id,total,line_items.sku');
    expect(Object.keys(r.json[0])).toEqual(['id', 'total', 'line_items']);
    expect(Object.keys(r.json[0].line_items[0])).toEqual(['sku']);
  });

  it('is controllable over /_sim from another process', async () => {
    let r = await call('POST', `${sim.url}/_sim/generate`, {}, { n: 3, statuses: ['processing'] });
    expect(r.json.count).toBe(3);
    r = await call('POST', `${sim.url}/_sim/faults`, {}, { kind: '503', times: 1 });
    expect((await signed(sim, 'GET', '/orders')).status).toBe(503);
    r = await call('POST', `${sim.url}/_sim/orders/${sim.orders()[0].id}`, {}, { status: 'cancelled' });
    expect(r.json.status).toBe('cancelled');
    r = await call('GET', `${sim.url}/_sim/stats`);
    expect(r.json.byStatus['503']).toBeGreaterThanOrEqual(1);
  });
});

describe('startup history', () => {
  it('backfills initial orders into the past, the last one modified now', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const sim = await startWooSim({ seed: 13, now: () => now, initialOrders: 40 });
    try {
      const stamps = sim.orders().map((o) => o.date_modified_gmt);
      expect(stamps).toEqual([...stamps].sort());
      expect(stamps.at(-1)).toBe('2026-11-23T10:00:00');
      expect(stamps[0] < '2026-11-23T09:59:50').toBe(true);
    } finally {
      await sim.close();
    }
  });
});

describe('addOrder', () => {
  let sim: WooSim;
  beforeAll(async () => {
    sim = await startWooSim({ seed: 12 });
  });
  afterAll(() => sim.close());

  it('fills an odd order from partial lines and recomputes totals', () => {
    const o = sim.addOrder({
      status: 'processing', currency: 'EUR', prices_include_tax: false, customer_id: 0,
      line_items: [{ sku: 'MUG-01', quantity: 3 }, { sku: 'NOPE-1', name: 'Mystery', quantity: 1, price: 10 }],
      fee_lines: [], shipping_lines: [{ total: '4.90' }],
    });
    expect(o.line_items[0]).toMatchObject({ sku: 'MUG-01', total: '37.50', total_tax: '7.50', price: 12.5, name: 'Enamel Mug Blue' });
    expect(o.line_items[1]).toMatchObject({ sku: 'NOPE-1', total: '10.00', total_tax: '2.00', product_id: 0 });
    expect(o.total).toBe('62.88'); // 37.50 + 7.50 + 10.00 + 2.00 + 4.90 + 0.98
    expect(o.coupon_lines).toEqual([]);
    expect(o.customer_id).toBe(0);
    expect(o.number).toBe(String(o.id));
    expect(sim.orders().map((x) => x.id)).toContain(o.id);
  });
});
