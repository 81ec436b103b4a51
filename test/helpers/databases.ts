import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/store.js';

/**
 * The store suites run on both databases (DESIGN.md §6). PostgreSQL: the local server CI starts
 * (BCBRIDGE_TEST_PG overrides the URL); each store gets its own schema, dropped afterwards.
 */
export const PG_URL = process.env.BCBRIDGE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export const DATABASES = ['sqlite', 'postgres'] as const;
export type DatabaseKind = (typeof DATABASES)[number];

export interface TestDb {
  url: string;
  schema?: string;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function testDb(kind: DatabaseKind): TestDb {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'bcbridge-test-'));
    const url = join(dir, 'bcbridge.db');
    return { url, open: () => openStore(url), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  return {
    url: PG_URL,
    schema,
    open: () => openStore(PG_URL, { schema }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}
