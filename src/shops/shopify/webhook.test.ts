import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim } from '../../../sim/shops/shopify/server.js';
import { systemClock } from '../../domain/clock.js';
import { nullRequestLog } from '../../http/request-log.js';
import type { ConnectorWebhooks } from '../connector.js';
import { shopifyShopSchema } from './config.js';
import { createShopifyConnector, type ShopifyConnector } from './connector.js';
import { expectedShopDomain, toEnumTopic, toRestTopic } from './webhook.js';

const SECRET = 'shpss_webhook_test';
const sign = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

describe('Shopify webhooks', () => {
  let sim: ShopifySim;
  let c: ShopifyConnector;
  let hooks: ConnectorWebhooks;
  beforeEach(async () => {
    sim = await startShopifySim({ seed: 4, apiSecret: SECRET });
    c = createShopifyConnector(shopifyShopSchema.parse({ code: 'shop', platform: 'shopify', url: sim.url, accessToken: sim.accessToken, webhookSecret: SECRET, shopDomain: sim.shopDomain }), { clock: systemClock, requestLog: nullRequestLog });
    hooks = c.webhook!;
  });
  afterEach(async () => {
    await c.close();
    await sim.close();
  });

  const headers = (body: string, extra: Record<string, string | undefined> = {}) => ({
    'x-shopify-topic': 'orders/create',
    'x-shopify-hmac-sha256': sign(body),
    'x-shopify-shop-domain': 'bcbridge-demo.myshopify.com',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    ...extra,
  });

  it('verifies X-Shopify-Hmac-Sha256 over the raw bytes and dedupes on X-Shopify-Webhook-Id', () => {
    const [order] = sim.generate(1);
    const body = JSON.stringify(sim.restOrder(order!.id));
    expect(hooks.verify(Buffer.from(body), headers(body))).toEqual({ kind: 'event', deliveryId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', topic: 'orders/create', shopOrderId: String(order!.id) });
    // Re-serializing the JSON changes the bytes: the signature is over what was sent, not over its meaning.
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(hooks.verify(Buffer.from(pretty), headers(body))).toMatchObject({ kind: 'rejected', reason: 'X-Shopify-Hmac-Sha256 does not match the body' });
    expect(hooks.verify(Buffer.from(body), headers(body, { 'x-shopify-hmac-sha256': undefined }))).toMatchObject({ kind: 'rejected', reason: 'no X-Shopify-Hmac-Sha256 header' });
    expect(hooks.verify(Buffer.from(body), headers(body, { 'x-shopify-hmac-sha256': sign(body, 'other') }))).toMatchObject({ kind: 'rejected' });
    expect(hooks.verify(Buffer.from(body), headers(body, { 'x-shopify-shop-domain': 'evil.myshopify.com' }))).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('evil.myshopify.com') });
    // Without a webhook id the bytes name the delivery: the same bytes again are the same delivery.
    const a = hooks.verify(Buffer.from(body), headers(body, { 'x-shopify-webhook-id': undefined }));
    const b = hooks.verify(Buffer.from(body), headers(body, { 'x-shopify-webhook-id': undefined }));
    expect(a.kind === 'event' && b.kind === 'event' && a.deliveryId === b.deliveryId && a.deliveryId.startsWith('sha256:')).toBe(true);
  });

  it('interprets order topics: the REST body is the order; a deletion is gone; a partial body is read again; others are ignored', async () => {
    const [order] = sim.generate(1);
    const body = JSON.stringify(sim.restOrder(order!.id));
    const full = await hooks.interpret({ deliveryId: 'd', topic: 'orders/updated', body });
    expect(full).toEqual({ kind: 'orders', orders: [JSON.parse(body)] });
    expect(await hooks.interpret({ deliveryId: 'd', topic: 'orders/delete', body: `{"id":${order!.id}}` })).toMatchObject({ kind: 'gone', shopOrderId: String(order!.id) });
    const partial = await hooks.interpret({ deliveryId: 'd', topic: 'orders/create', body: `{"id":${order!.id},"note":null}` });
    expect(partial.kind).toBe('orders');
    // Read again over GraphQL: the same canonical order as the REST body.
    expect(c.toOrder((partial as { orders: unknown[] }).orders[0])).toEqual(c.toOrder(JSON.parse(body)));
    expect(await hooks.interpret({ deliveryId: 'd', topic: 'products/update', body: '{"id":1}' })).toMatchObject({ kind: 'ignore' });
    expect(await hooks.interpret({ deliveryId: 'd', topic: 'orders/create', body: 'not json' })).toMatchObject({ kind: 'ignore' });
  });

  it('registers the three order topics once, lists and removes them through the GraphQL API', async () => {
    const address = 'https://bcbridge.example.com/webhooks/shop';
    const first = await hooks.register(address);
    expect(first.map((r) => [r.subscription.topic, r.action])).toEqual([['orders/create', 'created'], ['orders/updated', 'created'], ['orders/cancelled', 'created']]);
    const second = await hooks.register(address);
    expect(second.map((r) => r.action)).toEqual(['exists', 'exists', 'exists']);
    expect(sim.webhooks.subscriptions().map((s) => [s.topic, s.uri])).toEqual([['ORDERS_CREATE', address], ['ORDERS_UPDATED', address], ['ORDERS_CANCELLED', address]]);
    const listed = await hooks.list();
    expect(listed.map((s) => s.topic)).toEqual(['orders/create', 'orders/updated', 'orders/cancelled']);
    await hooks.remove(listed[0]!.id);
    expect((await hooks.list()).map((s) => s.topic)).toEqual(['orders/updated', 'orders/cancelled']);
    await expect(hooks.remove(listed[0]!.id)).rejects.toThrow(/Webhook subscription does not exist/);
    await expect(hooks.register('http://bcbridge.example.com/webhooks/shop')).rejects.toThrow(/Address protocol http:\/\/ is not supported/);
  });

  it('spells topics both ways and finds the shop domain', () => {
    expect(toEnumTopic('orders/create')).toBe('ORDERS_CREATE');
    expect(toRestTopic('ORDERS_CANCELLED')).toBe('orders/cancelled');
    expect(expectedShopDomain({ code: 's', url: 'https://Acme.myshopify.com/admin' })).toBe('acme.myshopify.com');
    expect(expectedShopDomain({ code: 's', url: 'https://shop.acme.com' })).toBeUndefined();
  });
});
