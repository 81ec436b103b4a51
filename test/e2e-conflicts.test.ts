import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { WooOrder, WooOrderInput } from '../sim/shops/woocommerce/server.js';
import { resolveConflict } from '../src/pipeline/conflicts.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { bcbridge } from './helpers/cli.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, soapEnvironment, startWorld, type World } from './helpers/world.js';

/** A paid order with two catalog lines and flat-rate shipping: every BC line is known in advance. */
function shopOrder(world: World, extra: WooOrderInput = {}): WooOrder {
  return world.woo.addOrder({
    status: 'processing',
    customer_id: 0,
    line_items: [{ sku: 'MUG-01', quantity: 2 }, { sku: 'BEAN-250', quantity: 1 }],
    shipping_lines: [{ method_title: 'Flat rate', method_id: 'flat_rate', total: '4.90' }],
    fee_lines: [],
    coupon_lines: [],
    ...extra,
  });
}

async function untilVerified(rt: Runtime, store: Store, n: number): Promise<OrderRow[]> {
  for (let i = 0; i < 60; i++) {
    await runCycle(rt, 'test');
    const rows = await store.orders.list({ state: 'verified', limit: 100 });
    if (rows.length >= n) return rows.sort((a, b) => a.id - b.id);
    await new Promise((r) => setTimeout(r, 100));
  }
  const stuck = await store.orders.list({ limit: 100 });
  throw new Error(`orders did not reach verified: ${stuck.map((r) => `${r.order_number} ${r.state} ${r.reason ?? ''}`).join('; ')}`);
}

/** The shop changes an order: keep the other lines as they are, change what the test says. */
function lines(o: WooOrder, change: (l: WooOrder['line_items'][number]) => Record<string, unknown> | null): WooOrderInput['line_items'] {
  return o.line_items.flatMap((l) => {
    const c = change(l);
    return c === null ? [] : [{ ...l, ...c }];
  });
}

const bcOrder = (world: World, key: string) => world.bc.salesOrders('sandbox').find((o) => o.externalDocumentNumber === key.toUpperCase());

async function diffOf(store: Store, id: number): Promise<string[]> {
  const events = await store.orders.events(id);
  const last = [...events].reverse().find((e) => e.to_state === 'conflict' && e.details);
  return last ? ((JSON.parse(last.details!) as { diff?: string[] }).diff ?? []) : [];
}

