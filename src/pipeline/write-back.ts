import type { BcSalesOrderDocument } from '../bc/document.js';
import type { BcPostedShipment, BcTrackingSource } from '../bc/target.js';
import type { EnvironmentKey, ShopConfig } from '../config/schema.js';
import { isoNow } from '../domain/clock.js';
import { errorMessage } from '../domain/errors.js';
import { dec } from '../domain/money.js';
import type { CanonicalOrder } from '../domain/order.js';
import type { ShopWriteBack } from '../shops/connector.js';
import { eventsWithDetail, readMarks, type TimelineMark } from '../store/event-marks.js';
import type { OrderRow } from '../store/schema.js';
import type { PipelineContext } from './context.js';
import { recordBcNumbers } from './bc-number.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';
import { mayWriteBack, writeBackRetryDue } from './write-back-guard.js';

/** BC order numbers per shipment lookup (`orderNumber in (…)`; findByKey also splits by URL length). */
const LOOKUP_CHUNK = 40;

type WriteBackConfig = ShopConfig['writeBack'];

/** What the timeline records per shipment (order_events.details.writeBack): the stage's whole memory. */
interface WriteBackMark {
  shipmentNo: string;
  outcome: 'written' | 'failed';
  attempt?: number;
  complete?: boolean;
}

/**
 * Write-back (issue 9, docs/write-back.md): for `verified` orders of shops with writeBack enabled, read BC's
 * posted shipments (by BC order number, many orders per request) and report each shipment not written yet
 * to the shop, oldest first. The order becomes `fulfilled` with the shipment that ships its last line;
 * until then it stays `verified`. Each shipment written, and each failed attempt, is an event on the
 * order's timeline: a retry skips what is written (idempotent), and failures back off until
 * `maxAttempts`, after which every run reports the order as a problem with the reason.
 *
 * Orders exported to an environment that may not write back (mayWriteBack: test, unless allowed) are never
 * touched, whatever environment is active now.
 */
export async function writeBack(
  ctx: PipelineContext,
  actor: string,
  opts: { shop?: string; limit?: number; ignoreBackoff?: boolean; signal?: AbortSignal; env?: EnvironmentKey } = {},
): Promise<StageResult> {
  const result = emptyResult('writeback', opts.shop);
  const shops = ctx.config.shops.filter((s) => (opts.shop ? s.code === opts.shop : true));
  if (opts.shop && shops.length === 0) throw new Error(`unknown shop "${opts.shop}"`);
  for (const shop of shops) {
    if (!shop.writeBack.enabled && !shop.writeBack.bcNumberOnOrder) {
      // Off by default: say so only when this shop was asked for by name.
      if (opts.shop) result.errors.push(`shop ${shop.code}: writeBack.enabled is false in the config`);
      continue;
    }
    const connector = ctx.connector(shop.code);
    const shipments = shop.writeBack.enabled && !!connector.writeBack;
    if (shop.writeBack.enabled && !connector.writeBack) result.errors.push(`shop ${shop.code}: the ${connector.platform} connector cannot write back yet`);
    const bcNumbers = shop.writeBack.bcNumberOnOrder && !!connector.recordBcNumber;
    if (shop.writeBack.bcNumberOnOrder && !connector.recordBcNumber) {
      result.errors.push(`shop ${shop.code}: the ${connector.platform} connector cannot put the BC order no. on the shop order yet (writeBack.bcNumberOnOrder)`);
    }
    if (!shipments && !bcNumbers) continue;
    let afterId = 0;
    for (;;) {
      const rows = await ctx.store.orders.inState('verified', { limit: opts.limit ?? 200, shop: shop.code, afterId });
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const byEnv = new Map<EnvironmentKey, OrderRow[]>();
      for (const r of rows) {
        const env = (r.bc_env ?? 'test') as EnvironmentKey;
        // A BC notification names its environment: the other environment's orders wait for their own turn.
        if (opts.env && env !== opts.env) continue;
        if (!mayWriteBack(env, ctx.config.bc[env])) {
          bump(result, 'notAllowed');
          continue;
        }
        if (!r.bc_number) {
          bump(result, 'noBcNumber');
          continue;
        }
        byEnv.set(env, [...(byEnv.get(env) ?? []), r]);
      }
      const notePending = bcNumbers ? await recordBcNumbers(ctx, shop, connector, [...byEnv.values()].flat(), actor, result, opts) : new Set<number>();
      if (!shipments) {
        if (opts.limit) break;
        continue;
      }
      for (const [env, group] of byEnv) {
        for (let i = 0; i < group.length; i += LOOKUP_CHUNK) {
          await writeBackChunk(ctx, shop, env, group.slice(i, i + LOOKUP_CHUNK), actor, result, { ...opts, notePending });
        }
      }
      if (opts.limit) break;
    }
  }
  return result;
}

