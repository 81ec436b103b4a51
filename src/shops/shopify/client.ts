import type { Agent } from 'undici';
import { ShopError } from '../../domain/errors.js';
import { redactUrl } from '../../http/request-log.js';
import { headerText } from '../http-headers.js';
import { callLog, requestText, requireHttpAddress, timeoutAgent, USER_AGENT, type ShopHttpDeps } from '../shop-http.js';
import { sleep } from '../sleep.js';
import { QueryCostError, shopifyGraphqlError, shopifyHttpError, shopifyNetworkError, shopifyRetryAfterMs, type ShopifyCallContext } from './errors.js';
import { CostThrottle } from './throttle.js';

export interface ShopifyClientConfig {
  /** Names the shop in logs and messages. */
  shopCode: string;
  /** The shop's admin address, e.g. https://acme.myshopify.com (a pasted /admin… path is dropped). */
  url: string;
  accessToken: string;
  apiVersion: string;
  timeoutMs?: number;
  /** Retries of one request after 429/5xx/timeouts/resets (queries only). Default 4. */
  maxRetries?: number;
  /** Longest single wait for the cost bucket; a longer one is an error (the shop is saturated). Default 60 s. */
  maxThrottleWaitMs?: number;
  /** THROTTLED answers tolerated for one request before giving up. Default 20. */
  maxThrottledRetries?: number;
}

export interface ShopifyClientDeps extends ShopHttpDeps {
  /** Waiting, injectable so tests can watch it; default a timer that an abort signal cuts short. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface GraphqlBody {
  data?: unknown;
  errors?: { message?: unknown; extensions?: { code?: unknown; cost?: unknown; maxCost?: unknown } }[];
  extensions?: { cost?: { requestedQueryCost?: unknown; actualQueryCost?: unknown; throttleStatus?: unknown } };
}

/**
 * GraphQL Admin API client over undici (webshop-api.md §2): `POST {url}/admin/api/{version}/graphql.json`
 * with `X-Shopify-Access-Token`. Cost-based throttling: before a request it waits until the bucket (as
 * the last `extensions.cost.throttleStatus` described it, refilled at restoreRate since) holds what the
 * operation requested last time; a THROTTLED answer is waited out and retried. 429, 5xx, timeouts and
 * resets are retried with backoff for queries; a mutation is repeated only when Shopify said it did not
 * run it (THROTTLED, 429). Every HTTP call goes to the request log, without the token.
 */
export class ShopifyClient {
  readonly endpoint: string;
  readonly throttle: CostThrottle;
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly config: ShopifyClientConfig,
    private readonly deps: ShopifyClientDeps,
  ) {
    const base = config.url.trim().replace(/\/+$/, '').replace(/\/admin(\/.*)?$/, '');
    requireHttpAddress(base, config.shopCode, 'url', config.url);
    this.endpoint = `${base}/admin/api/${config.apiVersion}/graphql.json`;
    this.timeoutMs = config.timeoutMs ?? 30_000;
    this.agent = timeoutAgent(this.timeoutMs);
    this.throttle = new CostThrottle(() => deps.clock.now().getTime());
    this.sleep = deps.sleep ?? sleep;
  }

