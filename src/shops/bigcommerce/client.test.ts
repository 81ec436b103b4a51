import { afterEach, describe, expect, it } from 'vitest';
import { startBigCommerceSim, type BigCommerceSim } from '../../../sim/shops/bigcommerce/server.js';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { BigCommerceClient, type BigCommerceClientConfig } from './client.js';
import { toOrder } from './to-order.js';

let sim: BigCommerceSim | undefined;
let client: BigCommerceClient | undefined;
afterEach(async () => {
  await client?.close();
  await sim?.close();
  client = sim = undefined;
});

function make(s: BigCommerceSim, over: Partial<BigCommerceClientConfig> = {}): { client: BigCommerceClient; log: RequestLogEntry[] } {
  const log: RequestLogEntry[] = [];
  client = new BigCommerceClient(
    { shopCode: 'bc', storeHash: s.storeHash, accessToken: s.accessToken, apiUrl: s.url, retry: { initialDelayMs: 10, maxDelayMs: 2000 }, ...over },
    { clock: systemClock, requestLog: { record: (e) => log.push(e) } },
  );
  return { client, log };
}

async function all(iter: AsyncIterable<unknown[]>): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  for await (const page of iter) out.push(...(page as Record<string, any>[]));
  return out;
}

describe('BigCommerceClient against the simulator', () => {
  it('sends min_date_modified as RFC 2822 with the + encoded, sorted by date_modified, and stops on a short page', async () => {
    sim = await startBigCommerceSim({ seed: 5 });
    sim.generate(12, { statuses: ['awaiting-fulfillment'] });
    const { client: c, log } = make(sim);
    const cutoff = sim.orders()[6]!.order.date_modified;
    const since = new Date(Date.parse(cutoff)).toISOString();
    const orders = await all(c.listOrders({ modifiedSince: since, pageSize: 50 }));
    const expected = sim.orders().filter((r) => Date.parse(r.order.date_modified) >= Date.parse(cutoff)).map((r) => r.order.id);
    expect(orders.map((o) => o.id).sort()).toEqual(expected.sort());
    const list = log.filter((e) => /\/v2\/orders\?/.test(e.url));
    expect(list).toHaveLength(1);
    expect(list[0]!.url).toContain(`min_date_modified=${encodeURIComponent(cutoff).replace(/%20/g, '%20')}`);
    expect(list[0]!.url).toContain('%2B0000');
    expect(list[0]!.url).toContain('sort=date_modified%3Aasc');
  });

  it('reads each order with its sub-resources: coupons only when discounted, v3 refunds only when refunded', async () => {
    sim = await startBigCommerceSim({ seed: 9 });
    const plain = sim.addOrder({ lines: [{ sku: 'MUG-01', quantity: 1 }], couponPercent: 0 });
    const discounted = sim.addOrder({ lines: [{ sku: 'MUG-02', quantity: 2 }], couponPercent: 10 });
    sim.updateOrder(discounted.order.id, { refund: { amount: '3.00', reason: 'scratched' } });
    const { client: c, log } = make(sim);
    const [a, b] = await all(c.listOrders({}));
    expect(Array.isArray(a!.products) && Array.isArray(a!.shipping_addresses) && Array.isArray(a!.coupons) && Array.isArray(a!.fees)).toBe(true);
    const paths = log.map((e) => new URL(e.url).pathname);
    expect(paths).not.toContain(`/stores/${sim.storeHash}/v2/orders/${plain.order.id}/coupons`);
    expect(paths).toContain(`/stores/${sim.storeHash}/v2/orders/${discounted.order.id}/coupons`);
    expect(paths).toContain(`/stores/${sim.storeHash}/v3/orders/${discounted.order.id}/payment_actions/refunds`);
    expect(paths).not.toContain(`/stores/${sim.storeHash}/v3/orders/${plain.order.id}/payment_actions/refunds`);
    const order = toOrder(b);
    expect(order.coupons).toHaveLength(1);
    expect(order.refunds).toEqual([expect.objectContaining({ amount: '3.00', reason: 'scratched' })]);
    expect(order.status).toBe('partially-refunded');
    // The token travels in a header only.
    for (const e of log) expect(e.url).not.toContain(sim.accessToken);
  });

  it('paces itself on the quota headers instead of collecting 429s', async () => {
    sim = await startBigCommerceSim({ seed: 3, quota: 8, windowMs: 1500 });
    sim.generate(9, { statuses: ['awaiting-fulfillment'] });
    const { client: c } = make(sim, { concurrency: 4 });
    const orders = await all(c.listOrders({ pageSize: 5 }));
    expect(orders).toHaveLength(9);
    expect(sim.stats().byStatus['429']).toBeUndefined();
    expect(sim.stats().requests).toBeGreaterThan(8);
  });

  it('waits out a 429 of the quota and retries a 429 without headers (platform load) and a 500', async () => {
    sim = await startBigCommerceSim({ seed: 4, quota: 2, windowMs: 400 });
    sim.generate(2, { statuses: ['awaiting-fulfillment'] });
    const { client: c, log } = make(sim);
    // Two other apps used the quota: the first request of ours is refused with the reset time.
    await fetch(`${sim.url}/stores/${sim.storeHash}/v2/orders/count`, { headers: { 'x-auth-token': sim.accessToken } });
    await fetch(`${sim.url}/stores/${sim.storeHash}/v2/orders/count`, { headers: { 'x-auth-token': sim.accessToken } });
    sim.faults.add({ kind: '429', pathIncludes: '/products', times: 1 });
    sim.faults.add({ kind: '500', pathIncludes: '/shipping_addresses', times: 1 });
    const orders = await all(c.listOrders({}));
    expect(orders).toHaveLength(2);
    expect(log.some((e) => e.status === 429)).toBe(true);
    expect(log.some((e) => e.status === 500)).toBe(true);
  });

  it('an empty store answers 204: no orders, no error', async () => {
    sim = await startBigCommerceSim();
    const { client: c, log } = make(sim);
    expect(await all(c.listOrders({}))).toEqual([]);
    expect(log.map((e) => e.status)).toEqual([204]);
    expect((await c.ping()).detail).toContain('0 orders');
  });

  it('says what to fix for a wrong token and a wrong store hash; a missing order is undefined', async () => {
    sim = await startBigCommerceSim();
    sim.generate(1);
    const bad = make(sim, { accessToken: 'nope-nope-nope' }).client;
    const e1 = await bad.ping().catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(ShopError);
    expect((e1 as ShopError).code).toBe('SHOP_AUTH');
    expect((e1 as ShopError).message).toMatch(/access token of shop "bc".*accessToken and storeHash/);
    expect((e1 as ShopError).message).not.toContain('nope-nope-nope');
    await bad.close();
    const wrongStore = make(sim, { storeHash: 'abc999' }).client;
    const e2 = await wrongStore.ping().catch((e: unknown) => e);
    expect((e2 as ShopError).code).toBe('SHOP_NOT_FOUND');
    expect((e2 as ShopError).message).toContain('storeHash "abc999"');
    await wrongStore.close();
    const { client: c, log } = make(sim);
    expect(await c.getOrder('99999')).toBeUndefined();
    const before = log.length;
    expect(await c.getOrder('../v3/hooks')).toBeUndefined();
    expect(log.length).toBe(before);
  });

  it('restarts from the last modification second so an order changed mid-listing does not push another one off a page', async () => {
    sim = await startBigCommerceSim({ seed: 6 });
    sim.generate(12, { statuses: ['awaiting-fulfillment'] });
    const { client: c } = make(sim);
    const seen: number[] = [];
    let touched = false;
    for await (const page of c.listOrders({ pageSize: 4 })) {
      for (const o of page as { id: number }[]) seen.push(o.id);
      if (!touched) {
        touched = true;
        sim.updateOrder((page[0] as { id: number }).id, { staffNotes: 'moved to the end' });
      }
    }
    for (const r of sim.orders()) expect(seen).toContain(r.order.id);
  });
});
