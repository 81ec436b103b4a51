import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BcSalesOrderDocument } from '../src/bc/document.js';
import { runStage } from '../src/pipeline/run-stage.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { startWorld, type World } from './helpers/world.js';

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
});
