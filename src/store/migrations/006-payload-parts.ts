import { sql, type Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/** The columns of the old `order_payloads` row; each becomes a `kind` of `order_payload_parts`. */
const KINDS = ['raw', 'canonical', 'document', 'bc_snapshot', 'exported_canonical', 'baseline_canonical'] as const;

/**
 * An order's payloads, one row per kind (docs/performance.md, overhead). In one `order_payloads` row every
 * stage rewrote the whole row — raw document, canonical order, BC document, BC's answer — with its overflow
 * pages, to change one column. Now a stage writes only the part it changes. `raw` and `canonical` rows
 * exist for every order (written at intake; `canonical` may be null), the others once first set. Existing
 * rows are moved (null columns other than canonical are left out) and the old table dropped.
 */
export function payloadParts(_caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema
        .createTable('order_payload_parts')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addPrimaryKeyConstraint('order_payload_parts_pk', ['order_id', 'kind'])
        .execute();
      for (const kind of KINDS) {
        const always = kind === 'raw' || kind === 'canonical';
        await sql`insert into order_payload_parts (order_id, kind, body)
          select order_id, ${sql.lit(kind)}, ${sql.ref(kind)} from order_payloads
          ${always ? sql`` : sql`where ${sql.ref(kind)} is not null`}`.execute(db);
      }
      await db.schema.dropTable('order_payloads').execute();
    },
  };
}
