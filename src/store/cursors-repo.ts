import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The poll cursor per shop: the newest shop modification time durably stored. */
export class CursorsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(shop: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('cursors').select('value').where('shop', '=', shop).executeTakeFirst();
    return row?.value;
  }

  /** Moves the cursor forward only: an older value (a late page, a second puller) never moves it back. */
  async advance(shop: string, value: string, now: string): Promise<void> {
    await this.db
      .insertInto('cursors')
      .values({ shop, value, updated_at: now })
      .onConflict((oc) => oc.column('shop').doUpdateSet({ value, updated_at: now }).where('cursors.value', '<', value))
      .execute();
  }

  async reset(shop: string): Promise<void> {
    await this.db.deleteFrom('cursors').where('shop', '=', shop).execute();
  }

  async all(): Promise<{ shop: string; value: string; updated_at: string }[]> {
    return this.db.selectFrom('cursors').selectAll().orderBy('shop').execute();
  }
}
