import { createHash } from 'node:crypto';
import { isoNow } from '../domain/clock.js';
import { errorMessage, ValidationError } from '../domain/errors.js';
import { orderKey, type CanonicalOrder } from '../domain/order.js';
import type { ShopConfig } from '../config/schema.js';
import type { ShopConnector } from '../shops/connector.js';
import { rawTextOf } from '../shops/raw-text.js';
import type { IntakeOrder, IntakeOutcome } from '../store/orders-repo.js';
import type { PipelineContext } from './context.js';
import { bump, emptyResult, type StageResult } from './stage-result.js';

/**
 * Raw shop document → what the store keeps. Never throws: a document that cannot be read as an order is
 * still stored (raw) and held with the reason, so nothing is lost and nothing crashes (guarantee 3).
 */
export function toIntakeOrder(shop: ShopConfig, connector: ShopConnector, raw: unknown): IntakeOrder {
  const identity = safe(() => connector.identify(raw));
  const base = {
    shop: shop.code,
    platform: connector.platform,
    raw,
    rawText: rawTextOf(raw),
    placedAt: null,
    customerEmail: null,
    currency: null,
    total: null,
  };
  if (!identity) {
    const digest = createHash('sha256').update(JSON.stringify(raw) ?? 'undefined').digest('hex').slice(0, 16);
    return {
      ...base,
      shopOrderId: `unidentified-${digest}`,
      orderNumber: null,
      orderKey: null,
      modifiedAt: null,
      canonical: null,
      malformed: {
        code: 'MALFORMED_ORDER',
        reason: 'The shop sent a document without a readable order id, so it cannot be matched to an order.',
        hint: 'Open the raw payload to see what the shop sent; if it is an order, report it with the payload.',
      },
    };
  }
  const number = identity.orderNumber ?? identity.shopOrderId;
  let canonical: CanonicalOrder;
  try {
    canonical = connector.toOrder(raw);
  } catch (err) {
    const msg = err instanceof ValidationError ? err.message : `unexpected mapping error: ${errorMessage(err)}`;
    return {
      ...base,
      shopOrderId: identity.shopOrderId,
      orderNumber: number,
      orderKey: null,
      modifiedAt: normalizeIso(identity.modifiedAt),
      canonical: null,
      malformed: {
        code: 'MALFORMED_ORDER',
        reason: `Order ${number} cannot be read: ${msg}.`,
        hint: 'Correct the order in the shop; bcbridge reads it again when the shop changes it.',
      },
    };
  }
  let key: string | null = null;
  let malformed: IntakeOrder['malformed'];
  try {
    key = orderKey(shop.orderKeyPrefix, canonical.orderNumber);
  } catch {
    malformed = {
      code: 'ORDER_KEY_TOO_LONG',
      reason: `Order number "${shop.orderKeyPrefix}${canonical.orderNumber}" is longer than BC's 35-character external document no.`,
      hint: `Shorten shops[].orderKeyPrefix ("${shop.orderKeyPrefix}").`,
    };
  }
  return {
    ...base,
    shopOrderId: canonical.shopOrderId,
    orderNumber: canonical.orderNumber,
    orderKey: key,
    modifiedAt: normalizeIso(canonical.modifiedAt),
    placedAt: normalizeIso(canonical.createdAt),
    customerEmail: (canonical.customer.email ?? canonical.billing.email)?.toLowerCase() ?? null,
    currency: canonical.currency,
    total: canonical.totals.total,
    canonical,
    malformed,
  };
}

/** One text form for every timestamp the store compares (ISO with milliseconds, UTC). */
function normalizeIso(value: string | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** Stores raw documents (webhook or poll) and reports what changed. */
export async function intakeDocuments(ctx: PipelineContext, shopCode: string, docs: unknown[], actor: string): Promise<IntakeOutcome[]> {
  const shop = ctx.shop(shopCode);
  const connector = ctx.connector(shopCode);
  const items = docs.map((raw) => toIntakeOrder(shop, connector, raw));
  return ctx.store.orders.intake(items, actor, isoNow(ctx.clock));
}

export interface PullHooks {
  /** Called after a page that stored new or changed orders was stored and the cursor advanced. */
  afterPage?: () => Promise<void>;
}

/**
 * Pull: orders changed since the cursor (minus the overlap window), page by page. The cursor advances
 * after each page is durably stored (guarantee 2), to the newest modification time seen.
 */
export async function pull(ctx: PipelineContext, shopCode: string, actor: string, signal?: AbortSignal, hooks: PullHooks = {}): Promise<StageResult> {
  const result = emptyResult('pull', shopCode);
  const shop = ctx.shop(shopCode);
  const connector = ctx.connector(shopCode);
  const cursor = await ctx.store.cursors.get(shopCode);
  const since = cursor ? new Date(Date.parse(cursor) - shop.overlapSeconds * 1000).toISOString() : shop.startDate;
  let newest = cursor;
  for await (const page of connector.listChangedOrders(since, signal)) {
    const items = page.map((raw) => toIntakeOrder(shop, connector, raw));
    const outcomes = await ctx.store.orders.intake(items, actor, isoNow(ctx.clock));
    outcomes.forEach((o) => bump(result, o));
    for (const it of items) {
      if (it.malformed) result.problems++;
      if (it.modifiedAt && (!newest || it.modifiedAt > newest)) newest = it.modifiedAt;
    }
    bump(result, 'downloaded', page.length);
    if (newest && newest !== cursor) await ctx.store.cursors.advance(shopCode, newest, isoNow(ctx.clock));
    if (hooks.afterPage && outcomes.some((o) => o !== 'unchanged')) await hooks.afterPage();
  }
  ctx.log.info({ shop: shopCode, since, cursor: newest, ...result.counts }, 'pull finished');
  return result;
}
