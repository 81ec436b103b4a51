/**
 * The store API routes under /stores/{store_hash}: v2 orders and their sub-resources, order statuses,
 * v3 refunds and v3 hooks (reference/webshop-api.md §3). Answers follow BigCommerce's shapes: bare JSON
 * arrays without paging headers, 204 with no body for an empty list, v2 errors as
 * `[{"status":…,"message":…}]`, v3 errors as `{"status":…,"title":…,"type":…}`.
 */
import type { ServerResponse } from 'node:http';
import { parseFilterDate } from './dates.js';
import type { OrderStore } from './store.js';
import type { BcOrderRecord } from './types.js';
import type { Webhooks } from './webhooks.js';
import { STATUSES } from './world.js';

export const ERROR_TYPE = 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes';

export interface ApiContext {
  store: OrderStore;
  hooks: Webhooks;
  baseHeaders: Record<string, string>;
}

export interface ApiRequest {
  method: string;
  /** Path below /stores/{hash}, e.g. /v2/orders/100/products. */
  path: string;
  query: Map<string, string>;
  body: string;
  res: ServerResponse;
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(204, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function v2Error(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  send(res, status, [{ status, message }], headers);
}

export function v3Error(res: ServerResponse, status: number, title: string, headers: Record<string, string> = {}): void {
  send(res, status, { status, title, type: ERROR_TYPE, errors: {} }, headers);
}

const SORT_FIELDS = new Set(['id', 'customer_id', 'date_created', 'date_modified', 'status_id', 'channel_id', 'external_id']);

function intParam(q: Map<string, string>, name: string, min: number, fallback: number): number | null {
  const v = q.get(name);
  if (v === undefined || v === '') return fallback;
  if (!/^\d+$/.test(v) || Number(v) < min) return null;
  return Number(v);
}

function page<T>(items: T[], q: Map<string, string>, defaultLimit: number): T[] | null {
  const p = intParam(q, 'page', 1, 1);
  const l = intParam(q, 'limit', 1, defaultLimit);
  if (p === null || l === null) return null;
  const limit = Math.min(l, 250);
  return items.slice((p - 1) * limit, p * limit);
}

function listOrders(ctx: ApiContext, req: ApiRequest): void {
  const { query: q, res } = req;
  const h = ctx.baseHeaders;
  let rows = ctx.store.all().filter((r) => !r.deleted || q.get('is_deleted') === 'true');
  const dateFilters: [string, (r: BcOrderRecord) => number, 'min' | 'max'][] = [
    ['min_date_modified', (r) => r.modifiedSec, 'min'], ['max_date_modified', (r) => r.modifiedSec, 'max'],
    ['min_date_created', (r) => Date.parse(r.order.date_created) / 1000, 'min'], ['max_date_created', (r) => Date.parse(r.order.date_created) / 1000, 'max'],
  ];
  for (const [name, read, kind] of dateFilters) {
    const v = q.get(name);
    if (v === undefined) continue;
    const sec = parseFilterDate(v);
    if (sec === null) return v2Error(res, 400, `The field '${name}' is invalid.`, h);
    rows = rows.filter((r) => (kind === 'min' ? read(r) >= sec : read(r) <= sec));
  }
  const statusId = q.get('status_id');
  if (statusId !== undefined) {
    if (!/^\d+$/.test(statusId)) return v2Error(res, 400, "The field 'status_id' is invalid.", h);
    rows = rows.filter((r) => r.order.status_id === Number(statusId));
  } else {
    // Incomplete orders (abandoned or failed payment) are left out unless asked for by status.
    rows = rows.filter((r) => r.order.status_id !== 0);
  }
  for (const [name, cmp] of [['min_id', (a: number, b: number) => a >= b], ['max_id', (a: number, b: number) => a <= b]] as const) {
    const v = q.get(name);
    if (v === undefined) continue;
    if (!/^\d+$/.test(v)) return v2Error(res, 400, `The field '${name}' is invalid.`, h);
    rows = rows.filter((r) => cmp(r.order.id, Number(v)));
  }
  const customer = q.get('customer_id');
  if (customer !== undefined) rows = rows.filter((r) => String(r.order.customer_id) === customer);
  const email = q.get('email');
  if (email !== undefined) rows = rows.filter((r) => r.order.billing_address.email.toLowerCase() === email.toLowerCase());
  const sort = q.get('sort') ?? 'id:asc';
  const [field, dir = 'asc'] = sort.split(':');
  if (!SORT_FIELDS.has(field!) || !['asc', 'desc'].includes(dir.toLowerCase())) return v2Error(res, 400, "The field 'sort' is invalid.", h);
  const key = (r: BcOrderRecord): number | string =>
    field === 'date_modified' ? r.modifiedSec : field === 'date_created' ? Date.parse(r.order.date_created) : ((r.order as unknown as Record<string, number | string>)[field!] ?? '');
  const sign = dir.toLowerCase() === 'desc' ? -1 : 1;
  // Ties keep id order, the way a database with a secondary key answers.
  rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : a.order.id - b.order.id;
  });
  const slice = page(rows, q, 50);
  if (slice === null) return v2Error(res, 400, "The field 'page' or 'limit' is invalid.", h);
  if (slice.length === 0) return send(res, 204, undefined, h);
  send(res, 200, slice.map((r) => r.order), h);
}

