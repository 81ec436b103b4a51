import type { Agent } from 'undici';
import { ShopError } from '../../domain/errors.js';
import { redactUrl } from '../../http/request-log.js';
import { headerText } from '../http-headers.js';
import { SeenOrders } from '../seen-orders.js';
import { sleep } from '../sleep.js';
import { callLog, requestText, requireHttpAddress, timeoutAgent, USER_AGENT, type ShopHttpDeps, type ShopResponse } from '../shop-http.js';
import { bigCommerceBadResponse, bigCommerceHttpError, bigCommerceNetworkError, waitMs, type BigCommerceCallContext } from './bigcommerce-errors.js';
import { keysetAfter, seenKey, sinceSecond } from './paging.js';
import { headerNumber, RateGate } from './rate-gate.js';
import { formatRfc2822 } from './rfc2822.js';

export interface BigCommerceClientConfig {
  /** Shop code: names the shop in logs and messages. */
  shopCode: string;
  storeHash: string;
  accessToken: string;
  /** Default https://api.bigcommerce.com. */
  apiUrl?: string;
  timeoutMs?: number;
  /** Attempts per request including the first (default 6), and the backoff bounds. */
  retry?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Orders whose sub-resources are read at once (default 4). */
  concurrency?: number;
  /** Also read /taxes of every order. */
  fetchTaxes?: boolean;
}

export type BigCommerceClientDeps = ShopHttpDeps;

export type BigCommerceResponse = ShopResponse;

export interface ListOrdersOptions {
  /** ISO 8601: only orders modified at or after it. Absent: every order. */
  modifiedSince?: string;
  /** Orders per list request, 1–250. Default 100. */
  pageSize?: number;
  signal?: AbortSignal;
}

type Query = [string, string][];

const MAX_BARREN_PAGES = 20;
/** /products and the other lists return at most this many per request. */
const SUB_PAGE = 250;

/**
 * BigCommerce REST client (v2 orders, v3 refunds) over undici. Authenticates with X-Auth-Token,
 * paces itself on the rate-limit headers, retries 429/5xx/timeouts with backoff (a 429 waits for
 * X-Rate-Limit-Time-Reset-Ms), and records every call to the request log.
 */
