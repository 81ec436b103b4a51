/**
 * The BigCommerce simulator over real HTTP, checked against reference/webshop-api.md §3 with plain
 * requests written here (not with the connector it exists to test).
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startBigCommerceSim, type BigCommerceSim } from './server.js';

let sim: BigCommerceSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function get(s: BigCommerceSim, path: string, token = s.accessToken) {
  const res = await fetch(`${s.url}/stores/${s.storeHash}${path}`, { headers: { 'X-Auth-Token': token, Accept: 'application/json' } });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

describe('BigCommerce simulator: gateway', () => {
  it('requires X-Auth-Token and the right store hash', async () => {
    sim = await startBigCommerceSim();
    expect((await get(sim, '/v2/orders', 'wrong')).status).toBe(401);
    const res = await fetch(`${sim.url}/stores/other/v2/orders`, { headers: { 'X-Auth-Token': sim.accessToken } });
    expect(res.status).toBe(404);
  });

  it('sends the quota headers on every answer and 429 once the window is used up', async () => {
    sim = await startBigCommerceSim({ quota: 3, windowMs: 60_000 });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await get(sim, '/v2/orders/count'));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers.get('x-rate-limit-requests-left'))).toEqual(['2', '1', '0', '0']);
    expect(Number(answers[3]!.headers.get('x-rate-limit-time-reset-ms'))).toBeGreaterThan(0);
    expect(answers[0]!.headers.get('x-rate-limit-requests-quota')).toBe('3');
    expect(answers[0]!.headers.get('x-rate-limit-time-window-ms')).toBe('60000');
  });
});

describe('BigCommerce simulator: orders', () => {
  it('answers an empty list with 204 and no body', async () => {
    sim = await startBigCommerceSim();
    const res = await get(sim, '/v2/orders');
    expect(res.status).toBe(204);
    expect(res.json).toBeUndefined();
  });

  it('filters min_date_modified (RFC 2822 or ISO 8601, inclusive), sorts, pages; a bare + is a space and is refused', async () => {
    sim = await startBigCommerceSim({ seed: 3 });
    sim.generate(10, { statuses: ['awaiting-fulfillment'] });
    const cut = sim.orders()[4]!.order.date_modified;
    const rfc = await get(sim, `/v2/orders?min_date_modified=${encodeURIComponent(cut)}&sort=date_modified:asc&limit=250`);
    const expected = sim.orders().filter((r) => Date.parse(r.order.date_modified) >= Date.parse(cut));
    expect(rfc.json.map((o: { id: number }) => o.id).sort()).toEqual(expected.map((r) => r.order.id).sort());
    const iso = await get(sim, `/v2/orders?min_date_modified=${encodeURIComponent(new Date(Date.parse(cut)).toISOString())}`);
    expect(iso.json).toHaveLength(expected.length);
    expect((await get(sim, `/v2/orders?min_date_modified=${cut.replace(/ /g, '%20')}`)).status).toBe(400);
    expect((await get(sim, '/v2/orders?sort=total:asc')).status).toBe(400);
    const p1 = await get(sim, '/v2/orders?limit=4&page=1&sort=id:desc');
    const p3 = await get(sim, '/v2/orders?limit=4&page=3&sort=id:desc');
    expect(p1.json.map((o: { id: number }) => o.id)).toEqual(sim.orders().map((r) => r.order.id).reverse().slice(0, 4));
    expect(p3.json).toHaveLength(2);
    expect((await get(sim, '/v2/orders?limit=4&page=4')).status).toBe(204);
  });

  it('leaves out incomplete orders unless asked for status_id=0', async () => {
    sim = await startBigCommerceSim();
    sim.generate(3, { statuses: ['incomplete'] });
    sim.generate(2, { statuses: ['awaiting-fulfillment'] });
    expect((await get(sim, '/v2/orders')).json).toHaveLength(2);
    expect((await get(sim, '/v2/orders?status_id=0')).json).toHaveLength(3);
  });

  it('links the sub-resources and serves them, 204 when empty, and a PUT of status_id changes the order', async () => {
    sim = await startBigCommerceSim({ seed: 8 });
    const r = sim.addOrder({ lines: [{ sku: 'MUG-01', quantity: 2 }], couponPercent: 0 });
    const id = r.order.id;
    const order = (await get(sim, `/v2/orders/${id}`)).json;
    expect(order.products).toEqual({ url: `${sim.url}/stores/${sim.storeHash}/v2/orders/${id}/products`, resource: `/orders/${id}/products` });
    expect((await get(sim, `/v2/orders/${id}/products`)).json[0]).toMatchObject({ sku: 'MUG-01', quantity: 2, order_id: id });
    expect((await get(sim, `/v2/orders/${id}/shipping_addresses`)).json).toHaveLength(1);
    expect((await get(sim, `/v2/orders/${id}/shippingaddresses`)).json).toHaveLength(1);
    expect((await get(sim, `/v2/orders/${id}/coupons`)).status).toBe(204);
    expect((await get(sim, `/v2/orders/${id}/fees`)).json).toEqual({ fees: [] });
    expect((await get(sim, '/v2/orders/99999')).json).toEqual([{ status: 404, message: 'The requested resource was not found.' }]);
    const before = order.date_modified;
    await new Promise((res) => setTimeout(res, 1100));
    const put = await fetch(`${sim.url}/stores/${sim.storeHash}/v2/orders/${id}`, { method: 'PUT', headers: { 'X-Auth-Token': sim.accessToken, 'Content-Type': 'application/json' }, body: JSON.stringify({ status_id: 2 }) });
    const updated = (await put.json()) as any;
    expect(updated).toMatchObject({ status_id: 2, status: 'Shipped' });
    expect(Date.parse(updated.date_modified)).toBeGreaterThan(Date.parse(before));
  });
});

describe('BigCommerce simulator: generated orders', () => {
  const D = (v: Decimal.Value) => new Decimal(v);

  it('reconcile to the cent: lines after discount + shipping + fees = total_inc_tax; ex + tax = inc', async () => {
    sim = await startBigCommerceSim({ seed: 21 });
    const records = sim.generate(60, { pricesIncludeTaxShare: 0.5 });
    for (const r of records) {
      const o = r.order;
      const lines = r.products.reduce((s, p) => s.plus(p.discounted_total_inc_tax), D(0));
      const fees = o.fees.reduce((s, f) => s.plus(f.cost_inc_tax), D(0));
      expect(lines.plus(o.shipping_cost_inc_tax).plus(fees).toFixed(2), `order ${o.id}`).toBe(D(o.total_inc_tax).toFixed(2));
      expect(D(o.total_ex_tax).plus(o.total_tax).toFixed(4)).toBe(D(o.total_inc_tax).toFixed(4));
      expect(D(o.subtotal_ex_tax).toFixed(4)).toBe(r.products.reduce((s, p) => s.plus(p.total_ex_tax), D(0)).toFixed(4));
      const discounts = r.products.reduce((s, p) => s.plus(p.applied_discounts.reduce((t, d) => t.plus(d.amount), D(0))), D(0));
      expect(discounts.toFixed(4)).toBe(D(o.coupon_discount).toFixed(4));
      expect(o.total_inc_tax).toMatch(/^\d+\.\d{4}$/);
      expect(o.date_modified).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    }
    expect(records.some((r) => r.order.is_tax_inclusive_pricing) && records.some((r) => !r.order.is_tax_inclusive_pricing)).toBe(true);
    expect(records.some((r) => r.products.some((p) => p.is_bundled_product && p.parent_order_product_id !== null))).toBe(true);
  });

  it('is deterministic for a seed', async () => {
    sim = await startBigCommerceSim({ seed: 5, now: () => Date.UTC(2026, 0, 1) });
    const a = sim.generate(5).map((r) => r.order);
    await sim.close();
    sim = await startBigCommerceSim({ seed: 5, now: () => Date.UTC(2026, 0, 1) });
    const b = sim.generate(5).map((r) => r.order);
    expect(b.map((o) => ({ ...o, products: null, shipping_addresses: null, coupons: null }))).toEqual(a.map((o) => ({ ...o, products: null, shipping_addresses: null, coupons: null })));
  });
});

describe('BigCommerce simulator: webhooks', () => {
  it('delivers thin payloads signed per Standard Webhooks with the client secret, with the hook\'s custom headers', async () => {
    sim = await startBigCommerceSim({ clientSecret: 'cs-1' });
    const got: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        got.push({ body, headers: req.headers });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as { port: number }).port;
      const create = await fetch(`${sim.url}/stores/${sim.storeHash}/v3/hooks`, {
        method: 'POST', headers: { 'X-Auth-Token': sim.accessToken, 'Content-Type': 'application/json' },
        body: JSON.stringify({ scope: 'store/order/*', destination: `http://127.0.0.1:${port}/hook`, is_active: true, headers: { 'X-Secret': 's3' } }),
      });
      expect(((await create.json()) as any).data).toMatchObject({ scope: 'store/order/*', is_active: true });
      const [r] = sim.generate(1);
      await sim.settleWebhooks();
      expect(got).toHaveLength(1);
      const body = JSON.parse(got[0]!.body);
      expect(body).toMatchObject({ scope: 'store/order/created', data: { type: 'order', id: r!.order.id }, producer: `stores/${sim.storeHash}` });
      expect(typeof body.hash).toBe('string');
      const h = got[0]!.headers;
      const expected = createHmac('sha256', 'cs-1').update(`${h['webhook-id']}.${h['webhook-timestamp']}.${got[0]!.body}`).digest('base64');
      expect(h['webhook-signature']).toBe(`v1,${expected}`);
      expect(h['x-secret']).toBe('s3');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
