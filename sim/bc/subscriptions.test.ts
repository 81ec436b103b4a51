import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

/** A notification receiver: answers the handshake, records notifications, answers them with `status`. */
async function receiver() {
  const got: { value: Record<string, unknown>[] }[] = [];
  const state = { status: 202, handshake: true };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const token = url.searchParams.get('validationToken');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (token !== null) {
        res.writeHead(state.handshake ? 200 : 403, { 'Content-Type': 'text/plain' }).end(state.handshake ? token : 'no');
        return;
      }
      got.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function until(fn: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('BC simulator: webhook subscriptions (bc-api.md §6)', () => {
  let h: Harness;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const subs = () => `${h.sim.apiBase()}/subscriptions`;
  const resource = (set = 'salesOrders') => `/api/v2.0/companies(${h.sim.companyId()})/${set}`;

  beforeEach(async () => {
    h = await harness({ subscriptions: { notifyDelayMs: 30, retryDelayMs: 20, collectionThreshold: 3 } });
    rx = await receiver();
  });
  afterEach(async () => {
    await h.sim.close();
    await rx.close();
  });

  it('creates only after the handshake; refuses salesShipments and a failed handshake with a reason', async () => {
    const ok = await h.call('POST', subs(), { notificationUrl: rx.url, resource: resource(), clientState: 'secret-1' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ notificationUrl: rx.url, resource: resource(), clientState: 'secret-1' });
    expect(Date.parse(ok.body.expirationDateTime) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    const shipments = await h.call('POST', subs(), { notificationUrl: rx.url, resource: resource('salesShipments') });
    expect(shipments.status).toBe(400);
    expect(shipments.body.error.message).toContain("'salesShipments' does not support webhook");
    rx.state.handshake = false;
    const refused = await h.call('POST', subs(), { notificationUrl: rx.url, resource: resource('salesInvoices') });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('handshake');
    expect((await h.call('GET', subs())).body.value).toHaveLength(1);
  });

  it('notifies created/updated/deleted after posting; PATCH renews with If-Match; DELETE removes', async () => {
    const created = await h.call('POST', subs(), { notificationUrl: rx.url, resource: resource(), clientState: 'cs' });
    const order = await h.call('POST', 'salesOrders', sampleOrder('WOO-77'));
    expect(order.status).toBe(201);
    await until(() => rx.got.length >= 1);
    expect(rx.got[0]!.value[0]).toMatchObject({ subscriptionId: created.body.subscriptionId, clientState: 'cs', changeType: 'created', resource: `api/v2.0/companies(${h.sim.companyId()})/salesOrders(${order.body.id})` });
    h.sim.ship({ externalDocumentNumber: 'WOO-77', lines: [{ sequence: 10000, quantity: 1 }] });
    await until(() => rx.got.some((n) => n.value.some((v) => v.changeType === 'updated')));
    h.sim.invoice({ externalDocumentNumber: 'WOO-77' });
    await until(() => rx.got.some((n) => n.value.some((v) => v.changeType === 'deleted')));

    const id = created.body.subscriptionId as string;
    expect((await h.call('PATCH', `${subs()}('${id}')`, { clientState: 'cs' })).status).toBe(400);
    const renewed = await h.call('PATCH', `${subs()}('${id}')`, { clientState: 'cs2' }, { 'If-Match': created.body['@odata.etag'] });
    expect(renewed.status).toBe(200);
    expect(renewed.body.clientState).toBe('cs2');
    expect((await h.call('DELETE', `${subs()}('${id}')`, undefined, { 'If-Match': created.body['@odata.etag'] })).status).toBe(409);
    expect((await h.call('DELETE', `${subs()}('${id}')`, undefined, { 'If-Match': renewed.body['@odata.etag'] })).status).toBe(204);
    expect((await h.call('GET', subs())).body.value).toEqual([]);
  });

  it('retries after a 503, batches a burst into one collection notice, and deletes the subscription after a 404', async () => {
    await h.call('POST', subs(), { notificationUrl: rx.url, resource: resource(), clientState: 'cs' });
    rx.state.status = 503;
    await h.call('POST', 'salesOrders', sampleOrder('WOO-1'));
    await until(() => rx.got.length >= 2); // delivered, refused with 503, delivered again
    rx.state.status = 202;
    await until(() => h.sim.subscriptions.deliveries().some((d) => d.status === 202));
    expect(h.sim.subscriptions.list()).toHaveLength(1);

    rx.got.length = 0;
    // Four orders in one $batch: one window with more changes than the threshold (3 here, BC 1,000) → one
    // collection notice with a lastModifiedDateTime filter instead of four entries.
    const cid = h.sim.companyId();
    const batch = await h.call('POST', `${h.sim.apiBase()}/$batch`, {
      requests: ['WOO-2', 'WOO-3', 'WOO-4', 'WOO-5'].map((k, i) => ({ method: 'POST', id: String(i), url: `companies(${cid})/salesOrders`, headers: { 'Content-Type': 'application/json' }, body: sampleOrder(k) })),
    });
    expect(batch.status).toBe(200);
    await until(() => rx.got.length >= 1);
    expect(rx.got[0]!.value).toHaveLength(1);
    expect(rx.got[0]!.value[0]).toMatchObject({ changeType: 'collection' });
    expect(String(rx.got[0]!.value[0]!.resource)).toContain(`/salesOrders?$filter=lastModifiedDateTime`);

    rx.state.status = 404;
    await h.call('POST', 'salesOrders', sampleOrder('WOO-6'));
    await until(() => h.sim.subscriptions.list().length === 0);
  });
});
