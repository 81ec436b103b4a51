import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim, type SimOrder } from './server.js';

/** Fulfillment orders, fulfillmentCreate and metafields over HTTP, as any client would see them. */
async function gql(sim: ShopifySim, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(sim.graphqlUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as any };
}

const STATE = `query($id: ID!) { order(id: $id) {
  updatedAt displayFulfillmentStatus
  fulfillmentOrders(first: 5) { nodes { id status assignedLocation { location { id } } lineItems(first: 50) { nodes { id totalQuantity remainingQuantity lineItem { id sku } } } } }
  fulfillments(first: 10) { id name status trackingInfo(first: 5) { number company url } fulfillmentLineItems(first: 50) { nodes { quantity lineItem { id } } } }
} }`;
const CREATE = `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id name status trackingInfo { number company url } } userErrors { field message } } }`;
const SET = `mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { namespace key type value compareDigest } userErrors { field message code elementIndex } } }`;

describe('Shopify simulator: fulfillments and metafields', () => {
  let sim: ShopifySim;
  let clock: number;
  let o: SimOrder;
  beforeEach(async () => {
    clock = Date.parse('2026-03-01T10:00:00Z');
    sim = await startShopifySim({ seed: 5, now: () => clock });
    o = sim.generate(20, { financialStatuses: ['paid'] }).find((x) => x.lines.length >= 2 && x.lines.some((l) => l.quantity >= 2))!;
    expect(o).toBeDefined();
  });
  afterEach(async () => sim.close());

  const state = async () => (await gql(sim, STATE, { id: `gid://shopify/Order/${o.id}` })).body.data.order;

  it('derives one open fulfillment order from the lines; fulfilling moves quantities, statuses, updated_at and raises the topics', async () => {
    const s0 = await state();
    expect(s0.displayFulfillmentStatus).toBe('UNFULFILLED');
    expect(s0.fulfillments).toEqual([]);
    const [fo] = s0.fulfillmentOrders.nodes;
    expect(fo.status).toBe('OPEN');
    expect(fo.lineItems.nodes.map((n: any) => [n.lineItem.id, n.totalQuantity, n.remainingQuantity])).toEqual(o.lines.map((l) => [`gid://shopify/LineItem/${l.id}`, l.quantity, l.quantity]));
    // Fulfillment order line items have ids of their own.
    expect(fo.lineItems.nodes[0].id).not.toContain(String(o.lines[0]!.id));

    const two = fo.lineItems.nodes.find((n: any) => n.totalQuantity >= 2);
    clock += 5000;
    const created = await gql(sim, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: two.id, quantity: 1 }] }], trackingInfo: { number: 'T1', company: 'DHL', url: 'https://t.example/T1' }, notifyCustomer: true } });
    expect(created.body.data.fulfillmentCreate).toEqual({ fulfillment: { id: expect.stringMatching(/^gid:\/\/shopify\/Fulfillment\/\d+$/), name: `${o.name}.1`, status: 'SUCCESS', trackingInfo: [{ number: 'T1', company: 'DHL', url: 'https://t.example/T1' }] }, userErrors: [] });
    expect(created.body.extensions.cost.requestedQueryCost).toBe(10);

    const s1 = await state();
    expect(s1.displayFulfillmentStatus).toBe('PARTIALLY_FULFILLED');
    expect(Date.parse(s1.updatedAt)).toBeGreaterThan(Date.parse(s0.updatedAt));
    expect(s1.fulfillmentOrders.nodes[0].status).toBe('IN_PROGRESS');
    expect(s1.fulfillmentOrders.nodes[0].lineItems.nodes.find((n: any) => n.id === two.id).remainingQuantity).toBe(two.totalQuantity - 1);
    expect(s1.fulfillments[0].fulfillmentLineItems.nodes).toEqual([{ quantity: 1, lineItem: { id: two.lineItem.id } }]);

    // No line items: the rest of the fulfillment order.
    await gql(sim, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } });
    const s2 = await state();
    expect(s2.displayFulfillmentStatus).toBe('FULFILLED');
    expect(s2.fulfillmentOrders.nodes[0].status).toBe('CLOSED');
    expect(s2.fulfillments.map((f: any) => f.name)).toEqual([`${o.name}.1`, `${o.name}.2`]);
    expect(s2.fulfillments[1].trackingInfo).toEqual([]);
    // The REST rendering (webhook bodies) agrees.
    const rest = sim.restOrder(o.id) as any;
    expect(rest.fulfillment_status).toBe('fulfilled');
    expect(rest.line_items.every((l: any) => l.fulfillable_quantity === 0 && l.fulfillment_status === 'fulfilled')).toBe(true);
    expect(rest.fulfillments[0]).toMatchObject({ name: `${o.name}.1`, tracking_number: 'T1', tracking_company: 'DHL' });
  });

  it("validates like Shopify: unknown ids, quantities over what remains, closed or held fulfillment orders, bad tracking → userErrors, nothing changes", async () => {
    const fo = (await state()).fulfillmentOrders.nodes[0];
    const item = fo.lineItems.nodes[0];
    const errorsOf = async (f: unknown) => {
      const r = (await gql(sim, CREATE, { f })).body.data.fulfillmentCreate;
      expect(r.fulfillment).toBeNull();
      return r.userErrors;
    };
    expect(await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: 'gid://shopify/FulfillmentOrder/1' }] })).toEqual([{ field: ['fulfillment', 'lineItemsByFulfillmentOrder', '0', 'fulfillmentOrderId'], message: 'Fulfillment order does not exist.' }]);
    expect(await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: item.id, quantity: item.remainingQuantity + 1 }] }] })).toEqual([
      { field: ['fulfillment', 'lineItemsByFulfillmentOrder', '0', 'fulfillmentOrderLineItems', '0', 'quantity'], message: 'Invalid fulfillment order line item quantity requested.' },
    ]);
    // An order line item id is not a fulfillment order line item id.
    expect((await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: item.lineItem.id, quantity: 1 }] }] }))[0].message).toMatch(/does not belong to fulfillment order/);
    expect((await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }], trackingInfo: { url: 'https://t.example/x' } }))[0].message).toBe('A tracking url requires a tracking number.');
    sim.holdFulfillment(o.id, true);
    expect((await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] }))[0].message).toMatch(/has an unfulfillable status= on_hold\.$/);
    sim.holdFulfillment(o.id, false);
    expect(sim.fulfillments(o.id)).toEqual([]);
    sim.cancel(o.id);
    expect((await errorsOf({ lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] }))[0].message).toMatch(/has an unfulfillable status= closed\.$/);
    // A wrong input type is refused before anything runs, in GraphQL's words.
    const bad = await gql(sim, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: item.id, quantity: '1' }] }] } });
    expect(bad.body.errors[0].message).toMatch(/^Variable \$f of type FulfillmentInput! was provided invalid value/);
  });

  it('metafieldsSet creates and updates order metafields (atomic, typed, compareDigest); the order reads them back', async () => {
    const owner = `gid://shopify/Order/${o.id}`;
    const set = async (m: unknown[]) => (await gql(sim, SET, { m })).body.data.metafieldsSet;
    const r1 = await set([{ ownerId: owner, namespace: 'bcbridge', key: 'bc_order_no', type: 'single_line_text_field', value: 'S-ORD1' }]);
    expect(r1.userErrors).toEqual([]);
    expect(r1.metafields[0]).toMatchObject({ namespace: 'bcbridge', key: 'bc_order_no', type: 'single_line_text_field', value: 'S-ORD1' });
    const read = async () => (await gql(sim, `query($id: ID!) { order(id: $id) { updatedAt bc: metafield(namespace: "bcbridge", key: "bc_order_no") { value compareDigest } metafields(first: 10) { nodes { key } } } }`, { id: owner })).body.data.order;
    const m1 = await read();
    expect(m1.bc.value).toBe('S-ORD1');

    // All or nothing: one bad input refuses the whole call.
    const r2 = await set([
      { ownerId: owner, namespace: 'bcbridge', key: 'ledger', type: 'json', value: '{"a":1}' },
      { ownerId: owner, namespace: 'bcbridge', key: 'bad', type: 'json', value: '{nope' },
    ]);
    expect(r2.metafields).toBeNull();
    expect(r2.userErrors).toEqual([{ field: ['metafields', '1', 'value'], message: 'Value is invalid for type json.', code: 'INVALID_VALUE', elementIndex: 1 }]);
    expect((await read()).metafields.nodes.map((n: any) => n.key)).toEqual(['bc_order_no']);

    // compareDigest: only against the value the caller read.
    const stale = await set([{ ownerId: owner, namespace: 'bcbridge', key: 'bc_order_no', value: 'S-ORD2', compareDigest: 'old' }]);
    expect(stale.userErrors[0].code).toBe('STALE_OBJECT');
    clock += 2000;
    const ok = await set([{ ownerId: owner, namespace: 'bcbridge', key: 'bc_order_no', value: 'S-ORD2', compareDigest: m1.bc.compareDigest }]);
    expect(ok.userErrors).toEqual([]);
    const m2 = await read();
    expect(m2.bc.value).toBe('S-ORD2');
    expect(Date.parse(m2.updatedAt)).toBeGreaterThan(Date.parse(m1.updatedAt));
    expect((await set([{ ownerId: 'gid://shopify/Product/1', key: 'xx', type: 'json', value: '1' }])).userErrors[0].message).toBe('Owner does not exist.');
  });

  it('faults can aim at one operation and strike after the shop did the work (a lost answer)', async () => {
    const fo = (await state()).fulfillmentOrders.nodes[0];
    sim.faults.add({ kind: '503', operation: 'fulfillmentCreate', afterExecute: true, times: 1 });
    // Other operations are not hit.
    expect((await gql(sim, STATE, { id: `gid://shopify/Order/${o.id}` })).status).toBe(200);
    const lost = await gql(sim, CREATE, { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id }] } });
    expect(lost.status).toBe(503);
    expect(sim.fulfillments(o.id)).toHaveLength(1);
    sim.faults.add({ kind: '500', operation: 'metafieldsSet', times: 1 });
    expect((await gql(sim, SET, { m: [{ ownerId: `gid://shopify/Order/${o.id}`, namespace: 'bcbridge', key: 'kk', type: 'json', value: '1' }] })).status).toBe(500);
    expect(sim.metafields(o.id)).toEqual([]);
    const admin = (await (await fetch(`${sim.url}/_sim/orders/${o.id}/fulfillments`)).json()) as any;
    expect(admin.fulfillments).toHaveLength(1);
    expect(admin.fulfillmentOrders[0].status).toBe('CLOSED');
  });
});
