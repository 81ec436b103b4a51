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
import { answer, faultRoutes, generateRoute, orderRoutes, serveAdmin, statsRoute, type AdminRoute } from '../common/admin.js';
import type { Faults } from '../common/faults.js';
import type { StatsView } from '../common/request-stats.js';
import type { OrderPatch, OrderStore } from './store.js';
import type { BcOrderRecord, BcOrderSpec, GenerateOptions } from './types.js';
import type { Webhooks } from './webhooks.js';

export interface AdminContext {
  store: OrderStore;
  faults: Faults;
  hooks: Webhooks;
  stats: () => StatsView;
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, rawBody: string, res: ServerResponse): void {
  serveAdmin(res, method, path, rawBody, [
    generateRoute((n, opts: GenerateOptions) => ctx.store.generate(n, opts), (r: BcOrderRecord) => r.order.id),
    orderRoutes({
      all: () => ctx.store.all(),
      add: (spec: BcOrderSpec) => ctx.store.add(spec),
      get: (id) => ctx.store.get(id),
      update: (id, patch: OrderPatch) => ctx.store.update(id, patch),
    }),
    shipmentRoute(ctx.store),
    faultRoutes(ctx.faults),
    statsRoute(ctx.stats),
    ({ method: m, path: p }) => (p === '/_sim/deliveries' && m === 'GET' ? answer(200, ctx.hooks.deliveries) : undefined),
  ]);
}

/** GET /_sim/orders/{id}/shipments */
function shipmentRoute(store: OrderStore): AdminRoute {
  return ({ method, path }) => {
    const shipped = /^\/_sim\/orders\/(\d+)\/shipments$/.exec(path);
    if (shipped && method === 'GET') {
      const record = store.get(Number(shipped[1]));
      return record ? answer(200, record.shipments) : answer(404, { error: `no order ${shipped[1]}` });
    }
    return undefined;
  };
}
