/**
 * The `/_sim/*` control surface every shop simulator has: plain JSON in and out, no auth, never faulted,
 * not counted in stats. A platform's admin.ts lists its routes; this reads the body, answers 404 for a
 * route nobody took and 400 for a body that is not JSON or a route that throws.
 */
import type { ServerResponse } from 'node:http';
import type { Faults, FaultRule } from './faults.js';
import { sendJson } from './http.js';

export interface AdminRequest {
  method: string;
  /** Without trailing slashes. */
  path: string;
  body: Record<string, any>;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

/** An answer, or undefined when the request is not this route's. */
export type AdminRoute = (r: AdminRequest) => AdminAnswer | undefined;

export function answer(status: number, body: unknown): AdminAnswer {
  return { status, body };
}

export function serveAdmin(res: ServerResponse, method: string, path: string, rawBody: string, routes: AdminRoute[]): void {
  let body: Record<string, any> = {};
  if (rawBody) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return sendJson(res, 400, { error: 'body is not JSON' });
    }
  }
  try {
    const p = path.replace(/\/+$/, '');
    for (const route of routes) {
      const a = route({ method, path: p, body });
      if (a) return sendJson(res, a.status, a.body);
    }
    return sendJson(res, 404, { error: `no sim route ${method} ${p}` });
  } catch (e) {
    return sendJson(res, 400, { error: (e as Error).message });
  }
}

/** POST /_sim/generate {n, ...options} → {count, ids}. */
export function generateRoute<T, O>(generate: (n: number, opts: O) => T[], idOf: (item: T) => number): AdminRoute {
  return ({ method, path, body }) => {
    if (path !== '/_sim/generate' || method !== 'POST') return undefined;
    const { n, ...opts } = body as { n?: number };
    const items = generate(Number(n ?? 1), opts as O);
    return answer(200, { count: items.length, ids: items.map(idOf) });
  };
}

/** POST /_sim/faults FaultRule → {faults}; DELETE /_sim/faults → {faults: []}; GET /_sim/faults → {faults}. */
export function faultRoutes(faults: Faults): AdminRoute {
  return ({ method, path, body }) => {
    if (path !== '/_sim/faults') return undefined;
    if (method === 'POST') {
      faults.add(body as FaultRule);
      return answer(200, { faults: faults.list() });
    }
    if (method === 'DELETE') {
      faults.clear();
      return answer(200, { faults: [] });
    }
    if (method === 'GET') return answer(200, { faults: faults.list() });
    return undefined;
  };
}

/** GET /_sim/stats → the simulator's stats. */
export function statsRoute(stats: () => unknown): AdminRoute {
  return ({ method, path }) => (path === '/_sim/stats' && method === 'GET' ? answer(200, stats()) : undefined);
}

/** The order surface of a REST shop sim: how its store lists, adds, finds and changes orders. */
export interface AdminOrders<T, Spec, Patch> {
  all(): unknown;
  add(spec: Spec): unknown;
  get(id: number): T | undefined;
  update(id: number, patch: Patch): unknown;
  /** What GET /_sim/orders/{id} answers. Default: the order. */
  show?(order: T, id: number): unknown;
}

/**
 * GET /_sim/orders → all; POST /_sim/orders → 201 the new order; GET /_sim/orders/{id} → the order;
 * POST or PATCH /_sim/orders/{id} → the changed order; an unknown id is 404.
 */
export function orderRoutes<T, Spec, Patch>(orders: AdminOrders<T, Spec, Patch>): AdminRoute {
  return ({ method, path, body }) => {
    if (path === '/_sim/orders' && method === 'GET') return answer(200, orders.all());
    if (path === '/_sim/orders' && method === 'POST') return answer(201, orders.add(body as Spec));
    const m = /^\/_sim\/orders\/(\d+)$/.exec(path);
    if (!m) return undefined;
    const id = Number(m[1]);
    const order = orders.get(id);
    if (!order) return answer(404, { error: `no order ${m[1]}` });
    if (method === 'GET') return answer(200, orders.show ? orders.show(order, id) : order);
    if (method === 'POST' || method === 'PATCH') return answer(200, orders.update(id, body as Patch));
    return undefined;
  };
}
