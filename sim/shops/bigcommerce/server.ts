/**
 * BigCommerce store simulator over real HTTP on 127.0.0.1 (DESIGN.md §6), following
 * reference/webshop-api.md §3: X-Auth-Token on /stores/{store_hash}/…, v2 orders with their linked
 * sub-resources, the per-store request quota with its headers and 429, v3 hooks with signed thin
 * webhooks, faults. It imports nothing from src/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Faults, type FaultRule } from '../woocommerce/faults.js';
import { createRng } from '../woocommerce/rng.js';
import { handleAdmin } from './admin.js';
import { handleApi, parseQuery, send, v3Error } from './api.js';
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startBigCommerceSim(opts: BigCommerceSimOptions = {}): Promise<BigCommerceSim> {
  const storeHash = opts.storeHash ?? STORE_HASH;
  const accessToken = opts.accessToken ?? 'bc_demo_token';
  const clientSecret = opts.clientSecret ?? 'bc_demo_client_secret';
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  const stats = { requests: 0, byStatus: {} as Record<string, number> };
  const count = (key: string) => {
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  };
  const faults = new Faults(createRng(seed ^ 0xbc));
  const limit = opts.quota === false ? undefined : new RateWindow({ quota: opts.quota ?? PLAN_QUOTAS.standard, windowMs: opts.windowMs ?? 30_000 }, now);

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503);
    res.end();
  };
  const server: Server = createServer((req, res) => handler(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  const store = new OrderStore({ seed, apiBase: url, now });
  const hooks = new Webhooks({
    clientSecret, storeHash, storeId: STORE_ID, nowSec: () => Math.floor(now() / 1000),
    retries: opts.webhookRetries, retryDelayMs: opts.webhookRetryDelayMs,
  });
  store.onEvent((e) => hooks.dispatch(e));
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions);
  const statsView = () => ({ requests: stats.requests, byStatus: { ...stats.byStatus } });

  const rawOrder = (id: number): Record<string, unknown> | undefined => {
    const r = store.get(id);
    if (!r) return undefined;
    return { ...r.order, products: r.products, shipping_addresses: r.shippingAddresses, coupons: r.coupons, ...(r.refunds.length > 0 && { refunds: r.refunds }) };
  };

  handler = (req, res) => {
    void (async () => {
      const target = req.url ?? '/';
      const qi = target.indexOf('?');
      const rawPath = qi < 0 ? target : target.slice(0, qi);
      const rawQuery = qi < 0 ? '' : target.slice(qi + 1);
      const method = (req.method ?? 'GET').toUpperCase();
      const rawBody = await readBody(req);
      if (rawPath.startsWith('/_sim/')) return handleAdmin({ store, faults, hooks, stats: statsView }, method, rawPath, rawBody, res);

      stats.requests += 1;
      res.on('finish', () => count(String(res.statusCode)));
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));

      const fault = faults.match(target, method);
      if (fault) {
        if (fault.kind === 'reset') {
          count('reset');
          req.socket.resetAndDestroy();
          return;
        }
        if (fault.kind === 'timeout') {
          count('timeout');
          held.add(res);
          res.on('close', () => held.delete(res));
          return;
        }
        // A 429 from a fault is platform load: BigCommerce sends it without the quota headers.
        const retry: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
        const status = Number(fault.kind);
        return send(res, status, { status, title: status === 429 ? 'Too Many Requests' : 'Service Unavailable', type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes' }, retry);
      }

      const m = /^\/stores\/([^/]+)(\/.*)$/.exec(rawPath);
      // Authentication comes before the store lookup and before the quota, as at BigCommerce's gateway.
      const token = req.headers['x-auth-token'];
      if (!token || token !== accessToken) {
        return v3Error(res, 401, 'No valid credentials were found in this request. Check the X-Auth-Token header.', {});
      }
      if (!m || m[1] !== storeHash) return v3Error(res, 404, 'The requested store was not found.', {});
      const window = limit?.take();
      const baseHeaders = window?.headers ?? {};
      if (window && !window.allowed) {
        return send(res, 429, { status: 429, title: 'Too many requests', type: 'https://developer.bigcommerce.com/api-docs/getting-started/api-status-codes' }, baseHeaders);
      }
      handleApi({ store, hooks, baseHeaders }, { method, path: m[2]!, query: parseQuery(rawQuery), body: rawBody, res });
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, [{ status: 500, message: 'Internal server error' }]);
      console.error('[bigcommerce-sim]', e);
    });
  };

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
      for (const r of held) r.destroy();
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
