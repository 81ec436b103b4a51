/**
 * `/_sim/*`: control of a running simulator from another process (the demo, a test, a person with curl).
 * Plain JSON, no auth, never faulted, not counted in stats.
 *
 *   POST   /_sim/generate            {n, ...GenerateOptions}   → {count, ids}
 *   GET    /_sim/orders                                        → REST orders
 *   GET    /_sim/orders/{id}                                   → REST order
 *   POST   /_sim/orders/{id}         {note?, tags?, email?, financialStatus?} → REST order (orders/updated …)
 *   POST   /_sim/orders/{id}/cancel                            → REST order (orders/cancelled, orders/updated)
 *   DELETE /_sim/orders/{id}                                   → {} (orders/delete)
 *   GET    /_sim/orders/{id}/fulfillments                      → {fulfillmentOrders, fulfillments, metafields} (write-backs)
 *   POST   /_sim/orders/{id}/hold    {hold: boolean}           → its fulfillment orders on hold / released
 *   GET    /_sim/webhooks                                      → {subscriptions, deliveries}
 *   POST   /_sim/webhooks            {topic, uri}              → subscription (as webhookSubscriptionCreate would)
 *   POST   /_sim/webhooks/drop       {n}                       → lose the next n deliveries
 *   POST   /_sim/webhooks/redeliver  {webhookId}               → the same delivery again (a duplicate)
 *   POST   /_sim/bucket              {maximumAvailable?, restoreRate?, currentlyAvailable?}
 *   POST   /_sim/faults              FaultRule;  DELETE /_sim/faults
 *   GET    /_sim/stats                                         → {requests, byStatus, throttled, maxCostExceeded, cost}
 */
import type { ServerResponse } from 'node:http';
import { answer, generateRoute, serveAdmin, statsRoute, type AdminRoute } from '../common/admin.js';
import type { CostBucket } from './bucket.js';
import type { FulfillmentDesk } from './fulfillment.js';
import type { FaultRule, SimStats } from './server.js';
import type { OrderPatch, ShopStore } from './store.js';
import type { GenerateOptions, SimOrder } from './types.js';
import type { WebhookDispatcher } from './webhooks.js';

export interface AdminContext {
  store: ShopStore;
  webhooks: WebhookDispatcher;
  bucket: CostBucket;
  fulfillments: FulfillmentDesk;
  stats: () => SimStats;
  restOrder: (o: SimOrder) => Record<string, unknown>;
  faults: { add(rule: FaultRule): void; clear(): void };
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, rawBody: string, res: ServerResponse): void {
  serveAdmin(res, method, path, rawBody, [
    generateRoute((n, opts: GenerateOptions) => ctx.store.generate(n, opts), (o: SimOrder) => o.id),
    orderRoutes(ctx),
    webhookRoutes(ctx.webhooks),
    ({ method: m, path: p, body }) => {
      if (p !== '/_sim/bucket' || m !== 'POST') return undefined;
      ctx.bucket.set(body);
      return answer(200, ctx.bucket.status());
    },
    // Shopify's fault rules are its own (per GraphQL operation), and the answer is empty.
    ({ method: m, path: p, body }) => {
      if (p !== '/_sim/faults') return undefined;
      if (m === 'POST') ctx.faults.add(body as FaultRule);
      else if (m === 'DELETE') ctx.faults.clear();
      else return undefined;
      return answer(200, {});
    },
    statsRoute(ctx.stats),
  ]);
}

function orderRoutes(ctx: AdminContext): AdminRoute {
  return ({ method, path, body }) => {
    if (path === '/_sim/orders' && method === 'GET') return answer(200, ctx.store.all().map(ctx.restOrder));
    const m = /^\/_sim\/orders\/(\d+)(\/cancel|\/fulfillments|\/hold)?$/.exec(path);
    if (!m) return undefined;
    const id = Number(m[1]);
    const order = ctx.store.get(id);
    if (!order) return answer(404, { error: `no order ${id}` });
    if (m[2] === '/fulfillments' && method === 'GET') {
      return answer(200, { fulfillmentOrders: ctx.fulfillments.fulfillmentOrders(order), fulfillments: order.fulfillments, metafields: order.metafields });
    }
    if (m[2] === '/hold' && method === 'POST') {
      ctx.fulfillments.hold(id, body.hold !== false);
      return answer(200, { fulfillmentOrders: ctx.fulfillments.fulfillmentOrders(order) });
    }
    if (m[2] === '/cancel' && method === 'POST') return answer(200, ctx.restOrder(ctx.store.cancel(id)));
    if (m[2]) return answer(405, { error: `${method} is not allowed on ${path}` });
    if (method === 'GET') return answer(200, ctx.restOrder(order));
    if (method === 'POST') return answer(200, ctx.restOrder(ctx.store.update(id, body as OrderPatch)));
    if (method === 'DELETE') {
      ctx.store.delete(id);
      return answer(200, {});
    }
    return undefined;
  };
}

function webhookRoutes(webhooks: WebhookDispatcher): AdminRoute {
  return ({ method, path, body }) => {
    if (path === '/_sim/webhooks' && method === 'GET') return answer(200, { subscriptions: [...webhooks.subscriptions.values()], deliveries: webhooks.deliveries });
    if (path === '/_sim/webhooks' && method === 'POST') return answer(200, webhooks.subscribe(String(body.topic), String(body.uri), String(body.apiVersion ?? '2025-10')));
    if (path === '/_sim/webhooks/drop' && method === 'POST') {
      webhooks.drop(Number(body.n ?? 1));
      return answer(200, {});
    }
    if (path === '/_sim/webhooks/redeliver' && method === 'POST') return answer(200, webhooks.redeliver(String(body.webhookId)));
    return undefined;
  };
}
