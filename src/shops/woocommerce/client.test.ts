import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWooSim } from '../../../sim/shops/woocommerce/server.js';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { rawTextOf } from '../raw-text.js';
import { createWooCommerceConnector, type WooCommerceConnector, type WooCommerceShopConfig } from './connector.js';

/** The connector over real HTTP against the WooCommerce simulator (sim/shops/woocommerce). */
type Sim = Awaited<ReturnType<typeof startWooSim>>;

const KEY = 'ck_demo';
const SECRET = 'cs_demo';

let sim: Sim;
const connectors: WooCommerceConnector[] = [];

beforeAll(async () => {
  sim = await startWooSim({ port: 0, consumerKey: KEY, consumerSecret: SECRET, seed: 42 });
  sim.generate(250);
});

afterAll(async () => {
  await Promise.all(connectors.map((c) => c.close()));
  await sim.close();
});

function connect(overrides: Partial<WooCommerceShopConfig> = {}, log: RequestLogEntry[] = [], url = sim.url): WooCommerceConnector {
  const c = createWooCommerceConnector(
    { code: 'woo', url, consumerKey: KEY, consumerSecret: SECRET, pageSize: 100, timeoutMs: 5_000, ...overrides },
    { clock: systemClock, requestLog: { record: (e) => log.push(e) } },
  );
  connectors.push(c);
  return c;
}

async function collect(pages: AsyncIterable<unknown[]>): Promise<Record<string, any>[][]> {
  const out: Record<string, any>[][] = [];
  for await (const page of pages) out.push(page as Record<string, any>[]);
  return out;
}

/** The simulator's orders as the API shows them, oldest modification first. */
function simOrders(): { id: number; modified: string }[] {
  return (sim.orders() as unknown as { id: number; date_modified_gmt: string }[])
    .map((o) => ({ id: o.id, modified: o.date_modified_gmt }))
    .sort((a, b) => (a.modified < b.modified ? -1 : a.modified > b.modified ? 1 : a.id - b.id));
}

function expectModifiedOrder(orders: Record<string, any>[]): void {
  for (let i = 1; i < orders.length; i++) {
    expect(orders[i]!.date_modified_gmt >= orders[i - 1]!.date_modified_gmt).toBe(true);
  }
}