  /**
   * Runs one operation and returns its `data`. `operation` names it in logs, messages and the throttle's
   * memory of its cost (one name per query text).
   */
  async graphql<T = unknown>(operation: string, query: string, variables: Record<string, unknown> = {}, opts: { signal?: AbortSignal; mutation?: boolean } = {}): Promise<T> {
    const ctx: ShopifyCallContext = { shopCode: this.config.shopCode, endpoint: this.endpoint, apiVersion: this.config.apiVersion, operation };
    const maxRetries = this.config.maxRetries ?? 4;
    const maxThrottled = this.config.maxThrottledRetries ?? 20;
    const maxWait = this.config.maxThrottleWaitMs ?? 60_000;
    let failures = 0;
    let throttled = 0;
    for (;;) {
      const wait = this.throttle.waitMs(operation);
      if (wait > maxWait) {
        throw new ShopError('SHOP_THROTTLED', `Shopify's cost bucket for shop "${this.config.shopCode}" would need ${Math.ceil(wait / 1000)} s to refill for ${operation}, longer than maxThrottleWaitMs; retrying later.`, { retryable: true });
      }
      if (wait > 0) await this.sleep(wait, opts.signal);
      this.throttle.reserve(operation);
      let body: GraphqlBody;
      try {
        body = await this.post(ctx, query, variables, opts.signal);
      } catch (err) {
        if (!(err instanceof ShopError) || !err.retryable || opts.signal?.aborted) throw err;
        // A mutation that may have run must not run twice; 429 means Shopify did not run it.
        if (opts.mutation && err.status !== 429) throw err;
        if (++failures > maxRetries) throw err;
        const asked = shopifyRetryAfterMs.get(err) ?? 0;
        await this.sleep(Math.max(asked, Math.min(500 * 2 ** (failures - 1), 8_000)), opts.signal);
        continue;
      }
      this.throttle.observe(operation, body.extensions?.cost as Parameters<CostThrottle['observe']>[1]);
      const errors = Array.isArray(body.errors) ? body.errors : [];
      if (errors.some((e) => e?.extensions?.code === 'THROTTLED')) {
        if (++throttled > maxThrottled) {
          throw new ShopError('SHOP_THROTTLED', `Shopify kept throttling ${operation} for shop "${this.config.shopCode}" (${throttled} THROTTLED answers); retrying later.`, { retryable: true });
        }
        // The answer carries the bucket's state: the next turn of the loop waits until it can pay.
        if (this.throttle.waitMs(operation) === 0) await this.sleep(1000, opts.signal);
        continue;
      }
      const tooCostly = errors.find((e) => e?.extensions?.code === 'MAX_COST_EXCEEDED');
      if (tooCostly) {
        const cost = Number(tooCostly.extensions?.cost ?? body.extensions?.cost?.requestedQueryCost);
        const max = Number(tooCostly.extensions?.maxCost ?? 1000);
        throw new QueryCostError(`Shopify refused ${operation} for shop "${this.config.shopCode}": it would cost ${cost} points, more than the ${max} one query may.`, cost, max);
      }
      if (errors.length > 0) throw shopifyGraphqlError(errors, ctx);
      if (body.data === undefined || body.data === null) {
        throw new ShopError('SHOP_BAD_RESPONSE', `Shopify answered ${operation} for shop "${this.config.shopCode}" without data or errors.`);
      }
      return body.data as T;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async post(ctx: ShopifyCallContext, query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<GraphqlBody> {
    const log = callLog(this.deps, this.config.shopCode, 'POST', `${redactUrl(this.endpoint)}#${ctx.operation}`);
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': USER_AGENT,
      'x-shopify-access-token': this.config.accessToken,
    };
    const { status, headers: resHeaders, text } = await requestText(
      this.endpoint,
      { method: 'POST', headers, body: JSON.stringify({ query, variables }), agent: this.agent, signal },
      log,
      (err) => shopifyNetworkError(err, ctx, this.timeoutMs),
    );
    let parsed: unknown;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300) {
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        const e = new ShopError('SHOP_BAD_RESPONSE', `Shopify answered ${ctx.operation} for shop "${ctx.shopCode}" with ${status} but no JSON object: check shops[].url.`, { status });
        log(status, e.message);
        throw e;
      }
      const errs = (parsed as GraphqlBody).errors;
      log(status, Array.isArray(errs) && errs.length ? errs.map((x) => String(x?.message ?? x)).join('; ').slice(0, 300) : undefined);
      return parsed as GraphqlBody;
    }
    const retryAfter = headerText(resHeaders['retry-after']);
    const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
    const e = shopifyHttpError(status, parsed, ctx, Number.isFinite(seconds) ? Math.round(seconds * 1000) : undefined);
    log(status, e.message);
    throw e;
  }
}
