import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { writeBackSchema } from '../src/config/shop-rules.js';
import { runStage } from '../src/pipeline/run-stage.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import { writeBack } from '../src/pipeline/write-back.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { bcbridge } from './helpers/cli.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';
import { verifiedOrders } from './helpers/cycles.js';

const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };

/** Write-back on, tracking from the simulator's custom page, sent through the Shipment Tracking extension. */
function overrides(world: World, opts: { allowTest?: boolean; writeBack?: Record<string, unknown> } = {}): Record<string, unknown> {
  const base = rawConfig(world.bc, world.woo);
  return {
    bc: { test: { ...base.bc.test, ...(opts.allowTest !== false && { allowWriteBack: true }) } },
    shops: [
      {
        ...base.shops[0],
        writeBack: {
          enabled: true,
          tracking: { source: 'customPage', shopMode: 'extension', carriers: { DHL: { name: 'DHL', url: 'https://track.example/dhl?no={tracking}' } } },
          maxAttempts: 1,
          retryBaseSeconds: 0,
          retryMaxSeconds: 0,
          ...opts.writeBack,
        },
      },
    ],
  };
}

const bcNotes = (world: World, row: OrderRow) => world.woo.notes(Number(row.shop_order_id)).filter((n) => n.note.includes('BC shipment'));

