import type { ShopConfig } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { errorMessage } from '../domain/errors.js';
import type { ShopConnector } from '../shops/connector.js';
import { eventsWithDetail, readMarks } from '../store/event-marks.js';
import type { OrderRow } from '../store/schema.js';
import { writeBackRetryDue } from './write-back-guard.js';
import type { PipelineContext } from './context.js';
import { bump, type StageResult } from './stage-result.js';

/** What the timeline records (order_events.details.bcNumber): the step's whole memory. */
interface BcNumberMark {
  number: string;
  outcome: 'written' | 'failed';
  attempt?: number;
}

/** The text platforms store as a note or comment. */
export const bcNumberNote = (bcNumber: string) => `BC sales order ${bcNumber}`;

/**
 * `writeBack.bcNumberOnOrder` (docs/write-back.md "BC document no. on the shop order"): once an order is
 * verified, its BC sales order no. goes onto the shop order through the connector's `recordBcNumber`.
 * A step of the write-back stage, run before the shipments so an order shipped at once still gets it.
 *
 * Never changes the order's state: success and failure are notes on the timeline. A `written` mark for the
 * current BC number makes it idempotent (the connector also checks the shop); a failure is retried with the
 * shop's write-back backoff and, from `maxAttempts` on, reported as a problem by every run.
 * Callers pass only orders allowed to write back (mayWriteBack: test-environment orders never write).
 *
 * Returns the orders whose note is still to be written after this run (failed, not given up): the shipment
 * write-back keeps those `verified` when their last shipment is written, since only `verified` orders are
 * read here and a `fulfilled` one would never get its note.
 */
export async function recordBcNumbers(
  ctx: PipelineContext, shop: ShopConfig, connector: ShopConnector, rows: OrderRow[], actor: string, result: StageResult,
  opts: { ignoreBackoff?: boolean; signal?: AbortSignal },
): Promise<Set<number>> {
  const pending = new Set<number>();
  if (!connector.recordBcNumber || rows.length === 0) return pending;
  const cfg = shop.writeBack;
  const events = await eventsWithDetail(ctx.store.db.kysely, rows.map((r) => r.id), 'bcNumber');
  for (const row of rows) {
    const number = row.bc_number!;
    const marks = readMarks(events.get(row.id) ?? [], 'bcNumber', isBcNumberMark).filter((m) => m.mark.number === number);
    if (marks.some((m) => m.mark.outcome === 'written')) continue;
    const failures = marks.filter((m) => m.mark.outcome === 'failed');
    if (!opts.ignoreBackoff && !writeBackRetryDue(failures, cfg, ctx.clock.now().getTime())) {
      bump(result, 'bcNumberWaiting');
      if (failures.length >= cfg.maxAttempts) surface(result, row, failures.length, failures.at(-1)!.reason);
      else pending.add(row.id);
      continue;
    }
    const attempt = failures.length + 1;
    const now = isoNow(ctx.clock);
    try {
      const done = await connector.recordBcNumber(
        { shopOrderId: row.shop_order_id, orderNumber: row.order_number ?? row.shop_order_id, bcOrderNumber: number, note: bcNumberNote(number) },
        opts.signal,
      );
      const mark: BcNumberMark = { number, outcome: 'written' };
      await ctx.store.orders.note(row.id, 'verified', actor, `BC sales order no. ${number} put on the shop order (${done.detail})`, now, { bcNumber: mark });
      bump(result, 'bcNumberRecorded');
    } catch (err) {
      const mark: BcNumberMark = { number, outcome: 'failed', attempt };
      const reason = `putting BC sales order no. ${number} on the shop order failed (attempt ${attempt}): ${errorMessage(err)}`;
      await ctx.store.orders.note(row.id, 'verified', actor, reason, now, { bcNumber: mark });
      if (attempt >= cfg.maxAttempts) surface(result, row, attempt, reason);
      else {
        bump(result, 'bcNumberRetrying');
        pending.add(row.id);
      }
    }
  }
  return pending;
}

function surface(result: StageResult, row: OrderRow, attempts: number, reason: string | null): void {
  result.problems++;
  bump(result, 'bcNumberFailed');
  result.errors.push(`order ${row.order_number}: putting the BC sales order no. on the shop order keeps failing (${attempts} attempts): ${reason ?? 'see the timeline'}`);
}

const isBcNumberMark = (v: unknown): v is BcNumberMark => typeof (v as BcNumberMark | null)?.number === 'string';
