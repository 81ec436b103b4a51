import { createHmac } from 'node:crypto';
import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim } from '../sim/shops/shopify/server.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import { startTrigger, type Trigger } from '../src/pipeline/trigger.js';
import { createApp } from '../src/server/app.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

const WOO_SECRET = 'woo-e2e-secret-0123456789';
const PAID = { financialStatuses: ['paid' as const], unknownSkuShare: 0, cancelledShare: 0 };

async function until(what: string, cond: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function states(store: Store, shop: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await store.orders.counts()) if (r.shop === shop) out[r.state] = r.n;
  return out;
}

describe.each(DATABASES)('webhook-driven export into the BC simulator on %s', (kind) => {
  let world: World;
  let shopify: ShopifySim;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;
  let trigger: Trigger;
  let server: ServerType;
  let base: string;

  beforeEach(async () => {
    world = await startWorld();
    shopify = await startShopifySim({ seed: 21, webhookRetryDelaysMs: [200, 400, 800] });
    tdb = testDb(kind);
    store = await tdb.open();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => app(req) }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const raw = rawConfig(world.bc, world.woo);
    raw.shops[0].webhookSecret = WOO_SECRET;
    raw.shops.push({
      code: 'shopify', platform: 'shopify', url: shopify.url, accessToken: shopify.accessToken, webhookSecret: shopify.apiSecret, shopDomain: shopify.shopDomain,
      orderKeyPrefix: 'SHOP-',
      mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' }, localCurrency: 'EUR' },
    });
    raw.server = { publicUrl: base };
    rt = await createRuntime(parseConfig(raw, {}), { log: silentLogger, store });
    // The wiring of `bcbridge run`: the app's receiver notifies the trigger, which exports at once.
    trigger = startTrigger(rt, { retryBaseMs: 100 });
    const hono = createApp(rt, { startedAt: new Date().toISOString() }, { webhooks: { onStored: () => trigger.notify() } });
    appImpl = (req) => hono.fetch(req);
    await rt.connector('shopify').webhook!.register(`${base}/webhooks/shopify`);
  });
  let appImpl: (req: Request) => Response | Promise<Response> = () => new Response('starting', { status: 503 });
  const app = (req: Request) => appImpl(req);

  afterEach(async () => {
    await trigger.stop();
    await new Promise<void>((r) => server.close(() => r()));
    await rt.close();
    await store.close();
    await tdb.cleanup();
    await shopify.close();
    await world.close();
  });

  const bcKeys = () => {
    const counts = new Map<string, number>();
    for (const so of world.bc.salesOrders('sandbox')) counts.set(so.externalDocumentNumber, (counts.get(so.externalDocumentNumber) ?? 0) + 1);
    return counts;
  };

  it('Shopify orders arrive by webhook and are verified in BC at once, without a pull', async () => {
    const orders = shopify.generate(12, PAID);
    await until('12 verified', async () => (await states(store, 'shopify')).verified === 12);
    const keys = bcKeys();
    for (const o of orders) expect(keys.get(`SHOP-${o.orderNumber}`)).toBe(1);
    const runs = await store.db.kysely.selectFrom('runs').selectAll().execute();
    expect(runs.filter((r) => r.stage === 'pull')).toEqual([]);
    // The trigger never ran two rounds of a stage at once, and a burst of 12 deliveries took fewer rounds than orders.
    const exports = runs.filter((r) => r.stage === 'export' && r.actor === 'webhook').sort((a, b) => a.started_at.localeCompare(b.started_at));
    for (let i = 1; i < exports.length; i++) expect(exports[i]!.started_at >= exports[i - 1]!.finished_at!).toBe(true);
    expect(exports.length).toBeLessThan(12);
    const events = await store.webhookEvents.counts();
    expect(events).toEqual([{ shop: 'shopify', state: 'done', n: 12 }]);
    const timeline = await store.orders.events((await store.orders.find(String(orders[0]!.id), 'shopify'))!.id);
    expect(timeline[0]).toMatchObject({ actor: 'webhook', to_state: 'received' });
  });

  it('duplicate and out-of-order deliveries converge: the newest shop version wins, BC gets one order', async () => {
    const [order] = shopify.generate(1, PAID);
    await until('delivered', async () => (await states(store, 'shopify')).verified === 1);
    const older = JSON.stringify(shopify.restOrder(order!.id));
    shopify.update(order!.id, { note: 'leave at the door' });
    await shopify.webhooks.settled();
    const newer = JSON.stringify(shopify.restOrder(order!.id));
    await until('newer stored', async () => {
      const row = await store.orders.find(String(order!.id), 'shopify');
      return ((await store.orders.payloads(row!.id))!.raw as { note: string | null }).note === 'leave at the door';
    });

    const post = (body: string, id: string, topic = 'orders/updated') =>
      fetch(`${base}/webhooks/shopify`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-shopify-topic': topic, 'x-shopify-hmac-sha256': shopify.webhooks.sign(body), 'x-shopify-shop-domain': shopify.shopDomain, 'x-shopify-webhook-id': id },
      });
    // Shopify retries a delivery with the original (older) payload, late and under a new id: stored, but it changes nothing.
    expect((await post(older, 'late-retry-1')).status).toBe(200);
    // The same delivery twice: answered, not stored twice.
    expect((await post(newer, 'dup-1')).status).toBe(200);
    expect(await (await post(newer, 'dup-1')).json()).toEqual({ ok: true, duplicate: true });
    const first = shopify.webhooks.deliveries()[0]!;
    shopify.webhooks.redeliver(first.webhookId);
    await shopify.webhooks.settled();
    await until('events processed', async () => (await store.webhookEvents.pendingCount()) === 0);
    await trigger.idle();

    const row = (await store.orders.find(String(order!.id), 'shopify'))!;
    expect(row.shop_modified_at).toBe(new Date(JSON.parse(newer).updated_at).toISOString());
    expect(((await store.orders.payloads(row.id))!.raw as { note: string }).note).toBe('leave at the door');
    expect((await store.webhookEvents.get('shopify', 'late-retry-1'))!.outcome).toBe('unchanged');
    expect((await store.webhookEvents.get('shopify', 'dup-1'))!.duplicates).toBe(1);
    expect((await store.webhookEvents.get('shopify', first.webhookId))!.duplicates).toBe(1);
    expect(bcKeys().get(`SHOP-${order!.orderNumber}`)).toBe(1);
  });

  it('the poll catches an order whose webhook was lost', async () => {
    shopify.webhooks.drop(1);
    const orders = shopify.generate(3, PAID);
    await shopify.webhooks.settled();
    await until('two verified', async () => (await states(store, 'shopify')).verified === 2);
    const lost = orders[0]!;
    expect(await store.orders.find(String(lost.id), 'shopify')).toBeUndefined();
    // The backstop: the scheduled pull finds it; the export follows.
    await runStage(rt, 'pull', 'scheduler', { shop: 'shopify' });
    trigger.kick(['shopify']);
    await until('three verified', async () => (await states(store, 'shopify')).verified === 3);
    expect(bcKeys().get(`SHOP-${lost.orderNumber}`)).toBe(1);
    expect([...bcKeys().values()].every((n) => n === 1)).toBe(true);
  });

  it('WooCommerce: signed deliveries are exported at once; the ping is answered; a forged one is refused', async () => {
    const ping = await fetch(`${base}/webhooks/woo`, { method: 'POST', body: 'webhook_id=3', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ping.status).toBe(200);
    const orders = world.woo.generate(3, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    for (const [i, o] of orders.entries()) {
      const body = JSON.stringify(o);
      const res = await fetch(`${base}/webhooks/woo`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'WooCommerce/11.0.1 Hookshot (WordPress/7.0.4)',
          'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'created',
          'x-wc-webhook-signature': createHmac('sha256', WOO_SECRET).update(body).digest('base64'),
          'x-wc-webhook-id': '2', 'x-wc-webhook-delivery-id': `delivery-${i}`,
        },
      });
      expect(res.status).toBe(200);
    }
    const forged = JSON.stringify({ ...orders[0], id: 99_999 });
    const refused = await fetch(`${base}/webhooks/woo`, { method: 'POST', body: forged, headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-signature': createHmac('sha256', 'guess').update(forged).digest('base64') } });
    expect(refused.status).toBe(401);
    await until('3 verified', async () => (await states(store, 'woo')).verified === 3);
    expect(await store.orders.find('99999', 'woo')).toBeUndefined();
    expect((await store.webhookEvents.list({ shop: 'woo' })).map((e) => e.state)).toEqual(['done', 'done', 'done']);
  });
  it('WooCommerce: registered through its REST API, the shop pings, then delivers signed orders that are verified at once', async () => {
    const woo = rt.connector('woo').webhook!;
    const made = await woo.register(`${base}/webhooks/woo`);
    expect(made.map((m) => m.action)).toEqual(['created', 'created', 'created', 'created']);
    expect((await woo.register(`${base}/webhooks/woo`)).map((m) => m.action)).toEqual(['exists', 'exists', 'exists', 'exists']);
    await world.woo.webhooksIdle();
    // Every new hook pinged the receiver (form-encoded webhook_id=N): answered 200, nothing stored.
    const pings = world.woo.webhookDeliveries().filter((d) => d.ping);
    expect(pings.map((d) => d.status)).toEqual([200, 200, 200, 200]);
    expect(await store.webhookEvents.list({ shop: 'woo' })).toEqual([]);

    const orders = world.woo.generate(3, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    await until('3 verified', async () => (await states(store, 'woo')).verified === 3);
    // The simulator records a delivery when the receiver's answer has arrived, which may be after the export.
    await world.woo.webhooksIdle();
    const created = world.woo.webhookDeliveries().filter((d) => !d.ping).sort((a, b) => a.orderId! - b.orderId!);
    expect(created.map((d) => [d.topic, d.orderId, d.status])).toEqual(orders.map((o) => ['order.created', o.id, 200]));
    // A change in the shop is delivered too (order.updated) and lands on the order's timeline.
    world.woo.updateOrder(orders[0]!.id, { customer_note: 'Please ring twice' });
    await until('the update delivered', async () => world.woo.webhookDeliveries().some((d) => !d.ping && d.topic === 'order.updated' && d.status === 200));
    await until('the update processed', async () => (await store.webhookEvents.list({ shop: 'woo' })).every((e) => e.state === 'done'));
    expect((await store.webhookEvents.list({ shop: 'woo' })).map((e) => e.topic).sort()).toEqual(['order.created', 'order.created', 'order.created', 'order.updated']);
    expect(bcKeys().size).toBe(3);
  });
});
