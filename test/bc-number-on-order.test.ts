import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import { writeBack } from '../src/pipeline/write-back.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';
import { verifiedOrders } from './helpers/cycles.js';

/** writeBack.bcNumberOnOrder on WooCommerce (issue 9 C): the BC sales order no. as an order note, once. */
const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };

function overrides(world: World, opts: { allowTest?: boolean; writeBack?: Record<string, unknown> } = {}): Record<string, unknown> {
  const base = rawConfig(world.bc, world.woo);
  return {
    bc: { test: { ...base.bc.test, ...(opts.allowTest !== false && { allowWriteBack: true }) } },
    // Shipment write-back off: the BC number is its own option.
    shops: [{ ...base.shops[0], writeBack: { enabled: false, bcNumberOnOrder: true, maxAttempts: 2, retryBaseSeconds: 0, retryMaxSeconds: 0, ...opts.writeBack } }],
  };
}

const bcNumberNotes = (world: World, row: OrderRow) => world.woo.notes(Number(row.shop_order_id)).filter((n) => n.note.startsWith('BC sales order'));

describe.each(DATABASES)('BC sales order no. on the WooCommerce order on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  beforeEach(async () => {
    world = await startWorld();
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

  it('every verified order gets one private note with its BC number; later runs add nothing; the order stays verified', async () => {
    rt = await world.runtime(store, { overrides: overrides(world) });
    world.woo.generate(3, PAID);
    // runCycle runs the write-back stage too (bcNumberOnOrder alone is enough for it).
    const rows = await verifiedOrders(rt, store, 3);
    await runStage(rt, 'writeback', 'test');
    for (const row of rows) {
      const fresh = (await store.orders.get(row.id))!;
      expect(fresh.state).toBe('verified');
      const notes = bcNumberNotes(world, row);
      expect(notes.map((n) => n.note)).toEqual([`BC sales order ${fresh.bc_number}`]);
      expect(notes[0]!.customer_note).toBe(false);
      const events = await store.orders.events(row.id);
      expect(events.filter((e) => e.reason?.startsWith(`BC sales order no. ${fresh.bc_number} put on the shop order`))).toHaveLength(1);
    }
    const [again] = await runStage(rt, 'writeback', 'test');
    expect(again!.counts.bcNumberRecorded ?? 0).toBe(0);
    expect(again!.errors).toEqual([]);
    for (const row of rows) expect(bcNumberNotes(world, row)).toHaveLength(1);
  });

  it('a failure is noted on the timeline, the order stays verified, the next run writes it; a note already in the shop is not added twice', async () => {
    rt = await world.runtime(store, { overrides: overrides(world) });
    world.woo.generate(1, PAID);
    // The write-back step inside the cycles must fail: every notes POST answers 503 while verifying.
    world.woo.faults.add({ kind: '503', pathIncludes: '/notes', method: 'POST' });
    const [row] = await verifiedOrders(rt, store, 1);
    await runStage(rt, 'writeback', 'test');
    const events = await store.orders.events(row!.id);
    const failed = events.filter((e) => e.reason?.startsWith('putting BC sales order no.'));
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.every((e) => e.to_state === 'verified' && e.from_state === 'verified')).toBe(true);
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    expect(bcNumberNotes(world, row!)).toHaveLength(0);

    world.woo.faults.clear();
    const [ok] = await runStage(rt, 'writeback', 'test');
    expect(ok!.counts.bcNumberRecorded).toBe(1);
    expect(bcNumberNotes(world, row!)).toHaveLength(1);

    // The shop already has the note but the timeline has no mark (e.g. the answer was lost): nothing is added.
    const row2 = (await store.orders.get(row!.id))!;
    const { wooRecordBcNumber } = await import('../src/shops/woocommerce/bc-number.js');
    const connector = rt.connector('woo') as unknown as { client: Parameters<typeof wooRecordBcNumber>[0] };
    const done = await wooRecordBcNumber(connector.client, { shopOrderId: row2.shop_order_id, orderNumber: row2.order_number!, bcOrderNumber: row2.bc_number!, note: `BC sales order ${row2.bc_number}` });
    expect(done.detail).toBe('note already there');
    expect(bcNumberNotes(world, row!)).toHaveLength(1);
  });

  it('an order shipped while its BC number note waits for a retry stays verified until the note is written, then becomes fulfilled', async () => {
    // Shipments written back too; a failed note is retried only after an hour.
    rt = await world.runtime(store, { overrides: overrides(world, { writeBack: { enabled: true, maxAttempts: 3, retryBaseSeconds: 3600, retryMaxSeconds: 3600 } }) });
    world.woo.generate(1, PAID);
    // The first note POST fails: that is the BC number note, written as soon as the order is verified.
    world.woo.faults.add({ kind: '503', pathIncludes: '/notes', method: 'POST', times: 1 });
    const [row] = await verifiedOrders(rt, store, 1);
    expect(bcNumberNotes(world, row!)).toHaveLength(0);

    // BC ships everything; the shipment reaches the shop, but the order waits for its BC number note.
    const shipment = world.bc.ship({ env: 'sandbox', externalDocumentNumber: row!.order_key!, trackingNo: 'T-42' });
    const [shipped] = await runStage(rt, 'writeback', 'test');
    expect(shipped!.counts).toMatchObject({ bcNumberWaiting: 1, waitingForBcNumber: 1 });
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    const shipmentNotes = () => world.woo.notes(Number(row!.shop_order_id)).filter((n) => n.note.includes(String(shipment.number)));
    expect(shipmentNotes()).toHaveLength(1);
    const [again] = await runStage(rt, 'writeback', 'test');
    expect(again!.counts).toMatchObject({ waitingForBcNumber: 1 });
    expect(shipmentNotes()).toHaveLength(1);

    // The retry is due (here: forced): the note is written and the order is fulfilled, the shipment not sent again.
    const done = await writeBack(rt, 'test', { ignoreBackoff: true });
    expect(done.counts).toMatchObject({ bcNumberRecorded: 1, fulfilled: 1 });
    const fresh = (await store.orders.get(row!.id))!;
    expect(fresh.state).toBe('fulfilled');
    expect(bcNumberNotes(world, row!).map((n) => n.note)).toEqual([`BC sales order ${fresh.bc_number}`]);
    expect(shipmentNotes()).toHaveLength(1);
    const timeline = (await store.orders.events(row!.id)).map((e) => e.reason ?? '');
    expect(timeline.some((r) => r.includes('fulfilled once the BC sales order no. is on the shop order as well'))).toBe(true);
  });

  it('orders exported to the test environment write nothing unless it allows write-back', async () => {
    rt = await world.runtime(store, { overrides: overrides(world, { allowTest: false }) });
    world.woo.generate(2, PAID);
    const rows = await verifiedOrders(rt, store, 2);
    const [r] = await runStage(rt, 'writeback', 'test');
    expect(r!.counts).toMatchObject({ notAllowed: 2 });
    for (const row of rows) expect(bcNumberNotes(world, row)).toHaveLength(0);
  });
});