describe.each(DATABASES)('conflicts: shop changes after export on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime | undefined;

  // The shop's clock, moved on before each change: WooCommerce stamps modifications to the second, and a
  // version with the same stamp as the stored one is (rightly) taken as the same version.
  let offset = 0;
  const later = () => (offset += 2000);

  beforeEach(async () => {
    offset = 0;
    world = await startWorld({ woo: { now: () => Date.now() + offset } });
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

  it('each kind of change moves the order to conflict with a readable diff; resync, accept and cancel settle it', async () => {
    rt = await world.runtime(store);
    const woo = Array.from({ length: 7 }, () => shopOrder(world));
    const rows = await untilVerified(rt, store, 7);
    const byShopId = new Map(rows.map((r) => [Number(r.shop_order_id), r]));
    const row = (o: WooOrder) => byShopId.get(o.id)!;
    const [qty, added, removed, shipping, address, cancelled, refunded] = woo as [WooOrder, WooOrder, WooOrder, WooOrder, WooOrder, WooOrder, WooOrder];
    later();

    world.woo.updateOrder(qty.id, { line_items: lines(qty, (l) => (l.sku === 'MUG-01' ? { quantity: 3, total: undefined, subtotal: undefined, total_tax: undefined, subtotal_tax: undefined, price: undefined, taxes: undefined } : {})) });
    world.woo.updateOrder(added.id, { line_items: [...lines(added, () => ({})) ?? [], { sku: 'GIFT-BOX', quantity: 1 }] });
    world.woo.updateOrder(removed.id, { line_items: lines(removed, (l) => (l.sku === 'BEAN-250' ? null : {})) });
    world.woo.updateOrder(shipping.id, { shipping_lines: [{ ...shipping.shipping_lines[0]!, method_title: 'Express', total: '9.90', total_tax: undefined, taxes: undefined }] });
    world.woo.updateOrder(address.id, { shipping: { address_1: 'Side Street 9', postcode: '10117' } });
    world.woo.updateOrder(cancelled.id, { status: 'cancelled' });
    world.woo.updateOrder(refunded.id, { refunds: [{ id: 9001, reason: 'scratched', total: '-5.00', total_tax: '0.00' }] });

    await runStage(rt, 'pull', 'test');
    for (const o of woo) expect((await store.orders.get(row(o).id))!.state, `order ${o.id}`).toBe('conflict');
    expect(await diffOf(store, row(qty).id)).toEqual(expect.arrayContaining(['line MUG-01: quantity 2 → 3']));
    expect(await diffOf(store, row(added).id)).toEqual(expect.arrayContaining([expect.stringMatching(/^line GIFT-BOX added: 1 × Gift Box at 4\.50$/)]));
    expect(await diffOf(store, row(removed).id)).toEqual(expect.arrayContaining([expect.stringMatching(/^line BEAN-250 removed \(was 1 × /)]));
    expect(await diffOf(store, row(shipping).id)).toEqual(expect.arrayContaining(['shipping method: Flat rate → Express', expect.stringMatching(/^shipping cost \(net\): [\d.]+ → [\d.]+$/)]));
    expect(await diffOf(store, row(address).id)).toEqual(['shipping address: street "' + address.shipping.address_1 + '" → "Side Street 9"', `shipping address: postcode "${address.shipping.postcode}" → "10117"`]);
    expect(await diffOf(store, row(cancelled).id)).toEqual(['the order was cancelled in the shop']);
    expect(await diffOf(store, row(refunded).id)).toEqual(['refund of 5.00 EUR ("scratched")']);
    const cancelledRow = (await store.orders.get(row(cancelled).id))!;
    expect(cancelledRow).toMatchObject({ reason_code: 'SHOP_CANCELLED' });
    expect((await store.orders.get(row(qty).id))!).toMatchObject({ reason_code: 'SHOP_CHANGED', reason: expect.stringContaining('line MUG-01: quantity 2 → 3') });
    // Nothing changed in BC without a decision.
    expect(bcOrder(world, row(qty).order_key!)!.salesOrderLines.find((l) => l.lineObjectNumber === 'MUG-01')!.quantity).toBe(2);

    // --- resync: BC follows the shop, totals are checked again → verified.
    const freightBefore = bcOrder(world, row(shipping).order_key!)!.salesOrderLines.find((l) => l.lineObjectNumber === '6810')!;
    for (const o of [qty, added, removed, shipping, address]) {
      const r = await resolveConflict(rt, row(o).id, 'resync', 'test');
      expect(r, `order ${o.id}`).toMatchObject({ ok: true, state: 'verified' });
    }
    const so = (o: WooOrder) => bcOrder(world, row(o).order_key!)!;
    expect(so(qty).salesOrderLines.find((l) => l.lineObjectNumber === 'MUG-01')!.quantity).toBe(3);
    expect(so(added).salesOrderLines.map((l) => l.lineObjectNumber)).toContain('GIFT-BOX');
    expect(so(removed).salesOrderLines.map((l) => l.lineObjectNumber)).not.toContain('BEAN-250');
    const freight = so(shipping).salesOrderLines.find((l) => l.lineObjectNumber === '6810')!;
    expect(freight.unitPrice).toBeGreaterThan(freightBefore.unitPrice);
    expect(freight.description).toContain('Express');
    expect(freight.id).toBe(freightBefore.id); // changed in place (PATCH), not deleted and added
    expect(so(address)).toMatchObject({ shipToAddressLine1: 'Side Street 9', shipToPostCode: '10117' });
    for (const o of [qty, added, removed, shipping, address]) {
      expect(Number(so(o).totalAmountIncludingTax)).toBeCloseTo(Number(world.woo.order(o.id)!.total), 2);
      const events = await store.orders.events(row(o).id);
      expect(events.at(-1)).toMatchObject({ from_state: 'conflict', to_state: 'verified', reason: expect.stringMatching(/^re-synced by test: BC sales order S-ORD\d+ updated \(.+\); totals match$/) });
    }

    // --- cancel: the BC sales order is deleted, the order ignored.
    const c = await resolveConflict(rt, row(cancelled).id, 'cancel', 'test');
    expect(c).toMatchObject({ ok: true, state: 'ignored' });
    expect(bcOrder(world, row(cancelled).order_key!)).toBeUndefined();

    // --- accept: BC unchanged, back to verified; the accepted version is the new baseline.
    const a = await resolveConflict(rt, row(refunded).id, 'accept', 'test');
    expect(a).toMatchObject({ ok: true, state: 'verified' });
    const events = await store.orders.events(row(refunded).id);
    expect(events.at(-1)).toMatchObject({ from_state: 'conflict', to_state: 'verified' });
    expect(JSON.parse(events.at(-1)!.details!)).toMatchObject({ decision: 'accept', returnedTo: 'verified' });
    later();
    world.woo.updateOrder(refunded.id, { customer_note: 'ring twice' });
    await runStage(rt, 'pull', 'test');
    expect((await store.orders.get(row(refunded).id))!.state).toBe('verified');
    // A second decision on a settled order is refused.
    expect(await resolveConflict(rt, row(refunded).id, 'accept', 'test')).toMatchObject({ ok: false, text: expect.stringContaining('only orders in conflict') });
  }, 60_000);

  it('a shipped order cannot be re-synced or cancelled; a shop change undone settles the conflict by itself', async () => {
    rt = await world.runtime(store);
    const o = shopOrder(world);
    const [r] = await untilVerified(rt, store, 1);
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: r!.order_key!, lines: [{ lineObjectNumber: 'MUG-01', quantity: 1 }] });
    const original = world.woo.order(o.id)!;
    later();
    world.woo.updateOrder(o.id, { shipping: { city: 'Hamburg' } });
    await runStage(rt, 'pull', 'test');
    expect((await store.orders.get(r!.id))!.state).toBe('conflict');

    const resync = await resolveConflict(rt, r!.id, 'resync', 'test');
    expect(resync).toMatchObject({ ok: false, state: 'conflict', text: expect.stringContaining('BC has already shipped part of sales order') });
    const cancel = await resolveConflict(rt, r!.id, 'cancel', 'test');
    expect(cancel).toMatchObject({ ok: false, state: 'conflict', text: expect.stringContaining('cannot be deleted') });
    expect(bcOrder(world, r!.order_key!)).toBeDefined();

    later();
    world.woo.updateOrder(o.id, { shipping: { city: original.shipping.city } });
    await runStage(rt, 'pull', 'test');
    const back = (await store.orders.get(r!.id))!;
    expect(back).toMatchObject({ state: 'verified', reason_code: null });
  }, 60_000);

  it('conflicts.autoCancelUnshipped deletes unshipped orders the shop cancelled, and leaves shipped ones to a person', async () => {
    const base = rawConfig(world.bc, world.woo);
    rt = await world.runtime(store, { overrides: { shops: [{ ...base.shops[0], conflicts: { autoCancelUnshipped: true } }] } });
    const open = shopOrder(world);
    const shipped = shopOrder(world);
    const rows = await untilVerified(rt, store, 2);
    const rowOf = (o: WooOrder) => rows.find((x) => Number(x.shop_order_id) === o.id)!;
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: rowOf(shipped).order_key! });
    later();
    world.woo.updateOrder(open.id, { status: 'cancelled' });
    world.woo.updateOrder(shipped.id, { status: 'cancelled' });

    const results = await runCycle(rt, 'test');
    expect(results.find((x) => x.stage === 'conflicts')!.counts).toMatchObject({ cancelled: 1, needsPerson: 1 });
    expect((await store.orders.get(rowOf(open).id))!).toMatchObject({ state: 'ignored', reason_code: 'CANCELLED' });
    expect(bcOrder(world, rowOf(open).order_key!)).toBeUndefined();
    expect((await store.orders.get(rowOf(shipped).id))!).toMatchObject({ state: 'conflict', reason_code: 'SHOP_CANCELLED_BC_SHIPPED' });
    expect(bcOrder(world, rowOf(shipped).order_key!)).toBeDefined();
    // Marked: the next cycle does not try again.
    const again = await runCycle(rt, 'test');
    expect(again.find((x) => x.stage === 'conflicts')!.counts).toEqual({});
  }, 60_000);

  it('our own write-back (status completed, note, tracking) never comes back as a conflict', async () => {
    const base = rawConfig(world.bc, world.woo);
    rt = await world.runtime(store, {
      overrides: { bc: { test: { ...base.bc.test, allowWriteBack: true } }, shops: [{ ...base.shops[0], writeBack: { enabled: true, bcNumberOnOrder: true } }] },
    });
    const o = shopOrder(world);
    const [r] = await untilVerified(rt, store, 1);
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: r!.order_key! });
    later();
    await runStage(rt, 'writeback', 'test');
    expect((await store.orders.get(r!.id))!.state).toBe('fulfilled');
    expect(world.woo.order(o.id)!.status).toBe('completed');

    const before = (await store.orders.get(r!.id))!.shop_modified_at;
    await runStage(rt, 'pull', 'test');
    const after = (await store.orders.get(r!.id))!;
    expect(after.shop_modified_at).not.toBe(before); // the shop did report a newer version…
    expect(after.state).toBe('fulfilled'); // …that is no conflict
    const events = await store.orders.events(r!.id);
    expect(events.at(-1)!.reason).toBe('the shop changed the order after export: nothing that matters for BC (status, notes or the BC number)');
  }, 60_000);

  it('the SOAP transport: re-sync and cancel are refused with the reason, accept works', async () => {
    // BC processes the staging records within milliseconds here (its default delay is a real job queue's).
    await world.close();
    world = await startWorld({ bc: { soap: { processDelayMs: [20, 80] } }, woo: { now: () => Date.now() + offset } });
    rt = await world.runtime(store, { overrides: { bc: { test: soapEnvironment(world.bc, 'sandbox') } } });
    const o = shopOrder(world);
    const [r] = await untilVerified(rt, store, 1);
    later();
    world.woo.updateOrder(o.id, { shipping: { address_1: 'Side Street 9' } });
    await runStage(rt, 'pull', 'test');
    expect((await store.orders.get(r!.id))!.state).toBe('conflict');
    expect(await resolveConflict(rt, r!.id, 'resync', 'test')).toMatchObject({ ok: false, state: 'conflict', text: expect.stringContaining('uses the soap transport, which cannot change a sales order') });
    expect(await resolveConflict(rt, r!.id, 'cancel', 'test')).toMatchObject({ ok: false, state: 'conflict', text: expect.stringContaining('uses the soap transport, which cannot delete sales orders') });
    expect(await resolveConflict(rt, r!.id, 'accept', 'test')).toMatchObject({ ok: true, state: 'verified' });
  }, 60_000);

  it('an order the shop changes while it is being exported is compared once the export is done', async () => {
    rt = await world.runtime(store);
    const o = shopOrder(world);
    await runStage(rt, 'pull', 'test');
    await runStage(rt, 'evaluate', 'test');
    // Another worker claims it and stalls (its lease runs out at once): the order is `exporting`.
    const past = new Date(Date.now() - 1000).toISOString();
    const [claimed] = await store.orders.claimForExport({ owner: 'stalled', limit: 1, now: new Date().toISOString(), leaseUntil: past, actor: 'test' });
    expect((await store.orders.get(claimed!.row.id))!.state).toBe('exporting');
    later();
    world.woo.updateOrder(o.id, { line_items: lines(o, (l) => (l.sku === 'BEAN-250' ? null : {})) });
    await runStage(rt, 'pull', 'test');
    expect((await store.orders.get(claimed!.row.id))!.state).toBe('exporting');

    // This worker takes the expired lease over and creates the order as evaluated: BC gets both lines.
    const [exp] = await runStage(rt, 'export', 'test');
    expect(exp!.errors).toEqual([]);
    expect(exp!.counts).toMatchObject({ exported: 1, conflict: 1 });
    const row = (await store.orders.get(claimed!.row.id))!;
    expect(row.state).toBe('conflict');
    expect(await diffOf(store, row.id)).toEqual(expect.arrayContaining([expect.stringMatching(/^line BEAN-250 removed/)]));
    expect(bcOrder(world, row.order_key!)!.salesOrderLines.map((l) => l.lineObjectNumber)).toContain('BEAN-250');
    expect(await resolveConflict(rt, row.id, 'resync', 'test')).toMatchObject({ ok: true, state: 'verified' });
    expect(bcOrder(world, row.order_key!)!.salesOrderLines.map((l) => l.lineObjectNumber)).not.toContain('BEAN-250');
  }, 60_000);
});

