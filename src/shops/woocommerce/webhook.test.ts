import { createHmac } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWooSim, type WooSim } from '../../../sim/shops/woocommerce/server.js';
import { systemClock } from '../../domain/clock.js';
import { ConfigError } from '../../domain/errors.js';
import { nullRequestLog } from '../../http/request-log.js';
import { createWooCommerceConnector, type WooCommerceConnector } from './connector.js';

const SECRET = 'woo-webhook-secret-0123456789';
const sign = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

const SAMPLES = ['../../../reference/samples/', '../../../../shared/reference/samples/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir))!;

describe('WooCommerce webhooks: verify and interpret', () => {
  let woo: WooSim;
  let c: WooCommerceConnector;
  beforeEach(async () => {
    woo = await startWooSim({ seed: 3 });
    c = createWooCommerceConnector({ code: 'woo', url: woo.url, consumerKey: woo.consumerKey, consumerSecret: woo.consumerSecret, webhookSecret: SECRET }, { clock: systemClock, requestLog: nullRequestLog });
  });
  afterEach(async () => {
    await c.close();
    await woo.close();
  });

  it('checks X-WC-Webhook-Signature (base64 HMAC-SHA256 of the raw body) and dedupes on the delivery id', () => {
    // The recorded delivery from a live WooCommerce 11.0.1: its headers, and its body re-signed with our secret.
    const recorded = JSON.parse(readFileSync(`${SAMPLES}recorded/woocommerce-11.0.1-webhook-order.updated.json`, 'utf8'));
    const body = JSON.stringify(recorded.body);
    const headers = { ...recorded.headers, 'x-wc-webhook-signature': sign(body) };
    expect(c.webhook!.verify(Buffer.from(body), headers)).toEqual({ kind: 'event', deliveryId: '4d239f9dcb522d6d659ba878906e97a2', topic: 'order.updated', shopOrderId: '20' });
    expect(c.webhook!.verify(Buffer.from(body), { ...headers, 'x-wc-webhook-signature': recorded.headers['x-wc-webhook-signature'] })).toMatchObject({ kind: 'rejected' });
    expect(c.webhook!.verify(Buffer.from(`${body}\n`), headers)).toMatchObject({ kind: 'rejected', reason: 'X-WC-Webhook-Signature does not match the body' });
    const { 'x-wc-webhook-signature': _drop, ...unsigned } = headers;
    expect(c.webhook!.verify(Buffer.from(body), unsigned)).toMatchObject({ kind: 'rejected', reason: 'no X-WC-Webhook-Signature header' });
  });

  it('answers the form-encoded activation ping, signed or not', () => {
    expect(c.webhook!.verify(Buffer.from('webhook_id=12'), { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ kind: 'ping' });
    expect(c.webhook!.verify(Buffer.from('webhook_id=12'), { 'content-type': 'application/x-www-form-urlencoded', 'x-wc-webhook-signature': sign('webhook_id=12') })).toMatchObject({ kind: 'ping' });
    expect(c.webhook!.verify(Buffer.from('webhook_id=12&x=1'), { 'content-type': 'application/x-www-form-urlencoded' })).toMatchObject({ kind: 'rejected' });
  });

  it('takes the delivered order as it is; re-reads a deleted one, which is gone or trashed', async () => {
    const [order] = woo.generate(1, { statuses: ['processing'] });
    const body = JSON.stringify(order);
    expect(await c.webhook!.interpret({ deliveryId: 'd', topic: 'order.updated', body })).toEqual({ kind: 'orders', orders: [JSON.parse(body)] });
    const deleted = await c.webhook!.interpret({ deliveryId: 'd', topic: 'order.deleted', body: `{"id":${order!.id}}` });
    // The simulator still has it (trashed orders exist): it is read again, current state.
    expect(deleted).toMatchObject({ kind: 'orders', orders: [{ id: order!.id }] });
    expect(await c.webhook!.interpret({ deliveryId: 'd', topic: 'order.deleted', body: '{"id":99999}' })).toMatchObject({ kind: 'gone', shopOrderId: '99999' });
    expect(await c.webhook!.interpret({ deliveryId: 'd', topic: 'product.updated', body: '{"id":1}' })).toMatchObject({ kind: 'ignore' });
  });
});

/** WooCommerce's /wc/v3/webhooks as the docs describe it (the WooCommerce simulator does not serve it). */
function startWebhooksApi(): Promise<{ url: string; hooks: Record<string, unknown>[]; server: Server }> {
  const hooks: Record<string, unknown>[] = [];
  let seq = 140;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const m = /^\/wp-json\/wc\/v3\/webhooks(?:\/(\d+))?$/.exec(url.pathname);
      if (!m || !url.searchParams.get('oauth_signature')) return send(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry' });
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      if (!m[1] && req.method === 'GET') {
        const page = Number(url.searchParams.get('page') ?? 1);
        const per = Number(url.searchParams.get('per_page') ?? 10);
        return send(200, hooks.slice((page - 1) * per, page * per).map(({ secret: _s, ...h }) => h));
      }
      if (!m[1] && req.method === 'POST') {
        const hook = { id: ++seq, name: body.name, status: body.status ?? 'active', topic: body.topic, delivery_url: body.delivery_url, secret: body.secret };
        hooks.push(hook);
        const { secret: _s, ...shown } = hook;
        return send(201, shown);
      }
      const hook = hooks.find((h) => String(h.id) === m[1]);
      if (!hook) return send(404, { code: 'woocommerce_rest_webhook_invalid_id', message: 'Invalid ID.' });
      if (req.method === 'PUT') {
        Object.assign(hook, body);
        const { secret: _s, ...shown } = hook;
        return send(200, shown);
      }
      if (req.method === 'DELETE') {
        hooks.splice(hooks.indexOf(hook), 1);
        return send(200, hook);
      }
      send(405, {});
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, hooks, server })));
}

