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
