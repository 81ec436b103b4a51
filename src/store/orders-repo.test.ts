import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, testDb, type TestDb } from '../../test/helpers/databases.js';
import type { Store } from './store.js';
import { CLAIM_COLUMNS, type IntakeOrder } from './orders-repo.js';

function item(id: string, modifiedAt: string, extra: Partial<IntakeOrder> = {}): IntakeOrder {
  return {
    shop: 'woo', platform: 'woocommerce', shopOrderId: id, orderNumber: id, orderKey: `WOO-${id}`, modifiedAt,
    placedAt: modifiedAt, customerEmail: null, currency: 'EUR', total: '10.00', raw: { id, modifiedAt }, canonical: { id }, ...extra,
  };
}

describe.each(DATABASES)('orders repo on %s', (kind) => {
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

  it('stores new orders as received with one event each, and ignores older or equal versions', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    expect(await store.orders.intake([item('1', '2026-11-23T09:00:00Z'), item('2', '2026-11-23T09:00:01Z')], 'cli', now)).toEqual(['new', 'new']);
    expect(await store.orders.intake([item('1', '2026-11-23T09:00:00Z')], 'cli', now)).toEqual(['unchanged']);
    expect(await store.orders.intake([item('1', '2026-11-23T08:00:00Z')], 'cli', now)).toEqual(['unchanged']);
    const o1 = await store.orders.find('1', 'woo');
    expect(o1?.state).toBe('received');
    expect((await store.orders.events(o1!.id)).map((e) => [e.from_state, e.to_state])).toEqual([[null, 'received']]);
  });

  it('a newer shop version of a held order sends it back to received; of an exported one keeps the state', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z'), item('2', '2026-11-23T09:00:00Z')], 'cli', now);
    const o1 = (await store.orders.find('1', 'woo'))!;
    const o2 = (await store.orders.find('2', 'woo'))!;
    await store.orders.transition({ id: o1.id, from: 'received', to: 'held', actor: 'scheduler', reason: 'SKU X unknown' }, now);
    await store.orders.transition({ id: o2.id, from: 'received', to: 'ready', actor: 'scheduler' }, now);
    await store.orders.claimForExport({ owner: 'w1', limit: 10, now, leaseUntil: '2026-11-23T10:05:00.000Z', actor: 'scheduler' });
    expect(await store.orders.intake([item('1', '2026-11-23T09:30:00Z'), item('2', '2026-11-23T09:30:00Z', { total: '99.00' })], 'webhook', now)).toEqual(['updated', 'updated']);
    expect((await store.orders.get(o1.id))?.state).toBe('received');
    const after2 = (await store.orders.get(o2.id))!;
    expect(after2.state).toBe('exporting');
    expect(after2.total).toBe('99.00');
    expect((await store.orders.payloads(o2.id))?.raw).toEqual({ id: '2', modifiedAt: '2026-11-23T09:30:00Z' });
  });

  it('hands a canonical order just stored at intake to evaluate from memory, once, and only in that version', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    const fresh = [item('1', '2026-11-23T09:00:00Z', { canonical: { id: '1', v: 1 } }), item('2', '2026-11-23T09:00:00Z', { canonical: { id: '2', v: 1 } })];
    await store.orders.intake(fresh, 'cli', now);
    const rows = await store.orders.inState('received', { limit: 10, columns: ['id', 'updated_at', 'shop_modified_at'] });
    expect(rows).toHaveLength(2);
    const first = await store.orders.canonicalsOf(rows);
    // The very objects intake stored (not parsed back), with the stored text alongside.
    expect(first.get(rows[0]!.id)?.canonical).toBe(fresh[0]!.canonical);
    expect(first.get(rows[1]!.id)?.canonicalJson?.text).toBe(JSON.stringify({ id: '2', v: 1 }));
    // Taken once: the next read comes from the database, equal but not the same object.
    const again = await store.orders.canonicalsOf(rows);
    expect(again.get(rows[0]!.id)?.canonical).not.toBe(fresh[0]!.canonical);
    expect(again.get(rows[0]!.id)?.canonical).toEqual({ id: '1', v: 1 });

    // A newer shop version: the row a reader saw before it no longer matches, so the stored text wins.
    const newer = item('1', '2026-11-23T09:30:00Z', { canonical: { id: '1', v: 2 } });
    await store.orders.intake([newer], 'webhook', '2026-11-23T10:01:00.000Z');
    const stale = await store.orders.canonicalsOf([rows[0]!]);
    expect(stale.get(rows[0]!.id)?.canonical).toEqual({ id: '1', v: 2 });
    expect(stale.get(rows[0]!.id)?.canonical).not.toBe(newer.canonical);
  });

  it('pages through several states in id order, one index range per state', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake(['1', '2', '3', '4', '5'].map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(['1', '2', '3', '4', '5'].map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    // 2 and 4 wait (4 not due yet), the rest stay received.
    await store.orders.transition({ id: ids[1], from: 'received', to: 'waiting', actor: 't', set: { next_attempt_at: '2026-11-23T09:59:00.000Z' } }, now);
    await store.orders.transition({ id: ids[3], from: 'received', to: 'waiting', actor: 't', set: { next_attempt_at: '2026-11-23T11:00:00.000Z' } }, now);
    const page = (afterId?: number, limit = 10) =>
      store.orders.inState(['waiting', 'received'], { limit, dueBy: now, afterId }).then((rows) => rows.map((r) => r.order_number));
    expect(await page()).toEqual(['1', '2', '3', '5']);
    expect(await page(undefined, 2)).toEqual(['1', '2']);
    expect(await page(ids[1], 2)).toEqual(['3', '5']);
    expect(await page(ids[4])).toEqual([]);
    // A stage that names its columns gets those and the id, nothing else, in the same order.
    const narrow = await store.orders.inState(['waiting', 'received'], { limit: 10, dueBy: now, columns: ['order_number', 'state'] });
    expect(narrow.map((r) => Object.keys(r).sort())).toEqual(Array(4).fill(['id', 'order_number', 'state']));
    expect(narrow.map((r) => [Number(r.id), r.order_number, r.state])).toEqual([[ids[0], '1', 'received'], [ids[1], '2', 'waiting'], [ids[2], '3', 'received'], [ids[4], '5', 'received']]);
  });

  it('claims due ready orders and expired exporting ones together, oldest first', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake(['1', '2', '3'].map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(['1', '2', '3'].map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    for (const id of ids) await store.orders.transition({ id, from: 'received', to: 'ready', actor: 't' }, now);
    // Order 1 is claimed by a worker whose lease then runs out; 2 and 3 stay ready.
    await store.orders.claimForExport({ owner: 'w1', limit: 1, now, leaseUntil: '2026-11-23T10:01:00.000Z', actor: 't' });
    const later = '2026-11-23T10:02:00.000Z';
    const claimed = await store.orders.claimForExport({ owner: 'w2', limit: 2, now: later, leaseUntil: '2026-11-23T10:07:00.000Z', actor: 't' });
    expect(claimed.map((c) => [c.row.order_number, c.claimedFrom])).toEqual([['1', 'exporting'], ['2', 'ready']]);
    // The claim returns what the export reads of each row, not the whole row.
    expect(Object.keys(claimed[0]!.row).sort()).toEqual([...CLAIM_COLUMNS].sort());
    expect(claimed[0]!.row).toMatchObject({ order_key: 'WOO-1', shop: 'woo', attempts: 0, bc_attempt_at: null });
  });

  it('keeps what BC got beside the shop\'s newer version: payloadsMany reads the exported one when asked', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z', { canonical: { id: '1', lines: ['A'] } })], 'cli', now);
    const o = (await store.orders.find('1', 'woo'))!;
    await store.orders.transition({ id: o.id, from: 'received', to: 'ready', actor: 'scheduler', document: { lines: ['A'] }, exportedCanonical: { id: '1', lines: ['A'] } }, now);
    await store.orders.intake([item('1', '2026-11-23T09:30:00Z', { canonical: { id: '1', lines: ['A', 'B'] } })], 'webhook', now);
    expect((await store.orders.payloads(o.id))?.canonical).toEqual({ id: '1', lines: ['A', 'B'] });
    const exported = (await store.orders.payloadsMany([o.id], ['canonical', 'document'], { canonical: 'exported' })).get(o.id)!;
    expect(exported.canonical).toEqual({ id: '1', lines: ['A'] });
    expect(exported.document).toEqual({ lines: ['A'] });
  });

  it('keeps no copy of the canonical order a document is made from until the shop changes it; then what BC got stays', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z', { canonical: { id: '1', lines: ['A'] } })], 'cli', now);
    const o = (await store.orders.find('1', 'woo'))!;
    await store.orders.transitionMany([{ id: o.id, from: 'received', to: 'ready', actor: 'scheduler', document: { lines: ['A'] }, version: o.updated_at }], now);
    const parts = async () => (await store.db.kysely.selectFrom('order_payload_parts').select('kind').where('order_id', '=', o.id).orderBy('kind').execute()).map((r) => r.kind);
    expect(await parts()).toEqual(['canonical', 'document', 'raw']);
    expect((await store.orders.payloads(o.id))?.exportedCanonical).toEqual({ id: '1', lines: ['A'] });
    // Claimed by an export, then changed in the shop: the version the document was made from is kept.
    await store.orders.claimForExport({ owner: 'w1', limit: 1, now, leaseUntil: '2026-11-23T10:05:00.000Z', actor: 'scheduler' });
    await store.orders.intake([item('1', '2026-11-23T09:30:00Z', { canonical: { id: '1', lines: ['A', 'B'] } })], 'webhook', now);
    expect(await parts()).toEqual(['canonical', 'document', 'exported_canonical', 'raw']);
    const p = (await store.orders.payloads(o.id))!;
    expect([p.canonical, p.exportedCanonical]).toEqual([{ id: '1', lines: ['A', 'B'] }, { id: '1', lines: ['A'] }]);
    expect((await store.orders.payloadsMany([o.id], ['canonical'], { canonical: 'exported' })).get(o.id)!.canonical).toEqual({ id: '1', lines: ['A'] });
  });

  it('a transition decided on one version of the order does not apply to a newer one; a new document drops the old exported version', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z', { canonical: { v: 1 } }), item('2', '2026-11-23T09:00:00Z', { canonical: { v: 1 } })], 'cli', now);
    const [a, b] = await Promise.all(['1', '2'].map(async (id) => (await store.orders.find(id, 'woo'))!));
    // Both evaluated and sent back by a shop change (ready → received), each keeping the version its document was made from.
    await store.orders.transitionMany([a!, b!].map((o) => ({ id: o.id, from: 'received' as const, to: 'ready' as const, actor: 'scheduler', document: { v: 1 } })), now);
    const later = '2026-11-23T10:01:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:30:00Z', { canonical: { v: 2 } }), item('2', '2026-11-23T09:30:00Z', { canonical: { v: 2 } })], 'webhook', later);
    const [a2, b2] = await Promise.all([a!.id, b!.id].map((id) => store.orders.get(id)));
    expect([a2!.state, b2!.state]).toEqual(['received', 'received']);
    expect((await store.orders.payloads(a!.id))?.exportedCanonical).toEqual({ v: 1 });
    // Evaluate read order 1 before the change (stale version) and order 2 after it.
    const decided = (id: number, version: string) => ({ id, from: 'received' as const, to: 'ready' as const, actor: 'scheduler', reason: 'mapped', document: { v: 2 }, version });
    const applied = await store.orders.transitionMany([decided(a!.id, a!.updated_at), decided(b!.id, b2!.updated_at)], '2026-11-23T10:02:00.000Z');
    expect(applied).toEqual([false, true]);
    expect((await store.orders.get(a!.id))!.state).toBe('received');
    expect((await store.orders.payloads(a!.id))?.document).toEqual({ v: 1 });
    const pb = (await store.orders.payloads(b!.id))!;
    expect([pb.document, pb.exportedCanonical]).toEqual([{ v: 2 }, { v: 2 }]);
    // The single-transition path guards the same way.
    expect(await store.orders.transition(decided(a!.id, a!.updated_at), now)).toBe(false);
    expect(await store.orders.transition(decided(a!.id, a2!.updated_at), now)).toBe(true);
  });

  it('a page mixing new, changed, malformed and repeated orders: newest wins, one event per order and change', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('2', '2026-11-23T09:00:00Z')], 'cli', now);
    const malformed = { code: 'SHOP_ORDER_UNREADABLE', reason: 'no line items', hint: 'fix it in the shop' };
    const outcomes = await store.orders.intake(
      [
        item('1', '2026-11-23T09:00:00Z'),
        item('2', '2026-11-23T09:10:00Z', { total: '20.00' }),
        item('3', '2026-11-23T09:00:00Z', { canonical: null, malformed }),
        item('1', '2026-11-23T09:20:00Z', { total: '30.00' }),
        item('2', '2026-11-23T09:05:00Z', { total: '5.00' }),
      ],
      'poll',
      now,
    );
    expect(outcomes).toEqual(['new', 'updated', 'new', 'updated', 'unchanged']);
    const [o1, o2, o3] = await Promise.all(['1', '2', '3'].map((id) => store.orders.find(id, 'woo')));
    expect([o1!.state, o1!.total, o1!.shop_modified_at]).toEqual(['received', '30.00', '2026-11-23T09:20:00Z']);
    expect([o2!.total, o2!.shop_modified_at]).toEqual(['20.00', '2026-11-23T09:10:00Z']);
    expect([o3!.state, o3!.reason_code]).toEqual(['held', 'SHOP_ORDER_UNREADABLE']);
    expect((await store.orders.payloads(o1!.id))?.raw).toEqual({ id: '1', modifiedAt: '2026-11-23T09:20:00Z' });
    expect(await store.orders.payloads(o3!.id)).toMatchObject({ raw: { id: '3' }, canonical: null, document: null });
    expect((await store.orders.events(o1!.id)).map((e) => [e.from_state, e.to_state])).toEqual([[null, 'received'], ['received', 'received']]);
    expect((await store.orders.events(o3!.id)).map((e) => [e.from_state, e.to_state, e.reason])).toEqual([[null, 'held', 'no line items']]);
    expect(await store.orders.payloads(999_999)).toBeUndefined();
    expect((await store.orders.payloadsMany([o3!.id, 999_999], ['document'])).get(o3!.id)?.document).toBeNull();
    expect((await store.orders.payloadsMany([o3!.id, 999_999])).has(999_999)).toBe(false);
  });

  it('refuses transitions outside the table and guards on the current state', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z')], 'cli', now);
    const o = (await store.orders.find('1', 'woo'))!;
    await expect(store.orders.transition({ id: o.id, from: 'received', to: 'verified', actor: 'cli' }, now)).rejects.toThrow(/not an allowed transition/);
    expect(await store.orders.transition({ id: o.id, from: 'ready', to: 'exporting', actor: 'cli' }, now)).toBe(false);
    expect(await store.orders.transition({ id: o.id, from: 'received', to: 'ready', actor: 'cli' }, now)).toBe(true);
  });

  it('transitionMany: one guarded update per outcome, per-row values, one event per moved order, payloads with it', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake(['1', '2', '3', '4'].map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(['1', '2', '3', '4'].map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    const ready = (id: number, n: number) => ({ id, from: 'received' as const, to: 'ready' as const, actor: 'scheduler', reason: `mapped ${n}`, set: { reason_code: null, next_attempt_at: null }, document: { n } });
    expect(await store.orders.transitionMany([ready(ids[0]!, 1), ready(ids[1]!, 2)], now)).toEqual([true, true]);
    await store.orders.claimForExport({ owner: 'w1', limit: 2, now, leaseUntil: '2026-11-23T10:05:00.000Z', actor: 'scheduler' });
    // Different values per order (text, integer, null), one order held by another owner, one in another state.
    const exported = (id: number, no: string | null, attempts: number) => ({
      id, from: 'exporting' as const, to: 'exported' as const, actor: 'scheduler', leaseOwner: 'w1',
      set: { bc_number: no, attempts, lease_owner: null }, bcSnapshot: { number: no },
    });
    const applied = await store.orders.transitionMany(
      [exported(ids[0]!, 'S-1', 1), exported(ids[1]!, null, 3), exported(ids[2]!, 'S-3', 2), { ...exported(ids[3]!, 'S-4', 1), leaseOwner: 'w2' }],
      '2026-11-23T10:01:00.000Z',
    );
    expect(applied).toEqual([true, true, false, false]);
    const [o1, o2, o3] = await Promise.all(ids.slice(0, 3).map((id) => store.orders.get(id)));
    expect([o1!.state, o1!.bc_number, o1!.attempts, o1!.lease_owner]).toEqual(['exported', 'S-1', 1, null]);
    expect([o2!.state, o2!.bc_number, o2!.attempts]).toEqual(['exported', null, 3]);
    expect([o3!.state, o3!.bc_number]).toEqual(['received', null]);
    expect((await store.orders.payloads(ids[0]!))).toMatchObject({ document: { n: 1 }, bcSnapshot: { number: 'S-1' } });
    expect((await store.orders.payloads(ids[1]!))).toMatchObject({ document: { n: 2 }, bcSnapshot: { number: null } });
    expect((await store.orders.payloads(ids[2]!))?.bcSnapshot).toBeNull();
    expect((await store.orders.events(ids[1]!)).map((e) => [e.from_state, e.to_state, e.reason])).toEqual([
      [null, 'received', 'downloaded from the shop'], ['received', 'ready', 'mapped 2'], ['ready', 'exporting', 'claimed for export'], ['exporting', 'exported', null],
    ]);
    expect((await store.orders.events(ids[2]!)).map((e) => e.to_state)).toEqual(['received']);
    const lazy = await store.orders.payloadsMany(ids.slice(0, 2), ['document']);
    expect([lazy.get(ids[0]!)?.document, lazy.get(ids[0]!)?.canonical]).toEqual([{ n: 1 }, null]);
  });

  it('transitionMany reuses a compiled update for the same shape with new values, and sets each row its own', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    const numbers = ['1', '2', '3', '4', '5', '6'];
    await store.orders.intake(numbers.map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(numbers.map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    const wait = (id: number, checks: number, at: string | null) => ({ id, from: 'received' as const, to: 'waiting' as const, actor: 'scheduler', set: { checks, next_attempt_at: at, reason_code: 'NOT_PAID' } });
    // Same shape three times (2 rows; checks and next_attempt_at per row), values different each time.
    expect(await store.orders.transitionMany([wait(ids[0]!, 1, '2026-11-23T11:00:00.000Z'), wait(ids[1]!, 2, null)], now)).toEqual([true, true]);
    expect(await store.orders.transitionMany([wait(ids[2]!, 3, '2026-11-23T12:00:00.000Z'), wait(ids[3]!, 4, '2026-11-23T13:00:00.000Z')], now)).toEqual([true, true]);
    // Already waiting: the state guard holds with the cached text too.
    expect(await store.orders.transitionMany([wait(ids[0]!, 9, null), wait(ids[4]!, 5, null)], now)).toEqual([false, true]);
    const rows = await Promise.all(ids.map((id) => store.orders.get(id)));
    expect(rows.map((r) => [r!.state, r!.checks, r!.next_attempt_at, r!.reason_code])).toEqual([
      ['waiting', 1, '2026-11-23T11:00:00.000Z', 'NOT_PAID'],
      ['waiting', 2, null, 'NOT_PAID'],
      ['waiting', 3, '2026-11-23T12:00:00.000Z', 'NOT_PAID'],
      ['waiting', 4, '2026-11-23T13:00:00.000Z', 'NOT_PAID'],
      ['waiting', 5, null, 'NOT_PAID'],
      ['received', 0, null, null],
    ]);
    // A column left undefined in every row is not touched (as with the query builder's set).
    expect(await store.orders.transitionMany([ids[0]!, ids[1]!].map((id, i) => ({ id, from: 'waiting' as const, to: 'waiting' as const, actor: 'scheduler', set: { checks: 7 + i, reason_code: undefined } })), now)).toEqual([true, true]);
    const again = await Promise.all([ids[0]!, ids[1]!].map((id) => store.orders.get(id)));
    expect(again.map((r) => [r!.checks, r!.reason_code])).toEqual([[7, 'NOT_PAID'], [8, 'NOT_PAID']]);
  });

  it('expectedTotals reads a document’s expected totals and line count inside the database', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake(['1', '2', '3'].map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(['1', '2', '3'].map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    const expected = { currency: 'EUR', totalNet: '20.92437', totalTax: '3.98', total: '24.90' };
    const ready = (id: number, document: unknown) => ({ id, from: 'received' as const, to: 'ready' as const, actor: 'scheduler', document });
    await store.orders.transitionMany([ready(ids[0]!, { externalDocumentNumber: 'WOO-1', lines: [{ n: 1 }, { n: 2 }, { n: 3 }], expected }), ready(ids[1]!, null)], now);
    const totals = await store.orders.expectedTotals(ids.map((id) => ({ id, exported_at: null })));
    // Amounts stay the strings they were stored as (no float on the way).
    expect(totals.get(ids[0]!)).toEqual({ expected, lineCount: 3 });
    expect(totals.has(ids[1]!)).toBe(false);
    expect(totals.has(ids[2]!)).toBe(false);
  });

  it('hands the expected totals of an export to verify from memory, once, for that very export only', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake(['1', '2'].map((id) => item(id, '2026-11-23T09:00:00Z')), 'cli', now);
    const ids = await Promise.all(['1', '2'].map(async (id) => (await store.orders.find(id, 'woo'))!.id));
    const stored = { currency: 'EUR', totalNet: '10.00', totalTax: '1.90', total: '11.90' };
    await store.orders.transitionMany(ids.map((id) => ({ id, from: 'received' as const, to: 'ready' as const, actor: 'scheduler', document: { lines: [{ n: 1 }], expected: stored } })), now);
    // What the export passes along: different from the stored document, so the test sees which one verify got.
    const inMemory = { expected: { ...stored, total: '99.99' }, lineCount: 9 };
    const exportedAt = '2026-11-23T10:00:05.000Z';
    await store.orders.claimForExport({ owner: 'w1', limit: 10, now, leaseUntil: '2026-11-23T10:05:00.000Z', actor: 'scheduler' });
    const toExported = (id: number) => ({ id, from: 'exporting' as const, to: 'exported' as const, actor: 'scheduler', leaseOwner: 'w1', set: { exported_at: exportedAt }, expectedTotals: inMemory });
    expect(await store.orders.transitionMany(ids.map(toExported), exportedAt)).toEqual([true, true]);
    const rows = ids.map((id) => ({ id, exported_at: exportedAt }));
    // Order 1 as exported: from memory. Order 2 read with another exported_at (another export): from the document.
    const totals = await store.orders.expectedTotals([rows[0]!, { id: ids[1]!, exported_at: '2026-11-23T10:07:00.000Z' }]);
    expect(totals.get(ids[0]!)).toEqual(inMemory);
    expect(totals.get(ids[1]!)).toEqual({ expected: stored, lineCount: 1 });
    // Taken once: read again, order 1's totals come from its document.
    expect((await store.orders.expectedTotals([rows[0]!])).get(ids[0]!)).toEqual({ expected: stored, lineCount: 1 });
    // A transition that did not apply (the order is no longer exporting) publishes nothing.
    expect(await store.orders.transitionMany([toExported(ids[0]!)], exportedAt)).toEqual([false]);
    expect((await store.orders.expectedTotals([rows[0]!])).get(ids[0]!)).toEqual({ expected: stored, lineCount: 1 });
  });

  it('claims under a lease, and reclaims only after the lease expired', async () => {
    const now = '2026-11-23T10:00:00.000Z';
    await store.orders.intake([item('1', '2026-11-23T09:00:00Z'), item('2', '2026-11-23T09:00:00Z')], 'cli', now);
    for (const o of await store.orders.inState('received', { limit: 10 })) {
      await store.orders.transition({ id: o.id, from: 'received', to: 'ready', actor: 'cli' }, now);
    }
    const a = await store.orders.claimForExport({ owner: 'a', limit: 10, now, leaseUntil: '2026-11-23T10:05:00.000Z', actor: 'scheduler' });
    expect(a).toHaveLength(2);
    expect(await store.orders.claimForExport({ owner: 'b', limit: 10, now: '2026-11-23T10:04:00.000Z', leaseUntil: '2026-11-23T10:09:00.000Z', actor: 'scheduler' })).toHaveLength(0);
    const b = await store.orders.claimForExport({ owner: 'b', limit: 10, now: '2026-11-23T10:06:00.000Z', leaseUntil: '2026-11-23T10:11:00.000Z', actor: 'scheduler' });
    expect(b.map((c) => c.claimedFrom)).toEqual(['exporting', 'exporting']);
    // The first owner lost its lease: its late result no longer applies.
    expect(await store.orders.transition({ id: a[0].row.id, from: 'exporting', to: 'exported', actor: 'scheduler', leaseOwner: 'a' }, now)).toBe(false);
  });

  it('the cursor only moves forward', async () => {
    await store.cursors.advance('woo', '2026-11-23T09:00:00.000Z', 'x');
    await store.cursors.advance('woo', '2026-11-23T08:00:00.000Z', 'x');
    expect(await store.cursors.get('woo')).toBe('2026-11-23T09:00:00.000Z');
  });
});
