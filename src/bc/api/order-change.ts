import type { BcSalesOrderSnapshot, CreateContext } from '../target.js';
import { CHANGEABLE_HEADER_FIELDS, type BcOrderChange, type BcOrderLineNow, type BcOrderNow, type ChangeableHeaderField } from '../order-change.js';
import type { BcApiClient } from './client.js';
import { BcApiError } from './errors.js';
import { decimalString, jsonDecimal } from './json.js';
import type { BcLookups } from './lookups.js';
import { decodeEnum, isGuid } from './odata.js';
import { salesOrderLineBody } from './sales-order-body.js';
import { expandedCount, toSnapshot } from './snapshot.js';

/**
 * Re-sync and cancel of an existing sales order over API v2.0 (issue 9, docs/write-back.md "Conflicts").
 * No deep PATCH exists (reference/bc-api.md §1.4): lines go one by one, sequentially (parallel inserts into
 * one document lock each other), each PATCH/DELETE with the ETag read just before (§1.6), so a change someone
 * made in BC meanwhile fails with 409 instead of being overwritten.
 */

/** `GET salesOrders({id})?$expand=salesOrderLines` from the primary; undefined when BC does not have it. */
export async function readOrderNow(client: BcApiClient, id: string, ctx: CreateContext = {}): Promise<BcOrderNow | undefined> {
  if (!isGuid(id)) throw new BcApiError('BC_INVALID_ID', `'${id}' is not a BC record id (GUID)`);
  const url = await client.companyUrl(`salesOrders(${id})`, { $expand: 'salesOrderLines' });
  const h = (await client.getOptional(url, { ...ctx, consistent: true })) as Record<string, unknown> | undefined;
  if (!h) return undefined;
  const header = {} as Record<ChangeableHeaderField, string>;
  for (const f of CHANGEABLE_HEADER_FIELDS) header[f] = typeof h[f] === 'string' ? (h[f] as string) : '';
  const lines = (Array.isArray(h.salesOrderLines) ? (h.salesOrderLines as Record<string, unknown>[]) : []).map(toLine);
  lines.sort((a, b) => a.sequence - b.sequence);
  return {
    id: String(h.id),
    number: String(h.number ?? ''),
    etag: etagOf(h),
    status: decodeEnum(String(h.status ?? '')),
    fullyShipped: h.fullyShipped === true || h.fullyShipped === 'true',
    header,
    discountAmount: decimalString(h.discountAmount),
    lines,
  };
}

/**
 * Applies the planned change: deleted lines, changed lines, new lines, then the header (with an ETag read
 * after the lines, which renew it), and reads the order back for verification. An error stops at once; what
 * was applied stays, and a new plan against BC's order then covers only the rest.
 */
export async function changeOrder(client: BcApiClient, lookups: BcLookups, id: string, change: BcOrderChange, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot> {
  const linesUrl = (lineId?: string) => client.companyUrl(`salesOrders(${id})/salesOrderLines${lineId ? `(${lineId})` : ''}`);
  const adds = change.lines.flatMap((o) => (o.op === 'add' ? [o.line] : []));
  // Location and variant ids of new lines, as on create (the header location applies to item lines).
  const refs = adds.length > 0 ? await lookups.resolve({ ...change.document, lines: adds }, ctx) : { lines: [] };
  let added = 0;
  for (const op of change.lines) {
    if (op.op === 'delete') {
      await client.delete(await linesUrl(op.id), ctx, op.etag);
    } else if (op.op === 'patch') {
      const body: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(op.set)) body[k] = k === 'description' || k === 'description2' ? v : jsonDecimal(String(v));
      await client.patch(await linesUrl(op.id), body, ctx, op.etag);
    } else {
      await client.post(await linesUrl(), salesOrderLineBody(op.line, refs.lines[added++] ?? {}), ctx);
    }
  }
  const headerBody: Record<string, unknown> = { ...change.header };
  if (change.shipmentMethodCode !== undefined) headerBody.shipmentMethodId = await lookups.shipmentMethodId(change.shipmentMethodCode, ctx);
  if (change.discountAmount !== undefined) headerBody.discountAmount = jsonDecimal(change.discountAmount);
  const orderUrl = await client.companyUrl(`salesOrders(${id})`);
  if (Object.keys(headerBody).length > 0) {
    const fresh = (await client.get(orderUrl, { ...ctx, consistent: true })) as Record<string, unknown>;
    await client.patch(orderUrl, headerBody, ctx, etagOf(fresh));
  }
  const after = (await client.get(await client.companyUrl(`salesOrders(${id})`, { $expand: 'salesOrderLines' }), { ...ctx, consistent: true })) as Record<string, unknown>;
  return toSnapshot(after, expandedCount(after, 'salesOrderLines') ?? 0);
}

/** `DELETE salesOrders({id})` with If-Match; a 404 means someone deleted it already. */
export async function deleteOrder(client: BcApiClient, id: string, etag: string, ctx: CreateContext = {}): Promise<'deleted' | 'gone'> {
  if (!isGuid(id)) throw new BcApiError('BC_INVALID_ID', `'${id}' is not a BC record id (GUID)`);
  try {
    await client.delete(await client.companyUrl(`salesOrders(${id})`), ctx, etag);
    return 'deleted';
  } catch (err) {
    if (err instanceof BcApiError && err.status === 404) return 'gone';
    throw err;
  }
}

function toLine(l: Record<string, unknown>): BcOrderLineNow {
  return {
    id: String(l.id),
    etag: etagOf(l),
    sequence: Number(l.sequence ?? 0),
    lineType: decodeEnum(String(l.lineType ?? '')),
    lineObjectNumber: String(l.lineObjectNumber ?? ''),
    description: String(l.description ?? ''),
    description2: String(l.description2 ?? ''),
    quantity: decimalString(l.quantity),
    unitPrice: decimalString(l.unitPrice),
    discountAmount: decimalString(l.discountAmount),
    shippedQuantity: decimalString(l.shippedQuantity),
    invoicedQuantity: decimalString(l.invoicedQuantity),
  };
}

/** The entity's `@odata.etag`; `*` when BC sent none (then BC's own check is the only guard). */
function etagOf(e: Record<string, unknown>): string {
  return typeof e['@odata.etag'] === 'string' && e['@odata.etag'] !== '' ? (e['@odata.etag'] as string) : '*';
}
