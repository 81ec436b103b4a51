import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES, testDb, type TestDb } from '../../test/helpers/databases.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from './capabilities.js';
import { migrationProvider } from './migrations/index.js';

/** A database at migration 005: payloads still in one `order_payloads` row per order. */
async function openAt005(tdb: TestDb, kind: (typeof DATABASES)[number]): Promise<Kysely<any>> {
  const db =
    kind === 'sqlite'
      ? new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(tdb.url) }) })
      : new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: tdb.url, max: 1, options: `-c search_path=${tdb.schema}` }) }) });
  if (tdb.schema) await sql`create schema if not exists ${sql.id(tdb.schema)}`.execute(db);
  const migrator = new Migrator({ db, provider: migrationProvider(kind === 'sqlite' ? SQLITE_CAPABILITIES : POSTGRES_CAPABILITIES), migrationTableSchema: tdb.schema });
  const { error } = await migrator.migrateTo('005-conflicts');
  if (error) throw error;
  return db;
}

function orderRow(shopOrderId: string, state: string) {
  const now = '2026-11-23T10:00:00.000Z';
  return { shop: 'woo', platform: 'woocommerce', shop_order_id: shopOrderId, order_number: shopOrderId, state, attempts: 0, checks: 0, created_at: now, updated_at: now };
}

describe.each(DATABASES)('migration 006 (payload parts) on %s', (kind) => {
  let tdb: TestDb | undefined;
  afterEach(async () => {
    await tdb?.cleanup();
  });

  it('moves every stored payload into its own part and keeps what the repo returns', async () => {
    tdb = testDb(kind);
    const old = await openAt005(tdb, kind);
    const [a] = await old.insertInto('orders').values(orderRow('1', 'verified')).returning('id').execute();
    const [b] = await old.insertInto('orders').values(orderRow('2', 'held')).returning('id').execute();
    await old
      .insertInto('order_payloads')
      .values([
        {
          order_id: a.id, raw: '{"id":1}', canonical: '{"id":"1","lines":["A","B"]}', document: '{"lines":["A"]}', bc_snapshot: '{"number":"S-1"}',
          exported_canonical: '{"id":"1","lines":["A"]}', baseline_canonical: '{"id":"1","lines":["A","B"]}',
        },
        { order_id: b.id, raw: '{"id":2,"broken":true}', canonical: null, document: null, bc_snapshot: null, exported_canonical: null, baseline_canonical: null },
      ])
      .execute();
    await old.destroy();

    const store = await tdb.open();
    try {
      expect(await store.orders.payloads(Number(a.id))).toEqual({
        raw: { id: 1 }, canonical: { id: '1', lines: ['A', 'B'] }, document: { lines: ['A'] }, bcSnapshot: { number: 'S-1' },
        exportedCanonical: { id: '1', lines: ['A'] }, baselineCanonical: { id: '1', lines: ['A', 'B'] },
      });
      expect(await store.orders.payloads(Number(b.id))).toEqual({ raw: { id: 2, broken: true }, canonical: null, document: null, bcSnapshot: null, exportedCanonical: null, baselineCanonical: null });
      const parts = await store.db.kysely.selectFrom('order_payload_parts').select(['order_id', 'kind']).orderBy('order_id').orderBy('kind').execute();
      // Null columns other than `canonical` are not moved; raw and canonical exist for every order.
      expect(parts.filter((p) => Number(p.order_id) === Number(b.id)).map((p) => p.kind)).toEqual(['canonical', 'raw']);
      expect(parts.filter((p) => Number(p.order_id) === Number(a.id))).toHaveLength(6);
      await expect(sql`select 1 from order_payloads`.execute(store.db.kysely)).rejects.toThrow();
      const exported = await store.orders.payloadsMany([Number(a.id), Number(b.id)], ['canonical', 'document'], { canonical: 'exported' });
      expect(exported.get(Number(a.id))?.canonical).toEqual({ id: '1', lines: ['A'] });
      expect([exported.get(Number(b.id))?.canonical, exported.get(Number(b.id))?.document]).toEqual([null, null]);
    } finally {
      await store.close();
    }
  });
});
