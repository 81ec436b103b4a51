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
import { answer, faultRoutes, generateRoute, orderRoutes, serveAdmin, statsRoute, type AdminRoute } from '../common/admin.js';
import type { Faults } from '../common/faults.js';
import type { OrderPatch, OrderStore } from './store.js';
import type { GenerateOptions, MgOrder, MgOrderSpec } from './types.js';

export function handleAdmin(ctx: { store: OrderStore; faults: Faults; stats: () => unknown }, method: string, path: string, rawBody: string, res: ServerResponse): void {
  serveAdmin(res, method, path, rawBody, [
    generateRoute((n, opts: GenerateOptions) => ctx.store.generate(n, opts), (o: MgOrder) => o.entity_id),
    orderRoutes({
      all: () => ctx.store.all(),
      add: (spec: MgOrderSpec) => ctx.store.add(spec),
      get: (id) => ctx.store.get(id),
      update: (id, patch: OrderPatch) => ctx.store.update(id, patch),
    }),
    shipmentRoutes(ctx.store),
    faultRoutes(ctx.faults),
    statsRoute(ctx.stats),
  ]);
}

/** GET /_sim/shipments and GET /_sim/orders/{id}/shipments */
function shipmentRoutes(store: OrderStore): AdminRoute {
  return ({ method, path }) => {
    if (path === '/_sim/shipments' && method === 'GET') return answer(200, store.shipments());
    const sh = /^\/_sim\/orders\/(\d+)\/shipments$/.exec(path);
    if (sh && method === 'GET') {
      if (!store.get(Number(sh[1]))) return answer(404, { error: `no order ${sh[1]}` });
      return answer(200, store.shipments(Number(sh[1])));
    }
    return undefined;
  };
}
