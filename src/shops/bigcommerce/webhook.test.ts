import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startBigCommerceSim, type BigCommerceSim } from '../../../sim/shops/bigcommerce/server.js';
import type { Clock } from '../../domain/clock.js';
import { nullRequestLog } from '../../http/request-log.js';
import { createBigCommerceConnector, type BigCommerceConnector } from './connector.js';
import { parseBigCommerceWebhook, standardWebhookSignature, verifyBigCommerceWebhook } from './webhook.js';

const SAMPLES = ['../../../reference/samples/bigcommerce/', '../../../../shared/reference/samples/bigcommerce/']
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((dir) => existsSync(dir))!;
const body = (file: string) => readFileSync(`${SAMPLES}${file}`);

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const secret = 'app-client-secret-0123456789';

function signed(raw: Buffer, at = Math.floor(NOW / 1000), id = 'msg_2x'): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': `v1,${standardWebhookSignature(secret, id, String(at), raw)}` };
}

describe('verifyBigCommerceWebhook / parseBigCommerceWebhook', () => {
  const raw = body('webhook-store_order_created.json');

  it('accepts a Standard Webhooks signature over the raw bytes, among several offered', () => {
    const h = signed(raw);
    expect(verifyBigCommerceWebhook(raw, h, { clientSecret: secret }, NOW)).toEqual({ ok: true, method: 'standard-webhooks' });
    const rotated = { ...h, 'webhook-signature': `v1,AAAA ${h['webhook-signature']}` };
    expect(verifyBigCommerceWebhook(raw, rotated, { clientSecret: secret }, NOW).ok).toBe(true);
  });

  it('refuses a changed body, another secret, a stale timestamp, missing headers, and no secret at all', () => {
    const h = signed(raw);
    const changed = Buffer.from(raw.toString().replace('250', '251'));
    expect(verifyBigCommerceWebhook(changed, h, { clientSecret: secret }, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    expect(verifyBigCommerceWebhook(raw, h, { clientSecret: 'other' }, NOW).ok).toBe(false);
    expect(verifyBigCommerceWebhook(raw, signed(raw, Math.floor(NOW / 1000) - 3600), { clientSecret: secret }, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/replay/) });
    expect(verifyBigCommerceWebhook(raw, {}, { clientSecret: secret }, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/not all present/) });
    expect(verifyBigCommerceWebhook(raw, h, {}, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/no webhook secret is configured/) });
  });

  it('accepts the custom-header secret of older hooks, compared exactly', () => {
    const headerSecret = { name: 'X-Bcbridge-Secret', value: 'shared-0123' };
    expect(verifyBigCommerceWebhook(raw, { 'x-bcbridge-secret': 'shared-0123' }, { headerSecret }, NOW)).toEqual({ ok: true, method: 'header-secret' });
    expect(verifyBigCommerceWebhook(raw, { 'x-bcbridge-secret': 'shared-0124' }, { headerSecret }, NOW).ok).toBe(false);
    // Either method is enough when both are configured.
    expect(verifyBigCommerceWebhook(raw, { 'x-bcbridge-secret': 'shared-0123' }, { headerSecret, clientSecret: secret }, NOW).ok).toBe(true);
  });

  it('reads the order id of every order sample, the order of a shipment, and the hash', () => {
    expect(parseBigCommerceWebhook(raw)).toEqual({ scope: 'store/order/created', orderId: '250', hash: 'dd70c0976e06b67aaf671e73f49dcb79230ebf9d', createdAt: 1561479335 });
    for (const f of ['webhook-store_order_updated.json', 'webhook-store_order_statusUpdated.json', 'webhook-store_order_refund_created.json']) {
      expect(parseBigCommerceWebhook(body(f)).orderId).toBe('250');
    }
    expect(parseBigCommerceWebhook(body('webhook-store_shipment_created.json'))).toMatchObject({ scope: 'store/shipment/created', orderId: '251' });
    expect(() => parseBigCommerceWebhook(Buffer.from('{"data":{}}'))).toThrow(/no scope/);
    expect(() => parseBigCommerceWebhook(Buffer.from('webhook_id=1'))).toThrow(/not JSON/);
  });
});

