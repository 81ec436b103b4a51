import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, testDb, type TestDb } from '../../test/helpers/databases.js';
import type { Store } from './store.js';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

describe.each(DATABASES)('webhook events on %s', (kind) => {
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

  const event = (deliveryId: string, shop = 'shop-a') => ({ shop, deliveryId, topic: 'orders/updated', shopOrderId: '42', body: `{"id":42,"d":"${deliveryId}"}`, receivedAt: T0 });

  it('stores a delivery once; a repeat is counted, not stored again', async () => {
    expect(await store.webhookEvents.record(event('d1'))).toBe('stored');
    expect(await store.webhookEvents.record(event('d1'))).toBe('duplicate');
    expect(await store.webhookEvents.record(event('d1'))).toBe('duplicate');
    // The same delivery id from another shop is another delivery.
    expect(await store.webhookEvents.record(event('d1', 'shop-b'))).toBe('stored');
    const row = await store.webhookEvents.get('shop-a', 'd1');
    expect(row).toMatchObject({ state: 'pending', duplicates: 2, topic: 'orders/updated', shop_order_id: '42', body: '{"id":42,"d":"d1"}' });
    expect((await store.webhookEvents.list()).length).toBe(2);
  });

  it('hands each event to one processor; a claim left by a dead one is taken over after the lease', async () => {
    for (const d of ['d1', 'd2', 'd3']) await store.webhookEvents.record(event(d));
    const first = await store.webhookEvents.claim({ owner: 'w1', now: at(0), staleBefore: at(-300), limit: 2 });
    const second = await store.webhookEvents.claim({ owner: 'w2', now: at(0), staleBefore: at(-300), limit: 10 });
    expect(first.map((e) => e.delivery_id)).toEqual(['d1', 'd2']);
    expect(second.map((e) => e.delivery_id)).toEqual(['d3']);
    expect(await store.webhookEvents.claim({ owner: 'w3', now: at(10), staleBefore: at(-290), limit: 10 })).toEqual([]);
    await store.webhookEvents.finish(Number(first[0]!.id), 'w1', 'updated', at(1));
    // w1 died holding d2 (and w2 holding d3): after the lease (5 min) w3 takes them over; d1 is finished and stays so.
    const taken = await store.webhookEvents.claim({ owner: 'w3', now: at(400), staleBefore: at(100), limit: 10 });
    expect(taken.map((e) => e.delivery_id)).toEqual(['d2', 'd3']);
    // The dead owner can no longer finish it.
    await store.webhookEvents.finish(Number(first[1]!.id), 'w1', 'late', at(401));
    expect((await store.webhookEvents.get('shop-a', 'd2'))!.state).toBe('processing');
    await store.webhookEvents.finish(Number(taken[0]!.id), 'w3', 'new', at(402));
    expect(await store.webhookEvents.get('shop-a', 'd2')).toMatchObject({ state: 'done', outcome: 'new', processed_at: at(402), claimed_by: null });
  });

  it('retries with a due time, gives up when told, and prunes only finished events', async () => {
    await store.webhookEvents.record(event('d1'));
    await store.webhookEvents.record(event('d2'));
    const [e1, e2] = await store.webhookEvents.claim({ owner: 'w', now: at(0), staleBefore: at(-300), limit: 10 });
    await store.webhookEvents.retryLater(Number(e1!.id), 'w', 'shop unreachable', at(60), false, at(1));
    await store.webhookEvents.retryLater(Number(e2!.id), 'w', 'gave up', at(60), true, at(1));
    expect(await store.webhookEvents.claim({ owner: 'w', now: at(30), staleBefore: at(-270), limit: 10 })).toEqual([]);
    const again = await store.webhookEvents.claim({ owner: 'w', now: at(61), staleBefore: at(-239), limit: 10 });
    expect(again.map((e) => [e.delivery_id, e.attempts, e.error])).toEqual([['d1', 1, 'shop unreachable']]);
    expect(await store.webhookEvents.get('shop-a', 'd2')).toMatchObject({ state: 'failed', error: 'gave up', attempts: 1 });
    await store.webhookEvents.finish(Number(again[0]!.id), 'w', 'updated', at(62));
    expect(await store.webhookEvents.counts()).toEqual([{ shop: 'shop-a', state: 'done', n: 1 }, { shop: 'shop-a', state: 'failed', n: 1 }]);
    expect(await store.webhookEvents.prune(at(3600))).toBe(1);
    expect((await store.webhookEvents.list()).map((e) => e.delivery_id)).toEqual(['d2']);
  });
});
