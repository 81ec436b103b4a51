import type { Kysely } from 'kysely';
import type { CanonicalOrder } from '../domain/order.js';
import { conflictReason, diffOrders } from '../domain/order-diff.js';
import { canTransition, type OrderState } from '../domain/states.js';
import type { Database } from './schema.js';

/** States an order can leave for `conflict`, and return to when the conflict is settled. */
export const CONFLICT_ORIGINS: readonly OrderState[] = ['exported', 'verified', 'fulfilled'];

export interface ShopChange {
  id: number;
  state: OrderState;
  orderRef: string;
  /** The shop's version now; null when it cannot be read as an order. */
  canonical: CanonicalOrder | null;
  /** JSON of what the check compares with: the accepted version, else what BC holds. */
  baseline: string | null;
  modifiedAt: string | null;
}

type AppendEvent = (from: OrderState, to: OrderState, reason: string, details: Record<string, unknown>) => Promise<void>;

/**
 * A newer shop version of an order that is (or may be) in BC (issue 9, docs/write-back.md "Conflicts"), inside
 * the intake's transaction. Business changes move exported/verified/fulfilled orders to `conflict` with the
 * diff; a conflict gets its diff updated (or is settled when the shop undid its changes); an order being
 * exported is only noted: the export stage checks it when the export is done. Changes without business
 * meaning (status moves, bcbridge's own notes and BC number) are a timeline note and nothing else.
 */
export async function applyShopChange(trx: Kysely<Database>, c: ShopChange, actor: string, now: string, event: AppendEvent): Promise<void> {
  const details = { modifiedAt: c.modifiedAt };
  if (c.state === 'exporting') {
    await event(c.state, c.state, 'the shop changed the order during its export; it is compared with what BC got once the export is done', details);
    return;
  }
  if (!c.canonical || !c.baseline) {
    await event(c.state, c.state, 'the shop changed the order after export (it cannot be compared: the stored or the new version is not readable)', details);
    return;
  }
  const changes = diffOrders(JSON.parse(c.baseline) as CanonicalOrder, c.canonical);
  const diff = changes.map((x) => x.text);
  if (c.state === 'conflict') {
    if (changes.length === 0) {
      const origin = await conflictOrigin(trx, c.id);
      if (origin && (await move(trx, c.id, 'conflict', origin, now, { reason_code: null, reason: null, hint: null }))) {
        await event('conflict', origin, 'the shop undid its changes: the order matches BC again, nothing to decide', { ...details, diff });
      }
      return;
    }
    const r = conflictReason(changes, c.orderRef);
    await trx.updateTable('orders').set({ reason_code: r.code, reason: r.reason, hint: r.hint, updated_at: now }).where('id', '=', c.id).where('state', '=', 'conflict').execute();
    await event('conflict', 'conflict', 'the shop changed the order again; the diff is updated', { ...details, diff });
    return;
  }
  if (changes.length === 0) {
    await event(c.state, c.state, 'the shop changed the order after export: nothing that matters for BC (status, notes or the BC number)', details);
    return;
  }
  const r = conflictReason(changes, c.orderRef);
  if (await move(trx, c.id, c.state, 'conflict', now, { reason_code: r.code, reason: r.reason, hint: r.hint })) {
    await event(c.state, 'conflict', r.reason, { ...details, diff, from: c.state });
  }
}

/** The state an order in conflict came from (its last move into `conflict`). */
export async function conflictOrigin(db: Kysely<Database>, orderId: number): Promise<OrderState | undefined> {
  const row = await db
    .selectFrom('order_events')
    .select('from_state')
    .where('order_id', '=', orderId)
    .where('to_state', '=', 'conflict')
    .where('from_state', 'in', [...CONFLICT_ORIGINS])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (row?.from_state as OrderState | undefined) ?? undefined;
}

async function move(
  trx: Kysely<Database>, id: number, from: OrderState, to: OrderState, now: string,
  set: { reason_code: string | null; reason: string | null; hint: string | null },
): Promise<boolean> {
  if (!canTransition(from, to)) return false;
  const res = await trx.updateTable('orders').set({ ...set, state: to, updated_at: now }).where('id', '=', id).where('state', '=', from).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
