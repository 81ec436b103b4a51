import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASES, testDb, type TestDb } from '../../test/helpers/databases.js';
import type { Store } from './store.js';

describe.each(DATABASES)('request log on %s', (kind) => {
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

  it('buffers entries, writes them on flush, keeps bodies only when asked, and prunes by age', async () => {
    for (let i = 0; i < 120; i++) {
      store.requestLog.record({ at: `2026-11-${i < 60 ? '01' : '20'}T10:00:00.000Z`, system: 'bc', target: 'sandbox', method: 'POST', url: 'https://bc/x', status: 201, durationMs: 12.4, orderId: 7, requestBody: '{"secret":1}' });
    }
    await store.requestLog.flush();
    const rows = await store.requestLog.forOrder(7);
    expect(rows).toHaveLength(120);
    expect(rows[0].request_body).toBeNull();
    expect(rows[0].duration_ms).toBe(12);
    expect(await store.requestLog.prune('2026-11-10T00:00:00.000Z')).toBe(60);
    expect(await store.requestLog.countSince('bc', '2026-01-01T00:00:00.000Z')).toBe(60);
  });
});