describe('WooCommerce webhooks: register, list, remove', () => {
  it('creates the four order topics with the secret, re-activates a disabled one, and is idempotent', async () => {
    const api = await startWebhooksApi();
    const c = createWooCommerceConnector({ code: 'woo', url: api.url, consumerKey: 'ck', consumerSecret: 'cs', webhookSecret: SECRET }, { clock: systemClock, requestLog: nullRequestLog });
    try {
      const address = 'https://bcbridge.example.com/webhooks/woo';
      const first = await c.webhook!.register(address);
      expect(first.map((r) => [r.subscription.topic, r.action])).toEqual([['order.created', 'created'], ['order.updated', 'created'], ['order.deleted', 'created'], ['order.restored', 'created']]);
      expect(api.hooks.every((h) => h.secret === SECRET && h.delivery_url === address)).toBe(true);
      // WooCommerce switched one off after failed deliveries.
      api.hooks[1]!.status = 'disabled';
      const second = await c.webhook!.register(address);
      expect(second.map((r) => r.action)).toEqual(['exists', 'reactivated', 'exists', 'exists']);
      expect(api.hooks[1]!.status).toBe('active');
      expect(api.hooks).toHaveLength(4);
      const listed = await c.webhook!.list();
      expect(listed.map((s) => s.active)).toEqual([true, true, true, true]);
      await c.webhook!.remove(listed[0]!.id);
      expect(api.hooks).toHaveLength(3);

      const noSecret = createWooCommerceConnector({ code: 'woo', url: api.url, consumerKey: 'ck', consumerSecret: 'cs' }, { clock: systemClock, requestLog: nullRequestLog });
      await expect(noSecret.webhook!.register(address)).rejects.toBeInstanceOf(ConfigError);
      await noSecret.close();
    } finally {
      await c.close();
      await new Promise<void>((r) => api.server.close(() => r()));
    }
  });
});
