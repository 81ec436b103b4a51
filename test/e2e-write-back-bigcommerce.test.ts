/**
 * Write-back to BigCommerce end to end, on SQLite and on PostgreSQL: the BigCommerce simulator → bcbridge
 * (pull, export, verify) → the BC simulator, where the warehouse ships (POST /_sim/ship), → bcbridge
 * writeback → shipments in the BigCommerce simulator. Everything over real HTTP on 127.0.0.1.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../sim/bc/server.js';
import { startBigCommerceSim, type BigCommerceSim, type BcOrderSpec } from '../sim/shops/bigcommerce/server.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';

const SHOP = 'big';

describe.each(DATABASES)('write-back: BC shipment → BigCommerce on %s', (kind) => {
  let bc: BcSim;
  let big: BigCommerceSim;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  beforeEach(async () => {
    bc = await startBcSim({});
    big = await startBigCommerceSim({ seed: 9, quota: 400 });
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    await store.close();
    await tdb.cleanup();
    await big.close();
    await bc.close();
  });

  async function runtime(opts: { allowTest?: boolean; writeBack?: Record<string, unknown> } = {}): Promise<Runtime> {
    const env = { name: 'sandbox', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4 };
    const config = parseConfig({
      database: { url: ':memory:' },
      bc: { active: 'test', test: { ...env, ...(opts.allowTest !== false && { allowWriteBack: true }) } },
      shops: [{
        code: SHOP, platform: 'bigcommerce', apiUrl: big.url, storeHash: big.storeHash, accessToken: big.accessToken, orderKeyPrefix: 'BIG-',
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
        rules: { recheckMinutes: 0.001 },
        writeBack: {
          enabled: true,
          tracking: { source: 'customPage', carriers: { DHL: { name: 'DHL Paket', url: 'https://track.example/dhl?no={tracking}' } } },
          maxAttempts: 1, retryBaseSeconds: 0, retryMaxSeconds: 0,
          ...opts.writeBack,
        },
      }],
      pipeline: { batchSize: 50, leaseSeconds: 30, maxAttempts: 6, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 },
    }, {});
    rt = await createRuntime(config, { log: silentLogger, store });
    return rt;
  }

  /** Hand-made paid orders (no random pick-list lines), pulled, exported and verified. */
  async function verified(r: Runtime, specs: BcOrderSpec[]): Promise<OrderRow[]> {
    const ids = specs.map((s) => String(big.addOrder({ status: 'awaiting-fulfillment', customer: 'guest', couponPercent: 0, ...s }).order.id));
    for (let i = 0; i < 60; i++) {
      await runCycle(r, 'test');
      const rows = (await store.orders.list({ state: 'verified', limit: 100 })).filter((o) => ids.includes(o.shop_order_id));
      if (rows.length === ids.length) return ids.map((id) => rows.find((o) => o.shop_order_id === id)!);
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('orders did not reach verified');
  }

  /** The warehouse ships in BC (the simulator's admin route, as the demo does). */
  async function ship(row: OrderRow, extra: { lines?: { sequence: number; quantity: number }[]; trackingNo?: string; shippingAgentCode?: string } = {}): Promise<string> {
    const res = await fetch(`${bc.url}/_sim/ship`, { method: 'POST', body: JSON.stringify({ env: 'sandbox', externalDocumentNumber: row.order_key!, ...extra }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { number: string }).number;
  }

  const salesOrder = (row: OrderRow) => bc.salesOrders('sandbox').find((o) => o.externalDocumentNumber === row.order_key!.toUpperCase())!;
  const state = async (row: OrderRow) => (await store.orders.get(row.id))!.state;

  it('a shipment with tracking becomes a BigCommerce shipment; BigCommerce marks the order Shipped; the order is fulfilled; a second run writes nothing', async () => {
    const r = await runtime();
    const [row, other] = await verified(r, [
      { lines: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'BEAN-250', quantity: 1 }] },
      { lines: [{ sku: 'TEA-GRN', quantity: 1 }] },
    ]);
    const shipmentNo = await ship(row!, { trackingNo: '00340434161094042557', shippingAgentCode: 'DHL' });

    const [result] = await runStage(r, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1, notShipped: 1 });
    expect(await state(row!)).toBe('fulfilled');
    expect(await state(other!)).toBe('verified');

    const id = Number(row!.shop_order_id);
    const products = big.order(id)!.products;
    const shipments = big.shipments(id);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({
      order_address_id: big.order(id)!.shippingAddresses[0]!.id,
      tracking_number: '00340434161094042557',
      tracking_carrier: 'dhl-germany',
      shipping_method: 'DHL Paket',
      tracking_link: 'https://track.example/dhl?no=00340434161094042557',
      items: products.map((p) => ({ order_product_id: p.id, product_id: p.product_id, quantity: p.quantity })),
    });
    expect(shipments[0]!.comments).toContain(`BC shipment ${shipmentNo}`);
    // BigCommerce moved the order itself; completeStatus (default: shipped) asked for nothing more.
    expect(big.order(id)!.order).toMatchObject({ status_id: 2, status: 'Shipped' });
    const events = await store.orders.events(row!.id);
    expect(events.some((e) => e.to_state === 'fulfilled' && e.reason?.includes(`shipment ${shipments[0]!.id} created`) && e.reason.includes('status already shipped'))).toBe(true);

    const [again] = await runStage(r, 'writeback', 'test');
    expect(again!.errors).toEqual([]);
    expect(again!.counts.fulfilled ?? 0).toBe(0);
    expect(big.shipments(id)).toHaveLength(1);
  });

  it('a partial shipment ships only those lines and the order stays verified; the rest completes it and sets completeStatus', async () => {
    const r = await runtime({ writeBack: { completeStatus: 'Completed' } });
    const [row] = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 3 }, { sku: 'BEAN-250', quantity: 1 }] }]);
    const so = salesOrder(row!);
    const mugLine = so.salesOrderLines.find((l) => l.lineObjectNumber === 'MUG-01')!;
    await ship(row!, { lines: [{ sequence: mugLine.sequence, quantity: 2 }], trackingNo: 'JJD01', shippingAgentCode: 'DHL' });

    const [r1] = await runStage(r, 'writeback', 'test');
    expect(r1!.errors).toEqual([]);
    expect(r1!.counts).toMatchObject({ partial: 1 });
    expect(await state(row!)).toBe('verified');
    const id = Number(row!.shop_order_id);
    const [mug, bean] = big.order(id)!.products;
    expect(big.shipments(id).map((s) => s.items)).toEqual([[{ order_product_id: mug!.id, product_id: mug!.product_id, quantity: 2 }]]);
    expect(big.order(id)!.order).toMatchObject({ status_id: 3, status: 'Partially Shipped' });

    // A retry of the stage sends nothing: the shipment is on the timeline.
    await runStage(r, 'writeback', 'test');
    expect(big.shipments(id)).toHaveLength(1);

    await ship(row!, { trackingNo: 'JJD02', shippingAgentCode: 'DHL' });
    const [r2] = await runStage(r, 'writeback', 'test');
    expect(r2!.errors).toEqual([]);
    expect(r2!.counts).toMatchObject({ fulfilled: 1 });
    expect(await state(row!)).toBe('fulfilled');
    const shipments = big.shipments(id);
    expect(shipments.map((s) => s.items.map((i) => [i.order_product_id, i.quantity]))).toEqual([[[mug!.id, 2]], [[mug!.id, 1], [bean!.id, 1]]]);
    expect(shipments.map((s) => s.tracking_number)).toEqual(['JJD01', 'JJD02']);
    // Shipped by BigCommerce after the last shipment, then Completed as configured.
    expect(big.order(id)!.order).toMatchObject({ status_id: 10, status: 'Completed' });
  });

  it('an order shipped to two addresses gets one BigCommerce shipment per address', async () => {
    const r = await runtime();
    const [row] = await verified(r, [{
      shippingAddresses: [{ street_1: 'Hauptstr. 1', city: 'Berlin' }, { street_1: 'Ringstr. 9', city: 'Köln' }],
      lines: [{ sku: 'MUG-01', quantity: 1 }, { sku: 'BEAN-250', quantity: 2, address: 1 }, { sku: 'TEA-GRN', quantity: 1, address: 1 }],
    }]);
    await ship(row!, { trackingNo: 'T-2ADR' });
    const [result] = await runStage(r, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1 });
    const id = Number(row!.shop_order_id);
    const [home, office] = big.order(id)!.shippingAddresses;
    const [mug, bean, tea] = big.order(id)!.products;
    const shipments = big.shipments(id);
    expect(shipments.map((s) => [s.order_address_id, s.shipping_address.city, s.items.map((i) => [i.order_product_id, i.quantity])])).toEqual([
      [home!.id, 'Berlin', [[mug!.id, 1]]],
      [office!.id, 'Köln', [[bean!.id, 2], [tea!.id, 1]]],
    ]);
    expect(shipments.every((s) => s.tracking_number === 'T-2ADR')).toBe(true);
    expect(big.order(id)!.order.status_id).toBe(2);
  });

  it('is idempotent without the timeline mark: writing the same shipment again (and then the stage) creates no second shipment', async () => {
    const r = await runtime({ writeBack: { tracking: { source: 'none' } } });
    const [row] = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 2 }] }]);
    const shipmentNo = await ship(row!);
    const id = Number(row!.shop_order_id);
    const product = big.order(id)!.products[0]!;
    // What the stage would send, sent twice straight to the connector: the timeline knows nothing of it.
    const wb = {
      shopOrderId: row!.shop_order_id, orderNumber: row!.order_number!, shipmentNo, bcOrderNumber: row!.bc_number!,
      lines: [{ shopLineId: String(product.id), quantity: '2', name: product.name }], complete: true, completeStatus: 'shipped',
      note: `Shipped: BC shipment ${shipmentNo} of order ${row!.order_number}.`, customerNote: false, trackingMode: 'note' as const,
    };
    const connector = r.connector(SHOP);
    const first = await connector.writeBack!(wb);
    expect(first.detail).toMatch(/^shipment \d+ created \(address \d+, 2 items\), status already shipped$/);
    const second = await connector.writeBack!(wb);
    expect(second.detail).toBe(`shipment for BC shipment ${shipmentNo} already there (address ${big.order(id)!.shippingAddresses[0]!.id}), status already shipped`);
    expect(big.shipments(id)).toHaveLength(1);

    const [result] = await runStage(r, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1 });
    expect(big.shipments(id)).toHaveLength(1);
  });

  it('BigCommerce answers 503 to the shipment: the failure is recorded and surfaced, the next run recovers with one shipment', async () => {
    const r = await runtime();
    const [row] = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 1 }] }]);
    await ship(row!, { trackingNo: 'JJD000390007', shippingAgentCode: 'DHL' });
    const id = Number(row!.shop_order_id);
    // A create is not retried blindly on a 5xx (it may have gone through): the stage's retry decides.
    big.faults.add({ kind: '503', method: 'POST', pathIncludes: `/v2/orders/${id}/shipments`, times: 1 });

    const [failed] = await runStage(r, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toMatch(/write-back of BC shipment \S+ keeps failing \(1 attempts\).*503/s);
    expect(await state(row!)).toBe('verified');
    expect(big.shipments(id)).toHaveLength(0);
    const timeline = await store.orders.events(row!.id);
    expect(timeline.some((e) => e.reason?.includes('failed (attempt 1)') && e.reason.includes('503'))).toBe(true);

    const [recovered] = await runStage(r, 'writeback', 'test');
    expect(recovered!.errors).toEqual([]);
    expect(recovered!.counts).toMatchObject({ fulfilled: 1 });
    expect(big.shipments(id)).toHaveLength(1);
    expect(big.order(id)!.order.status_id).toBe(2);
  }, 30_000);

  it('BigCommerce answers 429 to the shipment: the client waits and sends it again within the same run, once', async () => {
    const r = await runtime();
    const [row] = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 1 }] }]);
    await ship(row!, { trackingNo: 'JJD000390008', shippingAgentCode: 'DHL' });
    const id = Number(row!.shop_order_id);
    big.faults.add({ kind: '429', method: 'POST', pathIncludes: `/v2/orders/${id}/shipments`, times: 1 });
    const before = big.stats().byStatus['429'] ?? 0;

    const [result] = await runStage(r, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1 });
    expect(big.stats().byStatus['429']).toBe(before + 1);
    expect(big.shipments(id)).toHaveLength(1);
  }, 30_000);

  it('an order exported to the test environment never writes back unless that environment allows it', async () => {
    const r = await runtime({ allowTest: false });
    const rows = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 1 }] }, { lines: [{ sku: 'BEAN-250', quantity: 1 }] }]);
    for (const row of rows) await ship(row, { trackingNo: 'T-1' });
    const shopCalls = big.stats().requests;
    const bcCalls = bc.stats().requests;

    const [result] = await runStage(r, 'writeback', 'test');
    expect(result!.counts).toMatchObject({ notAllowed: 2 });
    for (const row of rows) {
      expect(await state(row)).toBe('verified');
      expect(big.shipments(Number(row.shop_order_id))).toEqual([]);
      expect(big.order(Number(row.shop_order_id))!.order.status_id).toBe(11);
    }
    expect(big.stats().requests).toBe(shopCalls);
    expect(bc.stats().requests).toBe(bcCalls);
  });

  it('recordBcNumber appends "BC sales order …" to the staff notes once and keeps what was there', async () => {
    const r = await runtime();
    const [row] = await verified(r, [{ lines: [{ sku: 'MUG-01', quantity: 1 }] }]);
    const id = Number(row!.shop_order_id);
    big.updateOrder(id, { staffNotes: 'Gift wrap by hand' });
    const connector = r.connector(SHOP);
    const rec = { shopOrderId: row!.shop_order_id, orderNumber: row!.order_number!, bcOrderNumber: row!.bc_number!, note: `BC sales order ${row!.bc_number}` };
    expect((await connector.recordBcNumber!(rec)).detail).toBe('BC sales order no. added to the staff notes');
    expect((await connector.recordBcNumber!(rec)).detail).toBe('BC sales order no. already in the staff notes');
    expect(big.order(id)!.order.staff_notes).toBe(`Gift wrap by hand\nBC sales order ${row!.bc_number}`);
    await expect(connector.recordBcNumber!({ ...rec, shopOrderId: '999999' })).rejects.toThrow(/no longer has order/);
  });
});
