import type { BcSalesOrderDocument } from '../bc/document.js';
import { BC_NOT_SENT, type BcSalesOrderSnapshot, type BcTarget, type CreateOutcome } from '../bc/target.js';
import type { EnvironmentKey } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { BcError, errorMessage } from '../domain/errors.js';
import type { OrderState } from '../domain/states.js';
import type { ClaimedOrder, ClaimedRow, TransitionInput } from '../store/orders-repo.js';
import { nextAttemptDelayMs } from './backoff.js';
import type { PipelineContext } from './context.js';
import { removeDuplicate } from './duplicates.js';
import { totalsOf } from './verify.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';

/**
 * Export: claim ready orders under a lease and create them in BC, exactly once (guarantee 1).
 *
 * - An order whose earlier attempt may have reached BC (attempt recorded, lease expired, ambiguous error)
 *   is looked up by externalDocumentNumber first; those lookups share one request per ~40 orders.
 * - Every other order is recorded as attempted before its create is sent, so a first attempt needs no lookup.
 * - Each order succeeds or fails alone (guarantee 3): transient errors retry with backoff, a BC rejection
 *   fails the order with BC's message, the rest go on.
 */
export async function exportOrders(ctx: PipelineContext, actor: string, opts: { shop?: string; maxRounds?: number; signal?: AbortSignal } = {}): Promise<StageResult> {
  const result = emptyResult('export', opts.shop);
  const maxRounds = opts.maxRounds ?? Number.POSITIVE_INFINITY;
  for (let round = 0; round < maxRounds && !opts.signal?.aborted; round++) {
    const now = ctx.clock.now();
    const leaseUntil = now.getTime() + ctx.config.pipeline.leaseSeconds * 1000;
    const claimed = await ctx.store.orders.claimForExport({
      owner: ctx.workerId,
      limit: ctx.config.pipeline.batchSize,
      now: now.toISOString(),
      leaseUntil: new Date(leaseUntil).toISOString(),
      shop: opts.shop,
      actor,
    });
    if (claimed.length === 0) break;
    const active = await ctx.activeEnvironment();
    // Orders already attempted stay with their environment; new ones go to the active one (Live/Test).
    const byEnv = new Map<EnvironmentKey, ClaimedOrder[]>();
    for (const c of claimed) {
      const env = (c.row.bc_attempt_at && (c.row.bc_env === 'live' || c.row.bc_env === 'test') ? c.row.bc_env : active) as EnvironmentKey;
      byEnv.set(env, [...(byEnv.get(env) ?? []), c]);
    }
    for (const [env, group] of byEnv) await exportGroup(ctx, env, group, actor, result, leaseUntil);
  }
  return result;
}

