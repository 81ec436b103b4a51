import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShopifySim, type ShopifySim, type SimOrder } from '../../../sim/shops/shopify/server.js';
import { systemClock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import { nullRequestLog } from '../../http/request-log.js';
import type { ShopWriteBack } from '../connector.js';
import { shopifyShopSchema } from './config.js';
import { createShopifyConnector, type ShopifyConnector } from './connector.js';

/** The connector's write-back against the simulator over HTTP (the pipeline around it: test/e2e-write-back-shopify.test.ts). */
function shipment(o: SimOrder, lines: { id: number; quantity: number }[], extra: Partial<ShopWriteBack> = {}): ShopWriteBack {
  return {
    shopOrderId: String(o.id),
    orderNumber: o.name.slice(1),
    shipmentNo: 'S-SHPT102001',
    bcOrderNumber: 'S-ORD101001',
    lines: lines.map((l) => ({ shopLineId: String(l.id), quantity: String(l.quantity), name: o.lines.find((x) => x.id === l.id)!.title })),
    complete: false,
    completeStatus: 'completed',
    note: 'Shipped',
    customerNote: false,
    trackingMode: 'note',
    ...extra,
  };
}

const shippedOf = (sim: ShopifySim, o: SimOrder) => sim.fulfillments(o.id).flatMap((f) => f.lines);

describe('Shopify write-back (connector ↔ simulator)', () => {
  let sim: ShopifySim;
  let c: ShopifyConnector;
  let order: SimOrder;
  beforeEach(async () => {
    sim = await startShopifySim({ seed: 3 });
    c = createShopifyConnector(shopifyShopSchema.parse({ code: 'shop', platform: 'shopify', url: sim.url, accessToken: sim.accessToken, maxThrottleWaitMs: 5000 }), { clock: systemClock, requestLog: nullRequestLog });
    // An order with a line of quantity ≥ 2, so one line can ship in parts.
    order = sim.generate(30, { financialStatuses: ['paid'], unknownSkuShare: 0 }).find((o) => o.lines.some((l) => l.quantity >= 2))!;
    expect(order, 'the generator made no order with a quantity ≥ 2').toBeDefined();
  });
  afterEach(async () => {
    await c.close();
    await sim.close();
  });

  it('creates one fulfillment with the shipped quantities, tracking and the notify flag; the same shipment again creates nothing', async () => {
    const line = order.lines.find((l) => l.quantity >= 2)!;
    const before = order.updatedAt;
    const wb = shipment(order, [{ id: line.id, quantity: 1 }], { customerNote: true, tracking: { number: 'JJD0099', carrier: 'DHL', url: 'https://track.example/dhl?no=JJD0099' } });
    const first = await c.writeBack!(wb);
    expect(first.detail).toBe(`fulfillment ${order.name}.1 created (1 item), customer notified`);
    expect(sim.fulfillments(order.id)).toEqual([
      expect.objectContaining({ name: `${order.name}.1`, status: 'success', notifyCustomer: true, lines: [{ lineId: line.id, quantity: 1 }], tracking: { number: 'JJD0099', company: 'DHL', url: 'https://track.example/dhl?no=JJD0099' } }),
    ]);
    expect(sim.order(order.id)!.fulfillmentStatus).toBe('partial');
    expect(sim.order(order.id)!.updatedAt).toBeGreaterThan(before);

    const again = await c.writeBack!(wb);
    expect(again.detail).toBe('nothing left to fulfil in Shopify (fulfilled by an earlier attempt)');
    expect(sim.fulfillments(order.id)).toHaveLength(1);
  });

  it('without a tracking number the ledger metafield alone keeps a retry from fulfilling twice, also for a line shipped in parts', async () => {
    const line = order.lines.find((l) => l.quantity >= 2)!;
    // Four of it: after two shipments of one each, two remain, so a repeated shipment could be fulfilled again.
    line.quantity = 4;
    const s1 = shipment(order, [{ id: line.id, quantity: 1 }], { shipmentNo: 'S-SHPT1' });
    const s2 = shipment(order, [{ id: line.id, quantity: 1 }], { shipmentNo: 'S-SHPT2' });
    await c.writeBack!(s1);
    await c.writeBack!(s2);
    // A crash after Shopify accepted s2, before bcbridge recorded it: s2 comes again.
    await c.writeBack!(s2);
    await c.writeBack!(s1);
    expect(sim.fulfillments(order.id)).toHaveLength(2);
    expect(shippedOf(sim, order)).toEqual([{ lineId: line.id, quantity: 1 }, { lineId: line.id, quantity: 1 }]);
    const ledger = sim.metafields(order.id).find((m) => m.namespace === 'bcbridge' && m.key === 'bc_shipments')!;
    expect(ledger.type).toBe('json');
    expect(JSON.parse(ledger.value)).toEqual({ 'S-SHPT1': { [line.id]: line.quantity }, 'S-SHPT2': { [line.id]: line.quantity - 1 } });
  });

  it('a fulfillment made by hand with the same tracking number counts as this shipment', async () => {
    const all = order.lines.map((l) => ({ id: l.id, quantity: l.quantity }));
    const wb = shipment(order, all, { complete: true, tracking: { number: 'HAND-1' } });
    // The warehouse fulfilled the whole order in the Shopify admin and typed the tracking number.
    const fo = sim.fulfillmentOrders(order.id)[0]!;
    const res = await fetch(sim.graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken },
      body: JSON.stringify({ query: 'mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { userErrors { message } } }', variables: { f: { lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${fo.id}` }], trackingInfo: { number: 'HAND-1' } } } }),
    });
    expect(((await res.json()) as any).data.fulfillmentCreate.userErrors).toEqual([]);
    expect((await c.writeBack!(wb)).detail).toBe(`fulfillment ${order.name}.1 with tracking HAND-1 already in Shopify`);
    expect(sim.fulfillments(order.id)).toHaveLength(1);
    expect(sim.order(order.id)!.fulfillmentStatus).toBe('fulfilled');
  });

  it("Shopify's userErrors, holds and cancelled orders become errors that say what to do; nothing is fulfilled", async () => {
    const line = order.lines[0]!;
    const badUrl = shipment(order, [{ id: line.id, quantity: 1 }], { tracking: { number: 'T-1', url: 'ftp://carrier.example/T-1' } });
    const refused = await c.writeBack!(badUrl).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ShopError);
    expect((refused as ShopError).message).toBe(
      `Shopify refused the fulfillment of order ${order.name.slice(1)} (BC shipment S-SHPT102001): fulfillment.trackingInfo.url: Tracking url ftp://carrier.example/T-1 is not a valid url.`,
    );

    sim.holdFulfillment(order.id, true);
    await expect(c.writeBack!(shipment(order, [{ id: line.id, quantity: 1 }]))).rejects.toThrow(/can't be fulfilled in Shopify now: its fulfillment order is ON_HOLD \(release the hold in Shopify/);
    sim.holdFulfillment(order.id, false);
    expect(sim.fulfillments(order.id)).toEqual([]);

    sim.cancel(order.id);
    await expect(c.writeBack!(shipment(order, [{ id: line.id, quantity: 1 }]))).rejects.toThrow(`shop order ${order.name.slice(1)} is cancelled in Shopify`);
    await expect(c.writeBack!({ ...shipment(order, [{ id: line.id, quantity: 1 }]), shopOrderId: '123' })).rejects.toThrow('the shop no longer has order');
  });

  it('a THROTTLED answer is waited out by the client and the write-back goes through once', async () => {
    sim.bucket.set({ currentlyAvailable: 0, restoreRate: 4000 });
    const line = order.lines[0]!;
    await c.writeBack!(shipment(order, [{ id: line.id, quantity: 1 }]));
    expect(sim.stats().throttled).toBeGreaterThanOrEqual(1);
    expect(sim.fulfillments(order.id)).toHaveLength(1);
  });

  it('recordBcNumber sets the metafield bcbridge.bc_order_no once', async () => {
    const rec = { shopOrderId: String(order.id), orderNumber: order.name.slice(1), bcOrderNumber: 'S-ORD101001', note: 'BC sales order S-ORD101001' };
    expect((await c.recordBcNumber!(rec)).detail).toBe('BC order no. S-ORD101001 set (metafield bcbridge.bc_order_no)');
    const stamp = sim.order(order.id)!.updatedAt;
    expect((await c.recordBcNumber!(rec)).detail).toBe('BC order no. S-ORD101001 already on the order (metafield bcbridge.bc_order_no)');
    expect(sim.metafields(order.id)).toEqual([expect.objectContaining({ namespace: 'bcbridge', key: 'bc_order_no', type: 'single_line_text_field', value: 'S-ORD101001' })]);
    expect(sim.order(order.id)!.updatedAt).toBe(stamp);
    // A new BC number (the order was exported again) replaces it.
    await c.recordBcNumber!({ ...rec, bcOrderNumber: 'S-ORD101007' });
    expect(sim.metafields(order.id).map((m) => m.value)).toEqual(['S-ORD101007']);
  });
});
