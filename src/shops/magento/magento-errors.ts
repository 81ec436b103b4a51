import { ShopError } from '../../domain/errors.js';
import { shopNetworkError } from '../network-errors.js';

/**
 * Magento REST outcomes → ShopError with a sentence that says what to fix. Magento errors are
 * `{"message": "The consumer isn't authorized to access %resources.", "parameters": {"resources": …}}`;
 * the placeholders are filled in for the reader. Tokens and signatures never appear.
 */
export interface MagentoCallContext {
  shopCode: string;
  method: string;
  /** Path and query below /rest/…/V1, decoded for reading. */
  target: string;
  auth: 'bearer' | 'oauth1';
}

export const retryAfterMs = new WeakMap<ShopError, number>();

export function magentoMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.message !== 'string') return undefined;
  const params = b.parameters;
  let text = b.message;
  if (Array.isArray(params)) params.forEach((v, i) => (text = text.replace(`%${i + 1}`, String(v))));
  else if (typeof params === 'object' && params !== null) {
    for (const [k, v] of Object.entries(params)) text = text.replace(`%${k}`, String(v));
  }
  // "Shipment Document Validation Error(s):\n<one per line>" reads as one sentence in a log line.
  return text.replace(/:?\s*\n\s*/g, (m) => (m.startsWith(':') ? ': ' : '; ')).trim();
}

export function magentoHttpError(status: number, body: unknown, ctx: MagentoCallContext, extra: { retryAfterMs?: number } = {}): ShopError {
  const said = magentoMessage(body);
  const label = `${status}${said ? `: "${said}"` : ''}`;
  const shop = `shop "${ctx.shopCode}"`;
  const call = `${ctx.method} ${ctx.target}`;
  if (status === 401 || status === 403) {
    // Magento answers every authentication failure alike: a refused Bearer token, a bad signature and a
    // missing ACL resource all read "The consumer isn't authorized to access <resource>".
    const resource = said ? /(Magento_[A-Za-z]+::[a-z_]+)/.exec(said)?.[1] : undefined;
    const acl = `that the integration is active and may access ${resource ?? 'Sales › Operations › Orders › Actions › View'} (System › Extensions › Integrations › API)`;
    const advice = ctx.auth === 'bearer'
      ? `Magento 2.4.4 and later refuse an integration access token as a plain Bearer token unless the store allows it: set consumerKey, consumerSecret and accessTokenSecret of ${shop} so bcbridge signs with OAuth 1.0a, or have the merchant set Stores › Configuration › Services › OAuth › Consumer Settings › "Allow OAuth Access Tokens to be used as standalone Bearer tokens" to Yes; check also accessToken and ${acl}`
      : `check the four integration credentials of ${shop} (consumerKey, consumerSecret, accessToken, accessTokenSecret), ${acl}, that url is exactly the store's base URL (http or https, host, port) and that this machine's clock is right`;
    return new ShopError('SHOP_AUTH', `Magento refused ${call} for ${shop} (${label}): ${advice}.`, { status });
  }
  if (status === 404) {
    return new ShopError('SHOP_NOT_FOUND', `Magento has nothing at ${call} (${label}): check url and storeCode of ${shop} (the REST API lives at {url}/rest/V1).`, { status });
  }
  if (status === 429 || status >= 500) {
    const err = new ShopError(
      status === 429 ? 'SHOP_RATE_LIMITED' : 'SHOP_UNAVAILABLE',
      status === 429 ? `Magento (or its CDN) is limiting requests for ${shop} (${label}) on ${call}; retrying later.` : `Magento failed on ${call} for ${shop} (${label}); retrying later.`,
      { status, retryable: true },
    );
    if (extra.retryAfterMs !== undefined) retryAfterMs.set(err, extra.retryAfterMs);
    return err;
  }
  return new ShopError('SHOP_REQUEST_REJECTED', `Magento rejected ${call} on ${shop} (${label}).`, { status });
}

export function magentoBadResponse(status: number, contentType: string | undefined, ctx: MagentoCallContext, expected: string): ShopError {
  return new ShopError(
    'SHOP_BAD_RESPONSE',
    `Magento answered ${ctx.method} ${ctx.target} with ${status} ${contentType ?? 'no content type'} instead of ${expected}: check url of shop "${ctx.shopCode}" (the store's base URL) and that no maintenance page sits in front of the REST API.`,
    { status },
  );
}

export function magentoNetworkError(err: unknown, ctx: MagentoCallContext, timeoutMs: number): ShopError {
  const shop = `shop "${ctx.shopCode}"`;
  return shopNetworkError(err, (code) => ({
    timeout: `Magento did not answer ${ctx.method} ${ctx.target} for ${shop} within ${timeoutMs} ms (${code}); retrying later.`,
    noHost: `The host of ${shop} does not exist (${code}): check its url.`,
    tls: `The https certificate of ${shop} was not accepted (${code}): fix the certificate, or check the url.`,
    connection: `The connection to ${shop} failed on ${ctx.method} ${ctx.target} (${code}); retrying later.`,
  }));
}
