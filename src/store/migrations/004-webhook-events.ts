import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Webhook events (issue 5): every signed delivery is stored here before the shop gets its 2xx
 * (guarantee 2), then processed asynchronously. (shop, delivery_id) is unique: a repeated delivery is
 * recognised and answered without being stored or processed twice.
 */
export function webhookEvents(caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', caps.autoIncrementType, (c) => (caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('shop', 'text', (c) => c.notNull())
        /** The platform's delivery id (X-WC-Webhook-Delivery-ID, X-Shopify-Webhook-Id …). */
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('shop_order_id', 'text')
        /** The body exactly as received (its signature was checked over these bytes). */
        .addColumn('body', 'text', (c) => c.notNull())
        /** pending | processing | done | failed */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('claimed_by', 'text')
        .addColumn('claimed_at', 'text')
        /** How often the same delivery arrived again (shop retries, replays). */
        .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('processed_at', 'text')
        /** What processing did: new / updated / unchanged / gone / ignored …, or the last error. */
        .addColumn('outcome', 'text')
        .addColumn('error', 'text')
        .addUniqueConstraint('webhook_events_delivery_uq', ['shop', 'delivery_id'])
        .execute();
      await db.schema.createIndex('webhook_events_state_idx').on('webhook_events').columns(['state', 'id']).execute();
      await db.schema.createIndex('webhook_events_received_idx').on('webhook_events').column('received_at').execute();
    },
  };
}
