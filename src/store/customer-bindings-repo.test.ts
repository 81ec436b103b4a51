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

  it('reads the bindings of many shop customers at once, bound ones only, in one shop and BC company', async () => {
    const repo = store.customerBindings;
    const t0 = '2026-01-01T00:00:00.000Z';
    await repo.put({ ...key, customerKey: 'id:1' }, { customerNo: 'C1', origin: 'email' }, t0);
    await repo.put({ ...key, customerKey: 'id:2' }, { customerNo: 'C2', origin: 'created' }, t0);
    await repo.put({ ...key, bcScope: 'production/CRONUS', customerKey: 'id:3' }, { customerNo: 'P3', origin: 'email' }, t0);
    await repo.claimCreate({ ...key, customerKey: 'id:4' }, 'A', t0, '2026-01-01T00:05:00.000Z');
    const many = await repo.getMany('woo', key.bcScope, ['id:1', 'id:2', 'id:3', 'id:4', 'id:5']);
    expect([...many.entries()].map(([k, r]) => [k, r.bc_customer_no]).sort()).toEqual([['id:1', 'C1'], ['id:2', 'C2']]);
  });

  it('claims a creation for one worker: the others see it busy, take it over once expired, and see the binding it ends in', async () => {
    const repo = store.customerBindings;
    const t0 = '2026-01-01T00:00:00.000Z';
    const exp = '2026-01-01T00:05:00.000Z';
    // Two workers at once: exactly one insert wins.
    const [a, b] = await Promise.all([repo.claimCreate(key, 'A', t0, exp), repo.claimCreate(key, 'B', t0, exp)]);
    const winner = a.kind === 'claimed' ? 'A' : 'B';
    const loser = winner === 'A' ? 'B' : 'A';
    expect([a.kind, b.kind].sort()).toEqual(['busy', 'claimed']);
    expect(winner === 'A' ? b : a).toEqual({ kind: 'busy', owner: winner, expiresAt: exp });
    // A claim is no binding, and a binding found by e-mail meanwhile does not end it.
    expect(await repo.get(key)).toBeUndefined();
    await repo.put(key, { customerNo: 'C1', origin: 'email' }, t0);
    expect(await repo.get(key)).toBeUndefined();
    await repo.remove(key);
    expect(await repo.markCreateSent(key, loser, t0)).toBe(false);
    expect(await repo.markCreateSent(key, winner, t0)).toBe(true);
    // The winner's own claim again (its attempt failed without an answer): at once, and BC may have the customer.
    expect(await repo.claimCreate(key, winner, t0, exp)).toEqual({ kind: 'claimed', mayExist: true });
    // After the lease, the other worker takes it over, knowing the create was sent; the old owner lost it.
    expect(await repo.claimCreate(key, loser, exp, '2026-01-01T00:10:00.000Z')).toEqual({ kind: 'claimed', mayExist: true });
    expect(await repo.bindClaim(key, winner, { customerNo: 'CUST1' }, exp)).toBe(false);
    expect(await repo.bindClaim(key, loser, { customerNo: 'CUST1', template: 'DE' }, exp)).toBe(true);
    expect(await repo.get(key)).toMatchObject({ bc_customer_no: 'CUST1', origin: 'created', template: 'DE', state: 'bound', claim_owner: null, create_sent_at: null });
    expect(await repo.claimCreate(key, 'C', exp, exp)).toEqual({ kind: 'bound', customerNo: 'CUST1' });
    expect(await repo.boundTo('woo', key.bcScope, 'CUST1', 'id:43')).toBe('id:42');
    expect(await repo.boundTo('woo', key.bcScope, 'CUST1', 'id:42')).toBeUndefined();
  });

  it('releases a claim only for its owner', async () => {
    const repo = store.customerBindings;
    const t0 = '2026-01-01T00:00:00.000Z';
    await repo.claimCreate(key, 'A', t0, '2026-01-01T00:05:00.000Z');
    await repo.releaseClaim(key, 'B');
    expect((await repo.list()).map((r) => r.state)).toEqual(['creating']);
    await repo.releaseClaim(key, 'A');
    expect(await repo.list()).toEqual([]);
    expect(await repo.claimCreate(key, 'B', t0, '2026-01-01T00:05:00.000Z')).toEqual({ kind: 'claimed', mayExist: false });
  });
});
