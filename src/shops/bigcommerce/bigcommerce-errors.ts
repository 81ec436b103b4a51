import { ShopError } from '../../domain/errors.js';
import { shopNetworkError } from '../network-errors.js';

/**
 * BigCommerce HTTP outcomes → ShopError with a sentence that says what to fix (DESIGN.md guarantee 4).
 * The token travels in a header and never appears in a URL or a message.
 */
export interface BigCommerceCallContext {
  shopCode: string;
  storeHash: string;
  method: string;
  /** Path and query below the store, e.g. `/v2/orders?page=2`. */
  target: string;
}

/** How long BigCommerce asked us to wait, by error; read by the client's retry loop. */
export const waitMs = new WeakMap<ShopError, number>();

/** v2 errors are `[{"status":…, "message":…}]`; v3 and the gateway use `{"status":…, "title":…}`. */
export function bigCommerceMessage(body: unknown): string | undefined {
  const first = Array.isArray(body) ? body[0] : body;
  if (typeof first !== 'object' || first === null) return undefined;
  const b = first as Record<string, unknown>;
  const text = [b.message, b.title, b.error].find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const details = typeof b.details === 'object' && b.details !== null ? JSON.stringify(b.details) : undefined;
  return text ? `${text}${details ? ` ${details}` : ''}` : undefined;
}

export function bigCommerceHttpError(status: number, body: unknown, ctx: BigCommerceCallContext, extra: { waitMs?: number } = {}): ShopError {
  const said = bigCommerceMessage(body);
  const label = `${status}${said ? `: "${said}"` : ''}`;
  const shop = `shop "${ctx.shopCode}"`;
  const call = `${ctx.method} ${ctx.target}`;
  if (status === 401) {
    return new ShopError(
      'SHOP_AUTH',
      `BigCommerce refused the access token of ${shop} (${label}) on ${call}: check accessToken and storeHash "${ctx.storeHash}" of ${shop}; the token comes from a store-level API account (Settings › API › Store-level API accounts) and stops working when that account is deleted.`,
      { status },
    );
  }
  if (status === 403) {
    return new ShopError(
      'SHOP_AUTH',
      `BigCommerce refused ${call} for ${shop} (${label}): the API account's token is valid but lacks the scope; give it Orders "read-only" (write-back needs "modify") in Settings › API › Store-level API accounts.`,
      { status },
    );
  }
  if (status === 404) {
    return new ShopError('SHOP_NOT_FOUND', `BigCommerce has nothing at ${call} (${label}): check storeHash "${ctx.storeHash}" and apiUrl of ${shop}.`, { status });
  }
  if (status === 429 || status >= 500) {
    const err = new ShopError(
      status === 429 ? 'SHOP_RATE_LIMITED' : 'SHOP_UNAVAILABLE',
      status === 429
        ? `BigCommerce's request quota for ${shop} is used up (${label}) on ${call}; waiting for the window to reset.`
        : `BigCommerce failed on ${call} for ${shop} (${label}); retrying later.`,
      { status, retryable: true },
    );
    if (extra.waitMs !== undefined) waitMs.set(err, extra.waitMs);
    return err;
  }
  return new ShopError('SHOP_REQUEST_REJECTED', `BigCommerce rejected ${call} on ${shop} (${label}).`, { status });
}

export function bigCommerceBadResponse(status: number, contentType: string | undefined, ctx: BigCommerceCallContext, expected: string): ShopError {
  return new ShopError(
    'SHOP_BAD_RESPONSE',
    `BigCommerce answered ${ctx.method} ${ctx.target} with ${status} ${contentType ?? 'no content type'} instead of ${expected}: check apiUrl of shop "${ctx.shopCode}" (normally https://api.bigcommerce.com).`,
    { status },
  );
}

/** No HTTP answer: timeouts and resets are retried; DNS and certificate problems are configuration. */
export function bigCommerceNetworkError(err: unknown, ctx: BigCommerceCallContext, timeoutMs: number): ShopError {
  const shop = `shop "${ctx.shopCode}"`;
  return shopNetworkError(err, (code) => ({
    timeout: `BigCommerce did not answer ${ctx.method} ${ctx.target} for ${shop} within ${timeoutMs} ms (${code}); retrying later.`,
    noHost: `The BigCommerce API host of ${shop} does not exist (${code}): check its apiUrl.`,
    tls: `The https certificate of the BigCommerce API for ${shop} was not accepted (${code}): check its apiUrl.`,
    connection: `The connection to BigCommerce for ${shop} failed on ${ctx.method} ${ctx.target} (${code}); retrying later.`,
  }));
}
