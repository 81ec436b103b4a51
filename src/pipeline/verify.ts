import type { BcSalesOrderDocument } from '../bc/document.js';
import type { BcSalesOrderSnapshot } from '../bc/target.js';
import type { EnvironmentKey } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { errorMessage } from '../domain/errors.js';
import { currencyTolerance, dec } from '../domain/money.js';
import type { ExpectedTotals, TransitionInput } from '../store/orders-repo.js';
import type { OrderRow } from '../store/schema.js';
import type { PipelineContext } from './context.js';
import { removeDuplicate } from './duplicates.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';

/** What verify reads of an order row (the rest stays in the database). */
const VERIFY_COLUMNS = ['id', 'order_key', 'order_number', 'bc_env', 'bc_environment_name', 'bc_id', 'bc_number', 'exported_at'] as const;
type VerifyRow = Pick<OrderRow, (typeof VERIFY_COLUMNS)[number]>;

/** Orders read back per BC request (`externalDocumentNumber in (…)` keeps the URL short). */
const READ_BACK_CHUNK = 40;

/**
 * While the export is still producing orders, a read-back for fewer than READ_BACK_CHUNK orders waits (at
 * most this long after the oldest of them was exported) for the chunk to fill: BC requests are the scarce
 * resource, and a backlog read back in small bites costs several times the requests (DESIGN.md §1).
 */
const READ_BACK_MAX_WAIT_MS = 2_000;

/**
 * Verify: read exported orders back from BC (many per request), store BC's number and compare BC's
 * totals with the shop's within the currency's rounding → `verified`, or `failed` with the difference.
 */
export async function verify(ctx: PipelineContext, actor: string, opts: { shop?: string; limit?: number } = {}): Promise<StageResult> {
  const result = emptyResult('verify', opts.shop);
  // Orders ready or being exported mean more exported orders soon: a part chunk may wait for them. When the
  // export is idle, everything is read back now (nothing would fill the chunk).
  const exporting = (await ctx.store.orders.inState(['ready', 'exporting'], { limit: 1, shop: opts.shop, dueBy: isoNow(ctx.clock), columns: ['id'] })).length > 0;
  let afterId = 0;
  for (;;) {
    // dueBy: an order BC is still processing (SOAP) is read again only when its poll time has come.
    const rows = await ctx.store.orders.inState('exported', { limit: opts.limit ?? 200, shop: opts.shop, afterId, dueBy: isoNow(ctx.clock), columns: VERIFY_COLUMNS });
    if (rows.length === 0) break;
    afterId = rows[rows.length - 1].id;
    // The page's confirmations are stored together: one transaction per page, not one per read-back.
    const confirmed: TransitionInput[] = [];
    for (const [env, chunk] of readBackChunks(rows)) {
      if (exporting && chunk.length < READ_BACK_CHUNK && !waitedLongEnough(ctx, chunk)) {
        bump(result, 'batching', chunk.length);
        continue;
      }
      confirmed.push(...(await verifyChunk(ctx, env, chunk, actor, result)));
    }
    if (confirmed.length > 0) {
      // Verified when the last read-back of the page has answered: one verified_at for all of them (one value
      // in the UPDATE, not a CASE per row).
      const at = isoNow(ctx.clock);
      for (const t of confirmed) t.set = { ...t.set, verified_at: at };
      const applied = await ctx.store.orders.transitionMany(confirmed, at);
      bump(result, 'verified', applied.filter(Boolean).length);
    }
  }
  await sweepDuplicates(ctx, actor, result);
  return result;
}

/**
 * How long after verification a second copy can still appear in BC: BC may run a create it queued (up to
 * 8 minutes) for up to 8 more after bcbridge gave up waiting, and the retry that created the order again
 * was verified meanwhile (reference/bc-api.md §2). Those orders are read again within this window.
 */
const SWEEP_WINDOW_MS = 30 * 60_000;
/** The sweep runs at most this often per process; each costs one read per 40 such orders. */
const SWEEP_EVERY_MS = 5 * 60_000;
const lastSweep = new WeakMap<PipelineContext, number>();

/**
 * Duplicate sweep (docs/architecture.md "Duplicates"): orders verified in the last SWEEP_WINDOW_MS whose
 * create was sent more than once are read back again; a second sales order found for one of them is removed
 * like at verification. Orders created at the first attempt cannot have a copy and cost nothing.
 */
