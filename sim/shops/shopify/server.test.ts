import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Decimal } from 'decimal.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim } from './server.js';

/** A GraphQL call as any client would make it (this test is a stranger to src/, like the simulator). */
async function gql(sim: ShopifySim, query: string, variables: Record<string, unknown> = {}, token = sim.accessToken, version = '2025-10') {
  const res = await fetch(sim.graphqlUrl(version), { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': token }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const ORDERS = `query($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { legacyResourceId updatedAt totalPriceSet { shopMoney { amount } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('Shopify simulator: GraphQL Admin API', () => {
  let sim: ShopifySim;
  let clock = Date.parse('2026-03-01T10:00:00Z');
  beforeEach(async () => {
    clock = Date.parse('2026-03-01T10:00:00Z');
    sim = await startShopifySim({ seed: 5, now: () => clock });
  });
  afterEach(async () => sim.close());

  it('refuses a wrong token with 401 and an unknown version or path with 404', async () => {
    expect((await gql(sim, '{ shop { name } }', {}, 'shpat_wrong')).status).toBe(401);
    expect((await gql(sim, '{ shop { name } }', {}, sim.accessToken, '2025-13')).status).toBe(404);
    const rest = await fetch(`${sim.url}/admin/api/2025-10/orders.json`, { headers: { 'x-shopify-access-token': sim.accessToken } });
    expect(rest.status).toBe(404);
    const ok = await gql(sim, '{ shop { name myshopifyDomain currencyCode } }');
    expect(ok.body.data.shop).toEqual({ name: 'bcbridge demo shop', myshopifyDomain: 'bcbridge-demo.myshopify.com', currencyCode: 'EUR' });
    expect(ok.headers.get('x-shopify-api-version')).toBe('2025-10');
    expect(ok.body.extensions.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it('filters on updated_at and pages with cursors that survive a change during the listing', async () => {
    sim.generate(6, { financialStatuses: ['paid'] });
    clock += 120_000;
    const later = sim.generate(4, { financialStatuses: ['paid'] });
    const since = new Date(clock - 60_000).toISOString();
    const filtered = await gql(sim, ORDERS, { first: 50, query: `updated_at:>='${since}'` });
    expect(filtered.body.data.orders.nodes.map((n: any) => Number(n.legacyResourceId))).toEqual(later.map((o) => o.id));

    // Page through all 10 two at a time; after the first page, an order already seen is changed.
    const seen: number[] = [];
    let after: string | null = null;
    let changed = false;
    for (;;) {
      const page: any = (await gql(sim, ORDERS, { first: 2, after })).body.data.orders;
      seen.push(...page.nodes.map((n: any) => Number(n.legacyResourceId)));
      if (!changed) {
        clock += 5_000;
        sim.update(seen[0]!, { note: 'changed while listing' });
        changed = true;
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    // Every order is seen; the changed one again at the end (its updated_at moved past the others).
    expect(new Set(seen).size).toBe(10);
    expect(seen[seen.length - 1]).toBe(seen[0]);
  });

  it('warns about unknown search fields instead of failing, as Shopify does', async () => {
    sim.generate(2);
    const r = await gql(sim, ORDERS, { first: 5, query: 'updatd_at:>2020-01-01' });
    expect(r.body.data.orders.nodes).toHaveLength(2);
    expect(r.body.extensions.search[0].warnings).toEqual([{ field: 'updatd_at', message: 'Invalid search field for this query.' }]);
  });

  it('throttles by calculated cost: THROTTLED with the bucket state, MAX_COST_EXCEEDED over 1000', async () => {
    sim.generate(3);
    const big = await gql(sim, `{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }`);
    expect(big.body.errors[0].extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', maxCost: 1000 });
    expect(big.body.data).toBeUndefined();
    sim.bucket.set({ currentlyAvailable: 5, restoreRate: 1 });
    const throttled = await gql(sim, ORDERS, { first: 3 });
    expect(throttled.status).toBe(200);
    expect(throttled.body.errors).toEqual([{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
    expect(throttled.body.extensions.cost).toMatchObject({ actualQueryCost: null, throttleStatus: { currentlyAvailable: 5, restoreRate: 1 } });
    expect(throttled.body.extensions.cost.requestedQueryCost).toBeGreaterThan(5);
    expect(sim.stats().throttled).toBe(1);
    // The bucket refills with the clock.
    clock += 60_000;
    expect((await gql(sim, ORDERS, { first: 3 })).body.data.orders.nodes).toHaveLength(3);
  });

  it('manages webhook subscriptions like webhookSubscriptionCreate/Delete', async () => {
    const create = `mutation($topic: WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { webhookSubscription { id topic uri } userErrors { field message } } }`;
    const a = await gql(sim, create, { topic: 'ORDERS_CREATE', uri: 'https://bcbridge.example.com/webhooks/s' });
    expect(a.body.data.webhookSubscriptionCreate.userErrors).toEqual([]);
    const again = await gql(sim, create, { topic: 'ORDERS_CREATE', uri: 'https://bcbridge.example.com/webhooks/s' });
    expect(again.body.data.webhookSubscriptionCreate.userErrors[0].message).toBe('Address for this topic has already been taken');
    const plain = await gql(sim, create, { topic: 'ORDERS_CREATE', uri: 'http://bcbridge.example.com/webhooks/s' });
    expect(plain.body.data.webhookSubscriptionCreate.userErrors[0].message).toBe('Address protocol http:// is not supported');
    const list = await gql(sim, '{ webhookSubscriptions(first: 10) { nodes { id topic uri } } }');
    expect(list.body.data.webhookSubscriptions.nodes).toEqual([a.body.data.webhookSubscriptionCreate.webhookSubscription]);
    const del = await gql(sim, 'mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { message } } }', { id: list.body.data.webhookSubscriptions.nodes[0].id });
    expect(del.body.data.webhookSubscriptionDelete.deletedWebhookSubscriptionId).toBe(list.body.data.webhookSubscriptions.nodes[0].id);
    expect(sim.webhooks.subscriptions()).toEqual([]);
  });
});

describe('Shopify simulator: generated orders reconcile to the cent', () => {
  for (const taxesIncluded of [true, false]) {
    it(`in both currencies, prices ${taxesIncluded ? 'including' : 'excluding'} tax`, async () => {
      const sim = await startShopifySim({ seed: 11, taxesIncluded });
      try {
        const orders = sim.generate(150, { foreignCurrencyShare: 0.5 });
        expect(orders.some((o) => o.presentmentCurrency !== o.currency)).toBe(true);
        expect(orders.some((o) => o.discountApplications.length > 0)).toBe(true);
        for (const o of orders) {
          const rest = sim.restOrder(o.id) as any;
          for (const key of ['shop_money', 'presentment_money'] as const) {
            const amt = (set: any) => new Decimal(set[key].amount);
            let lines = new Decimal(0);
            let tax = new Decimal(0);
            for (const l of rest.line_items) {
              const discount = l.discount_allocations.reduce((s: Decimal, a: any) => s.plus(amt(a.amount_set)), new Decimal(0));
              const after = amt(l.price_set).times(l.quantity).minus(discount);
              const lineTax = l.tax_lines.reduce((s: Decimal, t: any) => s.plus(amt(t.price_set)), new Decimal(0));
              // Tax is per line, on the discounted amount, rounded half up.
              const rate = new Decimal(l.tax_lines[0].rate);
              const expected = taxesIncluded ? after.times(rate).div(rate.plus(1)) : after.times(rate);
              expect(lineTax.toFixed(2)).toBe(expected.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2));
              lines = lines.plus(after);
              tax = tax.plus(lineTax);
            }
            let shipping = new Decimal(0);
            for (const s of rest.shipping_lines) {
              shipping = shipping.plus(amt(s.price_set));
              tax = tax.plus(s.tax_lines.reduce((x: Decimal, t: any) => x.plus(amt(t.price_set)), new Decimal(0)));
            }
            expect(amt(rest.subtotal_price_set).toFixed(2)).toBe(lines.toFixed(2));
            expect(amt(rest.total_tax_set).toFixed(2)).toBe(tax.toFixed(2));
            expect(amt(rest.total_price_set).toFixed(2)).toBe(lines.plus(shipping).plus(taxesIncluded ? 0 : tax).toFixed(2));
          }
          expect(rest.presentment_currency).toBe(o.presentmentCurrency);
          expect(rest.taxes_included).toBe(taxesIncluded);
        }
      } finally {
        await sim.close();
      }
    });
  }
});

describe('Shopify simulator: webhooks', () => {
  let sim: ShopifySim;
  let receiver: Server;
  let url: string;
  let received: { headers: Record<string, string | string[] | undefined>; body: string }[];
  let answer = 200;
  beforeEach(async () => {
    received = [];
    answer = 200;
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    sim = await startShopifySim({ seed: 2, apiSecret: 'shpss_test', webhookRetryDelaysMs: [50, 50] });
  });
  afterEach(async () => {
    await sim.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('delivers REST-shaped orders signed with the app secret, with the headers Shopify sends', async () => {
    sim.webhooks.subscribe('ORDERS_CREATE', url);
    sim.webhooks.subscribe('ORDERS_CANCELLED', url);
    const [order] = sim.generate(1, { financialStatuses: ['paid'] });
    sim.cancel(order!.id);
    await sim.webhooks.settled();
    expect(received.map((r) => r.headers['x-shopify-topic'])).toEqual(['orders/create', 'orders/cancelled']);
    for (const r of received) {
      expect(r.headers['x-shopify-hmac-sha256']).toBe(createHmac('sha256', 'shpss_test').update(r.body).digest('base64'));
      expect(r.headers['x-shopify-shop-domain']).toBe('bcbridge-demo.myshopify.com');
      expect(r.headers['x-shopify-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.headers['x-shopify-api-version']).toBe('2025-10');
    }
    const created = JSON.parse(received[0]!.body);
    expect(created).toMatchObject({ id: order!.id, admin_graphql_api_id: `gid://shopify/Order/${order!.id}`, cancelled_at: null, financial_status: 'paid' });
    // The body was serialized at event time: the cancellation shows only in the second delivery.
    expect(JSON.parse(received[1]!.body)).toMatchObject({ id: order!.id, financial_status: 'refunded', cancel_reason: 'customer' });
  });

  it('retries a failed delivery with the same webhook id, and can lose deliveries on purpose', async () => {
    sim.webhooks.subscribe('ORDERS_CREATE', url);
    answer = 500;
    sim.generate(1);
    await new Promise((r) => setTimeout(r, 20));
    answer = 200;
    await sim.webhooks.settled();
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(new Set(received.map((r) => r.headers['x-shopify-webhook-id'])).size).toBe(1);
    expect(sim.webhooks.deliveries()[0]).toMatchObject({ status: 'delivered' });

    received = [];
    sim.webhooks.drop(1);
    sim.generate(2);
    await sim.webhooks.settled();
    expect(received).toHaveLength(1);
    expect(sim.webhooks.deliveries().filter((d) => d.status === 'dropped')).toHaveLength(1);
  });
});
