import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { executeBatch, batchCost } from './api/batch.js';
import { type ApiRequest, runApi } from './api/dispatch.js';
import { BcError, errorBody } from './errors.js';
import type { FaultRule, Faults } from './faults.js';
import { readRaw, send } from './http-io.js';
import { newGuid } from './ids.js';
import type { Limits } from './limits.js';
import type { Stats } from './stats.js';
import type { World } from './store.js';
import { Subscriptions } from './subscriptions.js';
import type { TokenService } from './token.js';

/**
 * The path of one request through the simulated service: injected faults first (as a proxy or
 * the network would), then the token endpoint or the API: bearer check, environment, per-user
 * limits (window, then a concurrency slot), latency while holding the slot, the handler, and the
 * response — or, for `drop-after-commit`, a destroyed socket after the work was done.
 */
export interface GatewayDeps {
  tenant: string;
  world: World;
  tokens: TokenService;
  faults: Faults;
  limits: Limits;
  stats: Stats;
  baseUrl: () => string;
  /** Responses held open by the `timeout` fault, released when the simulator closes. */
  hung: Set<ServerResponse>;
  /** `api/v2.0/subscriptions` (webhooks, bc-api.md §6). */
  subscriptions?: Subscriptions;
}

const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/;
const API_PATH = /^\/v2\.0\/([^/]+)\/([^/]+)\/api\/v2\.0(?:\/(.*))?$/;
/** A partner's custom API page group (docs/write-back.md: shipment tracking), `api/{publisher}/{group}/{version}`. */
const CUSTOM_API_PATH = /^\/v2\.0\/([^/]+)\/([^/]+)\/api\/(bcbridge\/shipping\/v1\.0)(?:\/(.*))?$/;

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Applies an injected HTTP-level fault; returns true if the request is finished. */
function injectHttpFault(d: GatewayDeps, res: ServerResponse, f: FaultRule): boolean {
  const cid = newGuid();
  const base = { 'request-id': cid };
  const retry = String(f.retryAfterSeconds ?? 1);
  switch (f.kind) {
    case '429':
    case '429-no-retry-after': {
      d.stats.outcome(429);
      const headers = f.kind === '429' ? { ...base, 'Retry-After': retry } : base;
      // [3P] body recorded by Demiliani (bc-api.md §1.8).
      send(res, 429, headers, errorBody('Application_TooManyRequests', 'Too many requests reached. Actual (101). Maximum (100).', cid));
      return true;
    }
    case '503':
      d.stats.outcome(503);
      // BC documents Retry-After on 502/503 (bc-api.md §2).
      send(res, 503, { ...base, 'Retry-After': retry }, errorBody('Internal_ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.', cid));
      return true;
    case '504':
      d.stats.outcome(504);
      // A gateway answers, not BC: an HTML page, so clients must not assume a JSON error body.
      send(res, 504, { ...base, 'Content-Type': 'text/html' }, '<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>');
      return true;
    default:
      return false;
  }
}

export function createHandler(d: GatewayDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const rawUrl = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    d.stats.request();
    const fault = d.faults.take(method, rawUrl);
    if (fault?.kind === 'reset') {
      d.stats.outcome('reset');
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'timeout') {
      // Accept and never answer: the socket stays open until the client gives up or the sim closes.
      d.stats.outcome('timeout');
      d.hung.add(res);
      res.on('close', () => d.hung.delete(res));
      req.resume();
      return;
    }
    let raw: Buffer;
    try {
      raw = await readRaw(req);
    } catch {
      req.socket.destroy();
      return;
    }
    if (fault && injectHttpFault(d, res, fault)) return;

    const url = new URL(rawUrl, 'http://sim');
    const tokenMatch = TOKEN_PATH.exec(url.pathname);
    if (tokenMatch) {
      d.stats.token();
      if (method !== 'POST') {
        d.stats.outcome(405);
        send(res, 405, {}, { error: 'invalid_request', error_description: 'AADSTS900561: The endpoint only accepts POST requests.' });
        return;
      }
      const out = d.tokens.issue(decodeURIComponent(tokenMatch[1]!), new URLSearchParams(raw.toString('utf8')));
      d.stats.outcome(out.status);
      send(res, out.status, { 'Content-Type': 'application/json; charset=utf-8', 'x-ms-request-id': newGuid(), 'Cache-Control': 'no-store, no-cache' }, out.body);
      return;
    }
    const custom = CUSTOM_API_PATH.exec(url.pathname);
    if (custom) {
      await handleApi(d, req, res, method, url, raw, decodeURIComponent(custom[1]!), decodeURIComponent(custom[2]!), custom[4] ?? '', fault, custom[3]);
      return;
    }
    const api = API_PATH.exec(url.pathname);
    if (!api) {
      const cid = newGuid();
      d.stats.outcome(404);
      send(res, 404, { 'request-id': cid }, errorBody('BadRequest_ResourceNotFound', `Resource not found for the segment '${url.pathname.split('/').filter(Boolean)[0] ?? ''}'.`, cid));
      return;
    }
    await handleApi(d, req, res, method, url, raw, decodeURIComponent(api[1]!), decodeURIComponent(api[2]!), api[3] ?? '', fault);
  };
}

