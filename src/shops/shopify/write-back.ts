import { ShopError } from '../../domain/errors.js';
import type { ShopBcNumber, ShopWriteBack, ShopWriteBackResult } from '../connector.js';
import { isObject, type JsonObject } from '../json-fields.js';
import type { ShopifyClient } from './client.js';
import { numericId, planFulfillment, type FulfillmentGroup, type FulfillmentOrderState, type LedgerEntry } from './fulfillment-plan.js';

/** Order metafields bcbridge writes (namespace and keys documented in docs/shopify.md). */
export const METAFIELD_NAMESPACE = 'bcbridge';
export const BC_NUMBER_KEY = 'bc_order_no';
/** Remaining quantities per BC shipment, recorded before its fulfillment is created (the idempotency ledger). */
export const LEDGER_KEY = 'bc_shipments';
/** Shipments the ledger keeps (oldest dropped first): far more than one order is ever shipped in. */
const LEDGER_MAX = 100;

/**
 * Page sizes of the state query. With them it requests well under Shopify's 1000-point limit; an order
 * with more fulfillment orders or more items on one is refused with a clear reason (docs/shopify.md).
 */
const FULFILLMENT_ORDERS = 5;
const ITEMS_PER_FULFILLMENT_ORDER = 50;
const FULFILLMENTS = 10;

export const WRITE_BACK_STATE = `query WriteBackState($id: ID!) {
  order(id: $id) {
    id name cancelledAt displayFulfillmentStatus
    ledger: metafield(namespace: "${METAFIELD_NAMESPACE}", key: "${LEDGER_KEY}") { value compareDigest }
    fulfillments(first: ${FULFILLMENTS}) {
      id name status
      trackingInfo(first: 5) { number }
      fulfillmentLineItems(first: ${ITEMS_PER_FULFILLMENT_ORDER}) { nodes { quantity lineItem { id } } }
    }
    fulfillmentOrders(first: ${FULFILLMENT_ORDERS}) {
      nodes {
        id status
        assignedLocation { location { id } }
        lineItems(first: ${ITEMS_PER_FULFILLMENT_ORDER}) { nodes { id remainingQuantity lineItem { id } } pageInfo { hasNextPage } }
      }
      pageInfo { hasNextPage }
    }
  }
}`;

export const FULFILLMENT_CREATE = `mutation FulfillShipment($fulfillment: FulfillmentInput!) {
  fulfillmentCreate(fulfillment: $fulfillment) {
    fulfillment { id name status }
    userErrors { field message }
  }
}`;

export const METAFIELDS_SET = `mutation SetMetafields($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { key value }
    userErrors { field message code }
  }
}`;

export const BC_NUMBER_STATE = `query BcNumberState($id: ID!) {
  order(id: $id) { id bcNumber: metafield(namespace: "${METAFIELD_NAMESPACE}", key: "${BC_NUMBER_KEY}") { value } }
}`;

interface StateOrder {
  id: string;
  name?: string;
  cancelledAt?: string | null;
  displayFulfillmentStatus?: string;
  ledger?: { value?: string; compareDigest?: string } | null;
  fulfillments?: { id: string; name?: string; status?: string; trackingInfo?: { number?: string | null }[]; fulfillmentLineItems?: { nodes?: { quantity?: number; lineItem?: { id?: string } }[] } }[];
  fulfillmentOrders?: {
    nodes?: { id: string; status: string; assignedLocation?: { location?: { id?: string } | null }; lineItems?: { nodes?: { id: string; remainingQuantity: number; lineItem?: { id?: string } }[]; pageInfo?: { hasNextPage?: boolean } } }[];
    pageInfo?: { hasNextPage?: boolean };
  };
}

type Ledger = Record<string, LedgerEntry>;

const orderGid = (shopOrderId: string) => `gid://shopify/Order/${numericId(shopOrderId) ?? shopOrderId}`;

/**
 * Shopify write-back of one BC shipment (docs/write-back.md "Shopify"): ONE fulfillment over the order's
 * fulfillment orders with the shipped line items and quantities, the tracking (number, carrier as
 * company, link as url) and `notifyCustomer` = writeBack.customerNote. Shopify sets the order to
 * PARTIALLY_FULFILLED / FULFILLED itself.
 *
 * Idempotent (a retry after the fulfillment was created but before bcbridge recorded it creates nothing):
 * before the first `fulfillmentCreate` of a shipment, the remaining quantity of each of its lines is
 * recorded in the order metafield `bcbridge.bc_shipments`. A retry compares: what disappeared since was
 * fulfilled by the earlier attempt, and only the rest is fulfilled now (planFulfillment). Without a
 * ledger entry, a fulfillment that already carries the shipment's tracking number and all its lines
 * (made by hand in the admin) also counts as done.
 */
