import { ShopError } from '../../domain/errors.js';
import { redactUrl } from '../../http/request-log.js';
import { shopNetworkError } from '../network-errors.js';

/**
 * WooCommerce HTTP outcomes → ShopError with a plain sentence that says what to fix (DESIGN.md
 * guarantee 4). Messages name the shop and the request, never a key, secret or signature.
 */
export interface WooCallContext {
  shopCode: string;
  method: string;
  /** Already redacted. */
  url: string;
  auth: 'basic' | 'oauth1';
  https: boolean;
}

/** How long the shop asked us to wait, by error; read by the retry backoff. */
export const retryAfterMs = new WeakMap<ShopError, number>();

/** WordPress REST errors are `{"code": "...", "message": "...", "data": {"status": 401, "params": {...}}}`. */
function wpError(body: unknown): { code?: string; message?: string; params?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  const code = typeof b.code === 'string' ? b.code : undefined;
  const message = typeof b.message === 'string' ? b.message : undefined;
  const data = b.data as Record<string, unknown> | undefined;
  const rawParams = typeof data === 'object' && data !== null ? data.params : undefined;
  const params = typeof rawParams === 'object' && rawParams !== null
    ? Object.entries(rawParams as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join('; ')
    : undefined;
  return { code, message, params };
}

/** "GET /wp-json/wc/v3/orders?page=2" for messages: the OAuth parameters are noise to a reader. */
function target(ctx: WooCallContext): string {
  try {
    const u = new URL(ctx.url);
    for (const name of [...u.searchParams.keys()]) if (name.startsWith('oauth_')) u.searchParams.delete(name);
    return `${ctx.method} ${u.pathname}${u.search}`;
  } catch {
    return `${ctx.method} ${ctx.url}`;
  }
}

export function wooHttpError(
  status: number,
  body: unknown,
  ctx: WooCallContext,
  extra: { retryAfterMs?: number; location?: string } = {},
): ShopError {
  const wp = wpError(body);
  // "401 woocommerce_rest_cannot_view: "Sorry, you cannot list resources."": what WordPress said, in its words.
  const detail = wp.message ? `: "${wp.message}"${wp.params ? ` (${wp.params})` : ''}` : '';
  const label = `${status}${wp.code ? ` ${wp.code}` : ''}${detail}`;
  const shop = `shop "${ctx.shopCode}"`;

  if (status === 401 || status === 403) {
    let advice: string;
    if (ctx.auth === 'basic' && !ctx.https) {
      advice = `this request used HTTP Basic over plain http, which WooCommerce refuses: use the https address of ${shop}, or authMode "auto" or "oauth1" so requests are signed with OAuth 1.0a`;
    } else if (status === 403) {
      advice = `the key of ${shop} is known but may not do this: give it Read (Read/Write for write-back) in WooCommerce › Settings › Advanced › REST API`;
    } else {
      advice = `check consumerKey/consumerSecret of ${shop}; over plain http WooCommerce needs OAuth 1.0a (authMode "auto" or "oauth1"), HTTP Basic works only over https`
        + (ctx.auth === 'basic' ? '; if the key is right, the web server may be dropping the Authorization header' : '')
        + (ctx.auth === 'oauth1' ? '; OAuth 1.0a also needs the shop url exactly as WordPress knows it (www or not, http or https) and a clock within 15 minutes' : '');
    }
    return new ShopError('SHOP_AUTH', `WooCommerce refused the consumer key (${label}): ${advice}.`, { status });
  }
  if (status === 404) {
    const advice = wp.code === 'rest_no_route' || !wp.code
      ? `check the url of ${shop} (the site address, without /wp-json), that WooCommerce is active and that WordPress permalinks are not "Plain"`
      : `it does not exist in ${shop}`;
    return new ShopError('SHOP_NOT_FOUND', `WooCommerce has nothing at ${target(ctx)} (${label}): ${advice}.`, { status });
  }
  if (status === 429 || status >= 500) {
    const err = new ShopError(
      status === 429 ? 'SHOP_RATE_LIMITED' : 'SHOP_UNAVAILABLE',
      status === 429
        ? `WooCommerce (or its host) is limiting requests for ${shop} (${label}) on ${target(ctx)}; retrying later.`
        : `WooCommerce failed on ${target(ctx)} for ${shop} (${label}); the site or its host is in trouble, retrying later.`,
      { status, retryable: true },
    );
    if (extra.retryAfterMs !== undefined) retryAfterMs.set(err, extra.retryAfterMs);
    return err;
  }
  if (status >= 300 && status < 400) {
    const where = extra.location ? redactUrl(extra.location) : 'another address';
    return new ShopError(
      'SHOP_REDIRECTED',
      `WooCommerce redirected ${target(ctx)} to ${where} (${status}): set the url of ${shop} to the address the site really uses (https, www).`,
      { status },
    );
  }
  const hint = wp.code === 'rest_invalid_param' && /orderby|modified_after/.test(`${wp.message ?? ''} ${wp.params ?? ''}`)
    ? ' This WooCommerce does not support listing by modification date (orderby=modified, modified_after); bcbridge needs a current WooCommerce.'
    : '';
  return new ShopError('SHOP_REQUEST_REJECTED', `WooCommerce rejected ${target(ctx)} on ${shop} (${label}).${hint}`, { status });
}

/** A 2xx answer that is not the JSON we asked for (a theme page, a maintenance page, a security plugin). */
export function wooBadResponse(status: number, contentType: string | undefined, ctx: WooCallContext, expected: string): ShopError {
  return new ShopError(
    'SHOP_BAD_RESPONSE',
    `WooCommerce answered ${target(ctx)} with ${status} ${contentType ?? 'no content type'} instead of ${expected}: check the url of shop "${ctx.shopCode}" and that nothing (maintenance mode, a security plugin, "Plain" permalinks) sits in front of the REST API.`,
    { status },
  );
}

/** No HTTP answer at all: timeouts and resets are worth retrying; DNS and certificate problems are not. */
export function wooNetworkError(err: unknown, ctx: WooCallContext, timeoutMs: number): ShopError {
  const shop = `shop "${ctx.shopCode}"`;
  return shopNetworkError(err, (code) => ({
    timeout: `WooCommerce did not answer ${target(ctx)} on ${shop} within ${timeoutMs} ms (${code}); retrying later.`,
    noHost: `The host of ${shop} does not exist (${code}): check its url.`,
    tls: `The https certificate of ${shop} was not accepted (${code}): fix the certificate, or check the url.`,
    connection: `The connection to ${shop} failed on ${target(ctx)} (${code}); retrying later.`,
  }));
}
