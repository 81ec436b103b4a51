/**
 * `/_sim/*`: control of a running simulator from another process (the demo, tests). Plain JSON, no
 * auth, never faulted or rate-limited, not counted in stats. The same surface as the WooCommerce sim:
 *
 *   POST   /_sim/generate     {n, ...GenerateOptions}   → {count, ids}
 *   GET    /_sim/orders                                 → raw orders with sub-resources
 *   POST   /_sim/orders       BcOrderSpec               → the new order          (addOrder)
 *   GET    /_sim/orders/{id}                            → the order's record
 *   POST   /_sim/orders/{id}  OrderPatch                → the order              (updateOrder)
 *   GET    /_sim/orders/{id}/shipments                  → the order's shipments  (shipments)
 *   POST   /_sim/faults       FaultRule                 → {faults}
 *   DELETE /_sim/faults                                 → {faults: []}
 *   GET    /_sim/stats                                  → {requests, byStatus}
 *   GET    /_sim/deliveries                             → webhook deliveries so far
 */
import type { ServerResponse } from 'node:http';
import type { FaultRule, Faults } from '../woocommerce/faults.js';
import type { OrderPatch, OrderStore } from './store.js';
import type { BcOrderSpec, GenerateOptions } from './types.js';
import type { Webhooks } from './webhooks.js';

export interface AdminContext {
  store: OrderStore;
  faults: Faults;
  hooks: Webhooks;
  stats: () => { requests: number; byStatus: Record<string, number> };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, rawBody: string, res: ServerResponse): void {
  let body: Record<string, unknown> = {};
  if (rawBody) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return json(res, 400, { error: 'body is not JSON' });
    }
  }
  try {
    const p = path.replace(/\/+$/, '');
    if (p === '/_sim/generate' && method === 'POST') {
      const { n, ...opts } = body as { n?: number } & GenerateOptions;
      const records = ctx.store.generate(Number(n ?? 1), opts);
      return json(res, 200, { count: records.length, ids: records.map((r) => r.order.id) });
    }
    if (p === '/_sim/orders' && method === 'GET') return json(res, 200, ctx.store.all());
    if (p === '/_sim/orders' && method === 'POST') return json(res, 201, ctx.store.add(body as BcOrderSpec));
    const m = /^\/_sim\/orders\/(\d+)$/.exec(p);
    if (m) {
      const record = ctx.store.get(Number(m[1]));
      if (!record) return json(res, 404, { error: `no order ${m[1]}` });
      if (method === 'GET') return json(res, 200, record);
      if (method === 'POST' || method === 'PATCH') return json(res, 200, ctx.store.update(record.order.id, body as OrderPatch));
    }
    const shipped = /^\/_sim\/orders\/(\d+)\/shipments$/.exec(p);
    if (shipped && method === 'GET') {
      const record = ctx.store.get(Number(shipped[1]));
      return record ? json(res, 200, record.shipments) : json(res, 404, { error: `no order ${shipped[1]}` });
    }
    if (p === '/_sim/faults' && method === 'POST') {
      ctx.faults.add(body as unknown as FaultRule);
      return json(res, 200, { faults: ctx.faults.list() });
    }
    if (p === '/_sim/faults' && method === 'DELETE') {
      ctx.faults.clear();
      return json(res, 200, { faults: [] });
    }
    if (p === '/_sim/faults' && method === 'GET') return json(res, 200, { faults: ctx.faults.list() });
    if (p === '/_sim/stats' && method === 'GET') return json(res, 200, ctx.stats());
    if (p === '/_sim/deliveries' && method === 'GET') return json(res, 200, ctx.hooks.deliveries);
    return json(res, 404, { error: `no sim route ${method} ${p}` });
  } catch (e) {
    return json(res, 400, { error: (e as Error).message });
  }
}
