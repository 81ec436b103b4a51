import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type BenchDatabaseKind = 'sqlite' | 'postgres';

export interface BenchDatabase {
  kind: BenchDatabaseKind;
  /** What goes into the worker's `database.url`. */
  url: string;
  /** Where the scenario keeps its config and logs. */
  dir: string;
  drop(): Promise<void>;
}

/** Default administrative URL; the benchmark creates (and drops) one database per run on that server. */
export const DEFAULT_PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty database for one run: a SQLite file in a temporary directory, or a new PostgreSQL
 * database (CREATE DATABASE) on the given server, dropped afterwards.
 */
export async function createBenchDatabase(kind: BenchDatabaseKind, pgAdminUrl = DEFAULT_PG_ADMIN_URL): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'bcbridge-bench-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  if (kind === 'sqlite') {
    return { kind, url: join(dir, 'bench.db'), dir, drop: async () => removeDir() };
  }
  const name = `bcbridge_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(pgAdminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dir,
    drop: async () => {
      removeDir();
      // WITH (FORCE) ends connections a killed worker may have left behind (PostgreSQL 13+).
      await withClient(pgAdminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(`cannot reach PostgreSQL at ${url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')} (set --pg-url): ${(err as Error).message}`);
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