function subList(res: ServerResponse, items: unknown[], q: Map<string, string>, h: Record<string, string>): void {
  const slice = page(items, q, 50);
  if (slice === null) return v2Error(res, 400, "The field 'page' or 'limit' is invalid.", h);
  if (slice.length === 0) return send(res, 204, undefined, h);
  send(res, 200, slice, h);
}

export function handleApi(ctx: ApiContext, req: ApiRequest): void {
  const { method, path, query: q, res } = req;
  const h = ctx.baseHeaders;
  const p = path.replace(/\/+$/, '');
  if (p.startsWith('/v3/')) return handleV3(ctx, req, p);
  if (p === '/v2/orders' && method === 'GET') return listOrders(ctx, req);
  if (p === '/v2/orders/count' && method === 'GET') {
    const live = ctx.store.all().filter((r) => !r.deleted);
    return send(res, 200, {
      statuses: STATUSES.map((s) => ({ id: s.id, name: s.name, system_label: s.name, custom_label: s.name, system_description: s.description, count: live.filter((r) => r.order.status_id === s.id).length, sort_order: s.sort })),
      count: live.length,
    }, h);
  }
  if (p === '/v2/order_statuses' && method === 'GET') {
    return send(res, 200, STATUSES.map((s) => ({ id: s.id, name: s.name, system_label: s.name, custom_label: s.name, system_description: s.description, order: s.sort })), h);
  }
  const shipments = /^\/v2\/orders\/(\d+)\/shipments(?:\/(count|\d+))?$/.exec(p);
  if (shipments) return handleShipments(ctx, req, Number(shipments[1]), shipments[2]);
  const m = /^\/v2\/orders\/(\d+)(?:\/([a-z_]+))?$/.exec(p);
  if (m) {
    const record = ctx.store.get(Number(m[1]));
    if (!record || record.deleted) return v2Error(res, 404, 'The requested resource was not found.', h);
    const sub = m[2];
    if (!sub && method === 'GET') return send(res, 200, record.order, h);
    if (!sub && method === 'PUT') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(req.body || '{}');
      } catch {
        return v2Error(res, 400, 'The request body is not valid JSON.', h);
      }
      if (body.status_id !== undefined && !STATUSES.some((s) => s.id === body.status_id)) return v2Error(res, 400, "The field 'status_id' is invalid.", h);
      const updated = ctx.store.update(record.order.id, {
        ...(body.status_id !== undefined && { status: Number(body.status_id) }),
        ...(typeof body.staff_notes === 'string' && { staffNotes: body.staff_notes }),
        ...(typeof body.customer_message === 'string' && { customerMessage: body.customer_message }),
      });
      return send(res, 200, updated.order, h);
    }
    if (method !== 'GET') return v2Error(res, 405, 'The requested method is not supported.', h);
    switch (sub) {
      case 'products': return subList(res, record.products, q, h);
      case 'shipping_addresses':
      case 'shippingaddresses': return subList(res, record.shippingAddresses, q, h);
      case 'coupons': return subList(res, record.coupons, q, h);
      case 'taxes': return subList(res, record.taxes, q, h);
      case 'fees': return send(res, 200, { fees: record.order.fees }, h);
      default: return v2Error(res, 404, 'The requested resource was not found.', h);
    }
  }
  return v2Error(res, 404, 'The requested resource was not found.', h);
}

