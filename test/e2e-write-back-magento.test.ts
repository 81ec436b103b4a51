import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../sim/bc/server.js';
import { startMagentoSim, type MagentoSim, type MgOrder } from '../sim/shops/magento/server.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { verifiedOrders } from './helpers/cycles.js';

/** BC and Magento simulators over real HTTP, write-back on, tracking from BC's custom page. */
function config(bc: BcSim, mg: MagentoSim, opts: { allowTest?: boolean; writeBack?: Record<string, unknown>; shop?: Record<string, unknown>; mapping?: Record<string, unknown> } = {}) {
  const env = (name: string) => ({ name, tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4 });
  const i = mg.integration;
  return parseConfig({
    database: { url: ':memory:' },
    bc: { active: 'test', test: { ...env('sandbox'), ...(opts.allowTest !== false && { allowWriteBack: true }) }, live: env('production') },
    shops: [{
      code: 'mag', platform: 'magento', url: mg.url, consumerKey: i.consumerKey, consumerSecret: i.consumerSecret, accessToken: i.accessToken, accessTokenSecret: i.accessTokenSecret,
      orderKeyPrefix: 'MAG-',
      rules: { exportStatuses: ['processing', 'complete'], requirePaid: true, recheckMinutes: 0.001 },
      mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' }, localCurrency: 'EUR', bundles: 'children', ...opts.mapping },
      writeBack: {
        enabled: true,
        tracking: { source: 'customPage', carriers: { DHL: { name: 'DHL Paket', url: 'https://track.example/dhl?no={tracking}' }, UPS: { name: 'UPS' } } },
        maxAttempts: 1, retryBaseSeconds: 0, retryMaxSeconds: 0,
        ...opts.writeBack,
      },
      ...opts.shop,
    }],
    pipeline: { batchSize: 50, leaseSeconds: 30, maxAttempts: 6, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 },
  }, {});
}

/** Warehouse work in BC, as a user of the simulator does it: `POST /_sim/ship`. */
async function shipInBc(bc: BcSim, body: { externalDocumentNumber: string; lines?: { sequence: number; quantity: number }[]; trackingNo?: string; shippingAgentCode?: string }): Promise<{ number: string }> {
  const res = await fetch(`${bc.url}/_sim/ship`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ env: 'sandbox', ...body }) });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { number: string };
}

/** The BC sales order lines of an exported order, each with the Magento item id it came from. */
async function bcLines(bc: BcSim, store: Store, row: OrderRow) {
  const so = bc.salesOrders('sandbox').find((o) => o.externalDocumentNumber === row.order_key!.toUpperCase())!;
  const doc = (await store.orders.payloads(row.id))!.document as { lines: { sourceLineId?: string }[] };
  return so.salesOrderLines.filter((l) => l.lineType === 'Item').map((l) => ({ sequence: l.sequence, quantity: l.quantity, itemId: Number(doc.lines[l.sequence / 10000 - 1]!.sourceLineId) }));
}

const mgId = (row: OrderRow) => Number(row.shop_order_id);