/** Options of one chunk: `notePending` are the orders whose BC number note is still to be written (bc-number.ts). */
type ChunkOptions = { ignoreBackoff?: boolean; signal?: AbortSignal; notePending: ReadonlySet<number> };

async function writeBackChunk(
  ctx: PipelineContext, shop: ShopConfig, env: EnvironmentKey, rows: OrderRow[], actor: string, result: StageResult,
  opts: ChunkOptions,
): Promise<void> {
  const target = ctx.target(env);
  if (!target.listShipments) {
    result.errors.push(`BC ${target.environment}: the ${target.transport} transport cannot read posted shipments here (SOAP: publish the AutoShoppingCartShipments page and set shipmentService, docs/bc-soap-page.md)`);
    bump(result, 'deferred', rows.length);
    return;
  }
  let shipments: BcPostedShipment[];
  try {
    shipments = await target.listShipments(rows.map((r) => r.bc_number!), trackingSource(shop.writeBack));
  } catch (err) {
    result.errors.push(`reading shipments from BC ${target.environment} failed: ${errorMessage(err)}`);
    bump(result, 'deferred', rows.length);
    return;
  }
  const byOrder = new Map<string, BcPostedShipment[]>();
  for (const s of shipments) {
    const key = s.orderNumber.toUpperCase();
    byOrder.set(key, [...(byOrder.get(key) ?? []), s]);
  }
  const withShipments = rows.filter((r) => byOrder.has(r.bc_number!.toUpperCase()));
  if (rows.length > withShipments.length) bump(result, 'notShipped', rows.length - withShipments.length);
  if (withShipments.length === 0) return;
  // What BC got, not the shop's current version: shipment lines trace back to the lines BC was sent.
  const ids = withShipments.map((r) => r.id);
  const payloads = await ctx.store.orders.payloadsMany(ids, ['canonical', 'document'], { canonical: 'exported' });
  // The stage's memory (which shipments are written, which failed when) for the whole chunk in one read.
  const events = await eventsWithDetail(ctx.store.db.kysely, ids, 'writeBack');
  for (const row of withShipments) {
    const p = payloads.get(row.id);
    const order = p?.canonical as CanonicalOrder | null | undefined;
    const doc = p?.document as BcSalesOrderDocument | null | undefined;
    if (!order || !doc) {
      result.errors.push(`order ${row.order_number}: no stored shop order or BC document to match the shipment lines with`);
      bump(result, 'skipped');
      continue;
    }
    const marks = readMarks(events.get(row.id) ?? [], 'writeBack', isWriteBackMark);
    await writeBackOrder(ctx, shop, row, order, doc, byOrder.get(row.bc_number!.toUpperCase())!, marks, actor, result, opts);
  }
}

