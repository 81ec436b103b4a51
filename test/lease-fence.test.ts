import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntakeOrder } from '../src/store/orders-repo.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';

/**
 * The attempt record is the fence of the export (guarantee 1): a worker that was frozen or slow past its
 * lease must not send a create for an order another worker has taken over. `bcbridge bench --scenario chaos
 * --pauses N` shows it end to end; these are the store's rules it relies on.
 */
function item(id: string): IntakeOrder {
  return {
    shop: 'woo', platform: 'woocommerce', shopOrderId: id, orderNumber: id, orderKey: `WOO-${id}`, modifiedAt: '2026-11-23T09:00:00Z',
    placedAt: '2026-11-23T09:00:00Z', customerEmail: null, currency: 'EUR', total: '10.00', raw: { id }, canonical: { id },
  };
}

describe.each(DATABASES)('export lease fence on %s', (kind) => {
  let tdb: TestDb;
  let store: Store;
  const t = (min: number) => new Date(Date.UTC(2026, 10, 23, 10, min)).toISOString();

  beforeEach(async () => {
    tdb = testDb(kind);
    store = await tdb.open();
    await store.orders.intake([item('1'), item('2'), item('3')], 'cli', t(0));
    for (const o of await store.orders.inState('received', { limit: 10 })) await store.orders.transition({ id: o.id, from: 'received', to: 'ready', actor: 'cli' }, t(0));
  });
  afterEach(async () => {
    await store.close();
    await tdb.cleanup();
  });

  it('records attempts only for orders the worker still holds under an unexpired lease, and says which', async () => {
    const a = await store.orders.claimForExport({ owner: 'a', limit: 10, now: t(0), leaseUntil: t(5), actor: 'scheduler' });
    const ids = a.map((c) => c.row.id).sort((x, y) => x - y);
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    expect(sorted(await store.orders.recordAttempts(ids.slice(0, 2), 'a', 'test', 'sandbox', t(1)))).toEqual(ids.slice(0, 2));
    // A's lease ran out (it was frozen); nobody took the orders yet: still no send.
    expect(await store.orders.recordAttempts(ids, 'a', 'test', 'sandbox', t(6))).toEqual([]);
    // B takes them over; A, waking up, records (and so sends) nothing.
    const b = await store.orders.claimForExport({ owner: 'b', limit: 10, now: t(7), leaseUntil: t(12), actor: 'scheduler' });
    expect(b.map((c) => c.claimedFrom)).toEqual(['exporting', 'exporting', 'exporting']);
    expect(await store.orders.recordAttempts(ids, 'a', 'test', 'sandbox', t(7))).toEqual([]);
    const rows = await Promise.all(ids.map((id) => store.orders.get(id)));
    // A's two recorded attempts stay (B must look those orders up first); the third was never attempted.
    expect(rows.map((r) => r!.attempts)).toEqual([1, 1, 0]);
    expect(rows.map((r) => r!.bc_attempt_at)).toEqual([t(1), t(1), null]);
    expect([...b].sort((x, y) => x.row.id - y.row.id).map((c) => c.row.bc_attempt_at)).toEqual([t(1), t(1), null]);
    expect(sorted(await store.orders.recordAttempts(ids, 'b', 'test', 'sandbox', t(8)))).toEqual(ids);
  });

  it("stores BC's snapshot with the transition, and only when the transition applies", async () => {
    const [c] = await store.orders.claimForExport({ owner: 'a', limit: 1, now: t(0), leaseUntil: t(5), actor: 'scheduler' });
    const id = c!.row.id;
    const snap = { id: 'bc-1', number: 'S-ORD101001' };
    expect(await store.orders.transition({ id, from: 'exporting', to: 'exported', actor: 'scheduler', leaseOwner: 'someone-else', bcSnapshot: snap }, t(1))).toBe(false);
    expect((await store.orders.payloads(id))?.bcSnapshot).toBeNull();
    expect(await store.orders.transitionMany([{ id, from: 'exporting', to: 'exported', actor: 'scheduler', leaseOwner: 'a', bcSnapshot: snap }], t(1))).toEqual([true]);
    expect((await store.orders.payloads(id))?.bcSnapshot).toEqual(snap);
  });
});
