import type { Agent } from 'undici';
import { ShopError } from '../../domain/errors.js';
import { redactUrl } from '../../http/request-log.js';
import { headerText, parseRetryAfter } from '../http-headers.js';
import { SeenOrders } from '../seen-orders.js';
import { callLog, requestText, requireHttpAddress, timeoutAgent, USER_AGENT, type ShopHttpDeps, type ShopResponse } from '../shop-http.js';
import { magentoBadResponse, magentoHttpError, magentoNetworkError, retryAfterMs, type MagentoCallContext } from './magento-errors.js';
import { oauthHeader, rfc3986, type OAuth1SignatureMethod } from './oauth1.js';
import { keysetAfter, ordersQuery, seenKey, updatedFromParam } from './search-criteria.js';

export interface MagentoClientConfig {
  shopCode: string;
  /** Store base URL (https://shop.example.com); a pasted …/rest/V1 is tolerated. */
  url: string;
  storeCode?: string;
  auth:
    | { mode: 'bearer'; accessToken: string }
    | { mode: 'oauth1'; consumerKey: string; consumerSecret: string; accessToken: string; accessTokenSecret: string; signatureMethod: OAuth1SignatureMethod };
  timeoutMs?: number;
  retry?: { attempts?: number; initialDelayMs?: number; maxDelayMs?: number };
}

export type MagentoClientDeps = ShopHttpDeps;

export type MagentoResponse = ShopResponse;

type Query = [string, string][];

const MAX_BARREN_PAGES = 20;

/**
 * Magento 2 REST client (/rest/[store]/V1) over undici: Bearer integration token or OAuth 1.0a
 * signing (fresh nonce and timestamp per attempt), retries on 429/5xx/timeouts with backoff honouring
 * Retry-After (Magento itself has no rate limit; CDNs and WAFs in front of it do), request logging.
 */