describe.each(DATABASES)('write-back: BC shipment → WooCommerce on %s', (kind) => {
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

  it('a shipment with tracking: note, tracking entry, status completed, order fulfilled; a second run writes nothing', async () => {
    rt = await world.runtime(store, { overrides: overrides(world) });
    world.woo.generate(3, PAID);
    const rows = await verifiedOrders(rt, store, 3);
    const row = rows[0]!;
    const shipment = world.bc.ship({ env: 'sandbox', externalDocumentNumber: row.order_key!, trackingNo: '00340434161094042557', shippingAgentCode: 'DHL' });

    const [result] = await runStage(rt, 'writeback', 'test');
    expect(result!.errors).toEqual([]);
    expect(result!.counts).toMatchObject({ fulfilled: 1, notShipped: 2 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');

    const woo = world.woo.order(Number(row.shop_order_id))!;
    expect(woo.status).toBe('completed');
    const notes = bcNotes(world, row);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.note).toContain(`BC shipment ${shipment.number as string}`);
    expect(notes[0]!.note).toContain('Tracking no. 00340434161094042557 (DHL): https://track.example/dhl?no=00340434161094042557');
    expect(world.woo.trackings(Number(row.shop_order_id))).toEqual([
      expect.objectContaining({ tracking_number: '00340434161094042557', tracking_provider: 'DHL', tracking_link: 'https://track.example/dhl?no=00340434161094042557' }),
    ]);
    const events = await store.orders.events(row.id);
    expect(events.some((e) => e.to_state === 'fulfilled' && e.reason?.includes(`BC shipment ${shipment.number as string}`))).toBe(true);

    // Fully invoicing in BC deletes the sales order; nothing more is written and nothing breaks.
    world.bc.invoice({ env: 'sandbox', externalDocumentNumber: row.order_key! });
    const [again] = await runStage(rt, 'writeback', 'test');
    expect(again!.errors).toEqual([]);
    expect(again!.counts.fulfilled ?? 0).toBe(0);
    expect(bcNotes(world, row)).toHaveLength(1);
    expect(world.woo.trackings(Number(row.shop_order_id))).toHaveLength(1);
  });

  it('a partial shipment writes the shipped lines only and stays verified; the rest completes it; retries write nothing twice', async () => {
    rt = await world.runtime(store, { overrides: overrides(world) });
    world.woo.generate(8, PAID);
    const rows = await verifiedOrders(rt, store, 8);
    // An order with an item line of quantity ≥ 2, or with two item lines: one part can ship before the other.
    const so = world.bc.salesOrders('sandbox').find((o) => {
      const items = o.salesOrderLines.filter((l) => l.lineType === 'Item');
      return items.length >= 2 || items.some((l) => l.quantity >= 2);
    });
    expect(so, 'the generator made no order with more than one item').toBeDefined();
    const row = rows.find((r) => r.order_key!.toUpperCase() === so!.externalDocumentNumber)!;
    const first = so!.salesOrderLines.find((l) => l.lineType === 'Item')!;
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: so!.externalDocumentNumber, lines: [{ sequence: first.sequence, quantity: 1 }] });

    const [r1] = await runStage(rt, 'writeback', 'test');
    expect(r1!.counts).toMatchObject({ partial: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('verified');
    expect(world.woo.order(Number(row.shop_order_id))!.status).not.toBe('completed');
    const notes = bcNotes(world, row);
    expect(notes).toHaveLength(1);
    // Only the shipped line, with the shipped quantity.
    const doc = (await store.orders.payloads(row.id))!.document as { lines: { sourceLineId?: string }[] };
    const wooLine = world.woo.order(Number(row.shop_order_id))!.line_items.find((l) => String(l.id) === doc.lines[first.sequence / 10000 - 1]!.sourceLineId)!;
    expect(notes[0]!.note).toContain(`1 × ${wooLine.name}.`);
    const otherNames = world.woo.order(Number(row.shop_order_id))!.line_items.filter((l) => l.id !== wooLine.id).map((l) => l.name);
    for (const name of otherNames) if (!wooLine.name.includes(name)) expect(notes[0]!.note).not.toContain(name);

    // Retry: the shipment is on the timeline, so nothing is sent again.
    const [r2] = await runStage(rt, 'writeback', 'test');
    expect(r2!.counts.partial ?? 0).toBe(0);
    expect(bcNotes(world, row)).toHaveLength(1);

    world.bc.ship({ env: 'sandbox', externalDocumentNumber: so!.externalDocumentNumber });
    const [r3] = await runStage(rt, 'writeback', 'test');
    expect(r3!.counts).toMatchObject({ fulfilled: 1 });
    expect((await store.orders.get(row.id))!.state).toBe('fulfilled');
    expect(world.woo.order(Number(row.shop_order_id))!.status).toBe('completed');
    expect(bcNotes(world, row)).toHaveLength(2);
  });

  it('the shop answers 503: the failure is recorded and surfaced, the next run recovers without a second note or tracking', async () => {
    rt = await world.runtime(store, { overrides: overrides(world) });
    world.woo.generate(1, PAID);
    const [row] = await verifiedOrders(rt, store, 1);
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: row!.order_key!, trackingNo: 'JJD000390007', shippingAgentCode: 'DHL' });
    // The note and the tracking go through; the status update keeps failing (every retry of the PUT too).
    world.woo.faults.add({ kind: '503', pathIncludes: `/orders/${row!.shop_order_id}?`, times: 10 });

    const [failed] = await runStage(rt, 'writeback', 'test');
    expect(failed!.problems).toBe(1);
    expect(failed!.errors.join('\n')).toMatch(/write-back of BC shipment \d+ keeps failing \(1 attempts\).*503/s);
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    expect(bcNotes(world, row!)).toHaveLength(1);
    const timeline = await store.orders.events(row!.id);
    expect(timeline.some((e) => e.reason?.includes('failed (attempt 1)'))).toBe(true);

    world.woo.faults.clear();
    const [recovered] = await runStage(rt, 'writeback', 'test');
    expect(recovered!.errors).toEqual([]);
    expect(recovered!.counts).toMatchObject({ fulfilled: 1 });
    expect(world.woo.order(Number(row!.shop_order_id))!.status).toBe('completed');
    expect(bcNotes(world, row!)).toHaveLength(1);
    expect(world.woo.trackings(Number(row!.shop_order_id))).toHaveLength(1);
  }, 30_000);

  it('a failure waits for its backoff before the next attempt', async () => {
    rt = await world.runtime(store, { overrides: overrides(world, { writeBack: { maxAttempts: 3, retryBaseSeconds: 3600, retryMaxSeconds: 3600, tracking: { source: 'none' } } }) });
    world.woo.generate(1, PAID);
    const [row] = await verifiedOrders(rt, store, 1);
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: row!.order_key! });
    world.woo.faults.add({ kind: '503', pathIncludes: `/orders/${row!.shop_order_id}/notes`, times: 10 });
    const [r1] = await runStage(rt, 'writeback', 'test');
    expect(r1!.counts).toMatchObject({ retrying: 1 });
    expect(r1!.problems).toBe(0);
    world.woo.faults.clear();
    const [r2] = await runStage(rt, 'writeback', 'test');
    expect(r2!.counts).toMatchObject({ waiting: 1 });
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
    // `bcbridge writeback --now` does not wait.
    const r3 = await writeBack(rt, 'test', { ignoreBackoff: true });
    expect(r3.counts).toMatchObject({ fulfilled: 1 });
  }, 30_000);

  it('an order exported to the test environment never writes back unless that environment allows it', async () => {
    rt = await world.runtime(store, { overrides: overrides(world, { allowTest: false }) });
    world.woo.generate(2, PAID);
    const rows = await verifiedOrders(rt, store, 2);
    for (const r of rows) world.bc.ship({ env: 'sandbox', externalDocumentNumber: r.order_key!, trackingNo: 'T-1' });
    const bcCallsBefore = world.bc.stats().requests;

    const [result] = await runStage(rt, 'writeback', 'test');
    expect(result!.counts).toMatchObject({ notAllowed: 2 });
    for (const r of rows) {
      expect((await store.orders.get(r.id))!.state).toBe('verified');
      expect(bcNotes(world, r)).toHaveLength(0);
      expect(world.woo.order(Number(r.shop_order_id))!.status).toBe('processing');
    }
    // Not even BC was asked.
    expect(world.bc.stats().requests).toBe(bcCallsBefore);
  });
});