export async function shopifyWriteBack(client: ShopifyClient, wb: ShopWriteBack, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  if (wb.lines.length === 0) return { detail: 'no Shopify line items in this shipment, nothing to fulfil' };
  const order = await readState(client, wb, signal);
  if (order.cancelledAt) {
    throw new ShopError('SHOP_ORDER_CANCELLED', `shop order ${wb.orderNumber} is cancelled in Shopify (${order.cancelledAt}), but BC shipped it (shipment ${wb.shipmentNo}); resolve it by hand`);
  }
  const fulfillmentOrders = readFulfillmentOrders(order, wb);
  const ledger = readLedger(order);
  const entry = ledger[wb.shipmentNo];

  if (!entry && wb.tracking) {
    const same = sameTrackingFulfillment(order, wb);
    if (same) return { detail: `fulfillment ${same} with tracking ${wb.tracking.number} already in Shopify` };
  }

  const plan = planFulfillment(wb, fulfillmentOrders, entry);
  if (plan.groups.length === 0) {
    const why = plan.remarks.length > 0 ? plan.remarks.join('; ') : 'fulfilled by an earlier attempt';
    return { detail: `nothing left to fulfil in Shopify (${why})` };
  }

  if (!entry) {
    // Recorded before the fulfillment, so a retry can tell what this shipment already did.
    const next: Ledger = { ...ledger, [wb.shipmentNo]: plan.remainingNow };
    const keys = Object.keys(next);
    for (const k of keys.slice(0, Math.max(0, keys.length - LEDGER_MAX))) delete next[k];
    await setMetafield(client, wb, { key: LEDGER_KEY, type: 'json', value: JSON.stringify(next), compareDigest: order.ledger?.compareDigest ?? null }, signal);
  }

  const created: string[] = [];
  for (const group of plan.groups) created.push(await createFulfillment(client, wb, group, signal));
  const items = [...plan.toFulfil.values()].reduce((s, n) => s + n, 0);
  const parts = [
    `fulfillment ${created.join(', ')} created (${items} item${items === 1 ? '' : 's'})`,
    ...(wb.customerNote ? ['customer notified'] : []),
    ...plan.remarks,
  ];
  return { detail: parts.join(', ') };
}

/**
 * Puts the BC sales order no. on the order as the metafield `bcbridge.bc_order_no`
 * (single_line_text_field); nothing is written when it already holds that number.
 */
export async function shopifyRecordBcNumber(client: ShopifyClient, rec: ShopBcNumber, signal?: AbortSignal): Promise<ShopWriteBackResult> {
  const data = await client.graphql<{ order: { id: string; bcNumber?: { value?: string } | null } | null }>('BcNumberState', BC_NUMBER_STATE, { id: orderGid(rec.shopOrderId) }, { signal });
  if (!data.order) throw gone(rec);
  const where = `metafield ${METAFIELD_NAMESPACE}.${BC_NUMBER_KEY}`;
  if (data.order.bcNumber?.value === rec.bcOrderNumber) return { detail: `BC order no. ${rec.bcOrderNumber} already on the order (${where})` };
  // Setting a metafield to a value is safe to repeat: no compareDigest, so a lost answer may be retried.
  await setMetafield(client, rec, { key: BC_NUMBER_KEY, type: 'single_line_text_field', value: rec.bcOrderNumber }, signal, false);
  return { detail: `BC order no. ${rec.bcOrderNumber} set (${where})` };
}

async function readState(client: ShopifyClient, wb: ShopWriteBack, signal?: AbortSignal): Promise<StateOrder> {
  const data = await client.graphql<{ order: StateOrder | null }>('WriteBackState', WRITE_BACK_STATE, { id: orderGid(wb.shopOrderId) }, { signal });
  if (!data.order) throw gone(wb);
  return data.order;
}

function gone(o: { orderNumber: string; shopOrderId: string }): ShopError {
  return new ShopError('SHOP_ORDER_GONE', `the shop no longer has order ${o.orderNumber} (id ${o.shopOrderId})`, { status: 404 });
}

function readFulfillmentOrders(order: StateOrder, wb: ShopWriteBack): FulfillmentOrderState[] {
  const conn = order.fulfillmentOrders;
  const tooMany = (what: string) =>
    new ShopError('SHOP_ORDER_TOO_LARGE', `shop order ${wb.orderNumber} has more than ${what}; bcbridge's Shopify write-back reads at most ${FULFILLMENT_ORDERS} fulfillment orders of ${ITEMS_PER_FULFILLMENT_ORDER} items: fulfil it in the Shopify admin`);
  if (conn?.pageInfo?.hasNextPage) throw tooMany(`${FULFILLMENT_ORDERS} fulfillment orders`);
  return (conn?.nodes ?? []).map((fo) => {
    if (fo.lineItems?.pageInfo?.hasNextPage) throw tooMany(`${ITEMS_PER_FULFILLMENT_ORDER} items on one fulfillment order`);
    const locationId = fo.assignedLocation?.location?.id;
    return {
      id: fo.id,
      status: fo.status,
      ...(locationId && { locationId }),
      lines: (fo.lineItems?.nodes ?? []).map((l) => ({ id: l.id, lineItemId: l.lineItem?.id ?? '', remaining: Number(l.remainingQuantity) || 0 })),
    };
  });
}