async function handleApi(
  d: GatewayDeps, req: IncomingMessage, res: ServerResponse, method: string, url: URL, raw: Buffer,
  tenant: string, envName: string, path: string, fault: FaultRule | undefined, group?: string,
): Promise<void> {
  const cid = newGuid();
  const headers = lowerHeaders(req);
  const reply = (status: number, h: Record<string, string>, body?: unknown) => {
    if (fault?.kind === 'drop-after-commit') {
      // The work is done (and stored); the response is lost: the classic duplicate trap.
      d.stats.outcome('dropped');
      req.socket.destroy();
      return;
    }
    d.stats.outcome(status);
    send(res, status, { 'request-id': cid, 'OData-Version': '4.0', ...h }, body);
  };
  const fail = (e: BcError) => reply(e.status, e.headers, errorBody(e.code, e.message, cid));

  const auth = d.tokens.verify(headers.authorization);
  if (!auth.ok || tenant !== d.tenant) {
    const reason = auth.ok ? 'The token was issued for a different tenant' : auth.reason === 'expired' ? 'The access token is expired' : 'The access token is missing or invalid';
    reply(401, {
      'WWW-Authenticate': `Bearer authorization_uri="https://login.microsoftonline.com/${d.tenant}/oauth2/authorize", error="invalid_token", error_description="${reason}"`,
    }, errorBody('Authentication_InvalidCredentials', 'The server has rejected the client credentials.', cid));
    return;
  }
  const env = d.world.env(envName);
  if (!env) {
    fail(new BcError(404, 'NoEnvironment', `The environment '${envName}' does not exist for tenant '${tenant}'.`));
    return;
  }
  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      fail(new BcError(400, 'BadRequest', 'Invalid Request Body'));
      return;
    }
  }
  const isBatch = path.replace(/\/+$/, '') === '$batch';
  const cost = isBatch ? batchCost(body) : 1;
  if (isBatch) d.stats.batch(cost);

  const limiter = d.limits.for(auth.clientId);
  const windowError = limiter.admit(cost);
  if (windowError) {
    fail(windowError);
    return;
  }
  limiter.open++;
  d.stats.open(limiter.open);
  let release: (() => void) | undefined;
  try {
    release = await limiter.acquire();
  } catch (e) {
    limiter.open--;
    fail(e as BcError);
    return;
  }
  d.stats.inFlight(limiter.inFlight);
  d.stats.units(cost);
  let result;
  try {
    // BC runs a $batch's operations one after another in one session: it takes as long as they would.
    if (d.faults.latencyMs > 0) await sleep(d.faults.latencyMs * cost);
    const apiBase = `${d.baseUrl()}/v2.0/${tenant}/${envName}/api/${group ?? 'v2.0'}`;
    const request: ApiRequest = { method, path, params: url.searchParams, headers, body, ...(group && { group }) };
    const scope = { world: d.world, env, apiBase, tx: null };
    if (isBatch) {
      result = method === 'POST'
        ? runBatch(scope, request, cid)
        : { status: 405, body: errorBody('BadRequest_MethodNotAllowed', '$batch requires POST.', cid) };
    } else if (!group && d.subscriptions && Subscriptions.isPath(path)) {
      // Not company-scoped, and the handshake makes it asynchronous.
      try {
        result = await d.subscriptions.handle({ method, path, headers, body, apiBase, env: env.name, clientId: auth.clientId });
      } catch (e) {
        if (!(e instanceof BcError)) throw e;
        result = { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, cid) };
      }
    } else result = runApi(scope, request, cid);
  } finally {
    release();
    limiter.open--;
  }
  reply(result.status, result.headers ?? {}, result.body);
}

function runBatch(scope: Parameters<typeof executeBatch>[0], request: ApiRequest, cid: string) {
  if (!(request.headers['content-type'] ?? '').includes('application/json')) {
    return { status: 400, body: errorBody('BadRequest', 'The simulator supports JSON $batch only (Content-Type: application/json).', cid) };
  }
  try {
    return executeBatch(scope, request);
  } catch (e) {
    if (e instanceof BcError) return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, cid) };
    throw e;
  }
}
