/**
 * End to end per platform, on SQLite and on PostgreSQL: the shop simulator → bcbridge (pull, evaluate,
 * export, verify) → the BC simulator, over real HTTP. The same scenarios for every platform the
 * registry knows (drivers/), so a new platform is covered the day it is registered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../../sim/bc/server.js';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { runCycle } from '../../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.js';
import type { Store } from '../../src/store/store.js';
import { DATABASES, testDb, type TestDb } from '../helpers/databases.js';
import type { DriverInstance } from './driver.js';
import { DRIVERS } from './drivers/index.js';
import { connectorFor } from './helpers.js';

const CASES = DRIVERS.flatMap((d) => DATABASES.map((db) => [d.platform, db, d] as const));

async function stateCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await store.orders.counts()) out[r.state] = (out[r.state] ?? 0) + r.n;
  return out;
}

describe.each(CASES)('%s → BC end to end on %s', (_platform, kind, driver) => {
  let bc: BcSim;
  let shop: DriverInstance;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;

  beforeEach(async () => {
    bc = await startBcSim({});
    shop = await driver.start(23);
    tdb = testDb(kind);
    store = await tdb.open();
    const config = parseConfig({
      database: { url: ':memory:' },
      bc: {
        active: 'test',
        test: { name: 'sandbox', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4 },
      },
      shops: [shop.shopConfig({ orderKeyPrefix: 'E2E-' })],
      pipeline: { batchSize: 50, leaseSeconds: 30, maxAttempts: 6, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 },
    }, {});
    rt = await createRuntime(config, { log: silentLogger, store });
  });
  afterEach(async () => {
    // Whatever beforeEach got to, is closed again.
    await rt?.close();
    await store?.close();
    await tdb?.cleanup();
    await shop?.close();
    await bc?.close();
    rt = store = tdb = shop = bc = undefined as never;
  });

  const cycleUntil = async (done: () => Promise<boolean>, maxCycles = 40) => {
    for (let i = 0; i < maxCycles; i++) {
      await runCycle(rt, 'scheduler');
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`pipeline did not settle: ${JSON.stringify(await stateCounts(store))}`);
  };

  const row = async (shopOrderId: string) => {
    const code = rt.config.shops[0]!.code;
    const found = (await store.orders.list({ shop: code, limit: 500 })).find((o) => o.shop_order_id === shopOrderId);
    if (!found) throw new Error(`order ${shopOrderId} was not pulled`);
    return found;
  };

  it('pulls, exports and verifies every paid order exactly once; another cycle creates nothing', async () => {
    await shop.generate(8);
    await cycleUntil(async () => (await stateCounts(store)).verified === 8);
    const keys = new Map<string, number>();
    for (const so of bc.salesOrders('sandbox')) keys.set(so.externalDocumentNumber, (keys.get(so.externalDocumentNumber) ?? 0) + 1);
    expect(keys.size).toBe(8);
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
    expect([...keys.keys()].every((k) => k.startsWith('E2E-'))).toBe(true);
    await runCycle(rt, 'scheduler');
    expect(bc.salesOrders('sandbox')).toHaveLength(8);
  });

  it('an unknown SKU is held with its reason, an unpaid order waits, a cancelled one is ignored', async () => {
    const [good, cancelled] = await shop.generate(2);
    const unknown = await shop.addOrder({ lines: [{ sku: 'NO-SUCH-SKU', quantity: 1, unitPrice: '10.00' }] });
    const unpaid = await shop.addOrder({ exportable: false });
    await shop.cancel(cancelled!);
    await cycleUntil(async () => (await row(good!)).state === 'verified');
    expect((await row(unpaid)).state).toBe('waiting');
    const held = await row(unknown);
    expect(held.state).toBe('held');
    expect(held.reason_code).toBe('UNKNOWN_SKU');
    expect(held.reason).toContain('NO-SUCH-SKU');
    expect((await row(cancelled!)).state).toBe('ignored');
  });

  it('a cancellation after export is seen: the order goes to conflict with the diff, BC is not changed without a decision', async () => {
    const [id] = await shop.generate(1);
    await cycleUntil(async () => (await row(id!)).state === 'verified');
    await new Promise((r) => setTimeout(r, 1100));
    await shop.cancel(id!);
    await runCycle(rt, 'scheduler');
    const after = await row(id!);
    expect(after.state).toBe('conflict');
    expect(after.reason_code).toBe('SHOP_CANCELLED');
    const events = await store.orders.events(after.id);
    expect(events.some((e) => e.to_state === 'conflict' && e.reason?.includes('the order was cancelled in the shop'))).toBe(true);
    const canonical = (await store.orders.payloads(after.id))!.canonical as { status: string };
    const c = connectorFor(shop.shopConfig());
    try {
      expect(canonical.status).toBe(c.toOrder(await c.getOrder(id!)).status);
    } finally {
      await c.close();
    }
    expect(rt.config.shops[0]!.rules.ignoreStatuses).toContain(canonical.status);
    expect(bc.salesOrders('sandbox')).toHaveLength(1);
  });
});
