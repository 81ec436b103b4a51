import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/** One order's transition in a set-based UPDATE: its id and the columns it changes. */
export interface SetRow {
  id: number;
  set: Record<string, unknown>;
  /** With `GuardedSetUpdate.versioned`: the `updated_at` the row must still have. */
  version?: string;
}

export interface GuardedSetUpdate {
  rows: readonly SetRow[];
  /** New state and `updated_at` of every row. */
  state: string;
  now: string;
  /** Applied only to rows still in this state (and, when given, still leased by this owner). */
  fromState: string;
  leaseOwner?: string;
  /** Each row only while its `updated_at` is still its `version` (the version its transition was decided on). */
  versioned?: boolean;
}

/**
 * The guarded multi-row `UPDATE orders … WHERE id IN (…) AND state = ? [AND lease_owner = ?] [AND updated_at =
 * CASE id WHEN ? THEN ? … END] RETURNING id` of
 * a batch of transitions, with its SQL text compiled once per shape and then run with new parameters (like
 * bulk-insert.ts). A column with the same value in every row is set to it; one whose values differ becomes
 * `CASE id WHEN ? THEN ? … END`, integers cast so PostgreSQL does not read the CASE as text.
 *
 * Building this statement with Kysely's query builder for every batch (a node per CASE branch, each frozen
 * and visited) cost more of the worker's CPU than SQLite took to run it (docs/performance.md, overhead).
 * The shape (columns, which are per row, which are integers, row count, lease guard) decides the text; the
 * text is still compiled by Kysely, so the placeholders are the dialect's, and it hits the prepared-statement
 * cache of db.ts on SQLite.
 *
 * Values are plain (text, integers, null), as `Updateable<OrdersTable>` allows: no SQL expressions.
 */
export class SetUpdateTexts {
  private readonly texts = new Map<string, { sql: string; slots: number[] }>();

  /** Runs the update; returns the ids it changed. */
  async run(db: Kysely<Database>, u: GuardedSetUpdate): Promise<number[]> {
    if (u.rows.length === 0) return [];
    const plan = planSetUpdate(u);
    let compiled = this.texts.get(plan.shape);
    if (!compiled) {
      compiled = compileShape(db, u, plan);
      this.texts.set(plan.shape, compiled);
      // Shapes are few (outcomes × row-count sizes); a bound keeps an unusual workload from growing it forever.
      if (this.texts.size > MAX_SHAPES) this.texts.delete(this.texts.keys().next().value!);
    }
    const res = await db.executeQuery<{ id: number | string }>(CompiledQuery.raw(compiled.sql, compiled.slots.map((i) => plan.values[i])));
    return res.rows.map((r) => Number(r.id));
  }
}

const MAX_SHAPES = 200;

interface ColumnPlan {
  name: string;
  perRow: boolean;
  integer: boolean;
}

interface Plan {
  shape: string;
  columns: ColumnPlan[];
  /** Parameter values in slot order: per column (one, or id and value per row), then state, now, ids, from, owner. */
  values: unknown[];
}

function planSetUpdate(u: GuardedSetUpdate): Plan {
  const first = u.rows[0]!;
  const names = Object.keys(first.set);
  const columns: ColumnPlan[] = [];
  const values: unknown[] = [];
  for (const name of names) {
    // Like the query builder's `set`: a column left undefined in every row is not changed.
    if (u.rows.every((r) => r.set[name] === undefined)) continue;
    const v0 = first.set[name];
    let perRow = false;
    let integer = false;
    for (const r of u.rows) {
      const v = r.set[name] ?? null;
      if (v !== null && typeof v === 'object') throw new Error(`SetUpdateTexts: column ${name} is set to an object; only plain values are supported`);
      if (typeof v === 'number') integer = true;
      if (v !== (v0 ?? null)) perRow = true;
    }
    columns.push({ name, perRow, integer });
    if (perRow) for (const r of u.rows) values.push(r.id, r.set[name] ?? null);
    else values.push(v0 ?? null);
  }
  values.push(u.state, u.now);
  for (const r of u.rows) values.push(r.id);
  values.push(u.fromState);
  if (u.leaseOwner) values.push(u.leaseOwner);
  if (u.versioned) for (const r of u.rows) values.push(r.id, r.version ?? null);
  const shape = `${u.rows.length}|${u.leaseOwner ? 'owner' : ''}|${u.versioned ? 'version' : ''}|${columns.map((c) => `${c.name}:${c.perRow ? 'r' : 's'}${c.integer ? 'i' : ''}`).join(',')}`;
  return { shape, columns, values };
}

/**
 * Compiles a shape with a marker in place of every value, and records which slot each of the compiled
 * statement's parameters is: whatever order Kysely emits them in, the parameters are filled in that order.
 */
function compileShape(db: Kysely<Database>, u: GuardedSetUpdate, plan: Plan): { sql: string; slots: number[] } {
  let slot = 0;
  const marker = () => `\u0000slot:${slot++}`;
  const value = (integer: boolean): RawBuilder<unknown> => (integer ? sql`cast(${marker()} as integer)` : sql`${marker()}`);
  const set: Record<string, unknown> = {};
  for (const c of plan.columns) {
    if (!c.perRow) {
      set[c.name] = value(c.integer);
      continue;
    }
    const branches = u.rows.map(() => sql`when ${marker()} then ${value(c.integer)}`);
    set[c.name] = sql`case ${sql.ref('id')} ${sql.join(branches, sql` `)} end`;
  }
  set.state = value(false);
  set.updated_at = value(false);
  let q = db
    .updateTable('orders')
    .set(set as never)
    .where('id', 'in', u.rows.map(() => marker()) as never)
    .where('state', '=', marker() as never);
  if (u.leaseOwner) q = q.where('lease_owner', '=', marker() as never);
  if (u.versioned) {
    const versions = u.rows.map(() => sql`when ${marker()} then ${marker()}`);
    q = q.where(sql.ref('updated_at'), '=', sql`case ${sql.ref('id')} ${sql.join(versions, sql` `)} end` as never);
  }
  const compiled = q.returning('id').compile();
  const slots = compiled.parameters.map((p) => {
    const m = typeof p === 'string' ? /^\u0000slot:(\d+)$/.exec(p) : null;
    if (!m) throw new Error(`SetUpdateTexts: the compiled UPDATE has a parameter that is not a slot (${String(p)})`);
    return Number(m[1]);
  });
  if (slot !== plan.values.length || new Set(slots).size !== slots.length) {
    throw new Error(`SetUpdateTexts: ${slots.length} parameters for ${plan.values.length} values`);
  }
  return { sql: compiled.sql, slots };
}
