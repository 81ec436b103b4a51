import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../../../test/helpers/databases.js';
import { parseConfig } from '../../config/load.js';
import { silentLogger } from '../../log/logger.js';
import { createRuntime, type Runtime } from '../../pipeline/runtime.js';
import type { Store } from '../../store/store.js';
import { createWebhookRoutes } from './receiver.js';

const SHOPIFY_SECRET = 'shpss_receiver_test';
const WOO_SECRET = 'woo-secret-for-tests';

const config = () =>
  parseConfig({
    bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'c', clientId: 'i', clientSecret: 's', baseUrl: 'http://127.0.0.1:9' } },
    shops: [
      { code: 'shop', platform: 'shopify', url: 'https://acme.myshopify.com', accessToken: 'shpat_x', webhookSecret: SHOPIFY_SECRET },
      { code: 'nosecret', platform: 'shopify', url: 'https://other.myshopify.com', accessToken: 'shpat_x' },
      { code: 'woo', platform: 'woocommerce', url: 'https://woo.example.com', consumerKey: 'ck', consumerSecret: 'cs', webhookSecret: WOO_SECRET },
    ],
    server: { webhookMaxBytes: 4096 },
  }, {});

const sign = (body: string, secret: string) => createHmac('sha256', secret).update(body).digest('base64');

describe('POST /webhooks/<shop>', () => {
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;
  let stored: string[];
  let app: ReturnType<typeof createWebhookRoutes>;

  beforeEach(async () => {
    tdb = testDb('sqlite');
    store = await tdb.open();
    rt = await createRuntime(config(), { log: silentLogger, store });
    stored = [];
    app = createWebhookRoutes(rt, { maxBodyBytes: rt.config.server.webhookMaxBytes, onStored: (s) => stored.push(s) });
  });
  afterEach(async () => {
    await rt.close();
    await store.close();
    await tdb.cleanup();
  });

  const order = JSON.stringify({ id: 4501, name: '#1001', updated_at: '2026-03-01T10:00:00+01:00', line_items: [] });
  const shopify = (body: string, headers: Record<string, string> = {}) =>
    app.request('/shop', {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/updated',
        'x-shopify-hmac-sha256': sign(body, SHOPIFY_SECRET),
        'x-shopify-shop-domain': 'acme.myshopify.com',
        'x-shopify-webhook-id': 'wh-1',
        ...headers,
      },
    });

  it('stores a signed delivery before answering 200, and tells the trigger', async () => {
    const res = await shopify(order);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(stored).toEqual(['shop']);
    expect(await store.webhookEvents.get('shop', 'wh-1')).toMatchObject({ topic: 'orders/updated', shop_order_id: '4501', body: order, state: 'pending' });
  });

  it('refuses a missing, wrong or foreign signature with 401 and stores nothing', async () => {
    const cases: Record<string, string>[] = [
      { 'x-shopify-hmac-sha256': '' },
      { 'x-shopify-hmac-sha256': sign(order, 'someone-elses-secret') },
      { 'x-shopify-hmac-sha256': sign(`${order} `, SHOPIFY_SECRET) },
      { 'x-shopify-hmac-sha256': 'not base64 at all!' },
      // Signed with the right app secret, but by another shop the app is installed in.
      { 'x-shopify-shop-domain': 'intruder.myshopify.com' },
    ];
    for (const headers of cases) {
      const res = await shopify(order, headers);
      expect(res.status).toBe(401);
      expect(JSON.stringify(await res.json())).not.toContain(SHOPIFY_SECRET);
    }
    const unsigned = await app.request('/shop', { method: 'POST', body: order, headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/updated' } });
    expect(unsigned.status).toBe(401);
    // A shop without a configured secret cannot verify anything.
    const nosecret = await app.request('/nosecret', { method: 'POST', body: order, headers: { 'x-shopify-hmac-sha256': sign(order, SHOPIFY_SECRET) } });
    expect(nosecret.status).toBe(401);
    expect(await store.webhookEvents.list()).toEqual([]);
    expect(stored).toEqual([]);
  });

  it('answers a replayed delivery 200 without storing or processing it again', async () => {
    expect((await shopify(order)).status).toBe(200);
    const again = await shopify(order);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(stored).toEqual(['shop']);
    expect(await store.webhookEvents.list()).toHaveLength(1);
    expect((await store.webhookEvents.get('shop', 'wh-1'))!.duplicates).toBe(1);
  });

  it("answers WooCommerce's form-encoded ping 200 and stores nothing; a signed Woo delivery is stored", async () => {
    const ping = await app.request('/woo', { method: 'POST', body: 'webhook_id=7', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(ping.status).toBe(200);
    expect(await store.webhookEvents.list()).toEqual([]);
    // Without the ping's form shape, a missing signature is a refusal.
    const fake = await app.request('/woo', { method: 'POST', body: '{"id":1}', headers: { 'content-type': 'application/json' } });
    expect(fake.status).toBe(401);
    const body = JSON.stringify({ id: 20, status: 'processing', line_items: [] });
    const res = await app.request('/woo', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.updated', 'x-wc-webhook-signature': sign(body, WOO_SECRET), 'x-wc-webhook-delivery-id': 'abc123' },
    });
    expect(res.status).toBe(200);
    expect(await store.webhookEvents.get('woo', 'abc123')).toMatchObject({ topic: 'order.updated', shop_order_id: '20' });
  });

  it('limits the body size (413, nothing stored) and knows only configured shops (404)', async () => {
    const big = JSON.stringify({ id: 1, pad: 'x'.repeat(5000) });
    expect((await shopify(big)).status).toBe(413);
    expect(await store.webhookEvents.list()).toEqual([]);
    expect((await app.request('/unknown', { method: 'POST', body: order })).status).toBe(404);
    expect((await app.request('/shop', { method: 'GET' })).status).toBe(405);
  });

  it('answers 503 when the event cannot be stored, so the shop delivers again', async () => {
    await store.db.kysely.schema.dropTable('webhook_events').execute();
    const res = await shopify(order);
    expect(res.status).toBe(503);
    expect(stored).toEqual([]);
  });
});