async function writeBackOrder(
  ctx: PipelineContext, shop: ShopConfig, row: OrderRow, order: CanonicalOrder, doc: BcSalesOrderDocument, shipments: BcPostedShipment[],
  marks: TimelineMark<WriteBackMark>[], actor: string, result: StageResult, opts: ChunkOptions,
): Promise<void> {
  const cfg = shop.writeBack;
  const notePending = opts.notePending.has(row.id);
  // Every shipment reached the shop in an earlier run, but the order stayed verified for its BC number note.
  const shippedAll = marks.find((m) => m.mark.outcome === 'written' && m.mark.complete);
  if (shippedAll) {
    if (notePending) {
      bump(result, 'waitingForBcNumber');
      return;
    }
    const reason = `every shipment is on the shop order (the last, BC shipment ${shippedAll.mark.shipmentNo}, since ${shippedAll.at}), and so is the BC sales order no.`;
    await ctx.store.orders.transition({ id: row.id, from: 'verified', to: 'fulfilled', actor, reason }, isoNow(ctx.clock));
    bump(result, 'fulfilled');
    return;
  }
  const written = new Set(marks.filter((m) => m.mark.outcome === 'written').map((m) => m.mark.shipmentNo));
  const shipped = new Map<string, ReturnType<typeof dec>>();
  const connector = ctx.connector(shop.code);
  const mustShip = linesBcShips(order, doc);
  for (const shipment of shipments) {
    const lines = shopLines(shipment, doc, order);
    for (const l of lines) shipped.set(l.shopLineId, (shipped.get(l.shopLineId) ?? dec(0)).plus(dec(l.quantity)));
    if (written.has(shipment.number)) continue;
    const complete = mustShip.every((l) => (shipped.get(l.lineId) ?? dec(0)).gte(dec(l.quantity)));

    const failures = marks.filter((m) => m.mark.outcome === 'failed' && m.mark.shipmentNo === shipment.number && !written.has(shipment.number));
    const attempt = failures.length + 1;
    if (!opts.ignoreBackoff && !writeBackRetryDue(failures, cfg, ctx.clock.now().getTime())) {
      bump(result, 'waiting');
      if (failures.length >= cfg.maxAttempts) surface(result, row, shipment.number, failures.length, failures.at(-1)!.reason);
      return;
    }
    const tracking = trackingFor(shipment, cfg);
    const wb: ShopWriteBack = {
      shopOrderId: row.shop_order_id,
      orderNumber: row.order_number ?? row.shop_order_id,
      shipmentNo: shipment.number,
      bcOrderNumber: row.bc_number!,
      lines,
      ...(tracking && { tracking }),
      complete,
      completeStatus: cfg.completeStatus,
      note: renderNote(cfg.noteTemplate, { shipment, order: row, lines, tracking, orderLines: order }),
      customerNote: cfg.customerNote,
      trackingMode: cfg.tracking.shopMode,
      ...(doc.locationCode && { locationCode: doc.locationCode }),
    };
    const now = isoNow(ctx.clock);
    try {
      const done = await connector.writeBack!(wb, opts.signal);
      const mark: WriteBackMark = { shipmentNo: shipment.number, outcome: 'written', complete };
      const reason = `BC shipment ${shipment.number} written back to the shop (${done.detail})${tracking ? `, tracking ${tracking.number}` : ''}`;
      if (complete && notePending) {
        // Fulfilled only once the BC number note is written too: a fulfilled order is no longer read for it.
        await ctx.store.orders.note(row.id, 'verified', actor, `${reason}; fulfilled once the BC sales order no. is on the shop order as well`, now, { writeBack: mark, lines });
        bump(result, 'waitingForBcNumber');
      } else if (complete) {
        await ctx.store.orders.transition({ id: row.id, from: 'verified', to: 'fulfilled', actor, reason, details: { writeBack: mark, lines } }, now);
        bump(result, 'fulfilled');
      } else {
        await ctx.store.orders.note(row.id, 'verified', actor, `${reason}; partly shipped`, now, { writeBack: mark, lines });
        bump(result, 'partial');
      }
      written.add(shipment.number);
    } catch (err) {
      const message = errorMessage(err);
      const mark: WriteBackMark = { shipmentNo: shipment.number, outcome: 'failed', attempt };
      const reason = `write-back of BC shipment ${shipment.number} failed (attempt ${attempt}): ${message}`;
      await ctx.store.orders.note(row.id, 'verified', actor, reason, now, { writeBack: mark });
      if (attempt >= cfg.maxAttempts) surface(result, row, shipment.number, attempt, reason);
      else bump(result, 'retrying');
      // Later shipments wait: the shop hears about shipments in BC's order.
      return;
    }
  }
}

/**
 * The shop lines BC has to ship before the order is complete: those that became Item lines of the BC
 * document. A bundle's parent sent as a comment (`bundles: children`), or its parts priced into the parent
 * (`bundles: parent`), never appear on a BC shipment, so they cannot hold the order back. A document without
 * any traced Item line (older stored documents) falls back to every shop line.
 */
export function linesBcShips(order: CanonicalOrder, doc: BcSalesOrderDocument): CanonicalOrder['lines'] {
  const items = new Set(doc.lines.filter((l) => l.lineType === 'Item' && l.sourceLineId).map((l) => l.sourceLineId!));
  const traced = order.lines.filter((l) => items.has(l.lineId));
  return traced.length > 0 ? traced : order.lines;
}

function surface(result: StageResult, row: OrderRow, shipmentNo: string, attempts: number, reason: string | null): void {
  result.problems++;
  bump(result, 'writeBackFailed');
  result.errors.push(`order ${row.order_number}: write-back of BC shipment ${shipmentNo} keeps failing (${attempts} attempts): ${reason ?? 'see the timeline'}`);
}