async function sweepDuplicates(ctx: PipelineContext, actor: string, result: StageResult): Promise<void> {
  const now = ctx.clock.now().getTime();
  if (now - (lastSweep.get(ctx) ?? 0) < SWEEP_EVERY_MS) return;
  lastSweep.set(ctx, now);
  const since = new Date(now - SWEEP_WINDOW_MS).toISOString();
  let afterId = 0;
  for (;;) {
    const rows = await ctx.store.orders.verifiedSince(since, { minAttempts: 2, limit: 200, afterId });
    if (rows.length === 0) return;
    afterId = rows[rows.length - 1]!.id;
    for (const [env, chunk] of readBackChunks(rows)) {
      let found: Map<string, BcSalesOrderSnapshot>;
      try {
        found = await ctx.target(env).findExisting(chunk.map((r) => r.order_key!));
      } catch (err) {
        result.errors.push(`duplicate sweep: reading back from BC failed: ${errorMessage(err)}`);
        lastSweep.delete(ctx);
        return;
      }
      bump(result, 'swept', chunk.length);
      for (const row of chunk) {
        const read = found.get(row.order_key!);
        if (read?.duplicates?.length) await keepOne(ctx, env, row, 'verified', read, actor, result);
      }
    }
  }
}

/** A page of exported orders as read-backs: grouped by the BC environment they went to, READ_BACK_CHUNK at a time. */
function* readBackChunks<R extends VerifyRow>(rows: R[]): Generator<[EnvironmentKey, R[]]> {
  const byEnv = new Map<EnvironmentKey, R[]>();
  for (const r of rows) {
    const env = (r.bc_env ?? 'test') as EnvironmentKey;
    const group = byEnv.get(env);
    if (group) group.push(r);
    else byEnv.set(env, [r]);
  }
  for (const [env, group] of byEnv) {
    for (let i = 0; i < group.length; i += READ_BACK_CHUNK) yield [env, group.slice(i, i + READ_BACK_CHUNK)];
  }
}

/** Has the oldest order of this part chunk waited READ_BACK_MAX_WAIT_MS since its export? */
function waitedLongEnough(ctx: PipelineContext, rows: VerifyRow[]): boolean {
  const now = ctx.clock.now().getTime();
  return rows.some((r) => !r.exported_at || now - Date.parse(r.exported_at) >= READ_BACK_MAX_WAIT_MS);
}

/**
 * Reads one chunk back and settles the orders BC does not confirm (failed, still processing) at once; returns
 * the confirmations, which the caller stores with the rest of its page (and sets their verified_at).
 */
async function verifyChunk(ctx: PipelineContext, env: EnvironmentKey, rows: VerifyRow[], actor: string, result: StageResult): Promise<TransitionInput[]> {
  let found: Map<string, BcSalesOrderSnapshot>;
  try {
    found = await ctx.target(env).findExisting(rows.map((r) => r.order_key!));
  } catch (err) {
    result.errors.push(`read-back from BC failed: ${errorMessage(err)}`);
    bump(result, 'deferred', rows.length);
    return [];
  }
  // The BC document's expected totals only: they are what BC's are compared with.
  const totals = await ctx.store.orders.expectedTotals(rows);
  const confirmed: TransitionInput[] = [];
  for (const row of rows) {
    const now = isoNow(ctx.clock);
    const read = found.get(row.order_key!);
    const snap = read?.duplicates?.length ? await keepOne(ctx, env, row, 'exported', read, actor, result) : read;
    const expected = totals.get(row.id);
    if (!snap) {
      const reason = `BC ${row.bc_environment_name ?? env} has no sales order with external document no. ${row.order_key} (it was created as ${row.bc_number ?? '?'}); it may have been deleted or already fully invoiced.`;
      await ctx.store.orders.transition({ id: row.id, from: 'exported', to: 'failed', actor, reason, set: { reason_code: 'NOT_FOUND_IN_BC', reason, hint: 'Check the order in BC; retry re-exports it only if it is truly gone.' } }, now);
      result.problems++;
      bump(result, 'failed');
      continue;
    }
    if (!snap.complete) {
      await stillProcessing(ctx, env, row, snap, actor, result);
      continue;
    }
    const differences = expected ? compareTotals(expected, snap) : [];
    if (differences.length > 0) {
      const reason = `Totals differ between the shop and BC ${snap.number}: ${differences.join('; ')}.`;
      await ctx.store.orders.transition({ id: row.id, from: 'exported', to: 'failed', actor, reason, set: { reason_code: 'TOTALS_MISMATCH', reason, hint: 'Compare prices, discounts and tax setup in BC with the shop order; correct the BC order, then mark it resolved.', bc_number: snap.number } , details: { snapshot: snap } }, now);
      result.problems++;
      bump(result, 'failed');
      continue;
    }
    // BC's number and id are set only where they differ from what the export stored (usually they do not):
    // an unchanged column left out of the UPDATE is not rewritten in the row, nor in its index.
    const set: NonNullable<TransitionInput['set']> = {};
    if (snap.number !== row.bc_number) set.bc_number = snap.number;
    if (snap.id !== row.bc_id) set.bc_id = snap.id;
    confirmed.push({ id: row.id, from: 'exported', to: 'verified', actor, reason: `BC sales order ${snap.number} confirmed, totals match`, set, bcSnapshot: snap });
  }
  return confirmed;
}

