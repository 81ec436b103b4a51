import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import { StoreError } from '../domain/errors.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES, type StoreCapabilities } from './capabilities.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export interface Db {
  kysely: Kysely<Database>;
  caps: StoreCapabilities;
  /** Where the data lives, without credentials (for status output). */
  describe: string;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens SQLite (a file path) or PostgreSQL (postgres://…) and brings the schema up to date. */
export async function openDb(url: string, opts: { schema?: string; poolSize?: number } = {}): Promise<Db> {
  const db = isPostgresUrl(url) ? openPostgres(url, opts) : openSqlite(url);
  try {
    if (opts.schema) await sql`create schema if not exists ${sql.id(opts.schema)}`.execute(db.kysely);
    await migrate(db, opts.schema);
  } catch (err) {
    await db.close();
    throw new StoreError('STORE_MIGRATION', `Cannot prepare the database at ${db.describe}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  // WAL lets readers (status, panel) work while an export writes; NORMAL sync is durable across process
  // crashes (our failure model), and a busy timeout lets a second CLI process wait instead of failing.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // Checkpoint every ~40 MB of WAL instead of SQLite's ~4 MB: an order's row and index pages are rewritten by
  // each of its five transitions, and a longer interval copies such a page into the database file once instead
  // of several times (docs/performance.md, eighth pass: commits cost ~15-20 % less). The WAL file is reused.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { kysely, caps: SQLITE_CAPABILITIES, describe: `sqlite:${path}`, close: () => kysely.destroy() };
}

/** Distinct SQL texts kept prepared; `in (?, ?, …)` lists of many lengths make more texts than the hot path has. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement anew, which cost about a tenth of the worker's CPU per
 * order (docs/performance.md, overhead). The same SQL text gets the same prepared statement here (least
 * recently used ones are dropped). A statement still being iterated (a streamed select) is busy: a query
 * with the same text then gets a fresh one.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      sqlite.close();
    },
    prepare(sqlText: string) {
      const hit = cache.get(sqlText);
      if (hit && !hit.busy) {
        // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
        cache.delete(sqlText);
        cache.set(sqlText, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sqlText);
      if (!hit) {
        cache.set(sqlText, stmt);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  } as SqliteDialectConfig['database'];
}

function openPostgres(url: string, opts: { schema?: string; poolSize?: number }): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // A dedicated schema lets tests (and several bcbridge installs) share one database.
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
  return { kysely, caps: POSTGRES_CAPABILITIES, describe: safe + (opts.schema ? ` (schema ${opts.schema})` : ''), close: () => kysely.destroy() };
}

async function migrate(db: Db, schema?: string): Promise<void> {
  // With a dedicated schema, Kysely's own bookkeeping tables must live in it too: otherwise its
  // "does the lock table exist?" check sees another schema's table and never creates ours.
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider(db.caps), migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? String(error)}`);
  }
}
