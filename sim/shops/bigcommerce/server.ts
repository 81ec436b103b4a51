/**
 * BigCommerce store simulator over real HTTP on 127.0.0.1 (DESIGN.md §6), following
 * reference/webshop-api.md §3: X-Auth-Token on /stores/{store_hash}/…, v2 orders with their linked
 * sub-resources, the per-store request quota with its headers and 429, v3 hooks with signed thin
 * webhooks, faults. It imports nothing from src/.
 */
import { Faults, type FaultRule } from '../common/faults.js';
import { startLocalServer } from '../common/local-server.js';
import { parseQuery } from '../common/query.js';
import { RequestStats } from '../common/request-stats.js';
import { createRng } from '../common/rng.js';
import { shopRequestHandler } from '../common/shop-handler.js';
import { handleAdmin } from './admin.js';
import { ERROR_TYPE, handleApi, send, v3Error } from './api.js';
import { PLAN_QUOTAS, RateWindow } from './limits.js';
import { OrderStore, type OrderPatch } from './store.js';
import type { BcOrderRecord, BcOrderSpec, BcShipment, GenerateOptions } from './types.js';
import { Webhooks, type Delivery, type Hook } from './webhooks.js';
import { STORE_HASH, STORE_ID } from './world.js';

export type { BcOrderRecord, BcOrderSpec, BcShipment, GenerateOptions, OrderPatch, FaultRule, Delivery, Hook };

export interface BigCommerceSimOptions {
  /** 0 = a free port. */
  port?: number;
  /** Default 'demo1234'. */
  storeHash?: string;
  /** Default 'bc_demo_token'. */
  accessToken?: string;
  /** App client secret that signs webhooks. Default 'bc_demo_client_secret'. */
  clientSecret?: string;
  /** Requests per window (default 150, BigCommerce Standard/Plus); false = unlimited (Enterprise). */
  quota?: number | false;
  /** Window length, ms. Default 30000. */
  windowMs?: number;
  latencyMs?: number;
  seed?: number;
  now?: () => number;
  initialOrders?: number;
  initialOptions?: GenerateOptions;
  /** Webhook re-delivery after a failure. */
  webhookRetries?: number;
  webhookRetryDelayMs?: number;
}

export interface BigCommerceSim {
  /** http://127.0.0.1:PORT: the API host (apiUrl); the store is at `${url}/stores/${storeHash}`. */
  url: string;
  storeHash: string;
  accessToken: string;
  clientSecret: string;
  generate(n: number, opts?: GenerateOptions): BcOrderRecord[];
  addOrder(spec: BcOrderSpec): BcOrderRecord;
  updateOrder(id: number, patch: OrderPatch): BcOrderRecord;
  orders(): BcOrderRecord[];
  order(id: number): BcOrderRecord | undefined;
  /** The order as bcbridge stores it: the v2 order with its sub-resources read in. */
  rawOrder(id: number): Record<string, unknown> | undefined;
  /** The order's shipments (POST /v2/orders/{id}/shipments), oldest first; [] for an unknown order. */
  shipments(orderId: number): BcShipment[];
  hooks(): Hook[];
  deliveries(): Delivery[];
  /** Waits until webhook deliveries in flight have finished. */
  settleWebhooks(): Promise<void>;
  nowSec(): number;
  faults: { add(rule: FaultRule): void; clear(): void };
  stats(): { requests: number; byStatus: Record<string, number> };
  close(): Promise<void>;
}

export async function startBigCommerceSim(opts: BigCommerceSimOptions = {}): Promise<BigCommerceSim> {
  const storeHash = opts.storeHash ?? STORE_HASH;
  const accessToken = opts.accessToken ?? 'bc_demo_token';
  const clientSecret = opts.clientSecret ?? 'bc_demo_client_secret';
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const stats = new RequestStats();
  const faults = new Faults(createRng(seed ^ 0xbc));
  const limit = opts.quota === false ? undefined : new RateWindow({ quota: opts.quota ?? PLAN_QUOTAS.standard, windowMs: opts.windowMs ?? 30_000 }, now);

  const http = await startLocalServer(opts.port);
  const url = http.url;
  const store = new OrderStore({ seed, apiBase: url, now });
  const hooks = new Webhooks({
    clientSecret, storeHash, storeId: STORE_ID, nowSec: () => Math.floor(now() / 1000),
    retries: opts.webhookRetries, retryDelayMs: opts.webhookRetryDelayMs,
  });
  store.onEvent((e) => hooks.dispatch(e));
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions);
  const statsView = () => stats.view();

  const rawOrder = (id: number): Record<string, unknown> | undefined => {
    const r = store.get(id);
    if (!r) return undefined;
    return { ...r.order, products: r.products, shipping_addresses: r.shippingAddresses, coupons: r.coupons, ...(r.refunds.length > 0 && { refunds: r.refunds }) };
  };

  http.serve(shopRequestHandler({
    name: 'bigcommerce-sim',
    latencyMs: opts.latencyMs,
    stats,
    hold: http.hold,
    admin: (r) => handleAdmin({ store, faults, hooks, stats: statsView }, r.method, r.path, r.body, r.res),
    fault: (r) => faults.match(r.target, r.method),
    answerFault: ({ res }, fault) => {
      // A 429 from a fault is platform load: BigCommerce sends it without the quota headers.
      const retry: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      const status = Number(fault.kind);
      send(res, status, { status, title: status === 429 ? 'Too Many Requests' : 'Service Unavailable', type: ERROR_TYPE }, retry);
    },
    api: ({ req, res, path, query, method, body }) => {
      const m = /^\/stores\/([^/]+)(\/.*)$/.exec(path);
      // Authentication comes before the store lookup and before the quota, as at BigCommerce's gateway.
      const token = req.headers['x-auth-token'];
      if (!token || token !== accessToken) {
        return v3Error(res, 401, 'No valid credentials were found in this request. Check the X-Auth-Token header.', {});
      }
      if (!m || m[1] !== storeHash) return v3Error(res, 404, 'The requested store was not found.', {});
      const window = limit?.take();
      const baseHeaders = window?.headers ?? {};
      if (window && !window.allowed) {
        return send(res, 429, { status: 429, title: 'Too many requests', type: ERROR_TYPE }, baseHeaders);
      }
      handleApi({ store, hooks, baseHeaders }, { method, path: m[2]!, query: parseQuery(query), body, res });
    },
    internalError: (res) => send(res, 500, [{ status: 500, message: 'Internal server error' }]),
  }));

  return {
    url,
    storeHash,
    accessToken,
    clientSecret,
    generate: (n, o) => store.generate(n, o),
    addOrder: (spec) => store.add(spec),
    updateOrder: (id, patch) => store.update(id, patch),
    orders: () => store.all(),
    order: (id) => store.get(id),
    rawOrder,
    shipments: (orderId) => store.get(orderId)?.shipments.map((s) => structuredClone(s)) ?? [],
    hooks: () => hooks.list(),
    deliveries: () => hooks.deliveries,
    settleWebhooks: () => hooks.settle(),
    nowSec: () => store.nowSec(),
    faults: { add: (r) => faults.add(r), clear: () => faults.clear() },
    stats: statsView,
    close: async () => {
      hooks.close();
      await http.close();
    },
  };
}