async function exportGroup(ctx: PipelineContext, env: EnvironmentKey, group: ClaimedOrder[], actor: string, result: StageResult, leaseUntil: number): Promise<void> {
  const target = ctx.target(env);
  const docs = await ctx.store.orders.payloadsMany(group.map((c) => c.row.id), ['document']);
  const needLookup = group.filter((c) => c.row.bc_attempt_at !== null);
  let existing = new Map<string, BcSalesOrderSnapshot>();
  if (needLookup.length > 0) {
    try {
      existing = await target.findExisting(needLookup.map((c) => c.row.order_key!));
    } catch (err) {
      // Without the lookup we cannot know whether BC has them: do not create, retry later.
      await retryLater(ctx, needLookup.map((c) => c.row), actor, err, result, true);
      group = group.filter((c) => c.row.bc_attempt_at === null);
    }
  }
  const found: TransitionInput[] = [];
  const toCreate: ClaimedRow[] = [];
  for (const { row } of group) {
    const snap = row.bc_attempt_at !== null ? existing.get(row.order_key!) : undefined;
    if (snap) found.push(exportedTransition(row, snap, env, target, actor, 'found in BC by its external document no. (an earlier attempt had created it)', isoNow(ctx.clock), ctx.workerId));
    else toCreate.push(row);
  }
  if (found.length > 0) {
    await ctx.store.orders.transitionMany(found.map((t) => ({ ...t, bcSnapshot: t.details?.snapshot })), isoNow(ctx.clock));
    bump(result, 'exported', found.length);
    bump(result, 'found', found.length);
  }
  const envCfg = ctx.config.bc[env]!;
  // The attempt record is the fence: it is written only for orders this worker still holds under an unexpired
  // lease, and only those are sent. An order another worker took over (this one was frozen or slow past its
  // lease) is that worker's now; sending it here as well would create it twice in BC.
  const recorded = new Set(await ctx.store.orders.recordAttempts(toCreate.map((r) => r.id), ctx.workerId, env, envCfg.name, isoNow(ctx.clock)));
  if (recorded.size < toCreate.length) bump(result, 'leaseLost', toCreate.length - recorded.size);
  // A create must start early enough to end (answer or timeout) before the lease does; after that, another
  // worker may take the order over and look it up before this create has reached BC. (A lease shorter than
  // the request timeout cannot promise that; half the lease then at least keeps the orders moving.)
  const sendBy = leaseUntil - Math.min(envCfg.timeoutMs + SEND_MARGIN_MS, (ctx.config.pipeline.leaseSeconds * 1000) / 2);
  // At most as many creates at once as the BC user processes, across every export running in this process:
  // the others wait here, where the lease is checked right before each is sent, not in the BC client's queue,
  // where a create that outlived its lease can no longer be held back.
  const gate = createGate(target, envCfg.maxInFlight);
  const exported = new TransitionBatch(ctx);
  const sendable: Array<{ row: ClaimedRow; doc: BcSalesOrderDocument }> = [];
  for (const row of toCreate) {
    if (!recorded.has(row.id)) continue;
    const doc = docs.get(row.id)?.document as BcSalesOrderDocument | null;
    if (doc) sendable.push({ row, doc });
    else {
      await ctx.store.orders.transition({ id: row.id, from: 'exporting', to: 'held', actor, leaseOwner: ctx.workerId, reason: 'no BC document was prepared', set: { reason_code: 'NOT_EVALUATED', reason: 'No BC document was prepared for this order.', hint: 'Retry the order so it is evaluated again.', lease_owner: null, lease_expires_at: null } }, isoNow(ctx.clock));
      result.problems++;
    }
  }
  const settle = (row: ClaimedRow, doc: BcSalesOrderDocument, outcome: CreateOutcome) => settleCreate(ctx, { target, env, actor, result, exported }, row, doc, outcome);
  const perBatch = createsPerRequest(target, sendable.length, envCfg.maxInFlight);
  // A backlog goes out in $batches of up to maxCreatesPerBatch, spread over the BC user's slots; a lone order
  // (a webhook's) is sent by itself, as fast as before.
  const sends = perBatch > 1 ? chunk(sendable, perBatch) : sendable.map((s) => [s]);
  await Promise.all(
    sends.map(async (part) => {
      const release = await gate.acquire();
      if (ctx.clock.now().getTime() > sendBy) {
        release();
        await Promise.all(part.map(({ row }) => releaseUnsent(ctx, row, actor, result)));
        return;
      }
      let outcomes: CreateOutcome[];
      try {
        // The same deadline again inside the BC client: a create that waits there (pacing, a 429's
        // Retry-After, a retry) past it is given back unsent too, instead of reaching BC after the lease.
        if (part.length === 1) outcomes = [await createOne(target, part[0]!.doc, { orderId: part[0]!.row.id, sendBy })];
        else outcomes = await target.createMany!(part.map(({ row, doc }) => ({ doc, orderId: row.id })), { sendBy }).catch((error: unknown) => part.map(() => ({ ok: false as const, error })));
      } finally {
        release();
      }
      await Promise.all(part.map(({ row, doc }, i) => settle(row, doc, outcomes[i]!)));
    }),
  );
  // The shop may have changed an order while it was being exported (intake only notes that): compare what
  // BC got with the shop's version now (docs/write-back.md "Conflicts"). One query; usually it finds nothing.
  const conflicts = await ctx.store.orders.checkAfterExport(group.map((c) => c.row.id), actor, isoNow(ctx.clock));
  if (conflicts > 0) bump(result, 'conflict', conflicts);
}

