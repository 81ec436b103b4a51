import { afterEach, describe, expect, it } from 'vitest';
import { startMagentoSim, type MagentoSim } from '../../../sim/shops/magento/server.js';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { MagentoClient, type MagentoClientConfig } from './client.js';
import { magentoAuth } from './connector.js';
import { toOrder } from './to-order.js';

let sim: MagentoSim | undefined;
const clients: MagentoClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await sim?.close();
  sim = undefined;
});

function oauth(s: MagentoSim): MagentoClientConfig['auth'] {
  return { mode: 'oauth1', ...s.integration, signatureMethod: 'HMAC-SHA256' };
}

function make(s: MagentoSim, over: Partial<MagentoClientConfig> = {}): { client: MagentoClient; log: RequestLogEntry[] } {
  const log: RequestLogEntry[] = [];
  const client = new MagentoClient({ shopCode: 'mg', url: s.url, auth: oauth(s), retry: { initialDelayMs: 10 }, ...over }, { clock: systemClock, requestLog: { record: (e) => log.push(e) } });
  clients.push(client);
  return { client, log };
}

async function all(iter: AsyncIterable<unknown[]>): Promise<any[]> {
  const out: any[] = [];
  for await (const page of iter) out.push(...page);
  return out;
}

describe('MagentoClient against the simulator', () => {
  it('signs with OAuth 1.0a (HMAC-SHA256 and SHA1), searching updated_at gteq, sorted ascending, paging by pageSize', async () => {
    sim = await startMagentoSim({ seed: 2 });
    sim.generate(11, { statuses: ['processing'] });
    const { client, log } = make(sim);
    const orders = await all(client.listOrders({ pageSize: 4 }));
    expect(orders.map((o) => o.entity_id).sort()).toEqual(sim.orders().map((o) => o.entity_id).sort());
    expect(orders.map((o) => o.updated_at)).toEqual([...orders.map((o) => o.updated_at)].sort());
    const since = sim.orders()[5]!.updated_at;
    const first = log.length;
    const later = await all(client.listOrders({ updatedSince: `${since.replace(' ', 'T')}Z`, pageSize: 4 }));
    expect(later.every((o) => o.updated_at >= since)).toBe(true);
    expect(later.length).toBeLessThan(orders.length);
    const filtered = log[first]!.url;
    expect(decodeURIComponent(filtered)).toContain(`searchCriteria[filter_groups][0][filters][0][value]=${since}`);
    expect(decodeURIComponent(filtered)).toContain('searchCriteria[filter_groups][0][filters][0][condition_type]=gteq');
    const sha1 = make(sim, { auth: { ...oauth(sim), signatureMethod: 'HMAC-SHA1' } as MagentoClientConfig['auth'] }).client;
    expect((await sha1.ping()).detail).toContain('OAuth 1.0a');
  });

  it('Bearer: refused by a 2.4.4+ store with advice to sign, accepted where the store allows it', async () => {
    sim = await startMagentoSim();
    sim.generate(2);
    const bearer = make(sim, { auth: { mode: 'bearer', accessToken: sim.integration.accessToken } }).client;
    const err = await bearer.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopError);
    expect((err as ShopError).code).toBe('SHOP_AUTH');
    expect((err as ShopError).message).toMatch(/2\.4\.4.*consumerKey, consumerSecret and accessTokenSecret.*standalone Bearer/);
    expect((err as ShopError).message).not.toContain(sim.integration.accessToken);
    await sim.close();
    sim = await startMagentoSim({ bearerAllowed: true });
    sim.generate(3);
    const allowed = make(sim, { auth: { mode: 'bearer', accessToken: sim.integration.accessToken } }).client;
    expect(await all(allowed.listOrders({}))).toHaveLength(3);
  });

  it('a wrong secret is refused with advice naming the four credentials; secrets never appear', async () => {
    sim = await startMagentoSim();
    const { client } = make(sim, { auth: { ...oauth(sim), accessTokenSecret: 'wrong-secret-wrong-secret-000001' } as MagentoClientConfig['auth'] });
    const err = await client.ping().catch((e: unknown) => e) as ShopError;
    expect(err.code).toBe('SHOP_AUTH');
    expect(err.message).toContain('consumerKey, consumerSecret, accessToken, accessTokenSecret');
    for (const s of [sim.integration.consumerSecret, sim.integration.accessTokenSecret, 'wrong-secret-wrong-secret-000001']) expect(err.message).not.toContain(s);
  });

  it('stops on total_count even though Magento repeats the last page for a page past the end', async () => {
    sim = await startMagentoSim({ seed: 3 });
    sim.generate(8, { statuses: ['processing'] });
    const { client, log } = make(sim);
    const orders = await all(client.listOrders({ pageSize: 4 }));
    expect(orders).toHaveLength(8);
    expect(new Set(orders.map((o) => o.entity_id)).size).toBe(8);
    // The walk ends on its own (a repeated last page would otherwise loop until the barren-page guard).
    expect(log.filter((e) => e.url.includes('/orders?')).length).toBeLessThanOrEqual(4);
  });

  it('input limiting refuses a page size over the limit with Magento\'s message', async () => {
    sim = await startMagentoSim({ maxPageSize: 50 });
    const { client } = make(sim);
    const err = await all(client.listOrders({ pageSize: 100 })).catch((e: unknown) => e) as ShopError;
    expect(err.code).toBe('SHOP_REQUEST_REJECTED');
    expect(err.message).toContain('Maximum SearchCriteria pageSize is 50');
  });

  it('retries a CDN 429 (Retry-After) and a 500; a missing order is undefined; a wrong url says so', async () => {
    sim = await startMagentoSim({ seed: 4 });
    const [o] = sim.generate(1, { statuses: ['processing'] });
    sim.faults.add({ kind: '429', times: 1, retryAfter: 0 });
    sim.faults.add({ kind: '500', times: 1 });
    const { client, log } = make(sim);
    const got = await client.getOrder(String(o!.entity_id));
    expect(toOrder(got).orderNumber).toBe(o!.increment_id);
    expect(log.map((e) => e.status)).toEqual([429, 500, 200]);
    expect(await client.getOrder('999999')).toBeUndefined();
    const wrong = make(sim, { url: `${sim.url}/shop` }).client;
    const err = await wrong.ping().catch((e: unknown) => e) as ShopError;
    expect(err.code).toBe('SHOP_NOT_FOUND');
    expect(err.message).toContain('check url and storeCode');
  });

  it('uses the store code in the path and tolerates a pasted …/rest/V1 url', async () => {
    sim = await startMagentoSim();
    sim.generate(1);
    const { client, log } = make(sim, { url: `${sim.url}/rest/V1`, storeCode: 'all' });
    expect(await all(client.listOrders({}))).toHaveLength(1);
    expect(new URL(log[0]!.url).pathname).toBe('/rest/all/V1/orders');
  });

  it('magentoAuth: auto signs when all four values are there, otherwise Bearer', () => {
    expect(magentoAuth({ code: 'm', url: 'https://x', accessToken: 't' }).mode).toBe('bearer');
    expect(magentoAuth({ code: 'm', url: 'https://x', accessToken: 't', consumerKey: 'k', consumerSecret: 's', accessTokenSecret: 'ts' }).mode).toBe('oauth1');
    expect(magentoAuth({ code: 'm', url: 'https://x', accessToken: 't', consumerKey: 'k', consumerSecret: 's', accessTokenSecret: 'ts', authMode: 'bearer' }).mode).toBe('bearer');
  });
});
