import type { Kysely } from 'kysely';
import type { Database, RunRow } from './schema.js';

/** One row per stage run (pull, export …): what `status` shows as "last runs". */
export class RunsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async start(stage: string, shop: string | null, actor: string, now: string): Promise<number> {
    const row = await this.db
      .insertInto('runs')
      .values({ stage, shop, actor, started_at: now, finished_at: null, ok: null, summary: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async finish(id: number, ok: boolean, summary: unknown, now: string): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({ finished_at: now, ok: ok ? 1 : 0, summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .execute();
  }

  /** The newest run of each stage (and shop). */
  async latest(): Promise<RunRow[]> {
    const rows = await this.db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(200).execute();
    const seen = new Set<string>();
    return rows.filter((r) => {
      const k = `${r.stage}|${r.shop ?? ''}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
}
