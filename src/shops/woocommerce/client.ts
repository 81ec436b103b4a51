import type { Agent } from 'undici';
import { handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { ShopError } from '../../domain/errors.js';
import { redactUrl } from '../../http/request-log.js';
import { headerText, parseRetryAfter } from '../http-headers.js';
import { SeenOrders } from '../seen-orders.js';
import { callLog, requestText, requireHttpAddress, timeoutAgent, USER_AGENT, type ShopHttpDeps, type ShopResponse } from '../shop-http.js';
import { queryString, signOAuth1, type OAuth1SignatureMethod } from './oauth1.js';
import { RetryAfterBackoff } from './retry-after-backoff.js';
import { keysetAfter, modifiedAfterParam, nextPage, seenKey } from './paging.js';
import { wooBadResponse, wooHttpError, wooNetworkError, type WooCallContext } from './woo-errors.js';
import { rememberElementTexts } from '../raw-text.js';

export type WooAuthMode = 'auto' | 'basic' | 'oauth1';

export interface WooClientConfig {
  /** Shop code: names the shop in logs and messages. */
  shopCode: string;
  /** Site address as WordPress knows it, e.g. `https://shop.example.com` (no /wp-json). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  /** 'auto' (default): HTTP Basic over https, OAuth 1.0a over http, as WooCommerce demands. */
  authMode?: WooAuthMode;
  signatureMethod?: OAuth1SignatureMethod;
  /** Per request: connect, first byte and between body chunks. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per request including the first (default 4), and the backoff bounds. */
  retry?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
}

export type WooClientDeps = ShopHttpDeps;

export type WooMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** `jsonText`: the text the body was parsed from (a page of orders keeps each order's own text, raw-text.ts). */
export type WooResponse = ShopResponse & { jsonText?: string };

export interface ListOrdersOptions {
  /** ISO 8601: only orders modified at or after it. Absent: every order. */
  modifiedSince?: string;
  /** Orders per request, 1–100 (WooCommerce refuses more). Default 100. */
  pageSize?: number;
  signal?: AbortSignal;
}

/** A shop that keeps announcing a next page without a single new order is looping; stop it. */
const MAX_BARREN_PAGES = 20;

/**
 * REST `wc/v3` client over undici. Every HTTP call is recorded to the request log (method, redacted
 * URL, status, duration). Transient failures (429, 5xx, timeouts, resets) are retried with exponential
 * backoff honouring Retry-After; everything else becomes a ShopError with a sentence saying what to fix.
 */
export class WooClient {
  readonly apiBase: string;
  private readonly auth: 'basic' | 'oauth1';
  private readonly https: boolean;
  private readonly timeoutMs: number;
  private readonly agent: Agent;
  private readonly idempotentPolicy: RetryPolicy;
  private readonly unsafePolicy: RetryPolicy;

  constructor(
    private readonly config: WooClientConfig,
    private readonly deps: WooClientDeps,
  ) {
    // Tolerate a pasted API address: WooCommerce signs against the site address, so keep only that.
    const site = config.url.trim().replace(/\/+$/, '').replace(/\/wp-json(\/wc\/v3)?$/, '');
    const parsed = requireHttpAddress(site, config.shopCode, 'url', config.url);
    this.https = parsed.protocol === 'https:';
    this.apiBase = `${site}/wp-json/wc/v3`;
    const mode = config.authMode ?? 'auto';
    this.auth = mode === 'auto' ? (this.https ? 'basic' : 'oauth1') : mode;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.agent = timeoutAgent(this.timeoutMs);
    const attempts = Math.max(1, config.retry?.attempts ?? 4);
    const backoff = new RetryAfterBackoff({
      initialDelayMs: config.retry?.initialDelayMs ?? 500,
      maxDelayMs: config.retry?.maxDelayMs ?? 30_000,
    });
    const retryable = (e: Error) => e instanceof ShopError && e.retryable;
    this.idempotentPolicy = retry(handleWhen(retryable), { maxAttempts: attempts - 1, backoff });
    // A POST that timed out may have been applied; repeat it only when the shop said it did not run it.
    this.unsafePolicy = retry(handleWhen((e) => retryable(e) && (e as ShopError).status === 429), { maxAttempts: attempts - 1, backoff });
  }

  /** 'basic' or 'oauth1': what this client sends (for doctor and messages). */
  get authMethod(): 'basic' | 'oauth1' {
    return this.auth;
  }

  /**
   * Orders modified at or after `modifiedSince`, oldest modification first, one array per page.
   *
   * WooCommerce pages by number, and an order modified during the listing jumps to the end, shifting
   * every later order one place back: a page-number walk would then skip one order for good (its
   * modification time is older than the cursor that follows). So after each page the walk restarts
   * from that page's last modification time (keyset), and pages by number only while a whole page
   * shares one second. Restarts re-read a few orders; they are de-duplicated by id and modification.
   */
  async *listOrders(opts: ListOrdersOptions = {}): AsyncIterable<unknown[]> {
    const perPage = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 100)));
    let after = opts.modifiedSince === undefined ? undefined : modifiedAfterParam(opts.modifiedSince);
    let page = 1;
    const seen = new SeenOrders(seenKey);
    let barren = 0;
    for (;;) {
      const query: [string, string][] = [];
      if (after !== undefined) query.push(['modified_after', after]);
      query.push(['dates_are_gmt', 'true'], ['orderby', 'modified'], ['order', 'asc'], ['per_page', String(perPage)], ['page', String(page)]);
      const res = await this.send('GET', '/orders', { query, signal: opts.signal });
      if (!Array.isArray(res.body)) throw this.badResponse('GET', '/orders', query, res, 'a JSON list of orders');
      // Intake stores each order as the shop sent it, instead of serializing the parsed object again.
      if (res.jsonText !== undefined) rememberElementTexts(res.body, res.jsonText);
      const fresh = seen.fresh(res.body);
      if (fresh.length > 0) {
        barren = 0;
        yield fresh;
      } else if (++barren > MAX_BARREN_PAGES) {
        throw new ShopError('SHOP_BAD_RESPONSE', `WooCommerce shop "${this.config.shopCode}" keeps announcing more orders but sends only ones already read; listing stopped after ${MAX_BARREN_PAGES} such pages.`);
      }
      const next = nextPage(res, page, perPage);
      if (next === undefined) return;
      const restart = keysetAfter(res.body);
      if (restart !== undefined && (after === undefined || restart > after)) {
        after = restart;
        page = 1;
      } else {
        page = next;
      }
    }
  }

  /** One order by id; undefined when WooCommerce does not have it. */
  async getOrder(id: string, signal?: AbortSignal): Promise<unknown | undefined> {
    // WooCommerce ids are integers: anything else cannot exist, and must not become a path.
    if (!/^\d{1,20}$/.test(id)) return undefined;
    const res = await this.send('GET', `/orders/${id}`, { signal, accept404: true });
    if (res.status === 404) {
      // WooCommerce's "no such order" (woocommerce_rest_shop_order_invalid_id) is an answer; a 404
      // without it (no route, a theme's 404 page) means the url is wrong and must not read as "deleted".
      const code = (res.body as { code?: unknown } | undefined)?.code;
      if (typeof code === 'string' && code !== 'rest_no_route') return undefined;
      throw wooHttpError(404, res.body, this.context('GET', `/orders/${id}`, []));
    }
    if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) {
      throw this.badResponse('GET', `/orders/${id}`, [], res, 'a JSON order');
    }
    return res.body;
  }

  /** Proves url and key: lists one order and reads the order count. */
  async ping(signal?: AbortSignal): Promise<{ detail: string }> {
    const query: [string, string][] = [['per_page', '1']];
    const res = await this.send('GET', '/orders', { query, signal });
    if (!Array.isArray(res.body)) throw this.badResponse('GET', '/orders', query, res, 'a JSON list of orders');
    const total = headerText(res.headers['x-wp-total']);
    const auth = this.auth === 'basic' ? 'HTTP Basic' : 'OAuth 1.0a';
    return { detail: `WooCommerce wc/v3 reachable (${auth})${total !== undefined ? `, ${total} orders` : ''}` };
  }

  /**
   * One API call under the retry policy. `path` is below `/wp-json/wc/v3`. GET/PUT/DELETE are retried
   * on any transient failure; POST only on 429, since a timed-out POST may have been applied.
   */
  async send(
    method: WooMethod,
    path: string,
    opts: { query?: [string, string][]; body?: unknown; signal?: AbortSignal; accept404?: boolean } = {},
  ): Promise<WooResponse> {
    const policy = method === 'POST' ? this.unsafePolicy : this.idempotentPolicy;
    return policy.execute(() => this.attempt(method, path, opts), opts.signal);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async attempt(
    method: WooMethod,
    path: string,
    opts: { query?: [string, string][]; body?: unknown; signal?: AbortSignal; accept404?: boolean },
  ): Promise<WooResponse> {
    const { body, signal } = opts;
    const url = this.signedUrl(method, path, opts.query ?? []);
    const ctx: WooCallContext = { shopCode: this.config.shopCode, method, url: redactUrl(url), auth: this.auth, https: this.https };
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
    if (this.auth === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${this.config.consumerKey}:${this.config.consumerSecret}`).toString('base64')}`;
    }
    if (body !== undefined) headers['content-type'] = 'application/json';
    const log = callLog(this.deps, this.config.shopCode, method, ctx.url);
    const { status, headers: resHeaders, text } = await requestText(
      url,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body), agent: this.agent, signal },
      log,
      (err) => wooNetworkError(err, ctx, this.timeoutMs),
    );

    const { value: parsed, text: jsonText } = parseJson(text);
    if (status >= 200 && status < 300) {
      if (parsed === NOT_JSON && text.trim() !== '') {
        const error = wooBadResponse(status, headerText(resHeaders['content-type']), ctx, 'JSON');
        log(status, error.message);
        throw error;
      }
      log(status);
      return { status, headers: resHeaders, body: parsed === NOT_JSON ? undefined : parsed, jsonText };
    }
    if (status === 404 && opts.accept404) {
      log(status);
      return { status, headers: resHeaders, body: parsed === NOT_JSON ? undefined : parsed };
    }
    const error = wooHttpError(status, parsed === NOT_JSON ? undefined : parsed, ctx, {
      retryAfterMs: parseRetryAfter(resHeaders['retry-after'], this.deps.clock.now()),
      location: headerText(resHeaders.location),
    });
    log(status, error.message);
    throw error;
  }

  /** The request URL, with OAuth 1.0a parameters when this client signs (fresh nonce and timestamp per attempt). */
  private signedUrl(method: WooMethod, path: string, query: [string, string][]): string {
    // A path under /wp-json/ names another REST namespace of the same site (an extension's, e.g. wc-shipment-tracking/v3).
    const base = path.startsWith('/wp-json/') ? `${this.apiBase.slice(0, -'/wp-json/wc/v3'.length)}${path}` : `${this.apiBase}${path}`;
    if (this.auth === 'basic') return query.length ? `${base}?${queryString(query)}` : base;
    const url = new URL(base);
    for (const [k, v] of query) url.searchParams.append(k, v);
    const params = signOAuth1(method, url, {
      consumerKey: this.config.consumerKey,
      consumerSecret: this.config.consumerSecret,
      signatureMethod: this.config.signatureMethod ?? 'HMAC-SHA256',
      timestamp: Math.floor(this.deps.clock.now().getTime() / 1000),
    });
    return `${base}?${queryString(params)}`;
  }

  private context(method: string, path: string, query: [string, string][]): WooCallContext {
    const url = redactUrl(`${this.apiBase}${path}${query.length ? `?${queryString(query)}` : ''}`);
    return { shopCode: this.config.shopCode, method, url, auth: this.auth, https: this.https };
  }

  private badResponse(method: string, path: string, query: [string, string][], res: WooResponse, expected: string): ShopError {
    return wooBadResponse(res.status, headerText(res.headers['content-type']), this.context(method, path, query), expected);
  }
}

const NOT_JSON = Symbol('not json');

/**
 * JSON, tolerating what WordPress sites put in front of it: a BOM, and PHP notices printed before
 * the body by a noisy plugin ("Deprecated: … {"id":1}"). Also returns the text that was parsed.
 */
function parseJson(text: string): { value: unknown; text: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { value: NOT_JSON, text: trimmed };
  try {
    return { value: JSON.parse(trimmed), text: trimmed };
  } catch {
    const start = trimmed.search(/[[{]/);
    if (start > 0) {
      const body = trimmed.slice(start);
      try {
        return { value: JSON.parse(body), text: body };
      } catch {
        return { value: NOT_JSON, text: body };
      }
    }
    return { value: NOT_JSON, text: trimmed };
  }
}
