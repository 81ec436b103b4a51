import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim } from '../../../sim/shops/shopify/server.js';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { shopifyShopSchema } from './config.js';
import { createShopifyConnector, type ShopifyConnector } from './connector.js';
import { toOrder } from './to-order.js';

const SECRET_TOKEN = 'shpat_test_0123456789abcdef';

function connectorFor(sim: ShopifySim, overrides: Record<string, unknown> = {}, sleeps: number[] = [], log: RequestLogEntry[] = []): ShopifyConnector {
  const config = shopifyShopSchema.parse({ code: 'shop', platform: 'shopify', url: sim.url, accessToken: SECRET_TOKEN, webhookSecret: 'x', ...overrides });
  return createShopifyConnector(config, {
    clock: systemClock,
    requestLog: { record: (e) => log.push(e) },
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      await new Promise((r) => setTimeout(r, ms));
      signal?.throwIfAborted();
    },
  });
}

async function listAll(c: ShopifyConnector, since?: string): Promise<any[]> {
  const out: any[] = [];
  for await (const page of c.listChangedOrders(since)) out.push(...page);
  return out;
}

describe('Shopify connector against the simulator', () => {
  let sim: ShopifySim;
  let c: ShopifyConnector;
  let sleeps: number[];
  let log: RequestLogEntry[];
  beforeEach(async () => {
    sim = await startShopifySim({ seed: 9, accessToken: SECRET_TOKEN });
    sleeps = [];
    log = [];
    c = connectorFor(sim, {}, sleeps, log);
  });
  afterEach(async () => {
    await c.close();
    await sim.close();
  });

  it('lists every order changed since the cursor, oldest change first, in pages it shrinks to what one query may cost', async () => {
    const early = sim.generate(5);
    await new Promise((r) => setTimeout(r, 1100));
    // Shopify stamps have whole seconds: the cursor is a second boundary, as the pull's would be.
    const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const late = sim.generate(12);
    const listed = await listAll(c, since);
    expect(listed.map((o) => Number(o.legacyResourceId))).toEqual(late.map((o) => o.id));
    expect(listed.every((o) => !early.some((e) => String(e.id) === o.legacyResourceId))).toBe(true);
    // One refused page (MAX_COST_EXCEEDED) taught the connector its page size; the rest fit.
    expect(sim.stats().maxCostExceeded).toBe(1);
    await listAll(c);
    expect(sim.stats().maxCostExceeded).toBe(1);
    // Every call is in the request log, never with the token.
    expect(log.length).toBeGreaterThan(2);
    expect(JSON.stringify(log)).not.toContain(SECRET_TOKEN);
  });

  it('maps a polled GraphQL node exactly as the REST webhook body of the same order, in either currency', async () => {
    sim.generate(40, { foreignCurrencyShare: 0.6 });
    // A Plus-sized bucket: this test is about mapping, not about waiting.
    sim.bucket.set({ maximumAvailable: 100_000, currentlyAvailable: 100_000, restoreRate: 10_000 });
    for (const currency of ['shop', 'presentment'] as const) {
      const conn = connectorFor(sim, { currency });
      try {
        const listed = await listAll(conn);
        expect(listed).toHaveLength(40);
        for (const node of listed) {
          const rest = sim.restOrder(Number(node.legacyResourceId));
          expect(conn.toOrder(node)).toEqual(toOrder(rest, { currency }));
        }
        expect(new Set(listed.map((n) => conn.toOrder(n).currency)).size).toBe(currency === 'shop' ? 1 : 4);
      } finally {
        await conn.close();
      }
    }
  });

  it('completes an order with more line items than one page holds', async () => {
    const [order] = sim.generate(1);
    const template = order!.lines[0]!;
    for (let i = 0; i < 23; i++) order!.lines.push({ ...template, id: template.id + 1000 + i, allocations: [], quantity: 1 });
    const lines = order!.lines.length;
    expect(lines).toBeGreaterThan(10 * 2);
    const [listed] = await listAll(c);
    expect(listed.lineItems.nodes).toHaveLength(lines);
    expect(c.toOrder(listed).lines.map((l) => l.lineId)).toEqual(order!.lines.map((l) => String(l.id)));
    expect(c.toOrder(await c.getOrder(String(order!.id)))).toEqual(c.toOrder(listed));
    expect(await c.getOrder('999')).toBeUndefined();
    expect(await c.getOrder('not-an-id')).toBeUndefined();
  });

  it('waits for the cost bucket before a request instead of being throttled', async () => {
    sim.generate(30);
    // A bucket that holds about one page: every later page has to wait for points.
    sim.bucket.set({ maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 1000 });
    const listed = await listAll(c);
    expect(listed).toHaveLength(30);
    expect(sim.stats().throttled).toBe(0);
    expect(sleeps.filter((ms) => ms > 0).length).toBeGreaterThan(0);
  });

  it('waits out a THROTTLED answer using the bucket state it reports, then succeeds', async () => {
    sim.generate(3);
    sim.bucket.set({ currentlyAvailable: 0, restoreRate: 2000 });
    const listed = await listAll(c);
    expect(listed).toHaveLength(3);
    expect(sim.stats().throttled).toBe(1);
    // The wait was computed from requested cost and restore rate, not guessed.
    expect(sleeps[0]).toBeGreaterThan(100);
  });

  it('gives up (retryable) when the bucket would take longer to refill than allowed', async () => {
    sim.generate(3);
    sim.bucket.set({ currentlyAvailable: 0, restoreRate: 1 });
    const slow = connectorFor(sim, { maxThrottleWaitMs: 2000 });
    try {
      const err = await listAll(slow).catch((e) => e);
      expect(err).toBeInstanceOf(ShopError);
      expect(err).toMatchObject({ code: 'SHOP_THROTTLED', retryable: true });
      expect(sim.stats().throttled).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('retries 429 after Retry-After and 5xx with backoff; explains 401 and 404 without the token', async () => {
    sim.generate(2);
    sim.faults.add({ kind: '429', times: 1, retryAfter: 0.3 });
    sim.faults.add({ kind: '503', times: 1 });
    expect(await listAll(c)).toHaveLength(2);
    expect(sleeps.some((ms) => ms >= 300)).toBe(true);

    const bad = connectorFor(sim, { accessToken: 'shpat_wrong_token' });
    const auth = await bad.ping().catch((e) => e);
    expect(auth).toMatchObject({ code: 'SHOP_AUTH', status: 401 });
    expect(auth.message).toMatch(/check shops\[\]\.accessToken/);
    expect(auth.message).not.toContain('shpat_wrong_token');
    await bad.close();
    const wrongUrl = connectorFor(sim, { url: `${sim.url}/shop-admin` });
    expect(await wrongUrl.ping().catch((e) => e)).toMatchObject({ code: 'SHOP_NOT_FOUND' });
    await wrongUrl.close();
    expect((await c.ping()).detail).toBe('Shopify Admin API 2025-10 reachable: bcbridge demo shop (bcbridge-demo.myshopify.com, EUR)');
  });
});
