import type { BcSalesOrderDocument } from '../bc/document.js';
import { isEmptyChange } from '../bc/order-change.js';
import { planResync } from '../bc/resync-plan.js';
import type { BcTarget } from '../bc/target.js';
import type { EnvironmentKey, ShopConfig } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { BcError, errorMessage } from '../domain/errors.js';
import type { CanonicalOrder } from '../domain/order.js';
import { diffOrders, isCancelled, type OrderChange } from '../domain/order-diff.js';
import type { OrderState } from '../domain/states.js';
import type { TransitionInput } from '../store/orders-repo.js';
import type { OrderRow } from '../store/schema.js';
import type { PipelineContext } from './context.js';
import { bindingStore, decide } from './evaluate.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';
import { compareTotals, totalsOf } from './verify.js';

/**
 * A person's decision on an order the shop changed after it went to BC (issue 9, docs/write-back.md
 * "Conflicts"). Nothing in BC changes without one, except cancellations a shop auto-applies
 * (`conflicts.autoCancelUnshipped`).
 *
 * - accept: BC stays as it is; the shop's version becomes the baseline later changes are compared with; the
 *   order returns to the state it came from.
 * - resync: the BC sales order is changed to match the shop's version (lines and header), if BC has shipped
 *   none of it, and its totals are checked again → verified.
 * - cancel: the BC sales order is deleted, if BC has shipped none of it → ignored.
 */
export type ConflictDecision = 'resync' | 'accept' | 'cancel';

export const CONFLICT_DECISIONS: readonly ConflictDecision[] = ['resync', 'accept', 'cancel'];

export interface ConflictResolution {
  ok: boolean;
  /** What happened, or why not, in plain words. */
  text: string;
  /** The order's state afterwards. */
  state?: string;
  /** A refusal that asking again will not change (BC shipped it, the transport cannot); false for a BC outage. */
  final?: boolean;
}

/** The shop's changes since the order went to BC (or since a person accepted a version); [] when none. */
export function conflictDiff(p: { canonical: unknown | null; exportedCanonical: unknown | null; baselineCanonical: unknown | null } | undefined): OrderChange[] {
  const baseline = (p?.baselineCanonical ?? p?.exportedCanonical) as CanonicalOrder | null | undefined;
  const now = p?.canonical as CanonicalOrder | null | undefined;
  return baseline && now ? diffOrders(baseline, now) : [];
}

export async function resolveConflict(ctx: PipelineContext, orderId: number, decision: ConflictDecision, actor: string): Promise<ConflictResolution> {
  const row = await ctx.store.orders.get(orderId);
  if (!row) return { ok: false, text: `order ${orderId}: no such order`, final: true };
  const ref = `order ${row.order_number ?? row.shop_order_id}`;
  if (row.state !== 'conflict') return { ok: false, text: `${ref}: is ${row.state}; only orders in conflict can be resolved`, state: row.state, final: true };
  const origin = (await ctx.store.orders.conflictOrigin(row.id)) ?? (row.verified_at ? 'verified' : 'exported');
  const p = await ctx.store.orders.payloads(row.id);
  const diff = conflictDiff(p).map((c) => c.text);
  const now = isoNow(ctx.clock);
  const base: Omit<TransitionInput, 'to' | 'reason'> = { id: row.id, from: 'conflict', actor, set: { reason_code: null, reason: null, hint: null } };

  if (decision === 'accept') {
    const reason = `accepted by ${actor}: BC sales order ${row.bc_number ?? '?'} stays as it is; the shop's version is the new baseline`;
    const ok = await ctx.store.orders.transition({ ...base, to: origin, reason, details: { decision, returnedTo: origin, diff }, baselineCanonical: p?.canonical ?? null }, now);
    return done(ctx, row, ok, `${ref}: conflict → ${origin} (accepted; BC unchanged)`);
  }

  const env = (row.bc_env ?? 'test') as EnvironmentKey;
  if (!ctx.config.bc[env]) return { ok: false, text: `${ref}: it was exported to BC ${env}, which is not configured now`, final: true };
  const target = ctx.target(env);
  if (!row.bc_id) return { ok: false, text: `${ref}: no BC sales order id is recorded, so bcbridge cannot change it; change it in BC by hand, then accept`, final: true };
  try {
    return decision === 'cancel' ? await cancel(ctx, row, target, origin, diff, actor, base) : await resync(ctx, row, target, origin, p, diff, actor, base);
  } catch (err) {
    // A BC rejection or outage: nothing is decided; the timeline says what happened, the order stays in conflict.
    const message = errorMessage(err).replace(/\s*CorrelationId:\s*[0-9a-f-]+\.?\s*$/i, '');
    const what = decision === 'cancel' ? 'cancel' : 're-sync';
    const partly = decision === 'resync' ? ' BC may be partly updated; a new re-sync applies only what is left.' : '';
    await ctx.store.orders.note(row.id, 'conflict', actor, `${what} failed: ${message}.${partly}`, isoNow(ctx.clock), err instanceof BcError ? { decision, code: err.code, status: err.status, correlationId: err.correlationId } : { decision });
    return { ok: false, text: `${ref}: ${what} failed: ${message}.${partly}`, state: 'conflict', final: err instanceof BcError && !err.retryable };
  }
}