/**
 * /v2/orders/{id}/shipments: list (paged, 204 when there are none), count, one by id, and create (201 with
 * the shipment; 400 with BigCommerce's v2 error list when shipments.ts refuses it).
 */
function handleShipments(ctx: ApiContext, req: ApiRequest, orderId: number, sub: string | undefined): void {
  const { method, res, query: q } = req;
  const h = ctx.baseHeaders;
  const record = ctx.store.get(orderId);
  if (!record || record.deleted) return v2Error(res, 404, 'The requested resource was not found.', h);
  if (sub === undefined && method === 'GET') return subList(res, record.shipments, q, h);
  if (sub === 'count' && method === 'GET') return send(res, 200, { count: record.shipments.length }, h);
  if (sub !== undefined && sub !== 'count' && method === 'GET') {
    const shipment = record.shipments.find((s) => s.id === Number(sub));
    return shipment ? send(res, 200, shipment, h) : v2Error(res, 404, 'The requested resource was not found.', h);
  }
  if (sub === undefined && method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse(req.body || 'null');
    } catch {
      return v2Error(res, 400, 'The request body is not valid JSON.', h);
    }
    const created = ctx.store.addShipment(orderId, body);
    if ('error' in created) return v2Error(res, 400, created.error, h);
    return send(res, 201, created.shipment, h);
  }
  return v2Error(res, 405, 'The requested method is not supported.', h);
}

function handleV3(ctx: ApiContext, req: ApiRequest, p: string): void {
  const { method, res } = req;
  const h = ctx.baseHeaders;
  const refunds = /^\/v3\/orders\/(\d+)\/payment_actions\/refunds$/.exec(p);
  if (refunds && method === 'GET') {
    const record = ctx.store.get(Number(refunds[1]));
    if (!record) return v3Error(res, 404, 'Order not found', h);
    return send(res, 200, { data: record.refunds, meta: { pagination: { total: record.refunds.length, count: record.refunds.length, per_page: 50, current_page: 1, total_pages: 1 } } }, h);
  }
  let body: Record<string, unknown> = {};
  if (req.body) {
    try {
      body = JSON.parse(req.body);
    } catch {
      return v3Error(res, 400, 'The request body is not valid JSON.', h);
    }
  }
  if (p === '/v3/hooks' && method === 'GET') {
    const list = ctx.hooks.list();
    return send(res, 200, { data: list, meta: { pagination: { total: list.length, count: list.length, per_page: 50, current_page: 1, total_pages: 1 } } }, h);
  }
  if (p === '/v3/hooks' && method === 'POST') {
    try {
      return send(res, 200, { data: ctx.hooks.create(body), meta: {} }, h);
    } catch (e) {
      return v3Error(res, 422, (e as Error).message, h);
    }
  }
  const hook = /^\/v3\/hooks\/(\d+)$/.exec(p);
  if (hook) {
    const id = Number(hook[1]);
    const found = method === 'GET' ? ctx.hooks.get(id) : method === 'PUT' ? ctx.hooks.update(id, body) : method === 'DELETE' ? ctx.hooks.remove(id) : undefined;
    if (!found) return v3Error(res, 404, 'Webhook not found', h);
    return send(res, 200, { data: found, meta: {} }, h);
  }
  return v3Error(res, 404, 'The requested resource was not found.', h);
}
