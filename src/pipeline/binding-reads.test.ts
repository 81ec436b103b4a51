import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDb, type TestDb } from '../../test/helpers/databases.js';
import type { Store } from '../store/store.js';
import type { PipelineContext } from './context.js';
import { pageBindingReads } from './binding-reads.js';

describe('evaluate reads the customer bindings of a page together', () => {
  let tdb: TestDb;
  let store: Store;
  beforeEach(async () => {
    tdb = testDb('sqlite');
    store = await tdb.open();
  });
  afterEach(async () => {
    await store.close();
    await tdb.cleanup();
  });

  it('look-ups made in the same turn, at any await depth, are one query; a binding written later is read fresh', async () => {
    const scope = { shop: 'woo', bcScope: 'sandbox/CRONUS' };
    await store.customerBindings.put({ ...scope, customerKey: 'id:1' }, { customerNo: 'C1', origin: 'email' }, '2026-01-01T00:00:00.000Z');
    const queries: string[][] = [];
    const getMany = store.customerBindings.getMany.bind(store.customerBindings);
    store.customerBindings.getMany = async (shop, bcScope, keys) => {
      queries.push([...keys]);
      return getMany(shop, bcScope, keys);
    };
    const reads = pageBindingReads({ store } as unknown as PipelineContext)(scope.shop, scope.bcScope);
    const deep = async (key: string, depth: number): Promise<string | undefined> => {
      for (let i = 0; i < depth; i++) await Promise.resolve();
      return (await reads.load(key))?.bc_customer_no;
    };
    expect(await Promise.all([deep('id:1', 0), deep('id:2', 3), deep('id:1', 7)])).toEqual(['C1', undefined, 'C1']);
    expect(queries).toEqual([['id:1', 'id:2', 'id:1']]);

    await store.customerBindings.put({ ...scope, customerKey: 'id:2' }, { customerNo: 'C2', origin: 'created' }, '2026-01-01T00:01:00.000Z');
    expect(await reads.load('id:2')).toMatchObject({ bc_customer_no: 'C2' });
    expect(queries).toHaveLength(2);
  });
});