/** The ledger metafield; one that cannot be read (edited by hand) counts as empty, never as an error. */
function readLedger(order: StateOrder): Ledger {
  const text = order.ledger?.value;
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (!isObject(parsed)) return {};
  const out: Ledger = {};
  for (const [shipment, entry] of Object.entries(parsed)) {
    if (!isObject(entry)) continue;
    const lines: LedgerEntry = {};
    for (const [id, n] of Object.entries(entry as JsonObject)) if (typeof n === 'number' && Number.isInteger(n) && n >= 0) lines[id] = n;
    out[shipment] = lines;
  }
  return out;
}

/**
 * A successful fulfillment that carries the tracking number and every line of the shipment (at least the
 * shipped quantity): someone already fulfilled this shipment in Shopify. Its name, or undefined.
 */
function sameTrackingFulfillment(order: StateOrder, wb: ShopWriteBack): string | undefined {
  const number = wb.tracking!.number.trim();
  for (const f of order.fulfillments ?? []) {
    if (f.status && f.status !== 'SUCCESS') continue;
    if (!(f.trackingInfo ?? []).some((t) => (t.number ?? '').trim() === number)) continue;
    const items = f.fulfillmentLineItems?.nodes ?? [];
    const covers = wb.lines.every((l) => {
      const id = numericId(l.shopLineId);
      const q = items.filter((i) => numericId(i.lineItem?.id) === id).reduce((s, i) => s + (i.quantity ?? 0), 0);
      return q >= Number(l.quantity);
    });
    if (covers) return f.name ?? f.id;
  }
  return undefined;
}

async function createFulfillment(client: ShopifyClient, wb: ShopWriteBack, group: FulfillmentGroup, signal?: AbortSignal): Promise<string> {
  const t = wb.tracking;
  const fulfillment = {
    lineItemsByFulfillmentOrder: group.lineItemsByFulfillmentOrder,
    notifyCustomer: wb.customerNote,
    ...(t && { trackingInfo: { number: t.number, ...(t.carrier && { company: t.carrier }), ...(t.url && { url: t.url }) } }),
  };
  const data = await client.graphql<{ fulfillmentCreate: { fulfillment: { id: string; name?: string } | null; userErrors: { field?: string[] | null; message: string }[] } | null }>(
    'FulfillShipment', FULFILLMENT_CREATE, { fulfillment }, { signal, mutation: true },
  );
  const payload = data.fulfillmentCreate;
  if (!payload?.fulfillment || (payload.userErrors ?? []).length > 0) {
    throw new ShopError('SHOP_REJECTED', `Shopify refused the fulfillment of order ${wb.orderNumber} (BC shipment ${wb.shipmentNo}): ${userErrorText(payload?.userErrors)}`);
  }
  return payload.fulfillment.name ?? payload.fulfillment.id;
}

async function setMetafield(
  client: ShopifyClient, o: { shopOrderId: string; orderNumber: string },
  m: { key: string; type: string; value: string; compareDigest?: string | null }, signal?: AbortSignal, mutation = true,
): Promise<void> {
  const input = { ownerId: orderGid(o.shopOrderId), namespace: METAFIELD_NAMESPACE, key: m.key, type: m.type, value: m.value, ...(m.compareDigest !== undefined && { compareDigest: m.compareDigest }) };
  const data = await client.graphql<{ metafieldsSet: { userErrors: { field?: string[] | null; message: string; code?: string | null }[] } | null }>(
    'SetMetafields', METAFIELDS_SET, { metafields: [input] }, { signal, mutation },
  );
  const errors = data.metafieldsSet?.userErrors ?? [];
  if (errors.length > 0) {
    const stale = errors.some((e) => e.code === 'STALE_OBJECT');
    throw new ShopError(
      stale ? 'SHOP_CONFLICT' : 'SHOP_REJECTED',
      `Shopify refused the metafield ${METAFIELD_NAMESPACE}.${m.key} on order ${o.orderNumber}: ${userErrorText(errors)}${stale ? ' (changed at the same time by someone else; retried)' : ''}`,
      { retryable: stale },
    );
  }
}

function userErrorText(errors: { field?: string[] | null; message: string }[] | undefined): string {
  if (!errors || errors.length === 0) return 'no fulfillment and no reason given';
  return errors.slice(0, 3).map((e) => (e.field && e.field.length > 0 ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');
}
