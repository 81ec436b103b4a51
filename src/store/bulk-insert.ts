import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';

/**
 * A multi-row INSERT on the hot path (intake, events, payload parts) whose SQL text is compiled once per row
 * count and then run with new parameters. Building the same statement with Kysely's query builder for every
 * page cost more CPU than SQLite took to run it (docs/performance.md, overhead): it walks and freezes a node
 * per value. The text is compiled by Kysely itself (so the placeholders are the dialect's: `?` or `$n`), and
 * the same text hits the prepared-statement cache of src/store/db.ts on SQLite.
 *
 * `rows` are arrays of values in `columns` order; plain values only (no SQL expressions). One instance per
 * database (the texts it keeps carry that dialect's placeholders).
 */
export class BulkInsert<R = unknown> {
  private readonly texts = new Map<number, string>();

  constructor(
    private readonly table: string,
    private readonly columns: readonly string[],
    /** Rows per statement: within SQLite's and PostgreSQL's parameter limits (columns × rows ≤ 32,766). */
    readonly chunk: number,
    /** Appended to the statement: `on conflict …`, `returning …`. */
    private readonly suffix: RawBuilder<unknown> = sql``,
  ) {}

  /** Inserts all rows, `chunk` per statement; returns the rows RETURNING produced (if any). */
  async run(db: Kysely<any>, rows: readonly (readonly unknown[])[]): Promise<R[]> {
    const out: R[] = [];
    for (const [from, to] of fewSizedChunks(rows.length, this.chunk)) {
      const part = rows.slice(from, to);
      const params: unknown[] = [];
      for (const row of part) {
        if (row.length !== this.columns.length) throw new Error(`BulkInsert ${this.table}: a row has ${row.length} values for ${this.columns.length} columns`);
        for (const v of row) params.push(v);
      }
      const res = await db.executeQuery<R>(CompiledQuery.raw(this.text(db, part.length), params));
      for (const r of res.rows) out.push(r);
    }
    return out;
  }

  private text(db: Kysely<any>, n: number): string {
    let text = this.texts.get(n);
    if (text === undefined) {
      const row = sql`(${sql.join(this.columns.map(() => null))})`;
      const compiled = sql`insert into ${sql.table(this.table)} (${sql.join(this.columns.map((c) => sql.ref(c)))}) values ${sql.join(Array.from({ length: n }, () => row))} ${this.suffix}`.compile(db);
      if (compiled.parameters.length !== n * this.columns.length) throw new Error(`BulkInsert ${this.table}: the compiled statement has ${compiled.parameters.length} parameters, expected ${n * this.columns.length}`);
      text = compiled.sql;
      this.texts.set(n, text);
    }
    return text;
  }
}

/**
 * Splits n rows into statements of a few sizes only: `max`, then powers of two (137 rows, max 100: 100, 32, 4,
 * 1). Every row count otherwise makes its own SQL text and prepared statement, and SQLite keeps each
 * statement's program in memory: with one text per count, the statement cache of a benchmark run held 322
 * statements (~450 KB of SQL) — tens of MB of the worker's memory (docs/performance.md, overhead).
 * Returns [from, to) ranges.
 */
export function fewSizedChunks(n: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (; n - at >= max; at += max) out.push([at, at + max]);
  for (let size = 2 ** Math.floor(Math.log2(Math.max(1, max))); at < n; size /= 2) {
    if (n - at >= size) {
      out.push([at, at + size]);
      at += size;
    }
  }
  return out;
}
