import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runStage } from '../src/pipeline/run-stage.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, soapEnvironment, startWorld, type World } from './helpers/world.js';
import { verifiedOrders } from './helpers/cycles.js';

/**
 * Write-back on a SOAP install (issue 9 B): export through AutoShoppingCartImport, BC ships, bcbridge reads the
 * AutoShoppingCartShipments page and writes back to WooCommerce — on both databases, simulators over HTTP.
 */
const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };

describe.each(DATABASES)('SOAP export → ship in BC → WooCommerce write-back on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  const overrides = (extra: Record<string, unknown> = {}) => {
    const base = rawConfig(world.bc, world.woo);
    return {
      bc: { test: soapEnvironment(world.bc, 'sandbox', { allowWriteBack: true, ...extra }) },
      shops: [{
        ...base.shops[0],
        writeBack: { enabled: true, tracking: { shopMode: 'extension', carriers: { DHL: { name: 'DHL', url: 'https://track.example/dhl?no={tracking}' } } }, maxAttempts: 1, retryBaseSeconds: 0, retryMaxSeconds: 0 },
      }],
    };
  };

  beforeEach(async () => {
    world = await startWorld({ bc: { soap: { processDelayMs: [20, 60] } } });
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
    await store.close();
    await tdb.cleanup();
    await world.close();
  });

  it('a partial shipment, then the rest with tracking: notes per shipment, tracking, completed, fulfilled; nothing twice', async () => {
    rt = await world.runtime(store, { overrides: overrides() });
    world.woo.generate(8, PAID);
    const rows = await verifiedOrders(rt, store, 8, { tries: 150, pauseMs: 60 });
    const so = world.bc.salesOrders('sandbox').find((o) => {
      const items = o.salesOrderLines.filter((l) => l.lineType === 'Item');
      return items.length >= 2 || items.some((l) => l.quantity >= 2);
    });
    expect(so, 'the generator made no order with more than one item').toBeDefined();
    const row = rows.find((r) => r.order_key!.toUpperCase() === so!.externalDocumentNumber)!;
    const first = so!.salesOrderLines.find((l) => l.lineType === 'Item')!;
    const partial = world.bc.ship({ env: 'sandbox', externalDocumentNumber: so!.externalDocumentNumber, lines: [{ sequence: first.sequence, quantity: 1 }] });

    const [r1] = await runStage(rt, 'writeback', 'test');
    expect(r1!.errors).toEqual([]);
    expect(r1!.counts).toMatchObject({ partial: 1, notShipped: 7 });
    expect((await store.orders.get(row.id))!.state).toBe('verified');
    const shopId = Number(row.shop_order_id);
    expect(world.woo.order(shopId)!.status).not.toBe('completed');

    // The rest ships with a package; then BC invoices and deletes the sales order — the posted shipments stay.
    const rest = world.bc.ship({ env: 'sandbox', externalDocumentNumber: so!.externalDocumentNumber, trackingNo: 'JJD000390007', shippingAgentCode: 'DHL' });
    world.bc.invoice({ env: 'sandbox', externalDocumentNumber: so!.externalDocumentNumber });
    expect(world.bc.salesOrders('sandbox').some((o) => o.externalDocumentNumber === so!.externalDocumentNumber)).toBe(false);

    const [r2] = await runStage(rt, 'writeback', 'test');
    expect(r2!.errors).toEqual([]);
    expect(r2!.counts).toMatchObject({ fulfilled: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');
    expect(world.woo.order(shopId)!.status).toBe('completed');
    const notes = world.woo.notes(shopId).filter((n) => n.note.includes('BC shipment')).map((n) => n.note);
    expect(notes).toHaveLength(2);
    expect(notes.some((n) => n.includes(`BC shipment ${partial.number as string}`) && n.includes(`1 × `))).toBe(true);
    expect(notes.some((n) => n.includes(`BC shipment ${rest.number as string}`) && n.includes('Tracking no. JJD000390007 (DHL): https://track.example/dhl?no=JJD000390007'))).toBe(true);
    expect(world.woo.trackings(shopId)).toEqual([expect.objectContaining({ tracking_number: 'JJD000390007' })]);

    const [r3] = await runStage(rt, 'writeback', 'test');
    expect(r3!.counts.fulfilled ?? 0).toBe(0);
    expect(world.woo.notes(shopId).filter((n) => n.note.includes('BC shipment'))).toHaveLength(2);
    // Shipments were read through the SOAP page, not the API.
    expect(world.bc.soap.calls().ReadMultiple).toBeGreaterThan(0);
  });

  it('without a shipment page (shipmentService "") the stage says what to publish and writes nothing', async () => {
    rt = await world.runtime(store, { overrides: overrides({ shipmentService: '' }) });
    world.woo.generate(1, PAID);
    const [row] = await verifiedOrders(rt, store, 1, { tries: 150, pauseMs: 60 });
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: row!.order_key!.toUpperCase() });
    const [r] = await runStage(rt, 'writeback', 'test');
    expect(r!.errors.join(' ')).toContain('AutoShoppingCartShipments');
    expect(r!.counts).toMatchObject({ deferred: 1 });
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
  });
});
