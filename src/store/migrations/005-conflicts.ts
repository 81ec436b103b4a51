import type { Kysely } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';

/**
 * Conflicts (issue 9): what BC holds, kept apart from what the shop says now. `exported_canonical` is the
 * canonical order the stored BC document was made from (written with the document; once exported, what BC
 * has); `baseline_canonical` is the version a person accepted after a conflict (null = the exported one).
 * A newer shop version replaces `canonical` only; the conflict check compares it with the baseline.
 */
export function conflicts(_caps: StoreCapabilities) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await db.schema.alterTable('order_payloads').addColumn('exported_canonical', 'text').execute();
      await db.schema.alterTable('order_payloads').addColumn('baseline_canonical', 'text').execute();
    },
  };
}
