/**
 * The Magento simulator over real HTTP, checked against reference/webshop-api.md §4 with a signer
 * written here from RFC 5849 (not the connector's).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startMagentoSim, type MagentoSim } from './server.js';

let sim: MagentoSim | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

function sign(s: MagentoSim, method: string, url: string, o: { nonce?: string; timestamp?: number; secret?: string } = {}): string {
  const u = new URL(url);
  const oauth: [string, string][] = [
    ['oauth_consumer_key', s.integration.consumerKey], ['oauth_nonce', o.nonce ?? randomBytes(8).toString('hex')], ['oauth_signature_method', 'HMAC-SHA256'],
    ['oauth_timestamp', String(o.timestamp ?? Math.floor(Date.now() / 1000))], ['oauth_token', s.integration.accessToken], ['oauth_version', '1.0'],
  ];
  const pairs = [...u.searchParams.entries(), ...oauth].map(([k, v]) => [enc(k), enc(v)] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const base = `${method}&${enc(`${u.origin}${u.pathname}`)}&${enc(pairs.map(([k, v]) => `${k}=${v}`).join('&'))}`;
  const sig = createHmac('sha256', `${enc(s.integration.consumerSecret)}&${enc(o.secret ?? s.integration.accessTokenSecret)}`).update(base).digest('base64');
  return `OAuth ${[...oauth, ['oauth_signature', sig]].map(([k, v]) => `${k}="${enc(v)}"`).join(',')}`;
}

async function get(s: MagentoSim, pathAndQuery: string, auth?: string) {
  const url = `${s.url}${pathAndQuery}`;
  const res = await fetch(url, { headers: { Authorization: auth ?? sign(s, 'GET', url) } });
  return { status: res.status, json: (await res.json()) as any };
}

const q = (pairs: [string, string][]) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

describe('Magento simulator: authentication', () => {
  it('accepts OAuth 1.0a; refuses a replayed nonce, a wrong secret and a timestamp far ahead alike', async () => {
    sim = await startMagentoSim();
    expect((await get(sim, '/rest/V1/orders?searchCriteria[pageSize]=1')).status).toBe(200);
    const url = `${sim.url}/rest/V1/orders/1`;
    const once = sign(sim, 'GET', url, { nonce: 'n1' });
    expect((await get(sim, '/rest/V1/orders/1', once)).status).toBe(404);
    const replay = await get(sim, '/rest/V1/orders/1', once);
    expect(replay).toEqual({ status: 401, json: { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::actions_view' } } });
    expect((await get(sim, '/rest/V1/orders/1', sign(sim, 'GET', url, { secret: 'x' }))).status).toBe(401);
    expect((await get(sim, '/rest/V1/orders/1', sign(sim, 'GET', url, { timestamp: Math.floor(Date.now() / 1000) + 3600 }))).status).toBe(401);
  });

  it('refuses the integration token as Bearer unless the store allows it (2.4.4+)', async () => {
    sim = await startMagentoSim();
    expect((await get(sim, '/rest/V1/orders', `Bearer ${sim.integration.accessToken}`)).status).toBe(401);
    await sim.close();
    sim = await startMagentoSim({ bearerAllowed: true });
    expect((await get(sim, '/rest/V1/orders', `Bearer ${sim.integration.accessToken}`)).status).toBe(200);
    expect((await get(sim, '/rest/V1/orders', 'Bearer nope')).status).toBe(401);
  });

  it('serves the store-code paths and refuses an unknown store', async () => {
    sim = await startMagentoSim();
    expect((await get(sim, '/rest/default/V1/orders')).status).toBe(200);
    expect((await get(sim, '/rest/all/V1/orders')).status).toBe(200);
    expect((await get(sim, '/rest/nl_store/V1/orders')).json).toEqual({ message: 'Requested store is not found' });
  });
});

describe('Magento simulator: searchCriteria', () => {
  it('ANDs groups, ORs filters in a group, sorts DESC by default, clamps a page past the end to the last page', async () => {
    sim = await startMagentoSim({ seed: 4 });
    sim.generate(9, { statuses: ['processing', 'pending'] });
    const orders = sim.orders();
    const first = orders[0]!.entity_id;
    const or = await get(sim, `/rest/V1/orders?${q([
      ['searchCriteria[filter_groups][0][filters][0][field]', 'status'], ['searchCriteria[filter_groups][0][filters][0][value]', 'processing'],
      ['searchCriteria[filter_groups][0][filters][1][field]', 'status'], ['searchCriteria[filter_groups][0][filters][1][value]', 'pending'],
      ['searchCriteria[filter_groups][1][filters][0][field]', 'entity_id'], ['searchCriteria[filter_groups][1][filters][0][value]', String(first + 2)],
      ['searchCriteria[filter_groups][1][filters][0][condition_type]', 'gt'],
    ])}`);
    expect(or.json.total_count).toBe(orders.length - 3);
    expect(or.json.items.map((o: { entity_id: number }) => o.entity_id)).toEqual(orders.filter((o) => o.entity_id > first + 2).map((o) => o.entity_id));
    const desc = await get(sim, `/rest/V1/orders?${q([['searchCriteria[sortOrders][0][field]', 'entity_id'], ['searchCriteria[pageSize]', '4'], ['searchCriteria[currentPage]', '1']])}`);
    expect(desc.json.items[0].entity_id).toBe(orders.at(-1)!.entity_id);
    const past = await get(sim, `/rest/V1/orders?${q([['searchCriteria[sortOrders][0][field]', 'entity_id'], ['searchCriteria[sortOrders][0][direction]', 'ASC'], ['searchCriteria[pageSize]', '4'], ['searchCriteria[currentPage]', '7']])}`);
    expect(past.json.items.map((o: { entity_id: number }) => o.entity_id)).toEqual(orders.slice(8).map((o) => o.entity_id));
    expect(past.json.total_count).toBe(9);
    const fields = await get(sim, `/rest/V1/orders?${q([['searchCriteria[pageSize]', '2'], ['fields', 'items[entity_id,increment_id],total_count']])}`);
    expect(Object.keys(fields.json).sort()).toEqual(['items', 'total_count']);
    expect(Object.keys(fields.json.items[0]).sort()).toEqual(['entity_id', 'increment_id']);
  });

  it('compares updated_at as text: the documented YYYY-MM-DD HH:MM:SS works, an ISO value with T filters wrongly', async () => {
    sim = await startMagentoSim({ seed: 6 });
    sim.generate(5);
    const at = sim.orders()[2]!.updated_at;
    const filter = (value: string) => get(sim!, `/rest/V1/orders?${q([
      ['searchCriteria[filter_groups][0][filters][0][field]', 'updated_at'], ['searchCriteria[filter_groups][0][filters][0][value]', value],
      ['searchCriteria[filter_groups][0][filters][0][condition_type]', 'gteq'],
    ])}`);
    expect((await filter(at)).json.total_count).toBe(sim.orders().filter((o) => o.updated_at >= at).length);
    expect((await filter(at.replace(' ', 'T'))).json.total_count).toBeLessThan((await filter(at)).json.total_count);
  });
});

describe('Magento simulator: generated orders', () => {
  const D = (v: Decimal.Value) => new Decimal(v ?? 0);

  it('reconcile to the cent, in both tax modes, with configurable and bundle trees', async () => {
    sim = await startMagentoSim({ seed: 12 });
    const orders = [...sim.generate(40, { pricesIncludeTaxShare: 0.5 }), sim.addOrder({ withTrees: true, pricesIncludeTax: true, couponPercent: 10 }), sim.addOrder({ withTrees: true, pricesIncludeTax: false, couponPercent: 15 })];
    for (const o of orders) {
      const parents = new Set(o.items.filter((i) => i.parent_item_id !== undefined).map((i) => i.parent_item_id));
      // Money carriers: configurable parents, bundle parts, plain items.
      const carriers = o.items.filter((i) => (i.product_type === 'configurable') || (i.parent_item_id !== undefined && o.items.find((p) => p.item_id === i.parent_item_id)!.product_type === 'bundle') || (!parents.has(i.item_id) && i.parent_item_id === undefined));
      const lines = carriers.reduce((s, i) => s.plus(D(i.row_total).minus(D(i.discount_amount)).plus(D(i.discount_tax_compensation_amount as number)).plus(D(i.tax_amount))), D(0));
      expect(lines.plus(D(o.shipping_amount as number)).plus(D(o.shipping_tax_amount as number)).toFixed(2), `order ${o.increment_id}`).toBe(D(o.grand_total).toFixed(2));
      for (const child of o.items.filter((i) => i.parent_item_id !== undefined)) expect(child.parent_item).toMatchObject({ item_id: child.parent_item_id });
      for (const c of o.items.filter((i) => i.product_type === 'configurable')) {
        const child = o.items.find((i) => i.parent_item_id === c.item_id)!;
        expect(child).toMatchObject({ sku: c.sku, price: 0, row_total: 0 });
      }
      for (const b of o.items.filter((i) => i.product_type === 'bundle')) {
        const parts = o.items.filter((i) => i.parent_item_id === b.item_id);
        expect(parts.reduce((s, p) => s.plus(p.row_total), D(0)).toFixed(2)).toBe(D(b.row_total).toFixed(2));
      }
    }
    expect(orders.some((o) => o.items.some((i) => i.product_type === 'bundle'))).toBe(true);
  });
});

describe('Magento simulator: shipments (POST /V1/order/{id}/ship)', () => {
  async function post(s: MagentoSim, path: string, body: unknown, auth?: string) {
    const url = `${s.url}${path}`;
    const res = await fetch(url, { method: 'POST', headers: { Authorization: auth ?? sign(s, 'POST', url), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  }
  const shipmentsOf = (s: MagentoSim, id: number) => get(s, `/rest/V1/shipments?${q([
    ['searchCriteria[filter_groups][0][filters][0][field]', 'order_id'], ['searchCriteria[filter_groups][0][filters][0][value]', String(id)],
  ])}`);

  it('ships a configurable by its parent (the child follows), moves updated_at, lists the shipment by order_id with track and comment', async () => {
    let now = Date.now();
    sim = await startMagentoSim({ seed: 21, now: () => now });
    const o = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01', quantity: 2 }], withTrees: true });
    const tee = o.items.find((i) => i.product_type === 'configurable')!;
    const child = o.items.find((i) => i.parent_item_id === tee.item_id)!;
    const before = o.updated_at;
    now += 5000;
    const res = await post(sim, `/rest/V1/order/${o.entity_id}/ship`, {
      items: [{ order_item_id: tee.item_id, qty: 1 }], notify: false, appendComment: false,
      comment: { comment: 'BC shipment 102001', is_visible_on_front: 0 }, tracks: [{ track_number: 'JJD01', title: 'DHL', carrier_code: 'custom' }],
    });
    expect(res.status).toBe(200);
    expect(typeof res.json).toBe('number');
    const order = sim.order(o.entity_id)!;
    expect(order.items.find((i) => i.item_id === tee.item_id)!.qty_shipped).toBe(1);
    expect(order.items.find((i) => i.item_id === child.item_id)!.qty_shipped).toBe(1);
    expect(order.items.find((i) => i.sku === 'MUG-01')!.qty_shipped).toBe(0);
    expect(order.status).toBe('processing');
    expect(order.updated_at > before).toBe(true);
    const listed = await shipmentsOf(sim, o.entity_id);
    expect(listed.json.total_count).toBe(1);
    expect(listed.json.items[0]).toMatchObject({
      entity_id: res.json, order_id: o.entity_id, total_qty: 1, items: [{ order_item_id: tee.item_id, qty: 1, sku: tee.sku }],
      tracks: [{ track_number: 'JJD01', title: 'DHL', carrier_code: 'custom' }], comments: [{ comment: 'BC shipment 102001', is_visible_on_front: 0 }],
    });
    expect((await shipmentsOf(sim, o.entity_id + 1)).json.total_count).toBe(0);
  });

  it("cuts a quantity to what is left, ignores unknown ids, and refuses what ships nothing with Magento's message", async () => {
    sim = await startMagentoSim({ seed: 22 });
    const o = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01', quantity: 2 }], withTrees: true });
    const mug = o.items.find((i) => i.sku === 'MUG-01')!;
    const tee = o.items.find((i) => i.product_type === 'configurable')!;
    const child = o.items.find((i) => i.parent_item_id === tee.item_id)!;
    const nothing = { status: 400, json: { message: "Shipment Document Validation Error(s):\nYou can't create a shipment without products." } };
    expect(await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { items: [{ order_item_id: 99999, qty: 1 }] })).toEqual(nothing);
    expect(await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { items: [{ order_item_id: child.item_id, qty: 1 }] })).toEqual(nothing);
    expect((await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { items: [{ order_item_id: mug.item_id, qty: 5 }] })).status).toBe(200);
    expect(sim.order(o.entity_id)!.items.find((i) => i.item_id === mug.item_id)!.qty_shipped).toBe(2);
    expect(await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { items: [{ order_item_id: mug.item_id, qty: 1 }] })).toEqual(nothing);
    expect(sim.shipments(o.entity_id)).toHaveLength(1);
    expect((await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { items: [{ qty: 1 }] })).json).toEqual({ message: '"%fieldName" is required. Enter and try again.', parameters: { fieldName: 'orderItemId' } });
    expect((await post(sim, '/rest/V1/order/99999/ship', {})).status).toBe(404);
  });

  it('MSI: a shipment comes from the named source (default: `default`); a source the store lacks changes nothing', async () => {
    sim = await startMagentoSim({ seed: 23, sources: ['default', 'ne_wh'] });
    const a = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const b = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    expect((await post(sim, `/rest/V1/order/${a.entity_id}/ship`, { arguments: { extension_attributes: { source_code: 'ne_wh' } } })).status).toBe(200);
    expect((await shipmentsOf(sim, a.entity_id)).json.items[0].extension_attributes).toEqual({ source_code: 'ne_wh' });
    const refused = await post(sim, `/rest/V1/order/${b.entity_id}/ship`, { arguments: { extension_attributes: { source_code: 'west_wh' } } });
    expect(refused).toEqual({ status: 400, json: { message: 'Source item not found by source code: west_wh and sku: MUG-01.' } });
    expect(sim.shipments(b.entity_id)).toHaveLength(0);
    expect(sim.order(b.entity_id)!.items[0]!.qty_shipped).toBe(0);
    expect((await post(sim, `/rest/V1/order/${b.entity_id}/ship`, {})).status).toBe(200);
    expect(sim.shipments(b.entity_id)[0]!.extension_attributes).toEqual({ source_code: 'default' });
  });

  it('bundles: together by the bundle item, separately by its parts; the other one is refused by name', async () => {
    sim = await startMagentoSim({ seed: 23 });
    const together = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }], withTrees: true });
    const bundle = together.items.find((i) => i.product_type === 'bundle')!;
    const part = together.items.find((i) => i.parent_item_id === bundle.item_id)!;
    const refusedPart = await post(sim, `/rest/V1/order/${together.entity_id}/ship`, { items: [{ order_item_id: part.item_id, qty: 1 }] });
    expect(refusedPart.status).toBe(400);
    expect(refusedPart.json.message).toContain(`Cannot create shipment as bundle product "${bundle.sku}" has shipment type "Together". Bundle product itself should be shipped instead.`);
    expect((await post(sim, `/rest/V1/order/${together.entity_id}/ship`, { items: [{ order_item_id: bundle.item_id, qty: 1 }] })).status).toBe(200);
    expect(sim.order(together.entity_id)!.items.filter((i) => i.parent_item_id === bundle.item_id).every((i) => i.qty_shipped === 1)).toBe(true);

    const apart = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }], withTrees: true, bundleShipment: 'separately' });
    const b2 = apart.items.find((i) => i.product_type === 'bundle')!;
    const parts = apart.items.filter((i) => i.parent_item_id === b2.item_id);
    const refusedBundle = await post(sim, `/rest/V1/order/${apart.entity_id}/ship`, { items: [{ order_item_id: b2.item_id, qty: 1 }] });
    expect(refusedBundle.json.message).toContain('has shipment type "Separately". Bundle product options should be shipped instead.');
    expect((await post(sim, `/rest/V1/order/${apart.entity_id}/ship`, { items: [{ order_item_id: parts[0]!.item_id, qty: 1 }] })).status).toBe(200);
    expect(sim.order(apart.entity_id)!.items.find((i) => i.item_id === b2.item_id)!.qty_shipped).toBe(0);
    expect((await post(sim, `/rest/V1/order/${apart.entity_id}/ship`, { items: parts.slice(1).map((p) => ({ order_item_id: p.item_id, qty: 1 })) })).status).toBe(200);
    expect(sim.order(apart.entity_id)!.items.find((i) => i.item_id === b2.item_id)!.qty_shipped).toBe(1);
  });

  it('no items ships the rest: an invoiced order becomes complete; after that, and for a held order, Magento refuses', async () => {
    sim = await startMagentoSim({ seed: 24 });
    const o = sim.addOrder({ status: 'processing', withTrees: true });
    expect((await post(sim, `/rest/V1/order/${o.entity_id}/ship`, { notify: true })).status).toBe(200);
    expect(sim.order(o.entity_id)).toMatchObject({ state: 'complete', status: 'complete' });
    expect(sim.order(o.entity_id)!.items.every((i) => i.qty_shipped === i.qty_ordered)).toBe(true);
    expect((await post(sim, `/rest/V1/order/${o.entity_id}/ship`, {})).json).toEqual({ message: "Shipment Document Validation Error(s):\nThe order does not allow a shipment to be created.\nYou can't create a shipment without products." });
    const unpaid = sim.addOrder({ status: 'pending', lines: [{ sku: 'MUG-01' }] });
    expect((await post(sim, `/rest/V1/order/${unpaid.entity_id}/ship`, {})).status).toBe(200);
    // Shipped but not invoiced: processing, not complete.
    expect(sim.order(unpaid.entity_id)).toMatchObject({ state: 'processing', status: 'processing' });
    const held = sim.addOrder({ status: 'holded', lines: [{ sku: 'MUG-01' }] });
    expect((await post(sim, `/rest/V1/order/${held.entity_id}/ship`, {})).json.message).toContain('A shipment cannot be created when an order has a status of holded');
  });

  it('order comments: POST keeps the status, GET lists them; a refused signature names the ship resource', async () => {
    sim = await startMagentoSim({ seed: 25 });
    const o = sim.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const added = await post(sim, `/rest/V1/orders/${o.entity_id}/comments`, { statusHistory: { comment: 'BC sales order S-ORD101001', is_customer_notified: 0, is_visible_on_front: 0, parent_id: o.entity_id, status: 'complete' } });
    expect(added).toEqual({ status: 200, json: true });
    expect(sim.order(o.entity_id)!.status).toBe('processing');
    const listed = await get(sim, `/rest/V1/orders/${o.entity_id}/comments`);
    expect(listed.json.items[0]).toMatchObject({ comment: 'BC sales order S-ORD101001', status: 'processing', is_visible_on_front: 0 });
    expect((await post(sim, `/rest/V1/orders/${o.entity_id}/comments`, {})).json.parameters).toEqual({ fieldName: 'statusHistory' });
    const refused = await post(sim, `/rest/V1/order/${o.entity_id}/ship`, {}, 'Bearer nope');
    expect(refused).toEqual({ status: 401, json: { message: "The consumer isn't authorized to access %resources.", parameters: { resources: 'Magento_Sales::ship' } } });
  });
});