async function cancel(
  ctx: PipelineContext, row: OrderRow, target: BcTarget, origin: OrderState, diff: string[], actor: string, base: Omit<TransitionInput, 'to' | 'reason'>,
): Promise<ConflictResolution> {
  const ref = `order ${row.order_number ?? row.shop_order_id}`;
  if (!target.readOrderNow || !target.deleteOrder) {
    return { ok: false, text: `${ref}: BC ${target.environment} uses the ${target.transport} transport, which cannot delete sales orders; delete ${row.bc_number ?? 'the order'} in BC by hand, then skip the order`, state: 'conflict', final: true };
  }
  const now = await target.readOrderNow(row.bc_id!, { orderId: row.id });
  if (!now) {
    const found = (await target.findExisting([row.order_key!], { orderId: row.id })).get(row.order_key!);
    if (found) {
      return { ok: false, text: `${ref}: BC ${found.status.startsWith('Invoiced') ? `has invoiced sales order ${found.number} (${found.status})` : `has sales order ${found.number} for it, not the one exported`}; it cannot be deleted from bcbridge. Credit it in BC, then accept`, state: 'conflict', final: true };
    }
    const reason = `cancelled by ${actor}: BC sales order ${row.bc_number ?? '?'} no longer exists (deleted in BC)`;
    const ok = await ctx.store.orders.transition({ ...base, to: 'ignored', reason, set: { reason_code: 'CANCELLED', reason, hint: 'Retry the order to export it again.' }, details: { decision: 'cancel', outcome: 'gone', from: origin, diff } }, isoNow(ctx.clock));
    return done(ctx, row, ok, `${ref}: conflict → ignored (BC no longer had ${row.bc_number ?? 'the order'})`);
  }
  const shipped = now.lines.filter((l) => Number(l.shippedQuantity) > 0 || Number(l.invoicedQuantity) > 0);
  if (shipped.length > 0 || now.fullyShipped) {
    return { ok: false, text: `${ref}: BC has already shipped part of sales order ${now.number} (${shipped.map((l) => `${l.shippedQuantity} × ${l.lineObjectNumber || l.description}`).join(', ')}); it cannot be deleted. Handle the return in BC, then accept`, state: 'conflict', final: true };
  }
  const outcome = await target.deleteOrder(row.bc_id!, now.etag, { orderId: row.id });
  const reason = `cancelled by ${actor}: BC sales order ${now.number} deleted`;
  const ok = await ctx.store.orders.transition({ ...base, to: 'ignored', reason, set: { reason_code: 'CANCELLED', reason, hint: 'Retry the order to export it again.' }, details: { decision: 'cancel', outcome, from: origin, diff, bcNumber: now.number } }, isoNow(ctx.clock));
  return done(ctx, row, ok, `${ref}: conflict → ignored (BC sales order ${now.number} deleted)`);
}

