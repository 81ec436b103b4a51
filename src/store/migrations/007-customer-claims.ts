import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Customer claims (issue 3): before bcbridge creates a BC customer, the worker inserts the shop customer's
 * `customer_bindings` row in state `creating` (insert … on conflict do nothing, so only one worker of all
 * gets it), with its lease; the row becomes `bound` with the new customer no. `create_sent_at` records that
 * the create request went out, so whoever takes over an expired claim looks the customer up in BC first.
 * Rows that existed before are bindings (`bound`).
 */
export function customerClaims(_caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('customer_bindings').addColumn('state', 'text', (c) => c.notNull().defaultTo('bound')).execute();
      await db.schema.alterTable('customer_bindings').addColumn('claim_owner', 'text').execute();
      await db.schema.alterTable('customer_bindings').addColumn('claim_expires_at', 'text').execute();
      await db.schema.alterTable('customer_bindings').addColumn('create_sent_at', 'text').execute();
    },
  };
}
