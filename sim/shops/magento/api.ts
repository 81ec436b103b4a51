/**
 * REST routes under /rest[/{store_code}]/V1 (reference/webshop-api.md §4): order search and one order.
 * Errors are Magento's `{"message": "… %name …", "parameters": {…}}`.
 */
import type { ServerResponse } from 'node:http';
import { applyFields, search, SearchError } from './search.js';
import type { OrderStore } from './store.js';

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function magentoError(res: ServerResponse, status: number, message: string, parameters?: Record<string, string>): void {
  send(res, status, parameters ? { message, parameters } : { message });
}

export const STORE_CODES = new Set(['default', 'all']);

export function handleApi(ctx: { store: OrderStore; maxPageSize?: number }, req: { method: string; path: string; query: Map<string, string>; res: ServerResponse }): void {
  const { method, path, query, res } = req;
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
