/**
 * The simulator's webhooks over real HTTP (webshop-api.md §1 "Webhooks"): a receiver written here checks
 * what WooCommerce sends — the ping, the signed order body built at delivery time, the headers — and how
 * failures disable a hook.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWooSim, type WooSim } from './server.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('WooCommerce simulator: webhooks', () => {
  let sim: WooSim;
  let receiver: Server;
  let receiverUrl: string;
  let received: Received[];
  let answer: number;

  beforeEach(async () => {
    // Basic auth needs https (woocommerce-live-facts.md); assumeHttps stands for a TLS-terminating proxy.
    sim = await startWooSim({ assumeHttps: true, seed: 3 });
    received = [];
    answer = 200;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answer);
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  });
  afterEach(async () => {
    await sim.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  const auth = () => `Basic ${Buffer.from(`${sim.consumerKey}:${sim.consumerSecret}`).toString('base64')}`;
  async function api(method: string, path: string, body?: unknown) {
    const res = await request(`${sim.url}/wp-json/wc/v3/${path}`, {
      method: method as 'GET',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  }

  it('pings a new hook, then delivers the order built at delivery time, signed with the secret', async () => {
    const created = await api('POST', 'webhooks', { name: 'orders', topic: 'order.created', delivery_url: receiverUrl, secret: 's3cret' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ topic: 'order.created', resource: 'order', event: 'created', status: 'active', delivery_url: receiverUrl });
    expect(created.body.secret).toBeUndefined();
    await sim.webhooksIdle();
    expect(received).toHaveLength(1);
    expect(received[0]!.body).toBe(`webhook_id=${created.body.id}`);
    expect(received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(received[0]!.headers['x-wc-webhook-signature']).toBeUndefined();

    const [order] = sim.generate(1);
    await sim.webhooksIdle();
    const delivery = received[1]!;
    expect(delivery.headers).toMatchObject({
      'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-event': 'created',
      'x-wc-webhook-id': String(created.body.id), 'content-type': 'application/json',
    });
    expect(String(delivery.headers['user-agent'])).toMatch(/^WooCommerce\/[\d.]+ Hookshot \(WordPress\/[\d.]+\)$/);
    expect(delivery.headers['x-wc-webhook-signature']).toBe(createHmac('sha256', 's3cret').update(delivery.body).digest('base64'));
    expect(JSON.parse(delivery.body)).toMatchObject({ id: order!.id, number: order!.number, line_items: expect.any(Array) });
    // The same key set as GET /orders/{id}.
    const viaApi = await api('GET', `orders/${order!.id}`);
    expect(Object.keys(JSON.parse(delivery.body))).toEqual(Object.keys(viaApi.body));
  });

  it('only active hooks of the topic deliver; the list pages; delete needs force', async () => {
    const a = await api('POST', 'webhooks', { topic: 'order.updated', delivery_url: receiverUrl, secret: 'x' });
    await api('POST', 'webhooks', { topic: 'order.created', delivery_url: receiverUrl, secret: 'x', status: 'paused' });
    await sim.webhooksIdle();
    received = [];
    const [order] = sim.generate(1);
    sim.updateOrder(order!.id, { customer_note: 'first' });
    await sim.webhooksIdle();
    expect(received.map((r) => r.headers['x-wc-webhook-topic'])).toEqual(['order.updated']);
    expect(JSON.parse(received[0]!.body).customer_note).toBe('first');

    const list = await api('GET', 'webhooks?per_page=1&page=2');
    expect(list.body).toHaveLength(1);
    expect((await api('DELETE', `webhooks/${a.body.id}`)).status).toBe(501);
    expect((await api('DELETE', `webhooks/${a.body.id}?force=true`)).status).toBe(200);
    expect((await api('GET', `webhooks/${a.body.id}`)).status).toBe(404);
  });

  it('refuses a bad topic or URL with WordPress errors, and anonymous requests', async () => {
    const badTopic = await api('POST', 'webhooks', { topic: 'order.exploded', delivery_url: receiverUrl });
    expect(badTopic.status).toBe(400);
    expect(badTopic.body.code).toBe('rest_invalid_param');
    const noUrl = await api('POST', 'webhooks', { topic: 'order.created' });
    expect(noUrl.body.code).toBe('rest_missing_callback_param');
    const anon = await request(`${sim.url}/wp-json/wc/v3/webhooks`);
    expect(anon.statusCode).toBe(401);
    await anon.body.text();
  });

  it('never retries; disables the hook after more than 5 failures in a row; PUT status=active switches it on again', async () => {
    const hook = await api('POST', 'webhooks', { topic: 'order.created', delivery_url: receiverUrl, secret: 'x' });
    await sim.webhooksIdle();
    answer = 500;
    received = [];
    for (let i = 0; i < 7; i++) {
      sim.generate(1);
      await sim.webhooksIdle();
    }
    // Six failures disable it; the seventh order is not delivered at all.
    expect(received).toHaveLength(6);
    expect((await api('GET', `webhooks/${hook.body.id}`)).body.status).toBe('disabled');
    answer = 200;
    const on = await api('PUT', `webhooks/${hook.body.id}`, { status: 'active' });
    expect(on.body.status).toBe('active');
    await sim.webhooksIdle();
    expect(received.at(-1)!.body).toBe(`webhook_id=${hook.body.id}`);
    sim.generate(1);
    await sim.webhooksIdle();
    expect(received.at(-1)!.headers['x-wc-webhook-topic']).toBe('order.created');
    expect(sim.webhookDeliveries().filter((d) => !d.ping).map((d) => d.status)).toEqual([500, 500, 500, 500, 500, 500, 200]);
  });
});
