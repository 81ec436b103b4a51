import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusReport } from '../src/cli/commands/status.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { createRuntime } from '../src/pipeline/runtime.js';

const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };

async function cycleUntil(rt: Runtime, done: () => Promise<boolean>, maxCycles = 60): Promise<void> {
  for (let i = 0; i < maxCycles; i++) {
    await runCycle(rt, 'scheduler');
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('pipeline did not settle');
}

async function stateCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await store.orders.counts()) out[r.state] = (out[r.state] ?? 0) + r.n;
  return out;
}

/** Sales orders per external document no. in the BC simulator: the exactly-once check. */
function bcKeyCounts(world: World, env = 'sandbox'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const so of world.bc.salesOrders(env)) counts.set(so.externalDocumentNumber, (counts.get(so.externalDocumentNumber) ?? 0) + 1);
  return counts;
}

describe.each(DATABASES)('WooCommerce → BC end to end on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;

  beforeEach(async () => {
    world = await startWorld();
    tdb = testDb(kind);
    store = await tdb.open();
    rt = await world.runtime(store);
  });
  afterEach(async () => {
    await rt.close();
    await store.close();
    await tdb.cleanup();
    await world.close();
  });

  it('pulls, exports and verifies every paid order; status counts match the database', async () => {
    world.woo.generate(30, PAID);
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 30);

    const keys = bcKeyCounts(world);
    expect(keys.size).toBe(30);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    const verified = await store.orders.list({ state: 'verified', limit: 100 });
    expect(verified.every((o) => o.bc_number && o.bc_environment_name === 'sandbox')).toBe(true);

    const report = await statusReport(rt);
    expect(report.shops[0].counts.verified).toBe(30);
    expect(report.shops[0].total).toBe(30);
    expect(report.environment.active).toBe('test');

    // A second cycle changes nothing and creates nothing.
    await runCycle(rt, 'scheduler');
    expect(world.bc.salesOrders('sandbox')).toHaveLength(30);

    // The raw payload is the text the shop sent (PHP's escaped slashes and all), not a re-serialization.
    const raws = await store.db.kysely.selectFrom('order_payload_parts').select('body').where('kind', '=', 'raw').execute();
    expect(raws).toHaveLength(30);
    for (const { body } of raws) {
      expect(body).toMatch(/^\{"id":\d+,/);
      expect(body).toContain('\\/');
      expect(body).not.toBe(JSON.stringify(JSON.parse(body!)));
    }
  });

  it('a cycle evaluates each downloaded page before the next one, and a bare pull does not', async () => {
    world.woo.generate(30, PAID);
    const raw = rawConfig(world.bc, world.woo);
    raw.shops[0].pageSize = 10;
    const paged = await createRuntime(parseConfig(raw, {}), { log: silentLogger, store });
    try {
      await runCycle(paged, 'scheduler');
      const timeline = [];
      for (const o of await store.orders.list({ limit: 100 })) for (const e of await store.orders.events(o.id)) timeline.push(e);
      timeline.sort((a, b) => Number(a.id) - Number(b.id));
      const received = timeline.filter((e) => e.to_state === 'received').map((e) => Number(e.id));
      const firstReady = Math.min(...timeline.filter((e) => e.to_state === 'ready').map((e) => Number(e.id)));
      // The first page (10 orders) was ready while later pages were still being downloaded.
      expect(received).toHaveLength(30);
      expect(firstReady).toBeLessThan(Math.max(...received));
      expect((await stateCounts(store)).verified).toBe(30);

      // `bcbridge pull` (the stage alone) stores orders and leaves them received.
      world.woo.generate(5, PAID);
      await runStage(paged, 'pull', 'cli');
      expect((await stateCounts(store)).received).toBe(5);
    } finally {
      await paged.close();
    }
  });

  it('the connection dropped after BC committed: the retry finds the order by externalDocumentNumber', async () => {
    world.woo.generate(5, PAID);
    world.bc.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 5);

    const keys = bcKeyCounts(world);
    expect(keys.size).toBe(5);
    expect([...keys.values()]).toEqual([1, 1, 1, 1, 1]);
    const found = [];
    for (const o of await store.orders.list({ limit: 10 })) {
      const events = await store.orders.events(o.id);
      if (events.some((e) => e.reason?.includes('found in BC'))) found.push(o.order_number);
    }
    expect(found).toHaveLength(1);
  });

  it('429 and 503 are retried and succeed', async () => {
    world.woo.generate(6, PAID);
    world.bc.faults.add({ kind: '429', method: 'POST', pathIncludes: 'salesOrders', times: 2, retryAfterSeconds: 0 });
    world.bc.faults.add({ kind: '429-no-retry-after', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    world.bc.faults.add({ kind: '503', method: 'POST', pathIncludes: 'salesOrders', times: 2, retryAfterSeconds: 0 });
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 6);
    expect(bcKeyCounts(world).size).toBe(6);
    expect(world.bc.salesOrders('sandbox')).toHaveLength(6);
  });

  it('a backlog goes out in $batches; one dropped after BC committed costs lookups, never a second order', async () => {
    world.woo.generate(20, PAID);
    world.bc.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: '$batch', times: 1 });
    world.bc.faults.add({ kind: '429', method: 'POST', pathIncludes: '$batch', times: 1, retryAfterSeconds: 0 });
    world.bc.faults.add({ kind: '503', method: 'POST', pathIncludes: '$batch', times: 1, retryAfterSeconds: 0 });
    const before = world.bc.stats();
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 20);

    const keys = bcKeyCounts(world);
    expect(keys.size).toBe(20);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    // 20 orders over 5 BC slots: creates of 4 per $batch, so far fewer HTTP requests than operations.
    const after = world.bc.stats();
    expect(after.operations - before.operations - (after.requests - before.requests)).toBeGreaterThanOrEqual(20 - 5 - 3);
    // The dropped batch's orders were found by their key, and every order's create is in its request log.
    let found = 0;
    for (const o of await store.orders.list({ limit: 50 })) {
      if ((await store.orders.events(o.id)).some((e) => e.reason?.includes('found in BC'))) found++;
    }
    expect(found).toBe(4);
    await store.requestLog.flush();
    const creates = await store.db.kysely.selectFrom('request_log').select(['order_id', 'status']).where('method', '=', 'POST').where('url', 'like', '%/salesOrders').execute();
    expect(new Set(creates.filter((c) => c.status === 201).map((c) => c.order_id)).size).toBe(16);
  });

  it('a 400 from BC fails that order with BC\'s message while the others go through', async () => {
    await rt.close();
    // Fee lines go to a G/L account BC does not have: BC rejects exactly the orders with fees.
    rt = await world.runtime(store, { overrides: { shops: [{ ...world.config().shops[0], mapping: { ...world.config().shops[0].mapping, fees: { type: 'Account', no: '9999' } } }] } });
    world.woo.generate(12, PAID);
    const withFees = world.woo.orders().filter((o) => o.fee_lines.length > 0).length;
    if (withFees === 0) {
      const first = world.woo.orders()[0];
      world.woo.updateOrder(first.id, { fee_lines: [{ id: 9901, name: 'Payment fee', tax_class: '', tax_status: 'none', amount: '1.50', total: '1.50', total_tax: '0.00', taxes: [], meta_data: [] }] as never, total: (Number(first.total) + 1.5).toFixed(2) });
    }
    const expectFailed = world.woo.orders().filter((o) => o.fee_lines.length > 0).length;
    await cycleUntil(rt, async () => {
      const c = await stateCounts(store);
      return (c.verified ?? 0) + (c.failed ?? 0) === 12;
    });
    const failed = await store.orders.list({ state: 'failed', limit: 50 });
    expect(failed).toHaveLength(expectFailed);
    for (const o of failed) {
      expect(o.reason_code).toBe('BC_REJECTED');
      expect(o.reason).toContain('Account does not exist');
    }
    expect((await stateCounts(store)).verified).toBe(12 - expectFailed);
    expect(world.bc.salesOrders('sandbox')).toHaveLength(12 - expectFailed);
  });

  it('unpaid orders wait, an unknown SKU is held with a reason, a cancelled order is ignored', async () => {
    const [paid, unpaid, unknown, cancelled] = world.woo.generate(4, PAID);
    world.woo.updateOrder(unpaid.id, { date_paid: null, date_paid_gmt: null, status: 'on-hold' } as never);
    world.woo.updateOrder(unknown.id, { line_items: unknown.line_items.map((l, i) => (i === 0 ? { ...l, sku: 'NO-SUCH-SKU' } : l)) } as never);
    world.woo.updateOrder(cancelled.id, { status: 'cancelled' } as never);
    await runCycle(rt, 'scheduler');
    await runCycle(rt, 'scheduler');
    const byNumber = async (n: string) => (await store.orders.find(n, 'woo'))!;
    expect((await byNumber(paid.number)).state).toBe('verified');
    expect((await byNumber(unpaid.number)).state).toBe('waiting');
    const held = await byNumber(unknown.number);
    expect(held.state).toBe('held');
    expect(held.reason_code).toBe('UNKNOWN_SKU');
    expect(held.reason).toContain('NO-SUCH-SKU');
    expect(held.hint).toContain('skuMap');
    expect((await byNumber(cancelled.number)).state).toBe('ignored');
  });
});