describe.each(DATABASES)('write-back: BC shipment → Magento on %s', (kind) => {
  let bc: BcSim;
  let mg: MagentoSim;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  beforeEach(async () => {
    bc = await startBcSim();
    // Multi-Source Inventory: the store has a second source besides `default`.
    mg = await startMagentoSim({ seed: 31, sources: ['default', 'ne_wh'] });
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    await store.close();
    await tdb.cleanup();
    await Promise.allSettled([bc.close(), mg.close()]);
  });

  const start = async (opts: Parameters<typeof config>[2] = {}) => {
    rt = await createRuntime(config(bc, mg, opts), { log: silentLogger, store });
    return rt;
  };

  it('a shipment with tracking: one Magento shipment with the track and the comment, order complete and fulfilled; a second run writes nothing', async () => {
    await start();
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'BEAN-1KG' }] });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const rows = await verifiedOrders(rt!, store, 2);
    const row = rows[0]!;
    const shipment = await shipInBc(bc, { externalDocumentNumber: row.order_key!, trackingNo: '00340434161094042557', shippingAgentCode: 'DHL' });

    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1, notShipped: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');
    const shipments = mg.shipments(mgId(row));
    expect(shipments).toHaveLength(1);
    expect(shipments[0]!.tracks).toEqual([expect.objectContaining({ track_number: '00340434161094042557', title: 'DHL Paket', carrier_code: 'custom' })]);
    expect(shipments[0]!.comments[0]!.comment).toContain(`BC shipment ${shipment.number}`);
    expect(shipments[0]!.comments[0]).toMatchObject({ is_visible_on_front: 0, is_customer_notified: 0 });
    expect(shipments[0]!.email_sent).toBeNull();
    const order = mg.order(mgId(row))!;
    expect(order.status).toBe('complete');
    expect(order.items.every((i) => i.qty_shipped === i.qty_ordered)).toBe(true);
    const events = await store.orders.events(row.id);
    expect(events.some((e) => e.to_state === 'fulfilled' && e.reason?.includes('Magento shipment') && e.reason.includes('Magento status complete'))).toBe(true);

    const [again] = await runStage(rt!, 'writeback', 'test');
    expect(again!.errors).toEqual([]);
    expect(again!.counts.fulfilled ?? 0).toBe(0);
    expect(mg.shipments(mgId(row))).toHaveLength(1);
  });

  it('a partial shipment ships only its lines and stays verified; the rest completes the order', async () => {
    await start({ writeBack: { customerNote: true } });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'BEAN-1KG' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    const [mug, beans] = await bcLines(bc, store, row!);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key!, lines: [{ sequence: mug!.sequence, quantity: 1 }], trackingNo: '1Z999AA10123456784', shippingAgentCode: 'UPS' });

    const [r1] = await runStage(rt!, 'writeback', 'test');
    expect(r1!.errors).toEqual([]);
    expect(r1!.counts).toMatchObject({ partial: 1 });
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    const [first] = mg.shipments(mgId(row!));
    expect(first!.items).toEqual([expect.objectContaining({ order_item_id: mug!.itemId, qty: 1 })]);
    // A carrier Magento knows keeps its own code; customerNote: the customer is e-mailed, with the comment.
    expect(first!.tracks[0]).toMatchObject({ track_number: '1Z999AA10123456784', carrier_code: 'ups', title: 'UPS' });
    expect(first!.email_sent).toBe(1);
    expect(first!.comments[0]).toMatchObject({ is_customer_notified: 1, is_visible_on_front: 1 });
    const order = mg.order(mgId(row!))!;
    expect(order.status).toBe('processing');
    expect(order.items.find((i) => i.item_id === beans!.itemId)!.qty_shipped).toBe(0);

    await shipInBc(bc, { externalDocumentNumber: row!.order_key! });
    const [r2] = await runStage(rt!, 'writeback', 'test');
    expect(r2!.counts).toMatchObject({ fulfilled: 1 });
    expect((await store.orders.get(row!.id))!.state).toBe('fulfilled');
    const all = mg.shipments(mgId(row!));
    expect(all).toHaveLength(2);
    expect(all[1]!.items.map((i) => [i.order_item_id, i.qty]).sort()).toEqual([[beans!.itemId, 1], [mug!.itemId, 1]].sort());
    expect(mg.order(mgId(row!))!.status).toBe('complete');
  });

  it('a configurable ships by its parent item; bundle parts ship as their bundle; the rest ships the remaining item', async () => {
    await start();
    const placed: MgOrder = mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }], withTrees: true });
    const [row] = await verifiedOrders(rt!, store, 1);
    const tee = placed.items.find((i) => i.product_type === 'configurable')!;
    const child = placed.items.find((i) => i.parent_item_id === tee.item_id)!;
    const bundle = placed.items.find((i) => i.product_type === 'bundle')!;
    const lines = await bcLines(bc, store, row!);
    const teeLine = lines.find((l) => l.itemId === tee.item_id);
    expect(teeLine, 'the configurable is one BC line from its parent item').toBeDefined();

    await shipInBc(bc, { externalDocumentNumber: row!.order_key!, lines: [{ sequence: teeLine!.sequence, quantity: 1 }] });
    const [r1] = await runStage(rt!, 'writeback', 'test');
    expect(r1!.errors).toEqual([]);
    expect(r1!.counts).toMatchObject({ partial: 1 });
    const [first] = mg.shipments(mgId(row!));
    expect(first!.items.map((i) => i.order_item_id)).toEqual([tee.item_id]);
    expect(mg.order(mgId(row!))!.items.find((i) => i.item_id === child.item_id)!.qty_shipped).toBe(1);

    // mapping.bundles children: BC has the parts; Magento ships the bundle (together) by its parent item.
    const parts = lines.filter((l) => placed.items.find((i) => i.item_id === l.itemId)?.parent_item_id === bundle.item_id);
    expect(parts.length).toBeGreaterThan(1);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key!, lines: parts.map((p) => ({ sequence: p.sequence, quantity: p.quantity })) });
    const [r2] = await runStage(rt!, 'writeback', 'test');
    expect(r2!.errors).toEqual([]);
    const second = mg.shipments(mgId(row!))[1]!;
    expect(second.items.map((i) => i.order_item_id)).toEqual([bundle.item_id]);
    // The parts were offered first and refused (the bundle ships together), which created nothing.
    expect(mg.stats().byStatus['400']).toBe(1);
    expect(mg.order(mgId(row!))!.items.filter((i) => i.parent_item_id === bundle.item_id).every((i) => i.qty_shipped === i.qty_ordered)).toBe(true);

    // The rest: the mug. (The stage counts the bundle's own line, a BC comment line under mapping.bundles
    // children, as never shipped, so it reports this shipment as partial; Magento has everything either way.)
    await shipInBc(bc, { externalDocumentNumber: row!.order_key! });
    const [r3] = await runStage(rt!, 'writeback', 'test');
    expect(r3!.errors).toEqual([]);
    const third = mg.shipments(mgId(row!))[2]!;
    expect(third.items.map((i) => i.sku)).toEqual(['MUG-01']);
    expect(mg.shipments(mgId(row!))).toHaveLength(3);
    expect(mg.order(mgId(row!))!.status).toBe('complete');
  });

  it('a bundle Magento ships separately ships by its part items', async () => {
    await start();
    const placed = mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }], withTrees: true, bundleShipment: 'separately' });
    const [row] = await verifiedOrders(rt!, store, 1);
    const bundle = placed.items.find((i) => i.product_type === 'bundle')!;
    const parts = (await bcLines(bc, store, row!)).filter((l) => placed.items.find((i) => i.item_id === l.itemId)?.parent_item_id === bundle.item_id);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key!, lines: parts.slice(0, 2).map((p) => ({ sequence: p.sequence, quantity: p.quantity })) });
    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    const [shipment] = mg.shipments(mgId(row!));
    // The parts shipped; the bundle item comes along as their container row, as in Magento; the third part did not ship.
    expect(shipment!.items.map((i) => i.order_item_id).sort()).toEqual([bundle.item_id, ...parts.slice(0, 2).map((p) => p.itemId)].sort());
    expect(mg.order(mgId(row!))!.items.find((i) => i.item_id === parts[2]!.itemId)!.qty_shipped).toBe(0);
    expect(mg.stats().byStatus['400'] ?? 0).toBe(0);
  });

  it('idempotent: a shipment Magento already has (the timeline mark lost) is not created again', async () => {
    await start({ writeBack: { tracking: { source: 'none' } } });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01', quantity: 3 }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    const [mug] = await bcLines(bc, store, row!);
    const shipment = await shipInBc(bc, { externalDocumentNumber: row!.order_key!, lines: [{ sequence: mug!.sequence, quantity: 1 }] });
    const connector = rt!.connector('mag');
    const wb = {
      shopOrderId: row!.shop_order_id, orderNumber: row!.order_number!, shipmentNo: shipment.number, bcOrderNumber: row!.bc_number!,
      lines: [{ shopLineId: String(mug!.itemId), quantity: '1' }], complete: false, completeStatus: 'completed',
      note: `Shipped: BC shipment ${shipment.number} of order ${row!.order_number!}.`, customerNote: false, trackingMode: 'note' as const,
    };
    // An earlier attempt reached Magento, but its answer (and so the timeline mark) was lost.
    expect((await connector.writeBack!(wb)).detail).toMatch(/^Magento shipment \d+ created/);
    expect((await connector.writeBack!(wb)).detail).toMatch(/already there/);
    expect(mg.shipments(mgId(row!))).toHaveLength(1);

    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ partial: 1 });
    expect(mg.shipments(mgId(row!))).toHaveLength(1);
    expect(mg.order(mgId(row!))!.items[0]!.qty_shipped).toBe(1);
    const events = await store.orders.events(row!.id);
    expect(events.some((e) => e.reason?.includes('already there'))).toBe(true);
  });

  it('Magento answers 503 on the ship call: the failure is recorded and surfaced, the next run recovers with one shipment', async () => {
    await start();
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key!, trackingNo: 'JJD000390007', shippingAgentCode: 'DHL' });
    mg.faults.add({ kind: '503', pathIncludes: `/V1/order/${row!.shop_order_id}/ship`, times: 10 });

    const [failed] = await runStage(rt!, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toMatch(/write-back of BC shipment \S+ keeps failing \(1 attempts\).*503/s);
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    expect(mg.shipments(mgId(row!))).toHaveLength(0);
    expect((await store.orders.events(row!.id)).some((e) => e.reason?.includes('failed (attempt 1)'))).toBe(true);

    mg.faults.clear();
    const [recovered] = await runStage(rt!, 'writeback', 'test');
    expect(recovered!.errors).toEqual([]);
    expect(recovered!.counts).toMatchObject({ fulfilled: 1 });
    expect(mg.shipments(mgId(row!))).toHaveLength(1);
    expect(mg.order(mgId(row!))!.status).toBe('complete');
  });

  it('MSI: the shipment is deducted from the source configured for the BC location the order was created with', async () => {
    await start({ mapping: { locationCode: 'east' }, shop: { msiSources: { East: 'ne_wh', '*': 'default' } } });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    await shipInBc(bc, { externalDocumentNumber: row!.order_key! });
    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1 });
    const [shipment] = mg.shipments(mgId(row!));
    expect(shipment!.extension_attributes).toEqual({ source_code: 'ne_wh' });
    expect((await store.orders.events(row!.id)).some((e) => e.to_state === 'fulfilled' && e.reason?.includes('from source ne_wh'))).toBe(true);
  });

  it('MSI: without msiSources no source is named and Magento uses its default; a source Magento lacks fails with its message', async () => {
    await start();
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [plain] = await verifiedOrders(rt!, store, 1);
    await shipInBc(bc, { externalDocumentNumber: plain!.order_key! });
    const [ok] = await runStage(rt!, 'writeback', 'test');
    expect(ok!.errors).toEqual([]);
    expect(mg.shipments(mgId(plain!))[0]!.extension_attributes).toEqual({ source_code: 'default' });
    await rt!.close();

    // "*" covers orders without a BC location too; this store has no source west_wh.
    rt = await createRuntime(config(bc, mg, { shop: { msiSources: { '*': 'west_wh' } } }), { log: silentLogger, store });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'BEAN-1KG' }] });
    // The first order is fulfilled by now: the one verified order is the new one.
    const [row] = (await verifiedOrders(rt, store, 1)) as [OrderRow];
    await shipInBc(bc, { externalDocumentNumber: row.order_key! });
    const [failed] = await runStage(rt, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toContain('Source item not found by source code: west_wh and sku: BEAN-1KG.');
    expect(mg.shipments(mgId(row))).toHaveLength(0);
    expect((await store.orders.get(row.id))!.state).toBe('verified');
  });

  it("Magento's refusal is a clear failure: an order held in the shop", async () => {
    await start();
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    mg.updateOrder(mgId(row!), { status: 'holded' });
    await shipInBc(bc, { externalDocumentNumber: row!.order_key! });
    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.problems).toBe(1);
    expect(result!.errors.join('\n')).toContain('Magento rejected POST /order/');
    expect(result!.errors.join('\n')).toContain('Shipment Document Validation Error(s): A shipment cannot be created when an order has a status of holded');
    expect(mg.shipments(mgId(row!))).toHaveLength(0);
  });

  it('an order exported to the test environment never writes back unless that environment allows it', async () => {
    await start({ allowTest: false });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'BEAN-1KG' }] });
    const rows = await verifiedOrders(rt!, store, 2);
    for (const r of rows) await shipInBc(bc, { externalDocumentNumber: r.order_key!, trackingNo: 'T-1' });
    const magentoCalls = mg.stats().requests;
    const [result] = await runStage(rt!, 'writeback', 'test');
    expect(result!.counts).toMatchObject({ notAllowed: 2 });
    expect(mg.stats().requests).toBe(magentoCalls);
    for (const r of rows) {
      expect((await store.orders.get(r.id))!.state).toBe('verified');
      expect(mg.shipments(mgId(r))).toHaveLength(0);
      expect(mg.order(mgId(r))!.status).toBe('processing');
    }
  });

  it('recordBcNumber: an order comment with the BC order no., not on the storefront, written once', async () => {
    await start();
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    const connector = rt!.connector('mag');
    const rec = { shopOrderId: row!.shop_order_id, orderNumber: row!.order_number!, bcOrderNumber: row!.bc_number!, note: `BC sales order ${row!.bc_number!}` };
    expect(await connector.recordBcNumber!(rec)).toEqual({ detail: 'order comment added' });
    expect(await connector.recordBcNumber!(rec)).toEqual({ detail: 'order comment already there' });
    const comments = mg.order(mgId(row!))!.status_histories.filter((h) => String(h.comment).includes(row!.bc_number!));
    expect(comments).toEqual([expect.objectContaining({ comment: `BC sales order ${row!.bc_number!}`, is_visible_on_front: 0, is_customer_notified: 0, status: 'processing' })]);
    expect(mg.order(mgId(row!))!.status).toBe('processing');
  });

  it('writeBack.bcNumberOnOrder: the stage puts the BC order no. on the Magento order once', async () => {
    await start({ writeBack: { bcNumberOnOrder: true } });
    mg.addOrder({ status: 'processing', lines: [{ sku: 'MUG-01' }] });
    const [row] = await verifiedOrders(rt!, store, 1);
    await runStage(rt!, 'writeback', 'test');
    await runStage(rt!, 'writeback', 'test');
    const comments = mg.order(mgId(row!))!.status_histories.filter((h) => String(h.comment).includes(row!.bc_number!));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ is_visible_on_front: 0, status: 'processing' });
  });
});