describe('WooCommerce connector against the simulator', () => {
  it('lists 250 orders in 3 pages of at most 100, oldest modification first, each mappable', async () => {
    const c = connect();
    const pages = await collect(c.listChangedOrders(undefined));
    expect(pages).toHaveLength(3);
    for (const page of pages) expect(page.length).toBeLessThanOrEqual(100);
    const all = pages.flat();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((o) => o.id))).toEqual(new Set(simOrders().map((o) => o.id)));
    expectModifiedOrder(all);
    for (const raw of all) {
      const order = c.toOrder(raw);
      expect(order.shopOrderId).toBe(String(raw.id));
      expect(c.identify(raw)?.modifiedAt).toBe(order.modifiedAt);
      // Each order keeps the text the shop sent it as (what intake stores), which reads back as the same order.
      const text = rawTextOf(raw);
      expect(text).toMatch(/^\{"id":/);
      expect(JSON.parse(text!)).toEqual(raw);
    }
  });

  it('with a cursor returns only orders modified at or after it, and picks up a later change', async () => {
    const c = connect();
    const sorted = simOrders();
    const pivot = sorted[180]!;
    const since = `${pivot.modified}.000Z`;
    const expected = sorted.filter((o) => o.modified >= pivot.modified).map((o) => o.id);
    const got = (await collect(c.listChangedOrders(since))).flat();
    expect(got.map((o) => o.id).sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
    expect(got.every((o) => o.date_modified_gmt >= pivot.modified)).toBe(true);
    expectModifiedOrder(got);

    // An old order changes: the next pull from the newest cursor brings exactly it (and what shares its second).
    const newest = sorted[sorted.length - 1]!.modified;
    const old = sorted[3]!;
    sim.updateOrder(old.id, { status: 'completed' });
    const later = (await collect(c.listChangedOrders(`${newest}.000Z`))).flat();
    expect(later.map((o) => o.id)).toContain(old.id);
    const changed = later.find((o) => o.id === old.id)!;
    expect(changed.status).toBe('completed');
    expect(changed.date_modified_gmt >= newest).toBe(true);
  });

  it('starts from startDate when there is no cursor', async () => {
    const sorted = simOrders();
    const start = sorted[240]!.modified;
    const c = connect({ startDate: `${start}Z` });
    const got = (await collect(c.listChangedOrders(undefined))).flat();
    expect(got.length).toBeGreaterThan(0);
    expect(got.every((o) => o.date_modified_gmt >= start)).toBe(true);
  });

  it('refuses HTTP Basic over plain http with a sentence that says what to do', async () => {
    const c = connect({ authMode: 'basic' });
    const err = await c.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopError);
    expect(err).toMatchObject({ code: 'SHOP_AUTH', retryable: false, status: 401 });
    const message = (err as Error).message;
    expect(message).toMatch(/^WooCommerce refused the consumer key \(401 woocommerce_rest_cannot_view/);
    expect(message).toContain('HTTP Basic over plain http');
    expect(message).toContain('OAuth 1.0a');
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(KEY);
  });

  it('refuses a wrong secret with SHOP_AUTH, naming the fields to check', async () => {
    const c = connect({ consumerSecret: 'cs_wrong' });
    const err = await c.ping().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOP_AUTH' });
    expect((err as Error).message).toMatch(/check consumerKey\/consumerSecret of shop "woo"/);
    expect((err as Error).message).not.toContain('cs_wrong');
  });

  it('signs with HMAC-SHA1 when configured', async () => {
    const c = connect({ signatureMethod: 'HMAC-SHA1', authMode: 'oauth1' });
    expect((await c.ping()).detail).toMatch(/^WooCommerce wc\/v3 reachable \(OAuth 1\.0a\), \d+ orders$/);
  });

  it('uses HTTP Basic where WooCommerce believes it is on https, and pages despite https Link URLs', async () => {
    const https = await startWooSim({ port: 0, consumerKey: KEY, consumerSecret: SECRET, assumeHttps: true, seed: 7 });
    try {
      https.generate(120);
      const log: RequestLogEntry[] = [];
      const c = connect({ authMode: 'basic', pageSize: 50 }, log, https.url);
      const pages = await collect(c.listChangedOrders(undefined));
      expect(pages.flat()).toHaveLength(120);
      expect(log.every((e) => e.status === 200)).toBe(true);
      expect(log.some((e) => e.url.includes('oauth_'))).toBe(false);
    } finally {
      await https.close();
    }
  });

  it('retries 503, 429, a reset and a timeout, then succeeds', async () => {
    for (const kind of ['503', '429', 'reset', 'timeout'] as const) {
      const log: RequestLogEntry[] = [];
      // Production retry policy (4 attempts, backoff from 500 ms); a short timeout for the 'timeout' fault.
      const c = connect({ timeoutMs: 1_000 }, log);
      sim.faults.add({ kind, pathIncludes: '/orders', times: 1 });
      try {
        expect((await c.ping()).detail).toMatch(/reachable/);
      } finally {
        sim.faults.clear();
      }
      expect(log).toHaveLength(2);
      expect(log[1]!.status).toBe(200);
      if (kind === '503' || kind === '429') expect(log[0]!.status).toBe(Number(kind));
      else expect(log[0]!.status).toBeUndefined();
    }
  });

  it('gets one order, and undefined for an id the shop does not have', async () => {
    const c = connect();
    const id = simOrders()[0]!.id;
    const raw = (await c.getOrder(String(id))) as Record<string, unknown>;
    expect(raw.id).toBe(id);
    expect(c.toOrder(raw).shopOrderId).toBe(String(id));
    expect(await c.getOrder('987654321')).toBeUndefined();
  });

  it('records every call in the request log without a secret in any URL', async () => {
    const log: RequestLogEntry[] = [];
    const c = connect({}, log);
    await collect(c.listChangedOrders(undefined));
    await c.getOrder(String(simOrders()[0]!.id));
    await c.getOrder('987654321');
    await c.ping();
    expect(log.length).toBeGreaterThanOrEqual(6);
    for (const entry of log) {
      expect(entry).toMatchObject({ system: 'shop', target: 'woo', method: 'GET' });
      expect(entry.url.startsWith(`${sim.url}/wp-json/wc/v3/orders`)).toBe(true);
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
      expect(typeof entry.status).toBe('number');
      expect(entry.url).not.toContain(KEY);
      expect(entry.url).not.toContain(SECRET);
      const signature = new URL(entry.url).searchParams.get('oauth_signature');
      expect(signature).toBe('[redacted]');
      expect(JSON.stringify(entry)).not.toContain(SECRET);
    }
    expect(log.map((e) => e.status)).toContain(404);
  });
});
