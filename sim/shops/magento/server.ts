/**
 * Magento 2.4 store simulator over real HTTP on 127.0.0.1 (DESIGN.md §6), following
 * reference/webshop-api.md §4: /rest[/{store}]/V1/orders with searchCriteria, integration auth (OAuth
 * 1.0a signing; Bearer only when the store allows it), item trees, faults. No webhooks: Magento Open
 * Source has none. It imports nothing from src/.
 */
import { Faults, type FaultRule } from '../common/faults.js';
import { startLocalServer } from '../common/local-server.js';
import { parseQuery } from '../common/query.js';
import { RequestStats } from '../common/request-stats.js';
import { createRng } from '../common/rng.js';
import { shopRequestHandler } from '../common/shop-handler.js';
import { handleAdmin } from './admin.js';
import { aclResource, handleApi, magentoError, send, STORE_CODES } from './api.js';
import { Authenticator, type Integration } from './auth.js';
import { OrderStore, type OrderPatch } from './store.js';
import type { GenerateOptions, MgOrder, MgOrderSpec, MgShipment } from './types.js';

export type { GenerateOptions, MgOrder, MgOrderSpec, MgShipment, OrderPatch, FaultRule, Integration };

export interface MagentoSimOptions {
  port?: number;
  /** The integration's credentials (32-character values, as Magento issues them). */
  integration?: Partial<Integration>;
  /** Store setting oauth/consumer/enable_integration_as_bearer. Default false (2.4.4+ default). */
  bearerAllowed?: boolean;
  /** Input limiting: the largest pageSize accepted (Magento's default limit is 300 when enabled). */
  maxPageSize?: number;
  latencyMs?: number;
  seed?: number;
  now?: () => number;
  initialOrders?: number;
  initialOptions?: GenerateOptions;
  /** Multi-Source Inventory source codes the store has (default: just `default`, as a fresh Magento 2.4). */
  sources?: string[];
}

export interface MagentoSim {
  /** http://127.0.0.1:PORT: the store's base URL; the API is at `${url}/rest/V1`. */
  url: string;
  integration: Integration;
  generate(n: number, opts?: GenerateOptions): MgOrder[];
  addOrder(spec: MgOrderSpec): MgOrder;
  updateOrder(id: number, patch: OrderPatch): MgOrder;
  orders(): MgOrder[];
  order(id: number): MgOrder | undefined;
  /** Shipments created through `POST /V1/order/{id}/ship`, of one order or all. */
  shipments(orderId?: number): MgShipment[];
  nowSec(): number;
  faults: { add(rule: FaultRule): void; clear(): void };
  stats(): { requests: number; byStatus: Record<string, number> };
  close(): Promise<void>;
}

export const DEMO_INTEGRATION: Integration = {
  consumerKey: 'mg0demo0consumer0key000000000001',
  consumerSecret: 'mg0demo0consumer0secret000000001',
  accessToken: 'mg0demo0access0token000000000001',
  accessTokenSecret: 'mg0demo0access0token0secret00001',
};

export async function startMagentoSim(opts: MagentoSimOptions = {}): Promise<MagentoSim> {
  const integration: Integration = { ...DEMO_INTEGRATION, ...opts.integration };
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const stats = new RequestStats();
  const faults = new Faults(createRng(seed ^ 0x3a6e));
  const http = await startLocalServer(opts.port);
  const url = http.url;
  const store = new OrderStore({ seed, now, sources: opts.sources });
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions);
  const auth = new Authenticator({ integration, bearerAllowed: opts.bearerAllowed ?? false, baseUrl: url, nowSec: () => Math.floor(now() / 1000) });
  const statsView = () => stats.view();

  http.serve(shopRequestHandler({
    name: 'magento-sim',
    latencyMs: opts.latencyMs,
    stats,
    hold: http.hold,
    admin: (r) => handleAdmin({ store, faults, stats: statsView }, r.method, r.path, r.body, r.res),
    fault: (r) => faults.match(r.target, r.method),
    answerFault: ({ res }, fault) => {
      const status = Number(fault.kind);
      // A CDN/WAF in front of Magento answers 429/503 with a page, not JSON; PHP fatals are 500 JSON.
      if (status === 500) return send(res, 500, { message: 'Internal Error. Details are available in Magento log file. Report ID: webapi-6548e8e4b42a1' });
      const html = `<html><body><h1>${status === 429 ? '429 Too Many Requests' : '503 Service Unavailable'}</h1></body></html>`;
      res.writeHead(status, { 'Content-Type': 'text/html', ...(fault.retryAfter !== undefined && { 'Retry-After': String(fault.retryAfter) }) });
      res.end(html);
    },
    api: ({ req, res, path, query, method, body }) => {
      const m = /^\/(?:index\.php\/)?rest(?:\/([a-z0-9_]+))?(\/V1\/.*)$/.exec(path);
      if (!m) return magentoError(res, 404, 'Request does not match any route.');
      if (m[1] !== undefined && m[1] !== 'V1' && !STORE_CODES.has(m[1])) return magentoError(res, 400, 'Requested store is not found');
      const who = auth.check(method, path, query, req.headers.authorization);
      const apiPath = m[2]!.replace(/\/+$/, '');
      if (!who.ok) return magentoError(res, 401, "The consumer isn't authorized to access %resources.", { resources: aclResource(method, apiPath) });
      handleApi({ store, maxPageSize: opts.maxPageSize }, { method, path: apiPath, query: parseQuery(query), body, res });
    },
    internalError: (res) => send(res, 500, { message: 'Internal Error.' }),
  }));

  return {
    url,
    integration,
    generate: (n, o) => store.generate(n, o),
    addOrder: (spec) => store.add(spec),
    updateOrder: (id, patch) => store.update(id, patch),
    orders: () => store.all(),
    order: (id) => store.get(id),
    shipments: (orderId) => store.shipments(orderId),
    nowSec: () => store.nowSec(),
    faults: { add: (r) => faults.add(r), clear: () => faults.clear() },
    stats: statsView,
    close: () => http.close(),
  };
}