describe('bcbridge orders resolve (the CLI)', () => {
  it('shows the diff, refuses a bad flag combination, resyncs one order and cancels another', async () => {
    let offset = 0;
    const world = await startWorld({ woo: { now: () => Date.now() + offset } });
    const dir = mkdtempSync(join(tmpdir(), 'bcbridge-conflicts-'));
    try {
      const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
      cfg.database = { url: join(dir, 'bcbridge.db') };
      const configFile = join(dir, 'bcbridge.yaml');
      writeFileSync(configFile, stringify(cfg));
      const cli = (...args: string[]) => bcbridge(['--config', configFile, ...args]);
      const a = shopOrder(world);
      const b = shopOrder(world);
      expect((await cli('pull')).code).toBe(0);
      expect((await cli('export')).code).toBe(0);
      expect((await cli('verify')).code).toBe(0);
      offset += 2000;
      world.woo.updateOrder(a.id, { line_items: lines(a, (l) => (l.sku === 'MUG-01' ? { quantity: 4, total: undefined, subtotal: undefined, total_tax: undefined, subtotal_tax: undefined, price: undefined, taxes: undefined } : {})) });
      world.woo.updateOrder(b.id, { status: 'cancelled' });
      expect((await cli('pull')).code).toBe(0);

      const show = await cli('orders', 'show', a.number);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('state: conflict  [SHOP_CHANGED]');
      expect(show.stdout).toContain(`changed in the shop since it went to BC (decide: bcbridge orders resolve ${a.number} --resync | --accept | --cancel):`);
      expect(show.stdout).toContain('  - line MUG-01: quantity 2 → 4');
      const listed = JSON.parse((await cli('orders', 'list', '--state', 'conflict', '--json')).stdout) as { order_number: string }[];
      expect(listed.map((o) => o.order_number).sort()).toEqual([a.number, b.number].sort());

      const both = await cli('orders', 'resolve', a.number, '--resync', '--accept');
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('give exactly one of --resync, --accept, --cancel');

      const resync = await cli('orders', 'resolve', a.number, '--resync');
      expect(resync.stderr).toBe('');
      expect(resync.code).toBe(0);
      expect(resync.stdout).toMatch(/conflict → verified \(BC sales order S-ORD\d+ updated, totals match\)/);
      const soA = world.bc.salesOrders('sandbox').find((o) => o.externalDocumentNumber === `WOO-${a.number}`)!;
      expect(soA.salesOrderLines.find((l) => l.lineObjectNumber === 'MUG-01')!.quantity).toBe(4);

      const again = await cli('orders', 'resolve', a.number, '--accept');
      expect(again.code).toBe(1);
      expect(again.stdout).toContain('is verified; only orders in conflict can be resolved');

      const cancel = await cli('orders', 'resolve', b.number, '--cancel', '--json');
      expect(cancel.code).toBe(0);
      expect(JSON.parse(cancel.stdout)).toMatchObject({ ok: true, state: 'ignored' });
      expect(world.bc.salesOrders('sandbox').some((o) => o.externalDocumentNumber === `WOO-${b.number}`)).toBe(false);
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
