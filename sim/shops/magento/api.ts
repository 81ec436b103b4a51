/**
 * REST routes under /rest[/{store_code}]/V1 (reference/webshop-api.md §4): order search and one order,
 * cancel, order comments, `order/{id}/ship` and the shipment search. Errors are Magento's
 * `{"message": "… %name …", "parameters": {…}}`.
 */
import type { ServerResponse } from 'node:http';
import { applyFields, search, SearchError } from './search.js';
import { MagentoInputError, type ShipRequest } from './shipping.js';
import type { OrderStore, StatusHistoryInput } from './store.js';

const NO_ENTITY = "The entity that was requested doesn't exist. Verify the entity and try again.";

/** The ACL resource Magento names in a 401 for this route (the integration must have it). */
export function aclResource(method: string, path: string): string {
  if (method === 'POST' && /^\/V1\/order\/\d+\/ship$/.test(path)) return 'Magento_Sales::ship';
  if (method === 'POST' && /^\/V1\/orders\/\d+\/comments$/.test(path)) return 'Magento_Sales::comment';
  if (path.startsWith('/V1/shipment')) return 'Magento_Sales::shipment';
  return 'Magento_Sales::actions_view';
}

function parseBody(raw: string): Record<string, unknown> | undefined {
  if (!raw.trim()) return {};
  try {
    const v = JSON.parse(raw) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function magentoError(res: ServerResponse, status: number, message: string, parameters?: Record<string, string>): void {
  send(res, status, parameters ? { message, parameters } : { message });
}

export const STORE_CODES = new Set(['default', 'all']);

export function handleApi(ctx: { store: OrderStore; maxPageSize?: number }, req: { method: string; path: string; query: Map<string, string>; body: string; res: ServerResponse }): void {
  const { method, path, query, res } = req;
  if (method === 'POST' && (/^\/V1\/order\/\d+\/ship$/.test(path) || /^\/V1\/orders\/\d+\/comments$/.test(path))) {
    const body = parseBody(req.body);
    // Magento's webapi answers a body it cannot decode with this message.
    if (!body) return magentoError(res, 400, 'Decoding error.');
    const id = Number(/\/(\d+)\//.exec(path)![1]);
    if (!ctx.store.get(id)) return magentoError(res, 404, NO_ENTITY);
    try {
      if (path.endsWith('/ship')) return send(res, 200, ctx.store.ship(id, body as ShipRequest).entity_id);
      if (body.statusHistory === undefined) throw new MagentoInputError('"%fieldName" is required. Enter and try again.', { fieldName: 'statusHistory' });
      ctx.store.addComment(id, body.statusHistory as StatusHistoryInput);
      return send(res, 200, true);
    } catch (e) {
      if (e instanceof MagentoInputError) return magentoError(res, 400, e.message, e.parameters);
      throw e;
    }
  }
  if (path === '/V1/shipments' && method === 'GET') {
    try {
      return send(res, 200, search(ctx.store.shipments() as unknown as Record<string, unknown>[], query, ctx.maxPageSize));
    } catch (e) {
      if (e instanceof SearchError) return magentoError(res, 400, e.message, e.parameters);
      throw e;
    }
  }
  const comments = /^\/V1\/orders\/(\d+)\/comments$/.exec(path);
  if (comments && method === 'GET') {
    const order = ctx.store.get(Number(comments[1]));
    if (!order) return magentoError(res, 404, NO_ENTITY);
    return send(res, 200, { items: order.status_histories, search_criteria: { filter_groups: [] }, total_count: order.status_histories.length });
  }
  if (path === '/V1/orders' && method === 'GET') {
    try {
      const result = search(ctx.store.all(), query, ctx.maxPageSize);
      return send(res, 200, applyFields(result as unknown as Record<string, unknown>, query.get('fields')));
    } catch (e) {
      if (e instanceof SearchError) return magentoError(res, 400, e.message, e.parameters);
      throw e;
    }
  }
  const m = /^\/V1\/orders\/(\d+)$/.exec(path);
  if (m && method === 'GET') {
    const order = ctx.store.get(Number(m[1]));
    if (!order) return magentoError(res, 404, "The entity that was requested doesn't exist. Verify the entity and try again.");
    return send(res, 200, applyFields(order, query.get('fields')));
  }
  const cancel = /^\/V1\/orders\/(\d+)\/cancel$/.exec(path);
  if (cancel && method === 'POST') {
    const order = ctx.store.get(Number(cancel[1]));
    if (!order) return magentoError(res, 404, "The entity that was requested doesn't exist. Verify the entity and try again.");
    if (order.state !== 'new' && order.state !== 'holded' && order.state !== 'processing') return send(res, 200, false);
    ctx.store.update(order.entity_id, { status: 'canceled' });
    return send(res, 200, true);
  }
  return magentoError(res, 404, 'Request does not match any route.');
}
