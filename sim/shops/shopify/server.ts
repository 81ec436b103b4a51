/**
 * Shopify shop simulator over real HTTP on 127.0.0.1 (DESIGN.md §6), following webshop-api.md §2:
 * the GraphQL Admin API at `POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`, the
 * calculated-cost bucket (THROTTLED, MAX_COST_EXCEEDED, `extensions.cost`), and webhooks signed with the
 * app secret. Nothing here is shared with src/: the simulator is a stranger to the client it tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson as send } from '../common/http.js';
import { startLocalServer } from '../common/local-server.js';
import { handleAdmin } from './admin.js';
import { CostBucket } from './bucket.js';
import { FulfillmentDesk, type SimFulfillmentOrder } from './fulfillment.js';
import { execute, prepare, requestedCost } from './graphql/execute.js';
import { toRest } from './rest.js';
import { createAdminSchema } from './schema.js';
import { ShopStore, type OrderPatch } from './store.js';
import type { GenerateOptions, SimFulfillment, SimMetafield, SimOrder } from './types.js';
import { WebhookDispatcher, type Delivery, type Subscription } from './webhooks.js';

export type { GenerateOptions, SimOrder, Delivery, Subscription, OrderPatch, SimFulfillment, SimFulfillmentOrder, SimMetafield };

export interface FaultRule {
  kind: '429' | '500' | '502' | '503' | 'reset' | 'timeout';
  /** How many requests it hits (default: every one until cleared). */
  times?: number;
  /** Seconds, for 429/503. */
  retryAfter?: number;
  /** Only requests whose GraphQL document contains this text (e.g. `fulfillmentCreate`). */
  operation?: string;
  /**
   * The request is carried out, then answered with the fault: the shop did the work but the client never
   * hears of it (a lost answer). Not for `timeout`.
   */
  afterExecute?: boolean;
}

export interface ShopifySimOptions {
  /** 0 = a free port. */
  port?: number;
  seed?: number;
  /** The Admin API access token the shop accepts. Default 'shpat_demo'. */
  accessToken?: string;
  /** The app's client secret: webhooks are signed with it. Default 'shpss_demo'. */
  apiSecret?: string;
  /** Sent as X-Shopify-Shop-Domain. Default 'bcbridge-demo.myshopify.com'. */
  shopDomain?: string;
  shopCurrency?: string;
  /** The shop enters prices including tax (EU shops do). Default true. */
  taxesIncluded?: boolean;
  /** REST timestamps carry this offset. Default '+01:00'. */
  timezone?: string;
  /** Bucket size and restore rate (points, points/s). Default 2000 / 100 (Standard plan). */
  maximumAvailable?: number;
  restoreRate?: number;
  /** Largest cost one query may request. Default 1000. */
  maxQueryCost?: number;
  latencyMs?: number;
  /** Wall clock in ms. Default Date.now. */
  now?: () => number;
  /** Orders the shop already has at start, dated over the past hour (no webhooks). */
  initialOrders?: number;
  initialOptions?: GenerateOptions;
  /** Waits before each webhook retry (Shopify: 8 retries over 4 hours). Default 1, 2, 4, 8, 16 s. */
  webhookRetryDelaysMs?: number[];
  /** A delivery not answered within this fails (Shopify: 5 s). */
  webhookTimeoutMs?: number;
}

export interface ShopifySim {
  /** http://127.0.0.1:PORT: the shop address a client is configured with. */
  url: string;
  graphqlUrl(version?: string): string;
  accessToken: string;
  apiSecret: string;
  shopDomain: string;
  generate(n: number, opts?: GenerateOptions): SimOrder[];
  update(id: number, patch: OrderPatch): SimOrder;
  cancel(id: number): SimOrder;
  remove(id: number): void;
  orders(): SimOrder[];
  order(id: number): SimOrder | undefined;
  /** The REST (webhook) rendering of an order. */
  restOrder(id: number): Record<string, unknown>;
  /** Admin view of write-backs: an order's fulfillments (oldest first), fulfillment orders and metafields. */
  fulfillments(id: number): SimFulfillment[];
  fulfillmentOrders(id: number): SimFulfillmentOrder[];
  metafields(id: number): SimMetafield[];
  /** Puts the order's fulfillment orders on hold (fulfillmentCreate is refused) or releases them. */
  holdFulfillment(id: number, on: boolean): void;
  webhooks: {
    subscribe(topic: string, uri: string): Subscription;
    subscriptions(): Subscription[];
    deliveries(): Delivery[];
    /** Lose the next n deliveries. */
    drop(n: number): void;
    redeliver(webhookId: string): Delivery;
    sign(body: string): string;
    settled(): Promise<void>;
  };
  bucket: { set(opts: { maximumAvailable?: number; restoreRate?: number; currentlyAvailable?: number }): void; status(): { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } };
  faults: { add(rule: FaultRule): void; clear(): void };
  stats(): SimStats;
  close(): Promise<void>;
}

