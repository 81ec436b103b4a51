/**
 * `/_sim/*`: control of a running simulator from another process. The same surface as the
 * WooCommerce and BigCommerce sims:
 *
 *   POST   /_sim/generate     {n, ...GenerateOptions}  → {count, ids}
 *   GET    /_sim/orders                                → orders
 *   POST   /_sim/orders       MgOrderSpec              → the new order        (addOrder)
 *   GET    /_sim/orders/{id}                           → the order
 *   POST   /_sim/orders/{id}  OrderPatch               → the order            (updateOrder)
 *   GET    /_sim/orders/{id}/shipments                 → that order's shipments
 *   GET    /_sim/shipments                             → every shipment
 *   POST   /_sim/faults       FaultRule                → {faults}
 *   DELETE /_sim/faults                                → {faults: []}
 *   GET    /_sim/stats                                 → {requests, byStatus}
 */
import type { ServerResponse } from 'node:http';
import type { FaultRule, Faults } from '../woocommerce/faults.js';
import { send } from './api.js';
import type { OrderPatch, OrderStore } from './store.js';
import type { GenerateOptions, MgOrderSpec } from './types.js';

export function handleAdmin(ctx: { store: OrderStore; faults: Faults; stats: () => unknown }, method: string, path: string, rawBody: string, res: ServerResponse): void {
  let body: Record<string, unknown> = {};
  if (rawBody) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return send(res, 400, { error: 'body is not JSON' });
    }
  }
  try {
    const p = path.replace(/\/+$/, '');
    if (p === '/_sim/generate' && method === 'POST') {
      const { n, ...opts } = body as { n?: number } & GenerateOptions;
      const orders = ctx.store.generate(Number(n ?? 1), opts);
      return send(res, 200, { count: orders.length, ids: orders.map((o) => o.entity_id) });
    }
    if (p === '/_sim/orders' && method === 'GET') return send(res, 200, ctx.store.all());
    if (p === '/_sim/orders' && method === 'POST') return send(res, 201, ctx.store.add(body as MgOrderSpec));
    if (p === '/_sim/shipments' && method === 'GET') return send(res, 200, ctx.store.shipments());
    const sh = /^\/_sim\/orders\/(\d+)\/shipments$/.exec(p);
    if (sh && method === 'GET') {
      if (!ctx.store.get(Number(sh[1]))) return send(res, 404, { error: `no order ${sh[1]}` });
      return send(res, 200, ctx.store.shipments(Number(sh[1])));
    }
    const m = /^\/_sim\/orders\/(\d+)$/.exec(p);
    if (m) {
      const order = ctx.store.get(Number(m[1]));
      if (!order) return send(res, 404, { error: `no order ${m[1]}` });
      if (method === 'GET') return send(res, 200, order);
      if (method === 'POST' || method === 'PATCH') return send(res, 200, ctx.store.update(order.entity_id, body as OrderPatch));
    }
    if (p === '/_sim/faults' && method === 'POST') {
      ctx.faults.add(body as unknown as FaultRule);
      return send(res, 200, { faults: ctx.faults.list() });
    }
    if (p === '/_sim/faults' && method === 'DELETE') {
      ctx.faults.clear();
      return send(res, 200, { faults: [] });
    }
    if (p === '/_sim/faults' && method === 'GET') return send(res, 200, { faults: ctx.faults.list() });
    if (p === '/_sim/stats' && method === 'GET') return send(res, 200, ctx.stats());
    return send(res, 404, { error: `no sim route ${method} ${p}` });
  } catch (e) {
    return send(res, 400, { error: (e as Error).message });
  }
}
