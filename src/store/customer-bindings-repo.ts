import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

export interface CustomerBindingsTable {
  shop: string;
  customer_key: string;
  bc_scope: string;
  bc_customer_no: string;
  origin: string;
  template: string | null;
  created_at: string;
  updated_at: string;
}

export type CustomerBindingRow = Selectable<CustomerBindingsTable>;

export interface BindingKey {
  shop: string;
  /** BC environment name + company. */
  bcScope: string;
  customerKey: string;
}

/**
 * Shop customer ↔ BC customer no., remembered after a customer was matched by e-mail/phone or created, so the
 * next order of that customer needs no search (and never creates a second customer).
 */
export class CustomerBindingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(k: BindingKey): Promise<CustomerBindingRow | undefined> {
    return this.db
      .selectFrom('customer_bindings')
      .selectAll()
      .where('shop', '=', k.shop)
      .where('bc_scope', '=', k.bcScope)
      .where('customer_key', '=', k.customerKey)
      .executeTakeFirst();
  }

  /** Insert or replace: the newest decision wins (a customer re-matched after a fix in BC). */
  async put(k: BindingKey, value: { customerNo: string; origin: string; template?: string }, now: string): Promise<void> {
    const set = { bc_customer_no: value.customerNo, origin: value.origin, template: value.template ?? null, updated_at: now };
    await this.db
      .insertInto('customer_bindings')
      .values({ shop: k.shop, bc_scope: k.bcScope, customer_key: k.customerKey, ...set, created_at: now })
      .onConflict((oc) => oc.columns(['shop', 'bc_scope', 'customer_key']).doUpdateSet(set))
      .execute();
  }

  async remove(k: BindingKey): Promise<void> {
    await this.db
      .deleteFrom('customer_bindings')
      .where('shop', '=', k.shop)
      .where('bc_scope', '=', k.bcScope)
      .where('customer_key', '=', k.customerKey)
      .execute();
  }

  async list(opts: { shop?: string; bcScope?: string; limit?: number } = {}): Promise<CustomerBindingRow[]> {
    let q = this.db.selectFrom('customer_bindings').selectAll();
    if (opts.shop) q = q.where('shop', '=', opts.shop);
    if (opts.bcScope) q = q.where('bc_scope', '=', opts.bcScope);
    return q.orderBy('shop').orderBy('customer_key').limit(opts.limit ?? 1000).execute();
  }
}