export class MagentoClient {
  readonly apiBase: string;
  private readonly timeoutMs: number;
  private readonly agent: Agent;
  private readonly attempts: number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly config: MagentoClientConfig,
    private readonly deps: MagentoClientDeps,
  ) {
    const site = config.url.trim().replace(/\/+$/, '').replace(/\/(index\.php\/)?rest(\/[a-z0-9_]+)?\/V1$/i, '');
    requireHttpAddress(site, config.shopCode, 'url', config.url);
    this.apiBase = `${site}/rest${config.storeCode ? `/${config.storeCode}` : ''}/V1`;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.agent = timeoutAgent(this.timeoutMs);
    this.attempts = Math.max(1, config.retry?.attempts ?? 4);
    this.initialDelayMs = config.retry?.initialDelayMs ?? 500;
    this.maxDelayMs = config.retry?.maxDelayMs ?? 30_000;
  }

  get authMethod(): 'bearer' | 'oauth1' {
    return this.config.auth.mode;
  }

  /**
   * Orders updated at or after `updatedSince`, oldest first, one array per page. An order updated
   * during the listing moves to the end of the sort and would shift later orders across page
   * boundaries, so after each page the walk restarts from that page's last updated_at (gteq is
   * inclusive) and counts pages only while a whole page shares one second; re-read orders are
   * de-duplicated by id and updated_at. Magento may answer a page past the end with the last page
   * again, so the walk stops on a short page or when total_count is reached, never on an empty page.
   */
  async *listOrders(opts: { updatedSince?: string; pageSize?: number; signal?: AbortSignal } = {}): AsyncIterable<unknown[]> {
    const pageSize = Math.min(300, Math.max(1, Math.floor(opts.pageSize ?? 100)));
    let from = opts.updatedSince === undefined ? undefined : updatedFromParam(opts.updatedSince);
    let page = 1;
    const seen = new SeenOrders(seenKey);
    let barren = 0;
    for (;;) {
      const query = ordersQuery({ updatedFrom: from, pageSize, currentPage: page });
      const res = await this.send('GET', '/orders', { query, signal: opts.signal });
      const body = res.body as { items?: unknown; total_count?: unknown } | undefined;
      if (typeof body !== 'object' || body === null || (body.items !== undefined && body.items !== null && !Array.isArray(body.items))) {
        throw this.badResponse('GET', '/orders', query, res, 'a JSON search result ({items, total_count})');
      }
      const items = Array.isArray(body.items) ? body.items : [];
      const fresh = seen.fresh(items);
      if (fresh.length > 0) {
        barren = 0;
        yield fresh;
      } else if (items.length > 0 && ++barren > MAX_BARREN_PAGES) {
        throw new ShopError('SHOP_BAD_RESPONSE', `Magento shop "${this.config.shopCode}" keeps sending full pages of orders already read; listing stopped after ${MAX_BARREN_PAGES} such pages.`);
      }
      const total = typeof body.total_count === 'number' ? body.total_count : undefined;
      if (items.length < pageSize || (total !== undefined && page * pageSize >= total)) return;
      const restart = keysetAfter(items);
      if (restart !== undefined && (from === undefined || restart > from)) {
        from = restart;
        page = 1;
      } else {
        page += 1;
      }
    }
  }

  /** One order by entity_id; undefined when Magento does not have it. */
  async getOrder(id: string, signal?: AbortSignal): Promise<unknown | undefined> {
    if (!/^\d{1,15}$/.test(id)) return undefined;
    const res = await this.send('GET', `/orders/${id}`, { signal, accept404: true });
    if (res.status === 404) {
      // "The entity that was requested doesn't exist" is an answer; a 404 page without a Magento message means the url is wrong.
      if (typeof (res.body as { message?: unknown } | undefined)?.message === 'string') return undefined;
      throw magentoHttpError(404, res.body, this.context('GET', `/orders/${id}`, []));
    }
    if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) throw this.badResponse('GET', `/orders/${id}`, [], res, 'a JSON order');
    return res.body;
  }

  /** Proves url and credentials: a one-order search, reading total_count. */
  async ping(signal?: AbortSignal): Promise<{ detail: string }> {
    const query: Query = [['searchCriteria[pageSize]', '1'], ['searchCriteria[currentPage]', '1']];
    const res = await this.send('GET', '/orders', { query, signal });
    const total = (res.body as { total_count?: unknown } | undefined)?.total_count;
    const auth = this.config.auth.mode === 'bearer' ? 'Bearer token' : 'OAuth 1.0a';
    return { detail: `Magento REST reachable (${auth})${typeof total === 'number' ? `, ${total} orders` : ''}` };
  }

  async send(method: 'GET' | 'POST' | 'PUT', path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal; accept404?: boolean } = {}): Promise<MagentoResponse> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, opts);
      } catch (err) {
        const retryable = err instanceof ShopError && err.retryable && (method !== 'POST' || err.status === 429);
        if (!retryable || attempt >= this.attempts || opts.signal?.aborted) throw err;
        const backoff = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (attempt - 1));
        const asked = retryAfterMs.get(err as ShopError) ?? 0;
        await new Promise<void>((resolve) => setTimeout(resolve, Math.min(this.maxDelayMs, Math.max(backoff, asked))));
      }
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async attempt(method: string, path: string, opts: { query?: Query; body?: unknown; signal?: AbortSignal; accept404?: boolean }): Promise<MagentoResponse> {
    const query = opts.query ?? [];
    // Encoded exactly as the signature assumes (RFC 3986): Magento urldecodes each name and value before verifying.
    const qs = query.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
    const url = `${this.apiBase}${path}${qs ? `?${qs}` : ''}`;
    const ctx = this.context(method, path, query);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT, accept: 'application/json' };
    const auth = this.config.auth;
    if (auth.mode === 'bearer') headers.authorization = `Bearer ${auth.accessToken}`;
    else headers.authorization = oauthHeader(method, new URL(url), auth, this.deps.clock.now().getTime() / 1000);
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const log = callLog(this.deps, this.config.shopCode, method, redactUrl(url));
    const { status, headers: resHeaders, text } = await requestText(
      url,
      { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), agent: this.agent, signal: opts.signal },
      log,
      (err) => magentoNetworkError(err, ctx, this.timeoutMs),
    );
    let parsed: unknown;
    let json = true;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      json = false;
    }
    if (status >= 200 && status < 300) {
      if (!json || parsed === undefined) {
        const error = magentoBadResponse(status, headerText(resHeaders['content-type']), ctx, 'JSON');
        log(status, error.message);
        throw error;
      }
      log(status);
      return { status, headers: resHeaders, body: parsed };
    }
    if (status === 404 && opts.accept404) {
      log(status);
      return { status, headers: resHeaders, body: json ? parsed : undefined };
    }
    const error = magentoHttpError(status, json ? parsed : undefined, ctx, { retryAfterMs: parseRetryAfter(resHeaders['retry-after'], this.deps.clock.now()) });
    log(status, error.message);
    throw error;
  }

  private context(method: string, path: string, query: Query): MagentoCallContext {
    const qs = query.map(([k, v]) => `${k}=${v}`).join('&');
    return { shopCode: this.config.shopCode, method, target: `${path}${qs ? `?${qs}` : ''}`, auth: this.config.auth.mode };
  }

  private badResponse(method: string, path: string, query: Query, res: MagentoResponse, expected: string): ShopError {
    return magentoBadResponse(res.status, headerText(res.headers['content-type']), this.context(method, path, query), expected);
  }
}
