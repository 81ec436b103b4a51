import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { EnvironmentKey } from '../../config/schema.js';
import { ORDER_STATES } from '../../domain/states.js';
import { conflictDiff } from '../../pipeline/conflicts.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { statusReport, type StatusReport } from '../../cli/commands/status.js';
import type { Database, OrderRow, RequestLogRow, RunRow } from '../../store/schema.js';
import { PanelInputError } from './input-error.js';

/** Read-only queries behind the pages and the JSON API. Writes go through the repos and the CLI's actions. */

export interface Budget {
  env: EnvironmentKey;
  name: string;
  active: boolean;
  /** BC requests logged for this environment in the last window. */
  used: number;
  limit: number;
  windowMs: number;
}

export interface Attention {
  held: number;
  failed: number;
  byReason: { state: string; reasonCode: string | null; n: number }[];
  latest: OrderRow[];
}

export interface Dashboard extends StatusReport {
  states: readonly string[];
  budgets: Budget[];
  attention: Attention;
  generatedAt: string;
}

export async function dashboard(rt: Runtime): Promise<Dashboard> {
  const status = await statusReport(rt);
  return { ...status, states: ORDER_STATES, budgets: await budgets(rt, status.environment.active as EnvironmentKey), attention: await attention(rt), generatedAt: rt.clock.now().toISOString() };
}

/**
 * BC's limit is per user and window (reference/bc-api.md §2); the request log records every BC call with
 * the environment name as target, so "used" is what this installation (all workers) spent in the window.
 */
