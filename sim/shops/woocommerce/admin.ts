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
import { faultRoutes, generateRoute, orderRoutes, serveAdmin, statsRoute } from '../common/admin.js';
import type { Faults } from '../common/faults.js';
import type { StatsView } from '../common/request-stats.js';
import type { OrderStore, WooOrderInput } from './store.js';
import type { GenerateOptions, WooOrder } from './types.js';

export interface AdminContext {
  store: OrderStore;
  faults: Faults;
  stats: () => StatsView;
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, rawBody: string, res: ServerResponse): void {
  serveAdmin(res, method, path, rawBody, [
    generateRoute((n, opts: GenerateOptions) => ctx.store.generate(n, opts), (o: WooOrder) => o.id),
    orderRoutes({
      all: () => ctx.store.all(),
      add: (input: WooOrderInput) => ctx.store.add(input),
      get: (id) => ctx.store.get(id),
      update: (id, patch: WooOrderInput) => ctx.store.update(id, patch),
      show: (order, id) => ({ order, notes: ctx.store.notes(id) }),
    }),
    faultRoutes(ctx.faults),
    statsRoute(ctx.stats),
  ]);
}
