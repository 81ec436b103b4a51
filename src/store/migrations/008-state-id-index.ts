import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Stages page through the orders of one state in id order (`state = ? and id > ? order by id limit n`).
 * With only (state, next_attempt_at) indexed, each page read every order in that state and sorted them
 * all: a backlog of 100,000 `ready` orders cost 100,000 rows per page of 200. (state, id) serves the page
 * straight from the index (docs/performance.md, overhead). It also serves every other query that filters on
 * the state (`next_attempt_at` is checked on the rows of the range), so the old index goes: one index less
 * to update on every state change.
 */
export function stateIdIndex(_caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.createIndex('orders_state_id_idx').on('orders').columns(['state', 'id']).execute();
      await db.schema.dropIndex('orders_state_idx').execute();
    },
  };
}