async function resync(
  ctx: PipelineContext, row: OrderRow, target: BcTarget, origin: OrderState, p: Awaited<ReturnType<PipelineContext['store']['orders']['payloads']>>,
  diff: string[], actor: string, base: Omit<TransitionInput, 'to' | 'reason'>,
): Promise<ConflictResolution> {
  const ref = `order ${row.order_number ?? row.shop_order_id}`;
  const refuse = (why: string): ConflictResolution => ({ ok: false, text: `${ref}: cannot re-sync: ${why}`, state: 'conflict', final: true });
  if (!target.readOrderNow || !target.changeOrder) {
    return refuse(`BC ${target.environment} uses the ${target.transport} transport, which cannot change a sales order that exists (the page web service only creates); change ${row.bc_number ?? 'it'} in BC by hand, then accept`);
  }
  const order = p?.canonical as CanonicalOrder | null | undefined;
  const exported = p?.document as BcSalesOrderDocument | null | undefined;
  if (!order || !exported) return refuse('the stored shop order or BC document cannot be read');
  if (isCancelled(order)) return refuse('the shop cancelled the order; cancel it in BC (--cancel) or keep it (--accept)');

  const env = (row.bc_env ?? 'test') as EnvironmentKey;
  const shop = ctx.shop(row.shop);
  const decision = await decide(order, {
    shop: mappingOnly(shop, order.status),
    shopIndex: ctx.config.shops.findIndex((s) => s.code === row.shop),
    orderKey: row.order_key!,
    md: ctx.masterData(env).fresh(ctx.clock.now()),
    checksDone: 0,
    now: ctx.clock.now(),
    bindings: bindingStore(ctx, row.shop, env),
  });
  if (decision.kind !== 'ready') {
    return refuse(decision.kind === 'hold' ? `${decision.hold.reason} ${decision.hold.hint}` : decision.reason);
  }
  const next = decision.document;
  const now = await target.readOrderNow(row.bc_id!, { orderId: row.id });
  if (!now) return refuse(`BC no longer has sales order ${row.bc_number ?? row.bc_id} (fully invoiced or deleted); accept, or cancel to mark it ignored`);
  const plan = planResync(exported, next, now);
  if (plan.kind === 'refused') return refuse(plan.reason);
  const payloads = { document: next, exportedCanonical: order, baselineCanonical: null };
  const at = () => isoNow(ctx.clock);
  if (isEmptyChange(plan.change)) {
    const reason = `re-synced by ${actor}: BC sales order ${now.number} already matches the shop's version`;
    const ok = await ctx.store.orders.transition({ ...base, to: origin, reason, details: { decision: 'resync', changes: [], diff }, ...payloads }, at());
    return done(ctx, row, ok, `${ref}: conflict → ${origin} (BC already matched)`);
  }
  const changes = plan.change.lines.map((o) => o.what);
  for (const [k, v] of Object.entries(plan.change.header)) changes.push(`${k} "${v}"`);
  if (plan.change.shipmentMethodCode) changes.push(`shipment method ${plan.change.shipmentMethodCode}`);
  if (plan.change.discountAmount !== undefined) changes.push(`order discount ${plan.change.discountAmount}`);
  const snap = await target.changeOrder(row.bc_id!, plan.change, { orderId: row.id });
  const differences = compareTotals(totalsOf(next), snap);
  if (differences.length > 0) {
    // BC has the new lines but not the shop's totals: verify reports the difference (TOTALS_MISMATCH) as usual.
    const reason = `re-synced by ${actor}: BC sales order ${snap.number} updated (${changes.join('; ')}), but totals differ: ${differences.join('; ')}`;
    const ok = await ctx.store.orders.transition({ ...base, to: 'exported', reason, set: { reason_code: null, reason: null, hint: null, bc_number: snap.number }, details: { decision: 'resync', changes, diff, snapshot: snap }, bcSnapshot: snap, ...payloads }, at());
    return done(ctx, row, ok, `${ref}: conflict → exported (BC updated; totals differ: ${differences.join('; ')})`);
  }
  const reason = `re-synced by ${actor}: BC sales order ${snap.number} updated (${changes.join('; ')}); totals match`;
  const ok = await ctx.store.orders.transition(
    { ...base, to: 'verified', reason, set: { reason_code: null, reason: null, hint: null, bc_number: snap.number, verified_at: at() }, details: { decision: 'resync', changes, diff, snapshot: snap }, bcSnapshot: snap, ...payloads },
    at(),
  );
  return done(ctx, row, ok, `${ref}: conflict → verified (BC sales order ${snap.number} updated, totals match)`);
}

/**
 * A re-sync changes an order BC has already: whether it may go to BC (status, payment, guest) was decided at
 * its export, so only the mapping rules apply now.
 */
function mappingOnly(shop: ShopConfig, status: string): ShopConfig {
  return { ...shop, rules: { ...shop.rules, exportStatuses: [status], ignoreStatuses: [], requirePaid: false, registeredOnly: false, giveUpAfterDays: undefined } };
}

async function done(ctx: PipelineContext, row: OrderRow, ok: boolean, text: string): Promise<ConflictResolution> {
  const after = await ctx.store.orders.get(row.id);
  return ok ? { ok, text, state: after?.state } : { ok, text: `order ${row.order_number ?? row.shop_order_id}: changed meanwhile, nothing decided`, state: after?.state };
}

/**
 * `conflicts.autoCancelUnshipped`: shop cancellations of orders BC has not shipped are applied without asking
 * (the BC sales order is deleted). One BC has shipped stays in conflict for a person, marked so it is not
 * tried again; a BC outage is tried again in the next cycle.
 */
export async function autoCancelConflicts(ctx: PipelineContext, actor: string, opts: { shop?: string } = {}): Promise<StageResult> {
  const result = emptyResult('conflicts', opts.shop);
  for (const shop of ctx.config.shops) {
    if (!shop.conflicts.autoCancelUnshipped || (opts.shop && shop.code !== opts.shop)) continue;
    const rows = await ctx.store.orders.list({ state: 'conflict', shop: shop.code, reasonCode: 'SHOP_CANCELLED', limit: 500 });
    for (const row of rows) {
      const r = await resolveConflict(ctx, row.id, 'cancel', `${actor} (conflicts.autoCancelUnshipped)`);
      if (r.ok) {
        bump(result, 'cancelled');
        continue;
      }
      if (r.final && r.state === 'conflict') {
        const reason = `The shop cancelled order ${row.order_number ?? row.shop_order_id}, but it was not cancelled in BC automatically: ${r.text.replace(/^order [^:]+: /, '')}.`;
        await ctx.store.orders.updateReason(row.id, 'conflict', { code: 'SHOP_CANCELLED_BC_SHIPPED', reason, hint: 'Handle it in BC (return, credit memo), then accept.' }, actor, isoNow(ctx.clock));
        result.problems++;
        bump(result, 'needsPerson');
      } else {
        result.errors.push(r.text);
        bump(result, 'deferred');
      }
    }
  }
  return result;
}