export async function budgets(rt: Runtime, active: EnvironmentKey): Promise<Budget[]> {
  await rt.store.requestLog.flush();
  const out: Budget[] = [];
  for (const env of ['live', 'test'] as const) {
    const cfg = rt.config.bc[env];
    if (!cfg) continue;
    const since = new Date(rt.clock.now().getTime() - cfg.windowMs).toISOString();
    const row = await rt.store.db.kysely
      .selectFrom('request_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('system', '=', 'bc')
      .where('target', '=', cfg.name)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    out.push({ env, name: cfg.name, active: env === active, used: Number(row.n), limit: cfg.requestsPerWindow, windowMs: cfg.windowMs });
  }
  return out;
}

export async function attention(rt: Runtime): Promise<Attention> {
  const db = rt.store.db.kysely;
  const byReason = await db
    .selectFrom('orders')
    .select(['state', 'reason_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', 'in', ['held', 'failed'])
    .groupBy(['state', 'reason_code'])
    .orderBy('state')
    .orderBy('reason_code')
    .execute();
  const latest = await db.selectFrom('orders').selectAll().where('state', 'in', ['held', 'failed']).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(10).execute();
  const sum = (state: string) => byReason.filter((r) => r.state === state).reduce((a, r) => a + Number(r.n), 0);
  return { held: sum('held'), failed: sum('failed'), byReason: byReason.map((r) => ({ state: r.state, reasonCode: r.reason_code, n: Number(r.n) })), latest };
}

// ---------------------------------------------------------------------------------------------------
// Charts

export type Range = 'hour' | 'day';

export interface MetricsBucket {
  /** Bucket start, ISO 8601 UTC. */
  start: string;
  received: number;
  verified: number;
  /** Orders per minute in the bucket. */
  receivedPerMinute: number;
  verifiedPerMinute: number;
  /** placed → verified, seconds, for orders verified in the bucket (null when none). */
  latencyP50: number | null;
  latencyP95: number | null;
}

export interface Metrics {
  range: Range;
  bucketMinutes: number;
  buckets: MetricsBucket[];
  totals: { received: number; verified: number; latencyP50: number | null; latencyP95: number | null; latencySample: number };
}

const RANGES: Record<Range, { prefix: number; minutes: number; count: number }> = {
  // ISO prefixes: 'YYYY-MM-DDTHH:MM' is one minute, 'YYYY-MM-DDTHH:M' ten minutes. Grouping by a text
  // prefix works the same on SQLite and PostgreSQL (timestamps are ISO strings, schema.ts).
  hour: { prefix: 16, minutes: 1, count: 60 },
  day: { prefix: 15, minutes: 10, count: 144 },
};

/** Caps the rows read for latency percentiles on a very busy day; the chart says when it sampled. */
const LATENCY_ROWS = 20_000;

export function isRange(value: string | undefined): value is Range {
  return value === 'hour' || value === 'day';
}

export async function metrics(rt: Runtime, range: Range): Promise<Metrics> {
  const spec = RANGES[range];
  const bucketMs = spec.minutes * 60_000;
  const end = Math.floor(rt.clock.now().getTime() / bucketMs) * bucketMs + bucketMs;
  const starts = Array.from({ length: spec.count }, (_, i) => end - (spec.count - i) * bucketMs);
  const since = new Date(starts[0]).toISOString();
  const keyOf = (ms: number) => new Date(ms).toISOString().slice(0, spec.prefix);
  const db = rt.store.db.kysely;
  const countBy = async (column: 'created_at' | 'verified_at') => {
    const bucket = sql<string>`substr(${sql.ref(column)}, 1, ${sql.lit(spec.prefix)})`;
    const rows = await db
      .selectFrom('orders')
      .select([bucket.as('b'), (eb) => eb.fn.countAll<number>().as('n')])
      .where(column, '>=', since)
      .groupBy(bucket)
      .execute();
    return new Map(rows.map((r) => [r.b, Number(r.n)]));
  };
  const [received, verified] = await Promise.all([countBy('created_at'), countBy('verified_at')]);
  const latencyRows = await db
    .selectFrom('orders')
    .select(['placed_at', 'verified_at'])
    .where('verified_at', '>=', since)
    .where('placed_at', 'is not', null)
    .orderBy('verified_at', 'desc')
    .limit(LATENCY_ROWS)
    .execute();
  const byBucket = new Map<string, number[]>();
  const all: number[] = [];
  for (const r of latencyRows) {
    const seconds = (Date.parse(r.verified_at!) - Date.parse(r.placed_at!)) / 1000;
    if (!Number.isFinite(seconds) || seconds < 0) continue;
    const k = keyOf(Date.parse(r.verified_at!));
    (byBucket.get(k) ?? byBucket.set(k, []).get(k)!).push(seconds);
    all.push(seconds);
  }
  const buckets = starts.map((ms) => {
    const k = keyOf(ms);
    const lat = byBucket.get(k) ?? [];
    const rec = received.get(k) ?? 0;
    const ver = verified.get(k) ?? 0;
    return { start: new Date(ms).toISOString(), received: rec, verified: ver, receivedPerMinute: rec / spec.minutes, verifiedPerMinute: ver / spec.minutes, latencyP50: percentile(lat, 0.5), latencyP95: percentile(lat, 0.95) };
  });
  return {
    range,
    bucketMinutes: spec.minutes,
    buckets,
    totals: { received: sumOf(buckets, 'received'), verified: sumOf(buckets, 'verified'), latencyP50: percentile(all, 0.5), latencyP95: percentile(all, 0.95), latencySample: all.length },
  };
}

function sumOf(buckets: MetricsBucket[], key: 'received' | 'verified'): number {
  return buckets.reduce((a, b) => a + b[key], 0);
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------------
// Orders

export interface OrderQuery {
  state?: string;
  shop?: string;
  reason?: string;
  /** YYYY-MM-DD, UTC, on the order date (placed, else received). */
  from?: string;
  to?: string;
  /** Order no., order key, BC no. or e-mail. */
  q?: string;
  page: number;
  pageSize: number;
}

export interface OrderPage {
  total: number;
  page: number;
  pageSize: number;
  pages: number;
  orders: OrderRow[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads and checks the filter parameters; a bad value is an error naming the parameter. */
export function parseOrderQuery(params: Record<string, string | undefined>, rt: Runtime): OrderQuery {
  const clean = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const q: OrderQuery = {
    state: clean(params.state),
    shop: clean(params.shop),
    reason: clean(params.reason),
    from: clean(params.from),
    to: clean(params.to),
    q: clean(params.q),
    page: Number(clean(params.page) ?? 1),
    pageSize: Number(clean(params.pageSize) ?? 50),
  };
  if (q.state && !(ORDER_STATES as readonly string[]).includes(q.state)) throw new PanelInputError(`state: unknown state "${q.state}" (one of ${ORDER_STATES.join(', ')})`, 400, 'state');
  if (q.shop && !rt.config.shops.some((s) => s.code === q.shop)) throw new PanelInputError(`shop: no shop "${q.shop}"`, 400, 'shop');
  for (const k of ['from', 'to'] as const) {
    if (q[k] && (!DATE.test(q[k]!) || Number.isNaN(Date.parse(`${q[k]}T00:00:00Z`)))) throw new PanelInputError(`${k}: must be a date YYYY-MM-DD`, 400, k);
  }
  if (!Number.isInteger(q.page) || q.page < 1) throw new PanelInputError('page: must be a whole number ≥ 1', 400, 'page');
  if (!Number.isInteger(q.pageSize) || q.pageSize < 1 || q.pageSize > 500) throw new PanelInputError('pageSize: must be a whole number from 1 to 500', 400, 'pageSize');
  return q;
}

function orderFilter(q: OrderQuery) {
  return (eb: ExpressionBuilder<Database, 'orders'>): Expression<SqlBool> => {
    const conds: Expression<SqlBool>[] = [];
    if (q.state) conds.push(eb('state', '=', q.state));
    if (q.shop) conds.push(eb('shop', '=', q.shop));
    if (q.reason) conds.push(eb('reason_code', '=', q.reason));
    const day = eb.fn.coalesce('placed_at', 'created_at');
    if (q.from) conds.push(eb(day, '>=', `${q.from}T00:00:00.000Z`));
    if (q.to) conds.push(eb(day, '<', new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000).toISOString()));
    if (q.q) {
      const s = q.q;
      const like = `%${s.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const alts: Expression<SqlBool>[] = [
        eb('order_number', '=', s),
        eb('shop_order_id', '=', s),
        eb('order_key', '=', s.toUpperCase()),
        eb('bc_number', '=', s),
        eb(eb.fn('lower', ['customer_email']), '=', s.toLowerCase()),
      ];
      // Part of an e-mail address ("jane@", "example.com") finds it too; short fragments would match too much.
      if (s.length >= 3) alts.push(sql<SqlBool>`lower(customer_email) like ${like} escape '\\'`);
      conds.push(eb.or(alts));
    }
    return eb.and(conds);
  };
}

export async function searchOrders(rt: Runtime, q: OrderQuery): Promise<OrderPage> {
  const db = rt.store.db.kysely;
  const where = orderFilter(q);
  const countRow = await db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow();
  const total = Number(countRow.n);
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where(where)
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { total, page: q.page, pageSize: q.pageSize, pages: Math.max(1, Math.ceil(total / q.pageSize)), orders };
}

/** Reason codes present in the database, for the filter menu. */
export async function reasonCodes(rt: Runtime): Promise<string[]> {
  const rows = await rt.store.db.kysely.selectFrom('orders').select('reason_code').distinct().where('reason_code', 'is not', null).orderBy('reason_code').execute();
  return rows.map((r) => r.reason_code!);
}

export interface OrderDetail {
  order: OrderRow;
  raw: unknown;
  canonical: unknown | null;
  document: unknown | null;
  bcSnapshot: unknown | null;
  /** The shop's changes since the order went to BC (or since a person accepted a version): the conflict's diff. */
  diff: string[];
  events: { id: number; at: string; from: string | null; to: string; actor: string; reason: string | null; details: unknown }[];
  requests: RequestLogRow[];
}

export async function orderDetail(rt: Runtime, id: number): Promise<OrderDetail | undefined> {
  const order = await rt.store.orders.get(id);
  if (!order) return undefined;
  await rt.store.requestLog.flush();
  const [payloads, events, requests] = await Promise.all([rt.store.orders.payloads(id), rt.store.orders.events(id), rt.store.requestLog.forOrder(id)]);
  return {
    order,
    raw: payloads?.raw ?? null,
    canonical: payloads?.canonical ?? null,
    document: payloads?.document ?? null,
    bcSnapshot: payloads?.bcSnapshot ?? null,
    diff: conflictDiff(payloads).map((c) => c.text),
    events: events.map((e) => ({ id: e.id, at: e.at, from: e.from_state, to: e.to_state, actor: e.actor, reason: e.reason, details: e.details ? JSON.parse(e.details) : null })),
    requests,
  };
}

// ---------------------------------------------------------------------------------------------------
// Log

export interface LogView {
  retentionDays: number;
  /** Entries older than this are deleted (hourly, by the scheduler of `bcbridge run`). */
  prunedBefore: string;
  oldest: string | null;
  entries: number;
  /** Failed shop/BC requests among the newest ERROR_SCAN entries, newest first. */
  requestErrors: RequestLogRow[];
  /** Stage runs that ended with errors or problem orders, newest first. */
  runErrors: (RunRow & { errors: string[] })[];
  recent: RequestLogRow[];
}

/** How many of the newest request log entries the error list looks through. */
export const ERROR_SCAN = 50_000;

export async function logView(rt: Runtime, opts: { limit: number; system?: string }): Promise<LogView> {
  const db = rt.store.db.kysely;
  await rt.store.requestLog.flush();
  const stats = await db
    .selectFrom('request_log')
    .select([(eb) => eb.fn.min('at').as('oldest'), (eb) => eb.fn.countAll<number>().as('n')])
    .executeTakeFirstOrThrow();
  // Errors are looked for among the newest entries only (a primary-key range), so a log with millions of
  // healthy requests is not scanned on every refresh.
  const newest = await db.selectFrom('request_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  const floor = Number(newest?.id ?? 0) - ERROR_SCAN;
  let errors = db
    .selectFrom('request_log')
    .selectAll()
    .where('id', '>', floor)
    .where((eb) => eb.or([eb('error', 'is not', null), eb('status', '>=', 400)]));
  let recent = db.selectFrom('request_log').selectAll();
  if (opts.system) {
    errors = errors.where('system', '=', opts.system);
    recent = recent.where('system', '=', opts.system);
  }
  const [requestErrors, runs, recentRows] = await Promise.all([
    errors.orderBy('id', 'desc').limit(opts.limit).execute(),
    db.selectFrom('runs').selectAll().where('ok', '=', 0).orderBy('id', 'desc').limit(Math.min(opts.limit, 50)).execute(),
    recent.orderBy('id', 'desc').limit(opts.limit).execute(),
  ]);
  return {
    retentionDays: rt.config.log.retentionDays,
    prunedBefore: new Date(rt.clock.now().getTime() - rt.config.log.retentionDays * 86_400_000).toISOString(),
    oldest: (stats.oldest as string | null) ?? null,
    entries: Number(stats.n),
    requestErrors,
    runErrors: runs.map((r) => ({ ...r, errors: runErrorsOf(r.summary) })),
    recent: recentRows,
  };
}

function runErrorsOf(summary: string | null): string[] {
  if (!summary) return [];
  try {
    const s = JSON.parse(summary) as { errors?: string[]; problems?: number; counts?: Record<string, number> };
    const out = [...(s.errors ?? [])];
    if (s.problems) out.push(`${s.problems} order(s) held or failed`);
    return out;
  } catch {
    return [];
  }
}
