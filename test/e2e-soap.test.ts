import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportOrders } from '../src/pipeline/export.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import { ACTIVE_ENV_SETTING } from '../src/pipeline/context.js';
import { silentLogger } from '../src/log/logger.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { soapEnvironment, startWorld, type World } from './helpers/world.js';

/** WooCommerce → BC over the SOAP staging page (issue 4), on both databases. */
const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };

async function stateCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await store.orders.counts()) out[r.state] = (out[r.state] ?? 0) + r.n;
  return out;
}

async function cycleUntil(rt: Runtime, done: () => Promise<boolean>, maxCycles = 150): Promise<void> {
  for (let i = 0; i < maxCycles; i++) {
    await runCycle(rt, 'scheduler');
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 60));
  }
  throw new Error(`pipeline did not settle: ${JSON.stringify(await stateCounts(rt.store))}`);
}

/** Per order key in BC: sales orders, and staging records vs the lines each sales order has. */
function inBc(world: World, env: string) {
  const orders = new Map<string, number>();
  for (const so of world.bc.salesOrders(env)) orders.set(so.externalDocumentNumber, (orders.get(so.externalDocumentNumber) ?? 0) + 1);
  const staged = new Map<string, number>();
  for (const r of world.bc.soap.records(env)) staged.set(r.External_Document_No!, (staged.get(r.External_Document_No!) ?? 0) + 1);
  return { orders, staged };
}

describe.each(DATABASES)('WooCommerce → BC over SOAP on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;
  const soapTest = () => ({ bc: { test: soapEnvironment(world.bc, 'sandbox') } });

  beforeEach(async () => {
    world = await startWorld({ bc: { soap: { processDelayMs: [20, 80] } } });
    tdb = testDb(kind);
    store = await tdb.open();
    rt = await world.runtime(store, { overrides: soapTest() });
  });
  afterEach(async () => {
    await rt.close();
    await store.close();
    await tdb.cleanup();
    await world.close();
  });

  it('exports line by line, waits for BC to process, verifies every order once', async () => {
    world.woo.generate(12, PAID);
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 12);
    const { orders, staged } = inBc(world, 'sandbox');
    expect(orders.size).toBe(12);
    expect([...orders.values()].every((n) => n === 1)).toBe(true);
    for (const so of world.bc.salesOrders('sandbox')) expect(staged.get(so.externalDocumentNumber)).toBe(so.salesOrderLines.length);
    for (const o of await store.orders.list({ state: 'verified', limit: 50 })) {
      const so = world.bc.salesOrders('sandbox').find((x) => x.externalDocumentNumber === o.order_key)!;
      expect(o.bc_number).toBe(so.number);
      expect(o.bc_env).toBe('test');
    }
    expect(world.bc.salesOrders('production')).toHaveLength(0);
  });

  it('faults: a reset after BC committed a line, a lock fault and a bare HTTP 500 — no duplicate lines, all verified', async () => {
    world.woo.generate(6, PAID);
    world.bc.soap.faults.add({ kind: 'drop-after-commit', operation: 'Create', bodyIncludes: '<Line_No>20000</Line_No>', times: 2 });
    world.bc.soap.faults.add({ kind: 'fault', operation: 'Create', times: 2, after: 3 });
    world.bc.soap.faults.add({ kind: 'http-500', operation: 'Create', after: 8 });
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 6);
    const { orders, staged } = inBc(world, 'sandbox');
    expect([...orders.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    for (const so of world.bc.salesOrders('sandbox')) {
      expect(staged.get(so.externalDocumentNumber)).toBe(so.salesOrderLines.length);
      expect(new Set(so.salesOrderLines.map((l) => l.sequence)).size).toBe(so.salesOrderLines.length);
    }
  });

  it('a BC processing error fails the order with BC\'s message; verify gives up on a set BC never processes', async () => {
    await rt.close();
    rt = await world.runtime(store, { overrides: { bc: { test: soapEnvironment(world.bc, 'sandbox', { verifyGiveUpMinutes: 0.002 }) } } });
    world.bc.soap.setDelay(3_600_000); // BC's job queue is stuck
    const [a, b] = world.woo.generate(2, PAID);
    await runCycle(rt, 'scheduler');
    expect((await stateCounts(store)).exported).toBe(2);
    await new Promise((r) => setTimeout(r, 200));
    await runStage(rt, 'verify', 'scheduler');
    const stuck = (await store.orders.find(a.number, 'woo'))!;
    expect(stuck.state).toBe('failed');
    expect(stuck.reason_code).toBe('NOT_PROCESSED_IN_BC');
    expect(stuck.reason).toContain('has not processed order');
    expect((await store.orders.find(b.number, 'woo'))!.state).toBe('failed');
  });
});

