/**
 * Magento 2.4 store simulator over real HTTP on 127.0.0.1 (DESIGN.md §6), following
 * reference/webshop-api.md §4: /rest[/{store}]/V1/orders with searchCriteria, integration auth (OAuth
 * 1.0a signing; Bearer only when the store allows it), item trees, faults. No webhooks: Magento Open
 * Source has none. It imports nothing from src/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Faults, type FaultRule } from '../woocommerce/faults.js';
import { createRng } from '../woocommerce/rng.js';
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseQuery(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of raw.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    out.set(decode(i < 0 ? part : part.slice(0, i)), decode(i < 0 ? '' : part.slice(i + 1)));
  }
  return out;
}

export async function startMagentoSim(opts: MagentoSimOptions = {}): Promise<MagentoSim> {
  const integration: Integration = { ...DEMO_INTEGRATION, ...opts.integration };
  const now = opts.now ?? Date.now;
  const seed = opts.seed ?? 1;
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  const stats = { requests: 0, byStatus: {} as Record<string, number> };
  const count = (key: string) => {
    stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
  };
  const faults = new Faults(createRng(seed ^ 0x3a6e));
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
  const store = new OrderStore({ seed, now });
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions);
  const auth = new Authenticator({ integration, bearerAllowed: opts.bearerAllowed ?? false, baseUrl: url, nowSec: () => Math.floor(now() / 1000) });
  const statsView = () => ({ requests: stats.requests, byStatus: { ...stats.byStatus } });

  handler = (req, res) => {
    void (async () => {
      const target = req.url ?? '/';
      const qi = target.indexOf('?');
      const rawPath = qi < 0 ? target : target.slice(0, qi);
      const rawQuery = qi < 0 ? '' : target.slice(qi + 1);
      const method = (req.method ?? 'GET').toUpperCase();
      const rawBody = await readBody(req);
      if (rawPath.startsWith('/_sim/')) return handleAdmin({ store, faults, stats: statsView }, method, rawPath, rawBody, res);
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
        const status = Number(fault.kind);
        // A CDN/WAF in front of Magento answers 429/503 with a page, not JSON; PHP fatals are 500 JSON.
        if (status === 500) return send(res, 500, { message: 'Internal Error. Details are available in Magento log file. Report ID: webapi-6548e8e4b42a1' });
        const html = `<html><body><h1>${status === 429 ? '429 Too Many Requests' : '503 Service Unavailable'}</h1></body></html>`;
        res.writeHead(status, { 'Content-Type': 'text/html', ...(fault.retryAfter !== undefined && { 'Retry-After': String(fault.retryAfter) }) });
        return res.end(html);
      }
      const m = /^\/(?:index\.php\/)?rest(?:\/([a-z0-9_]+))?(\/V1\/.*)$/.exec(rawPath);
      if (!m) return magentoError(res, 404, 'Request does not match any route.');
      if (m[1] !== undefined && m[1] !== 'V1' && !STORE_CODES.has(m[1])) return magentoError(res, 400, 'Requested store is not found');
      const who = auth.check(method, rawPath, rawQuery, req.headers.authorization);
      const apiPath = m[2]!.replace(/\/+$/, '');
      if (!who.ok) return magentoError(res, 401, "The consumer isn't authorized to access %resources.", { resources: aclResource(method, apiPath) });
      handleApi({ store, maxPageSize: opts.maxPageSize }, { method, path: apiPath, query: parseQuery(rawQuery), body: rawBody, res });
    })().catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { message: 'Internal Error.' });
      console.error('[magento-sim]', e);
    });
  };

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
    close: async () => {
      for (const r of held) r.destroy();
      held.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
