/**
 * The simulator's order shipments (POST/GET /v2/orders/{id}/shipments) over real HTTP, checked with plain
 * requests against orders.v2.oas2.yml and reference/samples/bigcommerce/v2-order-shipment-create-response.json.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startBigCommerceSim, type BigCommerceSim } from './server.js';

let sim: BigCommerceSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function call(s: BigCommerceSim, method: string, path: string, body?: unknown) {
  const res = await fetch(`${s.url}/stores/${s.storeHash}${path}`, {
    method,
    headers: { 'X-Auth-Token': s.accessToken, Accept: 'application/json', ...(body !== undefined && { 'Content-Type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('BigCommerce simulator: order shipments', () => {
  it('creates a partial shipment (Partially Shipped), then the rest (Shipped); lists them; date_modified moves', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const r = sim.addOrder({ status: 'awaiting-fulfillment', lines: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'BEAN-250', quantity: 1 }], couponPercent: 0 });
    const id = r.order.id;
    const [mug, tee] = r.products;
    const addressId = r.shippingAddresses[0]!.id;
    expect((await call(sim, 'GET', `/v2/orders/${id}/shipments`)).status).toBe(204);
    const before = r.order.date_modified;
    await new Promise((res) => setTimeout(res, 1100));

    const first = await call(sim, 'POST', `/v2/orders/${id}/shipments`, {
      order_address_id: addressId, tracking_number: 'JJD000390007', tracking_carrier: 'dhl-germany', shipping_method: 'DHL', comments: 'BC shipment 102001',
      items: [{ order_product_id: mug!.id, quantity: 1 }],
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({
      order_id: id, order_address_id: addressId, tracking_number: 'JJD000390007', tracking_carrier: 'dhl-germany', comments: 'BC shipment 102001',
      items: [{ order_product_id: mug!.id, product_id: mug!.product_id, quantity: 1 }], tracking_link: '',
      generated_tracking_link: 'https://track.aftership.com/dhl-germany/JJD000390007',
    });
    expect(first.json.shipping_address.street_1).toBe(r.shippingAddresses[0]!.street_1);
    let order = (await call(sim, 'GET', `/v2/orders/${id}`)).json;
    expect(order).toMatchObject({ status_id: 3, status: 'Partially Shipped', items_shipped: 1 });
    expect(Date.parse(order.date_modified)).toBeGreaterThan(Date.parse(before));
    expect((await call(sim, 'GET', `/v2/orders/${id}/products`)).json.map((p: { quantity_shipped: number }) => p.quantity_shipped)).toEqual([1, 0]);

    const rest = await call(sim, 'POST', `/v2/orders/${id}/shipments`, {
      order_address_id: String(addressId), shipping_provider: 'ups', tracking_number: '1Z999', tracking_link: 'https://example.test/t/1Z999',
      items: [{ order_product_id: mug!.id, quantity: 1 }, { order_product_id: tee!.id, quantity: 1 }],
    });
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ shipping_provider: 'ups', shipping_provider_display_name: 'UPS', tracking_link: 'https://example.test/t/1Z999', generated_tracking_link: '' });
    order = (await call(sim, 'GET', `/v2/orders/${id}`)).json;
    expect(order).toMatchObject({ status_id: 2, status: 'Shipped', items_shipped: 3 });
    expect(order.date_shipped).not.toBe('');

    const list = await call(sim, 'GET', `/v2/orders/${id}/shipments`);
    expect(list.json.map((s: { id: number }) => s.id)).toEqual([first.json.id, rest.json.id]);
    expect((await call(sim, 'GET', `/v2/orders/${id}/shipments/count`)).json).toEqual({ count: 2 });
    expect((await call(sim, 'GET', `/v2/orders/${id}/shipments/${rest.json.id}`)).json.id).toBe(rest.json.id);
    expect(sim.shipments(id)).toHaveLength(2);
    const admin = await fetch(`${sim.url}/_sim/orders/${id}/shipments`);
    expect(((await admin.json()) as unknown[]).length).toBe(2);
  });

  it('refuses what BigCommerce refuses, with its v2 error body, and changes nothing', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const r = sim.addOrder({ lines: [{ sku: 'MUG-01', quantity: 2 }], couponPercent: 0 });
    const id = r.order.id;
    const product = r.products[0]!.id;
    const address = r.shippingAddresses[0]!.id;
    const refused = async (body: unknown, message: RegExp) => {
      const res = await call(sim!, 'POST', `/v2/orders/${id}/shipments`, body);
      expect(res.status).toBe(400);
      expect(res.json).toEqual([{ status: 400, message: expect.stringMatching(message) }]);
    };
    await refused({ items: [{ order_product_id: product, quantity: 1 }] }, /required field 'order_address_id'/);
    await refused({ order_address_id: 999999, items: [{ order_product_id: product, quantity: 1 }] }, /'order_address_id' is invalid/);
    await refused({ order_address_id: address }, /required field 'items'/);
    await refused({ order_address_id: address, items: [{ order_product_id: 424242, quantity: 1 }] }, /'order_product_id' is invalid/);
    await refused({ order_address_id: address, items: [{ order_product_id: product, quantity: 3 }] }, /greater than the quantity left to ship \(2\)/);
    await refused({ order_address_id: address, items: [{ order_product_id: product, quantity: 1 }, { order_product_id: product, quantity: 2 }] }, /greater than the quantity left/);
    await refused({ order_address_id: address, items: [{ order_product_id: product, product_id: 1, quantity: 1 }] }, /'product_id' cannot be written to/);
    await refused({ order_address_id: address, shipping_provider: 'dhl', items: [{ order_product_id: product, quantity: 1 }] }, /'shipping_provider' is invalid/);
    await refused({ order_address_id: address, tracking_number: 'X'.repeat(51), items: [{ order_product_id: product, quantity: 1 }] }, /'tracking_number' is invalid/);
    expect(sim.shipments(id)).toEqual([]);
    expect(sim.order(id)!.products[0]!.quantity_shipped).toBe(0);
    expect((await call(sim, 'GET', '/v2/orders/999999/shipments')).status).toBe(404);
  });

  it('ships each consignment of a multi-address order to its own address only', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const r = sim.addOrder({
      shippingAddresses: [{ street_1: 'Hauptstr. 1', city: 'Berlin' }, { street_1: 'Ringstr. 9', city: 'Köln' }],
      lines: [{ sku: 'MUG-01', quantity: 1 }, { sku: 'BEAN-250', quantity: 1, address: 1 }],
      couponPercent: 0,
    });
    const [home, office] = r.shippingAddresses;
    expect(r.order.shipping_address_count).toBe(2);
    expect(r.products.map((p) => p.order_address_id)).toEqual([home!.id, office!.id]);
    const wrong = await call(sim, 'POST', `/v2/orders/${r.order.id}/shipments`, { order_address_id: home!.id, items: [{ order_product_id: r.products[1]!.id, quantity: 1 }] });
    expect(wrong.status).toBe(400);
    const ok = await call(sim, 'POST', `/v2/orders/${r.order.id}/shipments`, { order_address_id: office!.id, items: [{ order_product_id: r.products[1]!.id, quantity: 1 }] });
    expect(ok.json.shipping_address).toMatchObject({ street_1: 'Ringstr. 9', city: 'Köln' });
    expect(sim.order(r.order.id)!.order.status_id).toBe(3);
  });

  it('a PUT of staff_notes keeps the status and moves date_modified', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const r = sim.addOrder({ status: 'awaiting-fulfillment', couponPercent: 0 });
    await new Promise((res) => setTimeout(res, 1100));
    const put = await call(sim, 'PUT', `/v2/orders/${r.order.id}`, { staff_notes: 'BC sales order S-ORD1' });
    expect(put.json).toMatchObject({ staff_notes: 'BC sales order S-ORD1', status_id: 11 });
    expect(Date.parse(put.json.date_modified)).toBeGreaterThan(Date.parse(r.order.date_created));
  });
});

describe('faults by method', () => {
  it('fail only the POST when the rule names it; the GET of the same path still answers', async () => {
    sim = await startBigCommerceSim({ seed: 4 });
    const r = sim.addOrder({ lines: [{ sku: 'MUG-01', quantity: 1 }], couponPercent: 0 });
    sim.faults.add({ kind: '503', method: 'POST', pathIncludes: '/shipments', times: 1 });
    expect((await call(sim, 'GET', `/v2/orders/${r.order.id}/shipments`)).status).toBe(204);
    const body = { order_address_id: r.shippingAddresses[0]!.id, items: [{ order_product_id: r.products[0]!.id, quantity: 1 }] };
    expect((await call(sim, 'POST', `/v2/orders/${r.order.id}/shipments`, body)).status).toBe(503);
    expect((await call(sim, 'POST', `/v2/orders/${r.order.id}/shipments`, body)).status).toBe(201);
  });
});
