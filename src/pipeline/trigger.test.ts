import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim } from '../../sim/shops/shopify/server.js';
import { testDb, type TestDb } from '../../test/helpers/databases.js';
import { startWorld, rawConfig, type World } from '../../test/helpers/world.js';
import { parseConfig } from '../config/load.js';
import { silentLogger } from '../log/logger.js';
import type { Store } from '../store/store.js';
import { createRuntime, type Runtime } from './runtime.js';
import { startTrigger, type TriggerRound } from './trigger.js';

describe('the webhook trigger', () => {
  let world: World;
  let shopify: ShopifySim;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;

  beforeEach(async () => {
    world = await startWorld();
    shopify = await startShopifySim({ seed: 13 });
    tdb = testDb('sqlite');
    store = await tdb.open();
    const raw = rawConfig(world.bc, world.woo);
    raw.shops = [{
      code: 'shop', platform: 'shopify', url: shopify.url, accessToken: shopify.accessToken, webhookSecret: shopify.apiSecret,
      mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, localCurrency: 'EUR' },
    }];
    rt = await createRuntime(parseConfig(raw, {}), { log: silentLogger, store });
  });
  afterEach(async () => {
    await rt.close();
    await store.close();
    await tdb.cleanup();
    await shopify.close();
    await world.close();
  });

  const record = (deliveryId: string, body: unknown, topic = 'orders/create') =>
    store.webhookEvents.record({ shop: 'shop', deliveryId, topic, body: JSON.stringify(body), receivedAt: new Date().toISOString() });

  it('processes events stored while no process ran, as soon as it starts', async () => {
    const orders = shopify.generate(3, { financialStatuses: ['paid'] });
    for (const o of orders) await record(`d${o.id}`, shopify.restOrder(o.id));
    const trigger = startTrigger(rt);
    await trigger.idle();
    await trigger.stop();
    expect((await store.orders.counts()).find((c) => c.state === 'verified')?.n).toBe(3);
    expect((await store.webhookEvents.list()).map((e) => [e.state, e.outcome])).toEqual([['done', 'new'], ['done', 'new'], ['done', 'new']]);
  });

  it('coalesces a burst: many notifications, few rounds, one at a time', async () => {
    const rounds: TriggerRound[] = [];
    const trigger = startTrigger(rt, { onRound: (r) => rounds.push(r) });
    await trigger.idle();
    rounds.length = 0;
    const orders = shopify.generate(30, { financialStatuses: ['paid'] });
    for (const o of orders) {
      await record(`d${o.id}`, shopify.restOrder(o.id));
      trigger.notify();
    }
    await trigger.idle();
    await trigger.stop();
    expect(rounds.reduce((n, r) => n + r.events, 0)).toBe(30);
    expect(rounds.length).toBeLessThan(30);
    expect((await store.orders.counts()).find((c) => c.state === 'verified')?.n).toBe(30);
  });

  it('retries an event it cannot process, then gives up and leaves the order to the poll', async () => {
    // A partial body needs the order read again, and the shop refuses this process's token.
    const raw = rawConfig(world.bc, world.woo);
    raw.shops = [{ code: 'shop', platform: 'shopify', url: shopify.url, accessToken: 'shpat_revoked', webhookSecret: shopify.apiSecret }];
    const denied = await createRuntime(parseConfig(raw, {}), { log: silentLogger, store });
    await record('partial', { id: 5_900_000_000_001, note: null });
    const trigger = startTrigger(denied, { maxAttempts: 3, retryBaseMs: 50 });
    for (let i = 0; i < 200 && (await store.webhookEvents.get('shop', 'partial'))!.state !== 'failed'; i++) await new Promise((r) => setTimeout(r, 50));
    await trigger.stop();
    await denied.close();
    const ev = (await store.webhookEvents.get('shop', 'partial'))!;
    expect(ev).toMatchObject({ state: 'failed', attempts: 3 });
    expect(ev.error).toMatch(/Shopify refused the access token of shop "shop"/);
    expect(await store.orders.counts()).toEqual([]);
  });

  it('records a deletion on the order timeline without changing its state', async () => {
    const [o] = shopify.generate(1, { financialStatuses: ['paid'] });
    await record('create', shopify.restOrder(o!.id));
    await record('delete', { id: o!.id }, 'orders/delete');
    const trigger = startTrigger(rt);
    await trigger.idle();
    await trigger.stop();
    const row = (await store.orders.find(String(o!.id), 'shop'))!;
    expect(row.state).toBe('verified');
    const deletion = (await store.orders.events(row.id)).find((e) => /the shop deleted the order/.test(e.reason ?? ''));
    expect(deletion).toMatchObject({ actor: 'webhook' });
    expect(deletion!.from_state).toBe(deletion!.to_state);
  });
});