const isWriteBackMark = (v: unknown): v is WriteBackMark => typeof (v as WriteBackMark | null)?.shipmentNo === 'string';

/**
 * The shop lines a BC shipment contains. A shipment line carries the sales line's Line No. (`sequence`);
 * bcbridge created the lines in document order, 10000 apart, so the sequence names the document line and
 * through it the shop line (`sourceLineId`). A line someone inserted in BC by hand has no shop line and is
 * left out; lines that are not shop products (freight, fees) are left out too.
 */
export function shopLines(shipment: BcPostedShipment, doc: BcSalesOrderDocument, order: CanonicalOrder): ShopWriteBack['lines'] {
  const productLines = new Map(order.lines.map((l) => [l.lineId, l]));
  const out = new Map<string, ShopWriteBack['lines'][number]>();
  for (const sl of shipment.lines) {
    const index = sl.sequence / 10000 - 1;
    let docLine = Number.isInteger(index) ? doc.lines[index] : undefined;
    const sameObject = (n?: string) => (n ?? '').toUpperCase() === sl.lineObjectNumber.toUpperCase();
    if (!docLine || !sameObject(docLine.lineObjectNumber)) {
      docLine = doc.lines.find((d) => d.sourceLineId && productLines.has(d.sourceLineId) && sameObject(d.lineObjectNumber));
    }
    const shopLine = docLine?.sourceLineId ? productLines.get(docLine.sourceLineId) : undefined;
    if (!shopLine || dec(sl.quantity).lte(0)) continue;
    const prior = out.get(shopLine.lineId);
    const quantity = prior ? dec(prior.quantity).plus(dec(sl.quantity)).toFixed() : dec(sl.quantity).toFixed();
    out.set(shopLine.lineId, { shopLineId: shopLine.lineId, quantity, ...(shopLine.sku && { sku: shopLine.sku }), name: shopLine.name });
  }
  return [...out.values()];
}

function trackingSource(cfg: WriteBackConfig): BcTrackingSource {
  const t = cfg.tracking;
  if (t.source === 'customPage') {
    return { source: 'customPage', apiPath: t.apiPath, entitySet: t.entitySet, shipmentNoField: t.shipmentNoField, trackingField: t.trackingField, agentField: t.agentField };
  }
  if (t.source === 'shipmentField') return { source: 'shipmentField', field: t.field! };
  return { source: 'none' };
}

/** BC shipping agent code → the shop's carrier name and tracking link (config `writeBack.tracking.carriers`). */
function trackingFor(shipment: BcPostedShipment, cfg: WriteBackConfig): ShopWriteBack['tracking'] {
  if (!shipment.tracking) return undefined;
  const agent = shipment.tracking.agentCode;
  const carrier = agent ? cfg.tracking.carriers[agent] ?? cfg.tracking.carriers[agent.toUpperCase()] : undefined;
  const url = carrier?.url?.replaceAll('{tracking}', encodeURIComponent(shipment.tracking.number));
  return { number: shipment.tracking.number, ...((carrier?.name ?? agent) && { carrier: carrier?.name ?? agent }), ...(url && { url }) };
}

function renderNote(
  template: string,
  v: { shipment: BcPostedShipment; order: OrderRow; lines: ShopWriteBack['lines']; tracking: ShopWriteBack['tracking']; orderLines: CanonicalOrder },
): string {
  const lineText = v.lines.map((l) => `${l.quantity} × ${l.name ?? l.sku ?? l.shopLineId}`).join(', ');
  const trackingText = v.tracking
    ? `Tracking no. ${v.tracking.number}${v.tracking.carrier ? ` (${v.tracking.carrier})` : ''}${v.tracking.url ? `: ${v.tracking.url}` : ''}`
    : '';
  const values: Record<string, string> = {
    shipment: v.shipment.number,
    order: v.order.order_number ?? v.order.shop_order_id,
    bcOrder: v.order.bc_number ?? '',
    lines: lineText ? `${lineText}.` : '',
    tracking: trackingText ? ` ${trackingText}` : '',
    trackingNo: v.tracking?.number ?? '',
    carrier: v.tracking?.carrier ?? '',
    trackingUrl: v.tracking?.url ?? '',
  };
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all).replace(/\s+/g, ' ').trim();
}
