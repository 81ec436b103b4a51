import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/** The first schema (issue 2): orders as the work queue, payloads, the timeline, cursors, request log, runs, settings. */
export function initial(caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('orders')
        .addColumn('id', caps.autoIncrementType, (c) => (caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('shop', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('shop_order_id', 'text', (c) => c.notNull())
        .addColumn('order_number', 'text')
        .addColumn('order_key', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reason_code', 'text')
        .addColumn('reason', 'text')
        .addColumn('hint', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('checks', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_expires_at', 'text')
        .addColumn('bc_attempt_at', 'text')
        .addColumn('bc_env', 'text')
        .addColumn('bc_environment_name', 'text')
        .addColumn('bc_id', 'text')
        .addColumn('bc_number', 'text')
        .addColumn('shop_modified_at', 'text')
        .addColumn('placed_at', 'text')
        .addColumn('customer_email', 'text')
        .addColumn('currency', 'text')
        .addColumn('total', 'text')
        .addColumn('exported_at', 'text')
        .addColumn('verified_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // Guarantee 1: one row per shop order, whatever races between webhook and poll.
        .addUniqueConstraint('orders_shop_order_uq', ['shop', 'shop_order_id'])
        .execute();
      await db.schema.createIndex('orders_state_idx').on('orders').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('orders_key_idx').on('orders').column('order_key').execute();
      await db.schema.createIndex('orders_bc_number_idx').on('orders').column('bc_number').execute();

      await db.schema
        .createTable('order_payloads')
        .addColumn('order_id', 'integer', (c) => c.primaryKey().references('orders.id').onDelete('cascade'))
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('canonical', 'text')
        .addColumn('document', 'text')
        .addColumn('bc_snapshot', 'text')
        .execute();

      await db.schema
        .createTable('order_events')
        .addColumn('id', caps.autoIncrementType, (c) => (caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('details', 'text')
        .execute();
      await db.schema.createIndex('order_events_order_idx').on('order_events').columns(['order_id', 'id']).execute();

      await db.schema
        .createTable('cursors')
        .addColumn('shop', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('request_log')
        .addColumn('id', caps.autoIncrementType, (c) => (caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('system', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('correlation_id', 'text')
        .addColumn('error', 'text')
        .addColumn('order_id', 'integer')
        .addColumn('request_body', 'text')
        .addColumn('response_body', 'text')
        .execute();
      await db.schema.createIndex('request_log_at_idx').on('request_log').column('at').execute();
      await db.schema.createIndex('request_log_order_idx').on('request_log').column('order_id').execute();

      await db.schema
        .createTable('runs')
        .addColumn('id', caps.autoIncrementType, (c) => (caps.autoIncrementType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('shop', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('ok', 'integer')
        .addColumn('summary', 'text')
        .execute();
      await db.schema.createIndex('runs_stage_idx').on('runs').columns(['stage', 'id']).execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