describe('bcbridge writeback (the CLI)', () => {
  it('writes back shipped orders, prints the counts, and exits 0; --json gives the stage result', async () => {
    const world = await startWorld();
    const dir = mkdtempSync(join(tmpdir(), 'bcbridge-wb-'));
    try {
      const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
      Object.assign(cfg, overrides(world));
      cfg.database = { url: join(dir, 'bcbridge.db') };
      const configFile = join(dir, 'bcbridge.yaml');
      writeFileSync(configFile, stringify(cfg));
      world.woo.generate(2, PAID);
      expect((await bcbridge(['--config', configFile, 'pull'])).code).toBe(0);
      expect((await bcbridge(['--config', configFile, 'export'])).code).toBe(0);
      expect((await bcbridge(['--config', configFile, 'verify'])).code).toBe(0);
      for (const so of world.bc.salesOrders('sandbox')) world.bc.ship({ env: 'sandbox', externalDocumentNumber: so.externalDocumentNumber, trackingNo: 'CLI-1' });
      const r = await bcbridge(['--config', configFile, 'writeback']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('writeback: fulfilled 2');
      const again = await bcbridge(['--config', configFile, 'writeback', '--json']);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)[0]).toMatchObject({ stage: 'writeback', problems: 0, errors: [] });
      expect(world.woo.orders().every((o) => o.status === 'completed')).toBe(true);
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('writeBack config', () => {
  it('is off by default and names the missing field for source shipmentField', () => {
    expect(writeBackSchema.parse({})).toMatchObject({ enabled: false, completeStatus: 'completed', tracking: { source: 'none', shopMode: 'note' } });
    const bad = writeBackSchema.safeParse({ enabled: true, tracking: { source: 'shipmentField' } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['tracking', 'field'], message: 'is required when source is shipmentField' });
    expect(writeBackSchema.safeParse({ tracking: { apiPath: 'not a path' } }).success).toBe(false);
  });
});
