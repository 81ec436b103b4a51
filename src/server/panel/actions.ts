import { retryOrder, skipOrder } from '../../cli/commands/orders.js';
import type { EnvironmentKey } from '../../config/schema.js';
import { isoNow } from '../../domain/clock.js';
import { ACTIVE_ENV_SETTING } from '../../pipeline/context.js';
import { CONFLICT_DECISIONS, resolveConflict, type ConflictDecision } from '../../pipeline/conflicts.js';
import { runStage } from '../../pipeline/run-stage.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { PanelInputError } from './input-error.js';
import type { MappingChange, MappingEditor } from './mapping-file.js';

/** The panel's write actions, shared by the HTML forms and the JSON API. Every one is an order transition or a setting. */

export interface OrderActionResult {
  id: number;
  ok: boolean;
  text: string;
  /** The order's state after the action (and the immediate evaluation, for retries). */
  state?: string;
  reasonCode?: string | null;
  reason?: string | null;
}

export const MAX_BULK = 500;

export function parseIds(values: unknown): number[] {
  const list = (Array.isArray(values) ? values : values === undefined || values === null || values === '' ? [] : [values]).map((v) => String(v).trim());
  const ids = list.map(Number);
  const bad = list.filter((_, i) => !Number.isInteger(ids[i]) || ids[i] < 1);
  if (bad.length > 0) throw new PanelInputError(`ids: not order ids: ${bad.slice(0, 5).join(', ')}`, 400, 'ids');
  if (ids.length === 0) throw new PanelInputError('ids: select at least one order', 400, 'ids');
  if (ids.length > MAX_BULK) throw new PanelInputError(`ids: at most ${MAX_BULK} orders at once`, 400, 'ids');
  return [...new Set(ids)];
}

/**
 * Retry = the same transition as `bcbridge orders retry` (back to `received`, BC master data cache
 * cleared), followed at once by an evaluation of the affected shops, so the operator sees straight
 * away whether the fix worked (ready) or what still holds the order.
 */
export async function retryOrders(rt: Runtime, ids: number[], actor: string, why?: string): Promise<OrderActionResult[]> {
  const results: OrderActionResult[] = [];
  const shops = new Set<string>();
  for (const id of ids) {
    const row = await rt.store.orders.get(id);
    if (!row) {
      results.push({ id, ok: false, text: `order ${id}: no such order` });
      continue;
    }
    const r = await retryOrder(rt, String(id), undefined, actor, why);
    if (r.ok) shops.add(row.shop);
    results.push({ id, ok: r.ok, text: r.text.replace(/^\d+:/, `order ${row.order_number ?? id}:`) });
  }
  for (const shop of shops) await runStage(rt, 'evaluate', actor, { shop });
  return withStates(rt, results);
}

export async function skipOrders(rt: Runtime, ids: number[], actor: string, why?: string): Promise<OrderActionResult[]> {
  const results: OrderActionResult[] = [];
  for (const id of ids) {
    const row = await rt.store.orders.get(id);
    if (!row) {
      results.push({ id, ok: false, text: `order ${id}: no such order` });
      continue;
    }
    const r = await skipOrder(rt, String(id), undefined, actor, why || `skipped in the panel by ${actor}`);
    results.push({ id, ok: r.ok, text: r.text.replace(/^\d+:/, `order ${row.order_number ?? id}:`) });
  }
  return withStates(rt, results);
}

/** A person's decision on an order in conflict (resync / accept / cancel), as `bcbridge orders resolve` does it. */
export async function resolveOrderConflict(rt: Runtime, id: number, decision: unknown, actor: string): Promise<OrderActionResult> {
  if (typeof decision !== 'string' || !(CONFLICT_DECISIONS as readonly string[]).includes(decision)) {
    throw new PanelInputError(`decision: must be one of ${CONFLICT_DECISIONS.join(', ')}`, 400, 'decision');
  }
  const row = await rt.store.orders.get(id);
  if (!row) throw new PanelInputError(`order ${id}: no such order`, 404);
  const r = await resolveConflict(rt, id, decision as ConflictDecision, actor);
  const [result] = await withStates(rt, [{ id, ok: r.ok, text: r.text }]);
  return result!;
}

async function withStates(rt: Runtime, results: OrderActionResult[]): Promise<OrderActionResult[]> {
  for (const r of results) {
    const row = await rt.store.orders.get(r.id);
    if (row) Object.assign(r, { state: row.state, reasonCode: row.reason_code, reason: row.reason });
  }
  return results;
}

/** Fix and retry: saves a mapping entry (config file + running process), then retries the order. */
export async function fixMapping(rt: Runtime, editor: MappingEditor, orderId: number, change: Omit<MappingChange, 'shop'>, actor: string): Promise<{ saved: { path: string; yamlPath: string }; result: OrderActionResult }> {
  const row = await rt.store.orders.get(orderId);
  if (!row) throw new PanelInputError(`order ${orderId}: no such order`, 404);
  const saved = await editor.set({ ...change, shop: row.shop });
  const [result] = await retryOrders(rt, [orderId], actor, `retry after mapping change: ${saved.yamlPath} = ${change.value.trim()}`);
  return { saved, result };
}

export interface EnvSwitch {
  from: EnvironmentKey;
  to: EnvironmentKey;
  name: string;
  changed: boolean;
}

/**
 * The Live/Test switch (guarantee 6): like `bcbridge env`, it needs an explicit confirmation, here the
 * name of the target typed back (`confirm` must equal `to`). Orders already attempted finish where they
 * started; new exports go to the new environment.
 */
export async function switchEnvironment(rt: Runtime, to: string, confirm: string | undefined, actor: string): Promise<EnvSwitch> {
  if (to !== 'live' && to !== 'test') throw new PanelInputError('to: must be "live" or "test"', 400, 'to');
  const target = rt.config.bc[to];
  if (!target) throw new PanelInputError(`to: bc.${to} is not configured`, 400, 'to');
  const from = await rt.activeEnvironment();
  if (from === to) return { from, to, name: target.name, changed: false };
  if ((confirm ?? '').trim() !== to) throw new PanelInputError(`confirm: type "${to}" to confirm the switch to ${to} (${target.name}, company ${target.company})`, 400, 'confirm');
  await rt.store.settings.set(ACTIVE_ENV_SETTING, to, isoNow(rt.clock));
  rt.log.warn({ from, to, environment: target.name, actor }, 'active BC environment switched from the panel');
  return { from, to, name: target.name, changed: true };
}