describe('the BigCommerce connector webhooks against the simulator', () => {
  let sim: BigCommerceSim | undefined;
  let receiver: Server | undefined;
  let connector: BigCommerceConnector | undefined;
  afterEach(async () => {
    await connector?.close();
    await sim?.close();
    await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
    sim = receiver = connector = undefined;
  });

  const clock: Clock = { now: () => new Date() };

  it('registers the three order scopes idempotently, reactivates a disabled one, lists and removes', async () => {
    sim = await startBigCommerceSim();
    connector = createBigCommerceConnector({ code: 'bc', storeHash: sim.storeHash, accessToken: sim.accessToken, apiUrl: sim.url, webhookClientSecret: sim.clientSecret }, { clock, requestLog: nullRequestLog });
    const hooks = connector.webhook!;
    const address = 'https://bcbridge.example.com/webhooks/bc';
    const first = await hooks.register(address);
    expect(first.map((r) => [r.subscription.topic, r.action])).toEqual([
      ['store/order/created', 'created'], ['store/order/updated', 'created'], ['store/order/statusUpdated', 'created'],
    ]);
    expect((await hooks.register(address)).every((r) => r.action === 'exists')).toBe(true);
    const updated = first[1]!.subscription;
    await connector.client.send('PUT', `/v3/hooks/${updated.id}`, { body: { is_active: false } });
    const again = await hooks.register(address);
    expect(again.find((r) => r.subscription.topic === 'store/order/updated')!.action).toBe('reactivated');
    await hooks.remove(updated.id);
    expect((await hooks.list()).map((s) => s.topic).sort()).toEqual(['store/order/created', 'store/order/statusUpdated']);
  });

  it('a delivery from the store verifies, names the order, and interprets into the order with its sub-resources', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const received: { body: Buffer; headers: Record<string, string | undefined> }[] = [];
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver!.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as { port: number }).port;
    connector = createBigCommerceConnector({ code: 'bc', storeHash: sim.storeHash, accessToken: sim.accessToken, apiUrl: sim.url, webhookClientSecret: sim.clientSecret }, { clock, requestLog: nullRequestLog });
    await connector.webhook!.register(`http://127.0.0.1:${port}/webhooks/bc`);
    const [record] = sim.generate(1, { statuses: ['awaiting-payment'] });
    sim.updateOrder(record!.order.id, { status: 'awaiting-fulfillment' });
    await sim.settleWebhooks();
    expect(received.map((d) => JSON.parse(d.body.toString()).scope).sort()).toEqual(['store/order/created', 'store/order/statusUpdated', 'store/order/updated']);
    for (const d of received) {
      const verdict = connector.webhook!.verify(d.body, d.headers);
      expect(verdict).toMatchObject({ kind: 'event', shopOrderId: String(record!.order.id), deliveryId: JSON.parse(d.body.toString()).hash });
      const intent = await connector.webhook!.interpret({ deliveryId: 'x', topic: (verdict as { topic: string }).topic, body: d.body.toString() });
      expect(intent.kind).toBe('orders');
      const order = connector.toOrder((intent as { orders: unknown[] }).orders[0]);
      expect(order.shopOrderId).toBe(String(record!.order.id));
      expect(order.status).toBe('awaiting-fulfillment');
    }
    // Someone else's signature is refused before anything is parsed.
    const forged = { ...received[0]!.headers, 'webhook-signature': 'v1,Zm9yZ2Vk' };
    expect(connector.webhook!.verify(received[0]!.body, forged)).toMatchObject({ kind: 'rejected' });
    // An order that no longer exists is reported gone, not as an error.
    const gone = await connector.webhook!.interpret({ deliveryId: 'y', topic: 'store/order/updated', body: JSON.stringify({ scope: 'store/order/updated', data: { type: 'order', id: 987654 } }) });
    expect(gone).toMatchObject({ kind: 'gone', shopOrderId: '987654' });
  });
});
