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

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function handleAdmin(ctx: AdminContext, method: string, path: string, rawBody: string, res: ServerResponse): void {
  let body: Record<string, any> = {};
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
    if (p === '/_sim/orders' && method === 'GET') return json(res, 200, ctx.store.all().map(ctx.restOrder));
    const m = /^\/_sim\/orders\/(\d+)(\/cancel|\/fulfillments|\/hold)?$/.exec(p);
    if (m) {
      const id = Number(m[1]);
      const order = ctx.store.get(id);
      if (!order) return json(res, 404, { error: `no order ${id}` });
      if (m[2] === '/fulfillments' && method === 'GET') {
        return json(res, 200, { fulfillmentOrders: ctx.fulfillments.fulfillmentOrders(order), fulfillments: order.fulfillments, metafields: order.metafields });
      }
      if (m[2] === '/hold' && method === 'POST') {
        ctx.fulfillments.hold(id, body.hold !== false);
        return json(res, 200, { fulfillmentOrders: ctx.fulfillments.fulfillmentOrders(order) });
      }
      if (m[2] === '/cancel' && method === 'POST') return json(res, 200, ctx.restOrder(ctx.store.cancel(id)));
      if (m[2]) return json(res, 405, { error: `${method} is not allowed on ${p}` });
      if (method === 'GET') return json(res, 200, ctx.restOrder(order));
      if (method === 'POST') return json(res, 200, ctx.restOrder(ctx.store.update(id, body as OrderPatch)));
      if (method === 'DELETE') {
        ctx.store.delete(id);
        return json(res, 200, {});
      }
    }
    if (p === '/_sim/webhooks' && method === 'GET') return json(res, 200, { subscriptions: [...ctx.webhooks.subscriptions.values()], deliveries: ctx.webhooks.deliveries });
    if (p === '/_sim/webhooks' && method === 'POST') return json(res, 200, ctx.webhooks.subscribe(String(body.topic), String(body.uri), String(body.apiVersion ?? '2025-10')));
    if (p === '/_sim/webhooks/drop' && method === 'POST') {
      ctx.webhooks.drop(Number(body.n ?? 1));
      return json(res, 200, {});
    }
    if (p === '/_sim/webhooks/redeliver' && method === 'POST') return json(res, 200, ctx.webhooks.redeliver(String(body.webhookId)));
    if (p === '/_sim/bucket' && method === 'POST') {
      ctx.bucket.set(body);
      return json(res, 200, ctx.bucket.status());
    }
    if (p === '/_sim/faults' && method === 'POST') {
      ctx.faults.add(body as FaultRule);
      return json(res, 200, {});
    }
    if (p === '/_sim/faults' && method === 'DELETE') {
      ctx.faults.clear();
      return json(res, 200, {});
    }
    if (p === '/_sim/stats' && method === 'GET') return json(res, 200, ctx.stats());
    return json(res, 404, { error: `no sim route ${method} ${p}` });
  } catch (e) {
    return json(res, 400, { error: (e as Error).message });
  }
}