describe.each(DATABASES)('SOAP crash and environment switching on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  const open: Runtime[] = [];

  beforeEach(async () => {
    world = await startWorld({ bc: { soap: { processDelayMs: [20, 60] } } });
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    for (const r of open.splice(0)) await r.close();
    await store.close();
    await tdb.cleanup();
    await world.close();
  });

  it('a worker dies in the middle of an order\'s lines: the next worker resumes it without duplicate lines', async () => {
    const overrides = { bc: { test: soapEnvironment(world.bc, 'sandbox', { timeoutMs: 4000, maxRetries: 0 }) } };
    const a = await world.runtime(store, { workerId: 'worker-a', overrides });
    open.push(a);
    world.woo.generate(5, PAID);
    await runStage(a, 'pull', 'scheduler');
    await runStage(a, 'evaluate', 'scheduler');
    let victim: { id: number; key: string; lines: number } | undefined;
    for (const o of await store.orders.list({ state: 'ready', limit: 10 })) {
      const lines = ((await store.orders.payloads(o.id))!.document as { lines: unknown[] }).lines.length;
      if (lines >= 2 && (!victim || lines > victim.lines)) victim = { id: o.id, key: o.order_key!, lines };
    }
    expect(victim).toBeDefined();
    const { id, key, lines } = victim!;
    // Worker A gets line 1 of this order in, then waits forever on line 2: as good as dead, holding the lease.
    world.bc.soap.faults.add({ kind: 'hang', operation: 'Create', bodyIncludes: `<External_Document_No>${key}</External_Document_No><Line_No>20000</Line_No>` });
    const dying = exportOrders(a, 'scheduler', { maxRounds: 1 });
    await waitFor(() => (world.bc.soap.calls().Create ?? 0) >= 2 && world.bc.soap.records('sandbox').some((r) => r.External_Document_No === key));
    expect(world.bc.soap.records('sandbox').filter((r) => r.External_Document_No === key)).toHaveLength(1);
    expect((await store.orders.get(id))!.state).toBe('exporting');

    // Worker B, 10 minutes later (A's lease long expired), on the same database.
    const later = { now: () => new Date(Date.now() + 10 * 60_000) };
    const b = await createRuntime(world.config(overrides), { log: silentLogger, store, workerId: 'worker-b', clock: later });
    open.push(b);
    await cycleUntil(b, async () => (await stateCounts(store)).verified === 5);
    const staged = world.bc.soap.records('sandbox').filter((r) => r.External_Document_No === key);
    expect(staged.map((r) => r.Line_No)).toEqual(Array.from({ length: lines }, (_, i) => String((i + 1) * 10000)));
    const sos = world.bc.salesOrders('sandbox').filter((o) => o.externalDocumentNumber === key);
    expect(sos).toHaveLength(1);
    expect(sos[0]!.salesOrderLines).toHaveLength(lines);
    const reasons = (await store.orders.events(id)).map((e) => e.reason ?? '');
    expect(reasons).toContain('claimed again: the previous lease expired');

    // A finally gives up on its hung request; its late result must not move the order B finished.
    await dying;
    expect((await store.orders.get(id))!.state).toBe('verified');
  });

  it('switching test → live with orders in flight: attempted orders finish in test (SOAP), new ones go to live (API)', async () => {
    const overrides = { bc: { test: soapEnvironment(world.bc, 'sandbox') } };
    const rt = await world.runtime(store, { overrides });
    open.push(rt);
    expect(rt.config.bc.live?.transport).toBe('api');
    const first = world.woo.generate(4, PAID);
    // Every first Create fails without an answer, so the orders stay attempted in test while we switch.
    world.bc.soap.faults.add({ kind: 'http-500', operation: 'Create', times: 4 });
    await runStage(rt, 'pull', 'scheduler');
    await runStage(rt, 'evaluate', 'scheduler');
    await runStage(rt, 'export', 'scheduler');
    const inFlight = await store.orders.list({ limit: 50 });
    expect(inFlight.filter((o) => o.bc_env === 'test')).toHaveLength(4);

    await store.settings.set(ACTIVE_ENV_SETTING, 'live', new Date().toISOString());
    const second = world.woo.generate(3, PAID);
    await cycleUntil(rt, async () => (await stateCounts(store)).verified === 7);

    const keyOf = (n: string) => `WOO-${n}`;
    const sandboxKeys = world.bc.salesOrders('sandbox').map((o) => o.externalDocumentNumber).sort();
    const productionKeys = world.bc.salesOrders('production').map((o) => o.externalDocumentNumber).sort();
    expect(sandboxKeys).toEqual(first.map((o) => keyOf(o.number)).sort());
    expect(productionKeys).toEqual(second.map((o) => keyOf(o.number)).sort());
    expect(world.bc.soap.records('production')).toHaveLength(0);
    for (const o of await store.orders.list({ limit: 50 })) {
      const wasFirst = first.some((f) => f.number === o.order_number);
      expect([o.bc_env, o.bc_environment_name]).toEqual(wasFirst ? ['test', 'sandbox'] : ['live', 'production']);
    }
  });
});

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
