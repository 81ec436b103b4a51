import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../sim/bc/server.js';
import { startShopifySim, type ShopifySim } from '../sim/shops/shopify/server.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { verifiedOrders as verifiedOrdersOf } from './helpers/cycles.js';

/**
 * Write-back to Shopify end to end (issue 9, docs/write-back.md "Shopify"): the Shopify simulator →
 * bcbridge → the BC simulator, over real HTTP; the warehouse ships in BC through the simulator's
 * `POST /_sim/ship`; bcbridge creates fulfillments in Shopify.
 */
const PAID = { financialStatuses: ['paid' as const], unknownSkuShare: 0, cancelledShare: 0 };
const DHL_URL = (n: string) => `https://track.example/dhl?no=${n}`;

function config(bc: BcSim, shop: ShopifySim, opts: { allowTest?: boolean; writeBack?: Record<string, unknown> } = {}) {
  return parseConfig({
    database: { url: ':memory:' },
    bc: {
      active: 'test',
      test: {
        name: 'sandbox', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url,
        timeoutMs: 5000, maxRetries: 4, ...(opts.allowTest !== false && { allowWriteBack: true }),
      },
    },
    shops: [
      {
        code: 'shop', platform: 'shopify', url: shop.url, accessToken: shop.accessToken, orderKeyPrefix: 'SHOP-', maxThrottleWaitMs: 10_000,
        rules: { recheckMinutes: 0.001 },
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' }, localCurrency: 'EUR' },
        writeBack: {
          enabled: true,
          customerNote: true,
          tracking: { source: 'customPage', carriers: { DHL: { name: 'DHL', url: 'https://track.example/dhl?no={tracking}' } } },
          maxAttempts: 1,
          retryBaseSeconds: 0,
          retryMaxSeconds: 0,
          ...opts.writeBack,
        },
      },
    ],
    pipeline: { batchSize: 50, leaseSeconds: 30, maxAttempts: 6, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 },
  }, {});
}

/** Warehouse work in BC, as another process would do it: the BC simulator's admin route. */
async function shipInBc(bc: BcSim, body: { externalDocumentNumber: string; lines?: { sequence: number; quantity: number }[]; trackingNo?: string; shippingAgentCode?: string }): Promise<{ number: string }> {
  const res = await fetch(`${bc.url}/_sim/ship`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'sandbox', ...body }) });
  const json = (await res.json()) as { number: string; error?: string };
  if (res.status !== 201) throw new Error(`BC simulator refused the shipment: ${json.error}`);
  return json;
}

