/**
 * `/_sim/*`: control of a running simulator from another process (the demo, the benchmark, a test in
 * another worker). Plain JSON, no auth, never faulted, not counted in stats.
 *
 *   POST   /_sim/generate     {n, ...GenerateOptions}  → {count, ids}
 *   GET    /_sim/orders                                → WooOrder[]
 *   POST   /_sim/orders       (partial order)          → WooOrder        (addOrder)
 *   GET    /_sim/orders/{id}                           → {order, notes}
 *   POST   /_sim/orders/{id}  (patch)                  → WooOrder        (updateOrder)
 *   POST   /_sim/faults       FaultRule                → {faults}
 *   DELETE /_sim/faults                                → {faults: []}
 *   GET    /_sim/stats                                 → {requests, byStatus}
 */
import type { ServerResponse } from 'node:http';
import type { Faults, FaultRule } from './faults.js';
import type { OrderStore, WooOrderInput } from './store.js';
import type { GenerateOptions } from './types.js';

export interface AdminContext {
  store: OrderStore;
  faults: Faults;
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
      const orders = ctx.store.generate(Number(n ?? 1), opts);
      return json(res, 200, { count: orders.length, ids: orders.map((o) => o.id) });
    }
    if (p === '/_sim/orders' && method === 'GET') return json(res, 200, ctx.store.all());
    if (p === '/_sim/orders' && method === 'POST') return json(res, 201, ctx.store.add(body as WooOrderInput));
    const m = /^\/_sim\/orders\/(\d+)$/.exec(p);
    if (m) {
      const id = Number(m[1]);
      const order = ctx.store.get(id);
      if (!order) return json(res, 404, { error: `no order ${id}` });
      if (method === 'GET') return json(res, 200, { order, notes: ctx.store.notes(id) });
      if (method === 'POST' || method === 'PATCH') return json(res, 200, ctx.store.update(id, body as WooOrderInput));
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
    return json(res, 404, { error: `no sim route ${method} ${p}` });
  } catch (e) {
    return json(res, 400, { error: (e as Error).message });
  }
}
