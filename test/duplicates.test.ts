import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BcSalesOrderDocument } from '../src/bc/document.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log/logger.js';
import { runCycle, runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

/**
 * A second BC sales order of one shop order, as a worker frozen past its lease makes it (its create reaches
 * BC after another worker created the order): verify keeps the order the export recorded and deletes the copy
 * when it is bcbridge's own untouched draft; anything else is left and reported with both numbers.
 */
describe.each(DATABASES)('duplicates in BC are removed on %s', (kind) => {
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

  const withKey = (key: string) => world.bc.salesOrders('sandbox').filter((o) => o.externalDocumentNumber === key.toUpperCase());

  it('verify deletes a late second create of the same order, keeps the recorded one, and reports a copy it must not touch', async () => {
    world.woo.generate(2, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    await runStage(rt, 'pull', 'scheduler');
    await runStage(rt, 'evaluate', 'scheduler');
    await runStage(rt, 'export', 'scheduler');
    const [a, b] = await store.orders.list({ state: 'exported', limit: 10 }).then((rows) => rows.sort((x, y) => x.id - y.id));
    expect(a && b).toBeTruthy();

    // The frozen worker's create arrives: the very same document, through the same client.
    const docA = (await store.orders.payloads(a!.id))!.document as BcSalesOrderDocument;
    const copyA = await rt.target('test').create(docA);
    // For b, a different order with the same key, as if entered by hand: one line fewer.
    const docB = (await store.orders.payloads(b!.id))!.document as BcSalesOrderDocument;
    const copyB = await rt.target('test').create({ ...docB, lines: docB.lines.slice(0, -1) });
    expect(withKey(a!.order_key!)).toHaveLength(2);
    expect(withKey(b!.order_key!)).toHaveLength(2);

    const [result] = await runStage(rt, 'verify', 'scheduler');
    expect(result!.counts.duplicateRemoved).toBe(1);
    expect(result!.problems).toBe(1);
    expect(result!.errors.join('\n')).toContain(`${copyB.number} was left as it is because its lines or total differ`);

    // a: the copy is gone, the recorded order is verified.
    expect(withKey(a!.order_key!).map((o) => o.number)).toEqual([a!.bc_number]);
    const afterA = (await store.orders.get(a!.id))!;
    expect(afterA).toMatchObject({ state: 'verified', bc_number: a!.bc_number, bc_id: a!.bc_id });
    const notesA = (await store.orders.events(a!.id)).map((e) => e.reason ?? '');
    expect(notesA.some((r) => r.includes(`deleted ${copyA.number}`) && r.includes(`kept ${a!.bc_number}`))).toBe(true);

    // b: both stay; the recorded one is verified, the other is named on the timeline for a person.
    expect(withKey(b!.order_key!)).toHaveLength(2);
    expect((await store.orders.get(b!.id))!).toMatchObject({ state: 'verified', bc_number: b!.bc_number });
    const notesB = (await store.orders.events(b!.id)).map((e) => e.reason ?? '');
    expect(notesB.some((r) => r.includes(`${b!.bc_number} and ${copyB.number} both carry`))).toBe(true);
  });

  it('the sweep removes a copy that appears after verification, for orders whose create was sent twice', async () => {
    // A clock the test can move on: the sweep runs at most every 5 minutes per process.
    let offsetMs = 0;
    const clock = { now: () => new Date(Date.now() + offsetMs) };
    await rt.close();
    rt = await createRuntime(parseConfig(rawConfig(world.bc, world.woo), {}), { log: silentLogger, store, clock });
    // The first create never gets an answer back (reset): bcbridge looks the order up, finds nothing, creates it again.
    world.bc.faults.add({ kind: 'reset', method: 'POST', pathIncludes: 'salesOrders', times: 1 });
    world.woo.generate(1, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    for (let i = 0; i < 40 && (await store.orders.list({ state: 'verified', limit: 10 })).length === 0; i++) {
      await runCycle(rt, 'test');
      await new Promise((r) => setTimeout(r, 100));
    }
    const [row] = await store.orders.list({ state: 'verified', limit: 10 });
    expect(row).toMatchObject({ attempts: 2 });
    // Real BC may still run the first create it had queued: a second order appears after verification.
    const doc = (await store.orders.payloads(row!.id))!.document as BcSalesOrderDocument;
    const late = await rt.target('test').create(doc);
    expect(withKey(row!.order_key!)).toHaveLength(2);

    offsetMs = 6 * 60_000;
    const [result] = await runStage(rt, 'verify', 'scheduler');
    expect(result!.counts).toMatchObject({ swept: 1, duplicateRemoved: 1 });
    expect(withKey(row!.order_key!).map((o) => o.number)).toEqual([row!.bc_number]);
    const notes = (await store.orders.events(row!.id)).map((e) => e.reason ?? '');
    expect(notes.some((r) => r.includes(`deleted ${late.number}`))).toBe(true);
    expect((await store.orders.get(row!.id))!.state).toBe('verified');
  });
});