export class BigCommerceClient {
  readonly storeBase: string;
  private readonly timeoutMs: number;
  private readonly agent: Agent;
  private readonly gate: RateGate;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly config: BigCommerceClientConfig,
    private readonly deps: BigCommerceClientDeps,
  ) {
    const api = (config.apiUrl ?? 'https://api.bigcommerce.com').trim().replace(/\/+$/, '');
    requireHttpAddress(api, config.shopCode, 'apiUrl');
    // A pasted store API path (…/stores/abc123/v3/) keeps working: only the host part is ours.
    const host = api.replace(/\/stores\/[^/]+(\/v[23])?$/, '');
    this.storeBase = `${host}/stores/${encodeURIComponent(config.storeHash)}`;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.agent = timeoutAgent(this.timeoutMs);
    this.gate = new RateGate(deps.clock);
    this.attempts = Math.max(1, config.retry?.attempts ?? 6);
    this.initialDelayMs = config.retry?.initialDelayMs ?? 500;
    this.maxDelayMs = config.retry?.maxDelayMs ?? 30_000;
  }

  /**
   * Orders modified at or after `modifiedSince`, oldest modification first, one array per page, each
   * order with its sub-resources (the raw document described in to-order.ts). See paging.ts for why
   * the walk restarts from the last modification time instead of only counting pages.
   */
  async *listOrders(opts: ListOrdersOptions = {}): AsyncIterable<unknown[]> {
    const limit = Math.min(250, Math.max(1, Math.floor(opts.pageSize ?? 100)));
    let afterMs = opts.modifiedSince === undefined ? undefined : sinceSecond(opts.modifiedSince);
    let after = afterMs === undefined ? undefined : formatRfc2822(afterMs);
    let page = 1;
    const seen = new SeenOrders(seenKey);
    let barren = 0;
    for (;;) {
      const query: Query = [];
      if (after !== undefined) query.push(['min_date_modified', after]);
      query.push(['sort', 'date_modified:asc'], ['limit', String(limit)], ['page', String(page)]);
      const res = await this.send('GET', '/v2/orders', { query, signal: opts.signal });
      const orders = res.body === undefined ? [] : res.body;
      if (!Array.isArray(orders)) throw this.badResponse('GET', '/v2/orders', query, res, 'a JSON list of orders');
      const fresh = seen.fresh(orders);
      if (fresh.length > 0) {
        barren = 0;
        yield await this.expandAll(fresh, opts.signal);
      } else if (orders.length > 0 && ++barren > MAX_BARREN_PAGES) {
        throw new ShopError('SHOP_BAD_RESPONSE', `BigCommerce store "${this.config.storeHash}" (shop "${this.config.shopCode}") keeps sending full pages of orders already read; listing stopped after ${MAX_BARREN_PAGES} such pages.`);
      }
      // No totals, no links: a short page is the last one.
      if (orders.length < limit) return;
      const restart = keysetAfter(orders);
      if (restart !== undefined && (afterMs === undefined || restart > afterMs)) {
        after = formatRfc2822(restart);
        afterMs = restart;
        page = 1;
      } else {
        page += 1;
      }
    }
  }

  /** One order with its sub-resources; undefined when BigCommerce does not have it. */
  async getOrder(id: string, signal?: AbortSignal): Promise<unknown | undefined> {
    // Order ids are integers: anything else cannot exist, and must not become a path.
    if (!/^\d{1,15}$/.test(id)) return undefined;
    const res = await this.send('GET', `/v2/orders/${id}`, { signal, accept404: true });
    if (res.status === 404) return undefined;
    if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) {
      throw this.badResponse('GET', `/v2/orders/${id}`, [], res, 'a JSON order');
    }
    return this.expand(res.body as Record<string, unknown>, signal);
  }

  /** Proves store hash and token: the order count (scope Orders read). */
  async ping(signal?: AbortSignal): Promise<{ detail: string }> {
    const res = await this.send('GET', '/v2/orders/count', { signal });
    const count = (res.body as { count?: unknown } | undefined)?.count;
    return { detail: `BigCommerce store ${this.config.storeHash} reachable (X-Auth-Token)${typeof count === 'number' ? `, ${count} orders` : ''}` };
  }

  /**
   * The raw order document: the order with its linked sub-resources read in. Coupons are read only
   * when the order has a coupon discount, fees only when the order does not embed them, refunds only
   * when something was refunded, taxes only when configured: each is one request against the quota.
   */
  async expand(order: Record<string, unknown>, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const id = order.id;
    if (typeof id !== 'number' && !(typeof id === 'string' && /^\d+$/.test(id))) return order; // not an order: stored raw, held on mapping
    const base = `/v2/orders/${id}`;
    const nonZero = (v: unknown) => v !== undefined && v !== null && v !== '' && Number(v) !== 0;
    const [products, addresses, coupons, fees, taxes, refunds] = await Promise.all([
      this.listAll(`${base}/products`, signal),
      this.listAll(`${base}/shipping_addresses`, signal),
      nonZero(order.coupon_discount) ? this.listAll(`${base}/coupons`, signal) : Promise.resolve([]),
      Array.isArray(order.fees) ? Promise.resolve(order.fees) : this.readFees(base, signal),
      this.config.fetchTaxes ? this.listAll(`${base}/taxes`, signal) : Promise.resolve(undefined),
      nonZero(order.refunded_amount) ? this.readRefunds(String(id), signal) : Promise.resolve(undefined),
    ]);
    return {
      ...order,
      products,
      shipping_addresses: addresses,
      coupons,
      fees,
      ...(taxes !== undefined && { taxes }),
      ...(refunds !== undefined && { refunds }),
    };
  }

  /**
   * One API call with retries. `path` is below /stores/{hash}. GET/PUT are retried on any transient
   * failure; POST only on 429, since a POST that timed out may have been applied.
   */
  async send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    opts: { query?: Query; body?: unknown; signal?: AbortSignal; accept404?: boolean } = {},
  ): Promise<BigCommerceResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, opts);
      } catch (err) {
        const retryable = err instanceof ShopError && err.retryable && (method !== 'POST' || err.status === 429);
        if (!retryable || attempt >= this.attempts || opts.signal?.aborted) throw err;
        const backoff = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
        const asked = waitMs.get(err as ShopError);
        // A 429 with the reset header pauses every request through the gate; others back off exponentially.
        if (asked !== undefined && (err as ShopError).status === 429) this.gate.pauseFor(Math.min(asked, this.maxDelayMs));
        else await sleep(Math.min(this.maxDelayMs, Math.max(backoff, asked ?? 0)), opts.signal);
      }
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async listAll(path: string, signal?: AbortSignal): Promise<unknown[]> {
    const out: unknown[] = [];
    for (let page = 1; ; page++) {
      const query: Query = [['limit', String(SUB_PAGE)], ['page', String(page)]];
      const res = await this.send('GET', path, { query, signal });
      if (res.body === undefined) return out; // 204 No Content: nothing (more)
      if (!Array.isArray(res.body)) throw this.badResponse('GET', path, query, res, 'a JSON list');
      out.push(...res.body);
      if (res.body.length < SUB_PAGE) return out;
    }
  }

  private async readFees(base: string, signal?: AbortSignal): Promise<unknown[]> {
    const res = await this.send('GET', `${base}/fees`, { signal, accept404: true });
    // Stores without the fees feature answer 404; an order without fees answers 204 or an empty list.
    if (res.status === 404 || res.body === undefined) return [];
    const body = res.body as { fees?: unknown };
    if (Array.isArray(res.body)) return res.body;
    if (Array.isArray(body.fees)) return body.fees;
    throw this.badResponse('GET', `${base}/fees`, [], res, 'a JSON fee list');
  }

  private async readRefunds(id: string, signal?: AbortSignal): Promise<unknown[]> {
    const path = `/v3/orders/${id}/payment_actions/refunds`;
    const res = await this.send('GET', path, { signal });
    if (res.body === undefined) return [];
    const data = (res.body as { data?: unknown }).data;
    if (!Array.isArray(data)) throw this.badResponse('GET', path, [], res, 'a v3 list of refunds');
    return data;
  }

  private async expandAll(orders: unknown[], signal?: AbortSignal): Promise<unknown[]> {
    const out: unknown[] = new Array(orders.length);
    let next = 0;
    const worker = async () => {
      while (next < orders.length) {
        const i = next++;
        const o = orders[i];
        out[i] = typeof o === 'object' && o !== null && !Array.isArray(o) ? await this.expand(o as Record<string, unknown>, signal) : o;
      }
    };
    await Promise.all(Array.from({ length: Math.min(orders.length, Math.max(1, this.config.concurrency ?? 4)) }, worker));
    return out;
  }

  private async attempt(
    method: string,
    path: string,
    opts: { query?: Query; body?: unknown; signal?: AbortSignal; accept404?: boolean },
  ): Promise<BigCommerceResponse> {
    const query = opts.query ?? [];
    const qs = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    const url = `${this.storeBase}${path}${qs ? `?${qs}` : ''}`;
    const ctx: BigCommerceCallContext = { shopCode: this.config.shopCode, storeHash: this.config.storeHash, method, target: `${path}${qs ? `?${decodeURIComponent(qs)}` : ''}` };
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json', 'x-auth-token': this.config.accessToken };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    await this.gate.enter(opts.signal);
    const log = callLog(this.deps, this.config.shopCode, method, redactUrl(url));
    let answer;
    try {
      answer = await requestText(
        url,
        { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), agent: this.agent, signal: opts.signal },
        log,
        (err) => bigCommerceNetworkError(err, ctx, this.timeoutMs),
      );
    } finally {
      this.gate.leave();
    }
    const { status, headers: resHeaders, text } = answer;
    this.gate.observe(resHeaders);
    let parsed: unknown;
    let json = true;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      json = false;
    }
    if (status >= 200 && status < 300) {
      if (!json) {
        const error = bigCommerceBadResponse(status, headerText(resHeaders['content-type']), ctx, 'JSON');
        log(status, error.message);
        throw error;
      }
      log(status);
      return { status, headers: resHeaders, body: status === 204 ? undefined : parsed };
    }
    if (status === 404 && opts.accept404) {
      log(status);
      return { status, headers: resHeaders, body: json ? parsed : undefined };
    }
    // A 429 without the quota headers is platform load, not our quota: plain exponential backoff then.
    const reset = status === 429 ? headerNumber(resHeaders['x-rate-limit-time-reset-ms']) : undefined;
    const error = bigCommerceHttpError(status, json ? parsed : undefined, ctx, { waitMs: reset });
    log(status, error.message);
    throw error;
  }

  private badResponse(method: string, path: string, query: Query, res: BigCommerceResponse, expected: string): ShopError {
    const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
    return bigCommerceBadResponse(res.status, headerText(res.headers['content-type']), { shopCode: this.config.shopCode, storeHash: this.config.storeHash, method, target: `${path}${qs ? `?${qs}` : ''}` }, expected);
  }
}
