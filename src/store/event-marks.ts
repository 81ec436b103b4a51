import type { Kysely } from 'kysely';
import type { Database, OrderEventRow } from './schema.js';

/** Ids per query: well below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * The timeline events of many orders whose details carry `key` (e.g. `bcNumber`), oldest first, in one query
 * per 500 orders: a stage that keeps its memory on the timeline (docs/write-back.md) reads it for a whole page
 * of orders at once instead of one query per order. `details` is JSON text on both databases; the LIKE
 * narrows, the caller parses and checks the key.
 */
export async function eventsWithDetail(db: Kysely<Database>, orderIds: number[], key: string): Promise<Map<number, OrderEventRow[]>> {
  const out = new Map<number, OrderEventRow[]>();
  if (!/^\w+$/.test(key)) throw new Error(`event detail key must be a word, got "${key}"`);
  for (let i = 0; i < orderIds.length; i += CHUNK) {
    const ids = orderIds.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('order_events')
      .selectAll()
      .where('order_id', 'in', ids)
      .where('details', 'like', `%"${key}":%`)
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.order_id, [...(out.get(r.order_id) ?? []), r]);
  }
  return out;
}

/** A stage's mark on the timeline (event `details[key]`) with when it was written and the event's sentence. */
export interface TimelineMark<T> {
  at: string;
  reason: string | null;
  mark: T;
}

/**
 * The marks under `key` in these events' details, oldest first. Events without one, or whose details are not
 * JSON, are skipped: they are not the stage's.
 */
export function readMarks<T>(
  events: readonly Pick<OrderEventRow, 'at' | 'reason' | 'details'>[],
  key: string,
  isMark: (value: unknown) => value is T,
): TimelineMark<T>[] {
  const out: TimelineMark<T>[] = [];
  for (const e of events) {
    if (!e.details) continue;
    let details: unknown;
    try {
      details = typeof e.details === 'string' ? JSON.parse(e.details) : e.details;
    } catch {
      continue;
    }
    const mark = (details as Record<string, unknown> | null)?.[key];
    if (isMark(mark)) out.push({ at: e.at, reason: e.reason, mark });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