/** Creates per request: 1 unless the target batches and there are more orders than BC slots to spread them over. */
function createsPerRequest(target: BcTarget, orders: number, slots: number): number {
  if (!target.createMany || (target.maxCreatesPerBatch ?? 1) <= 1) return 1;
  return Math.min(target.maxCreatesPerBatch!, Math.ceil(orders / Math.max(1, slots)));
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function createOne(target: BcTarget, doc: BcSalesOrderDocument, ctx: { orderId: number; sendBy: number }): Promise<CreateOutcome> {
  try {
    return { ok: true, snapshot: await target.create(doc, ctx) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** What the export does with one order's create outcome, whether it was sent alone or in a $batch. */
async function settleCreate(
  ctx: PipelineContext,
  s: { target: BcTarget; env: EnvironmentKey; actor: string; result: StageResult; exported: TransitionBatch },
  row: ClaimedRow,
  doc: BcSalesOrderDocument,
  outcome: CreateOutcome,
): Promise<void> {
  const { target, env, actor, result } = s;
  if (outcome.ok) {
    const snap = outcome.snapshot;
    const what = snap.number
      ? `created in BC ${target.environment} as ${snap.number}`
      : `handed to BC ${target.environment}; BC assigns the sales order no. when it processes the order`;
    const t = exportedTransition(row, snap, env, target, actor, what, isoNow(ctx.clock), ctx.workerId);
    // The state and BC's answer in one transaction, shared with the creates that finished meanwhile; the
    // document's totals stay in memory for verify (it need not read them back from the stored document).
    if (await s.exported.add({ ...t, bcSnapshot: snap, expectedTotals: totalsOf(doc) })) bump(result, 'exported');
    else await createdAfterLeaseLost(ctx, target, row, snap, actor, result);
    return;
  }
  const err = outcome.error;
  if (err instanceof BcError && err.code === BC_NOT_SENT) await releaseUnsent(ctx, row, actor, result);
  else if (err instanceof BcError && !err.retryable) await failPermanently(ctx, row, err, actor, result);
  else await retryLater(ctx, [row], actor, err, result, !(err instanceof BcError) || err.ambiguous);
}

/**
 * This worker's create went through, but the order was no longer this worker's (it froze past its lease and
 * another took the order over): if the other worker created the order too, this copy is removed
 * (duplicates.ts); if not, the other worker's lookup finds this one. Either way the timeline says so.
 */
async function createdAfterLeaseLost(ctx: PipelineContext, target: BcTarget, row: ClaimedRow, mine: BcSalesOrderSnapshot, actor: string, result: StageResult): Promise<void> {
  bump(result, 'leaseLost');
  let detail: string;
  try {
    const found = (await target.findExisting([row.order_key!])).get(row.order_key!);
    const all = found ? [found, ...(found.duplicates ?? [])] : [];
    const others = all.filter((s) => s.id !== mine.id);
    if (others.length === 0) {
      detail = `created BC sales order ${mine.number || mine.id} after the lease had passed to another worker; it is the only one with this key, so that worker finds it by lookup`;
    } else {
      const outcome = await removeDuplicate(target, others[0]!, all.find((s) => s.id === mine.id) ?? mine);
      detail = outcome.detail;
      if (outcome.removed) bump(result, 'duplicateRemoved');
      else {
        result.problems++;
        result.errors.push(`order ${row.order_number}: ${outcome.detail}`);
      }
    }
  } catch (err) {
    detail = `created BC sales order ${mine.number || mine.id} after the lease had passed to another worker; checking for a second copy failed (${errorMessage(err)}), verify checks again`;
  }
  const now = await ctx.store.orders.get(row.id);
  if (now) await ctx.store.orders.note(row.id, now.state as OrderState, actor, detail, isoNow(ctx.clock), { duplicateCheck: { created: mine.number || mine.id } });
}

/**
 * Group commit of `exported` transitions: the first transition added starts a short window (BATCH_WINDOW_MS,
 * or until BATCH_MAX are waiting); everything added by then is written in one transaction, and whatever
 * arrives while that is written goes in the next. Each commit costs about as much as the rows it writes, so
 * a backlog exported at hundreds of orders a second writes tens per commit instead of one or two. The attempt
 * was recorded before the send, so a crash before this write costs a lookup, never a duplicate; the window is
 * small next to verify's own batching (it waits for 40 exported orders or 2 s).
 */
class TransitionBatch {
  private pending: { t: TransitionInput; done: (applied: boolean) => void; fail: (err: unknown) => void }[] = [];
  private writing = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: PipelineContext) {}

  add(t: TransitionInput): Promise<boolean> {
    return new Promise((done, fail) => {
      this.pending.push({ t, done, fail });
      if (this.writing) return;
      if (this.pending.length >= BATCH_MAX) this.start();
      else this.timer ??= setTimeout(() => this.start(), BATCH_WINDOW_MS);
    });
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = true;
    void this.write();
  }

  private async write(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const applied = await this.ctx.store.orders.transitionMany(batch.map((p) => p.t), isoNow(this.ctx.clock));
        batch.forEach((p, i) => p.done(applied[i]!));
      } catch (err) {
        for (const p of batch) p.fail(err);
      }
    }
    this.writing = false;
  }
}

const BATCH_WINDOW_MS = 50;
const BATCH_MAX = 100;

/** Time kept between the latest start of a create and the end of its lease (clock skew between workers, the store). */
const SEND_MARGIN_MS = 5_000;

interface Gate {
  acquire(): Promise<() => void>;
}

const gates = new WeakMap<BcTarget, Gate>();

/** One FIFO semaphore per BC target (shared by every export loop of this process). */
function createGate(target: BcTarget, size: number): Gate {
  let gate = gates.get(target);
  if (gate) return gate;
  let free = Math.max(1, size);
  const waiting: Array<() => void> = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  gate = {
    acquire() {
      const once = () => {
        let done = false;
        return () => {
          if (done) return;
          done = true;
          release();
        };
      };
      if (free > 0) {
        free--;
        return Promise.resolve(once());
      }
      return new Promise((resolve) => waiting.push(() => resolve(once())));
    },
  };
  gates.set(target, gate);
  return gate;
}

/**
 * The lease ran too short to send this order's create (BC was slow or throttling): give the order back,
 * unsent, for the next round. Its attempt mark stays, so that round looks it up first (cheap, and safe).
 */
async function releaseUnsent(ctx: PipelineContext, row: ClaimedRow, actor: string, result: StageResult): Promise<void> {
  await ctx.store.orders.transition(
    {
      id: row.id,
      from: 'exporting',
      to: 'ready',
      actor,
      leaseOwner: ctx.workerId,
      reason: 'not sent: too little of the lease was left to finish the request',
      set: { next_attempt_at: null, lease_owner: null, lease_expires_at: null },
    },
    isoNow(ctx.clock),
  );
  bump(result, 'released');
}

function exportedTransition(row: ClaimedRow, snap: BcSalesOrderSnapshot, env: EnvironmentKey, target: BcTarget, actor: string, reason: string, now: string, leaseOwner: string): TransitionInput {
  return {
    id: row.id,
    from: 'exporting',
    to: 'exported',
    actor,
    reason,
    // Only while this worker still holds the order: another may have taken it over after the lease expired.
    leaseOwner,
    set: {
      bc_id: snap.id,
      bc_number: snap.number,
      bc_env: env,
      bc_environment_name: target.environment,
      exported_at: now,
      lease_owner: null,
      lease_expires_at: null,
      reason_code: null,
      reason: null,
      hint: null,
    },
    details: { bcNumber: snap.number, bcId: snap.id, environment: target.environment, snapshot: snap },
  };
}

async function failPermanently(ctx: PipelineContext, row: ClaimedRow, err: BcError, actor: string, result: StageResult): Promise<void> {
  const reason = `BC rejected order ${row.order_number}: ${stripCorrelation(err.message)}`;
  await ctx.store.orders.transition(
    {
      id: row.id,
      from: 'exporting',
      to: 'failed',
      actor,
      leaseOwner: ctx.workerId,
      reason,
      // BC answered with a rejection, so this attempt did not create anything: no lookup needed next time.
      set: { reason_code: 'BC_REJECTED', reason, hint: 'Fix the data BC names (master data in BC or the mapping), then retry the order.', bc_attempt_at: null, lease_owner: null, lease_expires_at: null },
      details: { code: err.code, status: err.status, correlationId: err.correlationId },
    },
    isoNow(ctx.clock),
  );
  result.problems++;
  bump(result, 'failed');
}

async function retryLater(ctx: PipelineContext, rows: ClaimedRow[], actor: string, err: unknown, result: StageResult, mayHaveReachedBc: boolean): Promise<void> {
  const p = ctx.config.pipeline;
  const message = errorMessage(err);
  for (const row of rows) {
    // `row` is as claimed, before this round's attempt: this round is attempt number attempts + 1.
    const attempts = row.attempts + 1;
    const now = ctx.clock.now();
    if (attempts >= p.maxAttempts) {
      const reason = `Gave up after ${attempts} attempts; last error: ${stripCorrelation(message)}`;
      await ctx.store.orders.transition({ id: row.id, from: 'exporting', to: 'failed', actor, leaseOwner: ctx.workerId, reason, set: { attempts, reason_code: 'RETRIES_EXHAUSTED', reason, hint: 'Check BC availability and the request log, then retry the order.', lease_owner: null, lease_expires_at: null }, details: bcDetails(err) }, now.toISOString());
      result.problems++;
      bump(result, 'failed');
      continue;
    }
    const delay = nextAttemptDelayMs(attempts, { baseSeconds: p.backoffBaseSeconds, maxSeconds: p.backoffMaxSeconds, retryAfterMs: err instanceof BcError ? err.retryAfterMs : undefined });
    await ctx.store.orders.transition(
      {
        id: row.id,
        from: 'exporting',
        to: 'ready',
        actor,
        leaseOwner: ctx.workerId,
        reason: `will retry: ${stripCorrelation(message)}`,
        set: {
          attempts,
          next_attempt_at: new Date(now.getTime() + delay).toISOString(),
          lease_owner: null,
          lease_expires_at: null,
          // Keep the attempt mark when BC may have committed: the next try looks the order up first.
          ...(mayHaveReachedBc ? {} : { bc_attempt_at: null }),
        },
        details: bcDetails(err),
      },
      now.toISOString(),
    );
    bump(result, 'retrying');
  }
}

function bcDetails(err: unknown): Record<string, unknown> {
  return err instanceof BcError ? { code: err.code, status: err.status, correlationId: err.correlationId, ambiguous: err.ambiguous } : { error: errorMessage(err) };
}

function stripCorrelation(message: string): string {
  return message.replace(/\s*CorrelationId:\s*[0-9a-f-]+\.?\s*$/i, '').trim();
}
