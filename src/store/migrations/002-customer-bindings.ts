import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Customer bindings (issue 3): which BC customer a shop customer was matched to or created as, per BC company
 * (Tinx's Webshop Customer table; Sana keeps the shop customer id on the BC customer, which API v2.0 cannot).
 * Live and Test have different customers, so the BC side is part of the key.
 */
export function customerBindings(_caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('customer_bindings')
        .addColumn('shop', 'text', (c) => c.notNull())
        /** `id:<shop customer id>` or, for guests, `email:<address>`. */
        .addColumn('customer_key', 'text', (c) => c.notNull())
        /** BC environment name and company: `sandbox/CRONUS Webshop`. */
        .addColumn('bc_scope', 'text', (c) => c.notNull())
        .addColumn('bc_customer_no', 'text', (c) => c.notNull())
        /** email | phone | created */
        .addColumn('origin', 'text', (c) => c.notNull())
        /** The customer template (country key) a created customer came from. */
        .addColumn('template', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('customer_bindings_pk', ['shop', 'bc_scope', 'customer_key'])
        .execute();
      await db.schema.createIndex('customer_bindings_bc_idx').on('customer_bindings').columns(['bc_scope', 'bc_customer_no']).execute();
    },
  };
}