export interface SimStats {
  requests: number;
  byStatus: Record<string, number>;
  throttled: number;
  maxCostExceeded: number;
  /** Sum of actual query costs. */
  cost: number;
}

export const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;

function parseOffset(tz: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(tz);
  if (!m) throw new Error(`timezone must look like +01:00, got ${tz}`);
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export async function startShopifySim(opts: ShopifySimOptions = {}): Promise<ShopifySim> {
  const now = opts.now ?? Date.now;
  const accessToken = opts.accessToken ?? 'shpat_demo';
  const apiSecret = opts.apiSecret ?? 'shpss_demo';
  const shopDomain = opts.shopDomain ?? 'bcbridge-demo.myshopify.com';
  const shopCurrency = opts.shopCurrency ?? 'EUR';
  const tzOffsetMinutes = parseOffset(opts.timezone ?? '+01:00');
  const maxQueryCost = opts.maxQueryCost ?? 1000;
  const restCtx = { tzOffsetMinutes, shopDomain };

  const webhooks = new WebhookDispatcher({
    apiSecret,
    shopDomain,
    retryDelaysMs: opts.webhookRetryDelaysMs ?? [1000, 2000, 4000, 8000, 16000],
    timeoutMs: opts.webhookTimeoutMs ?? 5000,
    concurrency: 4,
    now,
  });
  const store = new ShopStore({
    seed: opts.seed ?? 1,
    shop: { currency: shopCurrency, taxesIncluded: opts.taxesIncluded ?? true },
    now,
    onEvent: (topic, order) => webhooks.emit(topic, topic === 'ORDERS_DELETE' ? { id: order.id } : toRest(order, restCtx)),
  });
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions ?? {}, 3600);
  const bucket = new CostBucket(opts.maximumAvailable ?? 2000, opts.restoreRate ?? 100, now);
  const fulfillments = new FulfillmentDesk(store);
  let currentVersion = '2025-10';
  const schema = createAdminSchema({ store, webhooks, fulfillments, shopDomain, shopName: 'bcbridge demo shop', shopCurrency, tzOffsetMinutes, apiVersion: () => currentVersion });
  const stats: SimStats = { requests: 0, byStatus: {}, throttled: 0, maxCostExceeded: 0, cost: 0 };
  let faults: (FaultRule & { left: number })[] = [];

  const http = await startLocalServer(opts.port);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (url.pathname.startsWith('/_sim/')) {
      return handleAdmin({ store, webhooks, bucket, fulfillments, stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }), restOrder: (o) => toRest(o, restCtx), faults: { add: (r) => faults.push({ ...r, left: r.times ?? Infinity }), clear: () => (faults = []) } }, method, url.pathname, body, res);
    }
    stats.requests++;
    res.on('finish', () => (stats.byStatus[res.statusCode] = (stats.byStatus[res.statusCode] ?? 0) + 1));
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));

    const m = /^\/admin\/api\/([^/]+)\/graphql\.json$/.exec(url.pathname);
    if (!m || !API_VERSION.test(m[1]!)) return send(res, 404, { errors: 'Not Found' });
    if (method !== 'POST') return send(res, 405, { errors: 'Method Not Allowed' });
    const version = m[1]!;
    if (req.headers['x-shopify-access-token'] !== accessToken) {
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    /** The first live fault rule that `matches`, used up by one; true when it answered the request. */
    const fault = (matches: (f: FaultRule) => boolean): boolean => {
      const f = faults.find((x) => x.left > 0 && matches(x));
      if (!f) return false;
      f.left--;
      if (f.kind === 'reset') {
        req.socket.destroy();
        return true;
      }
      if (f.kind === 'timeout') {
        http.hold(res);
        return true;
      }
      const retry: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter.toFixed(1) } : {};
      if (f.kind === '429') send(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, retry);
      else send(res, Number(f.kind), f.kind === '503' ? { errors: 'Service Unavailable' } : { errors: 'Internal Server Error' }, retry);
      return true;
    };
    if (fault((f) => !f.operation && !f.afterExecute)) return;

    let request: { query?: unknown; variables?: unknown; operationName?: unknown };
    const type = String(req.headers['content-type'] ?? '');
    if (type.startsWith('application/graphql')) request = { query: body };
    else {
      try {
        request = JSON.parse(body);
      } catch {
        return send(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
      }
    }
    if (typeof request?.query !== 'string' || request.query.trim() === '') return send(res, 400, { errors: { query: 'Required parameter missing or invalid' } });
    const queryText = request.query;
    const forThis = (f: FaultRule) => !f.operation || queryText.includes(f.operation);
    if (fault((f) => Boolean(f.operation) && !f.afterExecute && forThis(f))) return;
    const variables = request.variables && typeof request.variables === 'object' ? (request.variables as Record<string, unknown>) : undefined;
    const headers = { 'X-Shopify-API-Version': version, 'X-Request-Id': `sim-${stats.requests}` };

    const prepared = prepare(schema, request.query, variables, typeof request.operationName === 'string' ? request.operationName : undefined);
    if (!prepared.ok) return send(res, 200, { errors: prepared.errors }, headers);
    const requested = requestedCost(schema, prepared.prepared);
    if (requested > maxQueryCost) {
      stats.maxCostExceeded++;
      return send(res, 200, {
        errors: [{
          message: `Query cost is ${requested}, which exceeds the single query max cost limit (${maxQueryCost}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
          extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: maxQueryCost },
        }],
      }, headers);
    }
    if (!bucket.take(requested)) {
      stats.throttled++;
      return send(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
      }, headers);
    }
    currentVersion = version;
    const result = execute(schema, prepared.prepared);
    const actual = Math.min(result.actualCost, requested);
    bucket.giveBack(requested - actual);
    stats.cost += actual;
    if (fault((f) => Boolean(f.afterExecute) && f.kind !== 'timeout' && forThis(f))) return;
    send(res, 200, {
      data: result.data,
      ...(result.errors.length && { errors: result.errors }),
      extensions: { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() }, ...result.extensions },
    }, headers);
  };

  http.serve((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { errors: 'Internal Server Error' });
      // A simulator bug must be visible, not swallowed.
      console.error('[shopify-sim]', e);
    });
  });
  const url = http.url;

  const requireOrder = (id: number) => {
    const o = store.get(id);
    if (!o) throw new Error(`no order ${id}`);
    return o;
  };

  return {
    url,
    graphqlUrl: (version = '2025-10') => `${url}/admin/api/${version}/graphql.json`,
    accessToken,
    apiSecret,
    shopDomain,
    generate: (n, o) => store.generate(n, o),
    update: (id, patch) => store.update(id, patch),
    cancel: (id) => store.cancel(id),
    remove: (id) => store.delete(id),
    orders: () => store.all(),
    order: (id) => store.get(id),
    restOrder: (id) => toRest(requireOrder(id), restCtx),
    fulfillments: (id) => requireOrder(id).fulfillments,
    fulfillmentOrders: (id) => fulfillments.fulfillmentOrders(requireOrder(id)),
    metafields: (id) => requireOrder(id).metafields,
    holdFulfillment: (id, on) => fulfillments.hold(id, on),
    webhooks: {
      subscribe: (topic, uri) => webhooks.subscribe(topic, uri, currentVersion),
      subscriptions: () => [...webhooks.subscriptions.values()],
      deliveries: () => webhooks.deliveries,
      drop: (n) => webhooks.drop(n),
      redeliver: (id) => webhooks.redeliver(id),
      sign: (b) => webhooks.sign(b),
      settled: () => webhooks.settled(),
    },
    bucket: { set: (o) => bucket.set(o), status: () => bucket.status() },
    faults: { add: (r) => faults.push({ ...r, left: r.times ?? Infinity }), clear: () => (faults = []) },
    stats: () => ({ ...stats, byStatus: { ...stats.byStatus } }),
    close: async () => {
      webhooks.close();
      await http.close();
    },
  };
}