describe('two export workers on PostgreSQL', () => {
  it('never export the same order twice', async () => {
    const world = await startWorld({ bc: { latencyMs: 20 } });
    const tdb = testDb('postgres');
    const storeA = await tdb.open();
    const storeB = await tdb.open();
    const a = await world.runtime(storeA, { workerId: 'worker-a', overrides: { pipeline: { batchSize: 5 } } });
    const b = await world.runtime(storeB, { workerId: 'worker-b', overrides: { pipeline: { batchSize: 5 } } });
    try {
      world.woo.generate(60, PAID);
      await runStage(a, 'pull', 'scheduler');
      await runStage(a, 'evaluate', 'scheduler');
      const [ra, rb] = await Promise.all([runStage(a, 'export', 'scheduler'), runStage(b, 'export', 'scheduler')]);
      expect((ra[0].counts.exported ?? 0) + (rb[0].counts.exported ?? 0)).toBe(60);
      expect(ra[0].counts.exported).toBeGreaterThan(0);
      expect(rb[0].counts.exported).toBeGreaterThan(0);
      const keys = bcKeyCounts(world);
      expect(keys.size).toBe(60);
      expect([...keys.values()].every((n) => n === 1)).toBe(true);
      await runStage(a, 'verify', 'scheduler');
      expect((await stateCounts(storeA)).verified).toBe(60);
    } finally {
      await a.close();
      await b.close();
      await storeA.close();
      await storeB.close();
      await tdb.cleanup();
      await world.close();
    }
  });
});