/**
 * BC has two (or more) sales orders for this order's key: keep the one the export recorded (the oldest when
 * none is recorded) and remove the copies bcbridge made (duplicates.ts). A copy that cannot be removed is left
 * and reported, with both numbers, as a problem of this run.
 */
async function keepOne(
  ctx: PipelineContext, env: EnvironmentKey, row: VerifyRow, state: 'exported' | 'verified', read: BcSalesOrderSnapshot, actor: string, result: StageResult,
): Promise<BcSalesOrderSnapshot> {
  const all = [read, ...(read.duplicates ?? [])].map(({ duplicates: _, ...s }) => s);
  const keep = all.find((s) => s.id === row.bc_id) ?? all[0]!;
  for (const copy of all.filter((s) => s !== keep)) {
    const outcome = await removeDuplicate(ctx.target(env), keep, copy);
    if (outcome.removed) bump(result, 'duplicateRemoved');
    else {
      result.problems++;
      result.errors.push(`order ${row.order_number}: ${outcome.detail}`);
    }
    await ctx.store.orders.note(row.id, state, actor, outcome.detail, isoNow(ctx.clock), { duplicateCheck: { kept: keep.number, copy: copy.number, removed: outcome.removed } });
  }
  return keep;
}

/**
 * BC has the order's records but has not made the sales order yet (SOAP staging, docs/bc-soap-page.md):
 * BC's own error fails it at once; otherwise it stays `exported` and is read again after the environment's
 * verifyPollSeconds, until verifyGiveUpMinutes after the export.
 */
async function stillProcessing(ctx: PipelineContext, env: EnvironmentKey, row: VerifyRow, snap: BcSalesOrderSnapshot, actor: string, result: StageResult): Promise<void> {
  const envCfg = ctx.config.bc[env];
  const pollMs = (envCfg?.verifyPollSeconds ?? 30) * 1000;
  const giveUpMs = (envCfg?.verifyGiveUpMinutes ?? 60) * 60_000;
  const now = ctx.clock.now();
  const where = `BC ${row.bc_environment_name ?? env}`;
  const bcError = /^Error:\s*/.exec(snap.status);
  if (bcError) {
    const reason = `${where} could not turn order ${row.order_number} into a sales order: ${snap.status.slice(bcError[0].length)}`;
    // The staging records are replaced on the next export, so that one must not take them as "already in BC".
    await ctx.store.orders.transition({ id: row.id, from: 'exported', to: 'failed', actor, reason, set: { reason_code: 'BC_REJECTED', reason, hint: 'Fix what BC names (master data in BC or the mapping), then retry the order; its staging records are replaced.', bc_attempt_at: null, next_attempt_at: null }, details: { snapshot: snap } }, now.toISOString());
    result.problems++;
    bump(result, 'failed');
    return;
  }
  const exportedAt = row.exported_at ? Date.parse(row.exported_at) : now.getTime();
  if (now.getTime() - exportedAt >= giveUpMs) {
    const minutes = Math.round(giveUpMs / 60_000);
    const reason = `${where} has not processed order ${row.order_number} within ${minutes} min of the export (last seen: ${snap.status}).`;
    await ctx.store.orders.transition({ id: row.id, from: 'exported', to: 'failed', actor, reason, set: { reason_code: 'NOT_PROCESSED_IN_BC', reason, hint: 'Check the BC job that processes the staging page (job queue entry, its errors); retry the order to check again.', next_attempt_at: null }, details: { snapshot: snap } }, now.toISOString());
    result.problems++;
    bump(result, 'failed');
    return;
  }
  await ctx.store.orders.transition({ id: row.id, from: 'exported', to: 'exported', actor, reason: `${where} is still processing the order (${snap.status}); checking again in ${Math.round(pollMs / 1000)} s`, set: { next_attempt_at: new Date(now.getTime() + pollMs).toISOString() } }, now.toISOString());
  bump(result, 'pending');
}

/**
 * Human-readable differences beyond the currency's rounding; empty when they agree. Shop and BC both
 * round tax per line, so the tolerance is one minor unit per line (at least one): a real mapping gap
 * (a missing fee, a wrong price) is larger than that.
 */
export function compareTotals(doc: ExpectedTotals, snap: BcSalesOrderSnapshot): string[] {
  const tol = currencyTolerance(doc.expected.currency).times(Math.max(1, doc.lineCount));
  const out: string[] = [];
  const check = (label: string, shop: string, bc: string) => {
    const diff = dec(bc).minus(dec(shop));
    if (diff.abs().gt(tol)) out.push(`${label} shop ${shop} vs BC ${bc} (difference ${diff.toFixed()} ${doc.expected.currency})`);
  };
  check('net', doc.expected.totalNet, snap.totalAmountExcludingTax);
  check('total incl. tax', doc.expected.total, snap.totalAmountIncludingTax);
  return out;
}

/** A BC document's totals as compareTotals takes them. */
export function totalsOf(doc: BcSalesOrderDocument): ExpectedTotals {
  return { expected: doc.expected, lineCount: doc.lines.length };
}
