import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, testDb, type TestDb } from '../../test/helpers/databases.js';
import type { Store } from './store.js';

describe.each(DATABASES)('customer bindings on %s', (kind) => {
  let tdb: TestDb;
  let store: Store;
  beforeEach(async () => {
    tdb = testDb(kind);
    store = await tdb.open();
  });
  afterEach(async () => {
    await store.close();
    await tdb.cleanup();
  });

  const key = { shop: 'woo', bcScope: 'sandbox/CRONUS', customerKey: 'id:42' };

  it('remembers, replaces and forgets a binding per shop and BC company', async () => {
    expect(await store.customerBindings.get(key)).toBeUndefined();
    await store.customerBindings.put(key, { customerNo: 'CUST10', origin: 'created', template: 'DE' }, '2026-01-01T00:00:00.000Z');
    expect(await store.customerBindings.get(key)).toMatchObject({ bc_customer_no: 'CUST10', origin: 'created', template: 'DE', created_at: '2026-01-01T00:00:00.000Z' });
    // Live and Test have different customers: the same shop customer is bound separately per company.
    expect(await store.customerBindings.get({ ...key, bcScope: 'production/CRONUS' })).toBeUndefined();
    await store.customerBindings.put(key, { customerNo: 'C20000', origin: 'email' }, '2026-01-02T00:00:00.000Z');
    expect(await store.customerBindings.get(key)).toMatchObject({ bc_customer_no: 'C20000', origin: 'email', template: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-02T00:00:00.000Z' });
    expect(await store.customerBindings.list({ shop: 'woo' })).toHaveLength(1);
    await store.customerBindings.remove(key);
    expect(await store.customerBindings.get(key)).toBeUndefined();
  });
});