describe.each(DATABASES)('write-back: BC shipment → Shopify fulfillment on %s', (kind) => {
  let bc: BcSim;
  let shop: ShopifySim;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  beforeEach(async () => {
    bc = await startBcSim({});
    shop = await startShopifySim({ seed: 13 });
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    await store.close();
    await tdb.cleanup();
    await Promise.allSettled([shop.close(), bc.close()]);
  });

  const start = async (opts: Parameters<typeof config>[2] = {}) => {
    rt = await createRuntime(config(bc, shop, opts), { log: silentLogger, store });
    return rt;
  };

  const verifiedOrders = (n: number): Promise<OrderRow[]> => verifiedOrdersOf(rt!, store, n);

  const simId = (row: OrderRow) => Number(row.shop_order_id);

  it('a shipment with tracking becomes one fulfillment with the tracking and the notify flag; the order is fulfilled; a second run writes nothing', async () => {
    await start({ writeBack: { bcNumberOnOrder: true } });
    shop.generate(3, PAID);
    const rows = await verifiedOrders(3);
    const row = rows[0]!;
    const before = shop.order(simId(row))!.updatedAt;
    const shipment = await shipInBc(bc, { externalDocumentNumber: row.order_key!, trackingNo: '00340434161094042557', shippingAgentCode: 'DHL' });

    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1, notShipped: 2 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');

    const o = shop.order(simId(row))!;
    expect(o.fulfillmentStatus).toBe('fulfilled');
    expect(o.updatedAt).toBeGreaterThan(before);
    expect(shop.fulfillments(o.id)).toEqual([
      expect.objectContaining({
        name: `${o.name}.1`, status: 'success', notifyCustomer: true,
        tracking: { number: '00340434161094042557', company: 'DHL', url: DHL_URL('00340434161094042557') },
        lines: o.lines.map((l) => ({ lineId: l.id, quantity: l.quantity })),
      }),
    ]);
    expect(shop.fulfillmentOrders(o.id).map((fo) => fo.status)).toEqual(['CLOSED']);
    // The BC order no. is on every verified order as a metafield (writeBack.bcNumberOnOrder).
    for (const r of rows) {
      const bcNo = shop.metafields(simId(r)).find((m) => m.namespace === 'bcbridge' && m.key === 'bc_order_no');
      expect(bcNo?.value).toBe(r.bc_number);
    }
    const events = await store.orders.events(row.id);
    expect(events.some((e) => e.to_state === 'fulfilled' && e.reason?.includes(`BC shipment ${shipment.number}`) && e.reason.includes(`fulfillment ${o.name}.1 created`))).toBe(true);

    // Fully invoicing in BC deletes the sales order; nothing more is written and nothing breaks.
    bc.invoice({ env: 'sandbox', externalDocumentNumber: row.order_key! });
    const requests = shop.stats().requests;
    const [again] = await runStage(rt!, 'writeback', 'test');
    expect(again!.errors).toEqual([]);
    expect(again!.counts.fulfilled ?? 0).toBe(0);
    expect(shop.fulfillments(o.id)).toHaveLength(1);
    // Nothing was even asked of Shopify: the shipment and the BC numbers are on the timeline.
    expect(shop.stats().requests).toBe(requests);

    // The fulfillment and the metafields moved updated_at; the next pull reads the order again and it stays fulfilled.
    await runCycle(rt!, 'test');
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');
  });

  it('a partial shipment fulfils only the shipped lines and quantities and stays verified; the rest completes it', async () => {
    await start();
    shop.generate(8, PAID);
    const rows = await verifiedOrders(8);
    const so = bc.salesOrders('sandbox').find((o) => {
      const items = o.salesOrderLines.filter((l) => l.lineType === 'Item');
      return items.length >= 2 || items.some((l) => l.quantity >= 2);
    });
    expect(so, 'the generator made no order with more than one item').toBeDefined();
    const row = rows.find((r) => r.order_key!.toUpperCase() === so!.externalDocumentNumber)!;
    const first = so!.salesOrderLines.find((l) => l.lineType === 'Item')!;
    await shipInBc(bc, { externalDocumentNumber: so!.externalDocumentNumber, lines: [{ sequence: first.sequence, quantity: 1 }], trackingNo: 'PART-1', shippingAgentCode: 'DHL' });

    const [r1] = await runStage(rt!, 'writeback', 'test');
    expect(r1!.errors).toEqual([]);
    expect(r1!.counts).toMatchObject({ partial: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('verified');
    const o = shop.order(simId(row))!;
    expect(o.fulfillmentStatus).toBe('partial');
    // Only the shipped line (the one the BC line came from), one of it.
    const doc = (await store.orders.payloads(row.id))!.document as { lines: { sourceLineId?: string }[] };
    const lineId = Number(doc.lines[first.sequence / 10000 - 1]!.sourceLineId);
    expect(shop.fulfillments(o.id)).toEqual([expect.objectContaining({ lines: [{ lineId, quantity: 1 }], tracking: expect.objectContaining({ number: 'PART-1' }) })]);
    expect(shop.fulfillmentOrders(o.id)[0]!.status).toBe('IN_PROGRESS');

    // A retry run: the shipment is on the timeline, nothing is sent again.
    const [r2] = await runStage(rt!, 'writeback', 'test');
    expect(r2!.counts.partial ?? 0).toBe(0);
    expect(shop.fulfillments(o.id)).toHaveLength(1);

    await shipInBc(bc, { externalDocumentNumber: so!.externalDocumentNumber, trackingNo: 'PART-2', shippingAgentCode: 'DHL' });
    const [r3] = await runStage(rt!, 'writeback', 'test');
    expect(r3!.errors).toEqual([]);
    expect(r3!.counts).toMatchObject({ fulfilled: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');
    expect(shop.order(o.id)!.fulfillmentStatus).toBe('fulfilled');
    const fulfillments = shop.fulfillments(o.id);
    expect(fulfillments.map((f) => f.tracking?.number)).toEqual(['PART-1', 'PART-2']);
    // Together the two fulfillments ship every line exactly once.
    const shipped = new Map<number, number>();
    for (const l of fulfillments.flatMap((f) => f.lines)) shipped.set(l.lineId, (shipped.get(l.lineId) ?? 0) + l.quantity);
    expect(Object.fromEntries(shipped)).toEqual(Object.fromEntries(o.lines.map((l) => [l.id, l.quantity])));
  });

  it('Shopify created the fulfillment but the answer was lost: the failure is recorded, and the retry creates no second fulfillment (no tracking no.)', async () => {
    await start({ writeBack: { tracking: { source: 'none' } } });
    shop.generate(1, PAID);
    const [row] = await verifiedOrders(1);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key! });
    // The shop carries out fulfillmentCreate, then the connection answers 503.
    shop.faults.add({ kind: '503', operation: 'fulfillmentCreate', afterExecute: true, times: 1 });

    const [failed] = await runStage(rt!, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toMatch(/write-back of BC shipment \S+ keeps failing \(1 attempts\).*503/s);
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    expect(shop.fulfillments(simId(row!))).toHaveLength(1);

    const [recovered] = await runStage(rt!, 'writeback', 'test');
    expect(recovered!.errors).toEqual([]);
    expect(recovered!.counts).toMatchObject({ fulfilled: 1 });
    expect(shop.fulfillments(simId(row!))).toHaveLength(1);
    const events = await store.orders.events(row!.id);
    expect(events.find((e) => e.to_state === 'fulfilled')!.reason).toContain('nothing left to fulfil in Shopify (fulfilled by an earlier attempt)');
  });

  it('the shop fails (503 on the mutation, then a throttled bucket): recorded and surfaced, then written once', async () => {
    await start();
    shop.generate(2, PAID);
    const [a, b] = await verifiedOrders(2);
    await shipInBc(bc, { externalDocumentNumber: a!.order_key!, trackingNo: 'JJD000390007', shippingAgentCode: 'DHL' });
    shop.faults.add({ kind: '503', operation: 'fulfillmentCreate', times: 1 });

    const [failed] = await runStage(rt!, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toMatch(/keeps failing \(1 attempts\).*Shopify failed on FulfillShipment.*503/s);
    expect(shop.fulfillments(simId(a!))).toEqual([]);
    expect((await store.orders.events(a!.id)).some((e) => e.reason?.includes('failed (attempt 1)'))).toBe(true);

    // Recovery, through an empty cost bucket: THROTTLED answers are waited out by the client.
    await shipInBc(bc, { externalDocumentNumber: b!.order_key!, trackingNo: 'JJD000390008', shippingAgentCode: 'DHL' });
    shop.bucket.set({ currentlyAvailable: 0, restoreRate: 2000 });
    const [recovered] = await runStage(rt!, 'writeback', 'test');
    expect(recovered!.errors).toEqual([]);
    expect(recovered!.counts).toMatchObject({ fulfilled: 2 });
    expect(shop.stats().throttled).toBeGreaterThanOrEqual(1);
    for (const r of [a!, b!]) {
      expect((await store.orders.get(r.id))!.state).toBe('fulfilled');
      expect(shop.fulfillments(simId(r))).toHaveLength(1);
    }
  }, 30_000);

  it('an order exported to the test environment never writes back unless that environment allows it', async () => {
    await start({ allowTest: false, writeBack: { bcNumberOnOrder: true } });
    shop.generate(2, PAID);
    const rows = await verifiedOrders(2);
    for (const r of rows) await shipInBc(bc, { externalDocumentNumber: r.order_key!, trackingNo: 'T-1' });
    const shopRequests = shop.stats().requests;
    const bcRequests = bc.stats().requests;

    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.counts).toMatchObject({ notAllowed: 2 });
    for (const r of rows) {
      expect((await store.orders.get(r.id))!.state).toBe('verified');
      expect(shop.fulfillments(simId(r))).toEqual([]);
      expect(shop.metafields(simId(r))).toEqual([]);
      expect(shop.order(simId(r))!.fulfillmentStatus).toBeNull();
    }
    // Neither Shopify nor BC was asked.
    expect(shop.stats().requests).toBe(shopRequests);
    expect(bc.stats().requests).toBe(bcRequests);
  });
});
