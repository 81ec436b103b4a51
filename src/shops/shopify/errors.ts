import { ShopError } from '../../domain/errors.js';
import { shopNetworkError } from '../network-errors.js';

/**
 * Shopify outcomes → ShopError with a sentence that says what to fix (DESIGN.md guarantee 4). Messages
 * name the shop and the API version, never the access token.
 */
export interface ShopifyCallContext {
  shopCode: string;
  /** The GraphQL endpoint (no secret in it). */
  endpoint: string;
  apiVersion: string;
  operation: string;
}

/** A page of orders would cost more than one query may (MAX_COST_EXCEEDED): ask for fewer. */
export class QueryCostError extends ShopError {
  constructor(
    message: string,
    readonly cost: number,
    readonly maxCost: number,
  ) {
    super('SHOP_QUERY_COST', message);
  }
}

/** How long Shopify asked us to wait (Retry-After), by error. */
export const shopifyRetryAfterMs = new WeakMap<ShopError, number>();

export function shopifyHttpError(status: number, body: unknown, ctx: ShopifyCallContext, retryAfterMs?: number): ShopError {
  const shop = `shop "${ctx.shopCode}"`;
  const said = typeof body === 'object' && body !== null && 'errors' in body ? JSON.stringify((body as { errors: unknown }).errors).slice(0, 200) : '';
  const label = `${status}${said ? ` ${said}` : ''}`;
  if (status === 401 || status === 403) {
    return new ShopError(
      'SHOP_AUTH',
      `Shopify refused the access token of ${shop} (${label}): check shops[].accessToken (an Admin API token, shpat_…) and that the app has the read_orders scope${status === 403 ? ' (403: the token is valid but lacks a scope for this request)' : ''}.`,
      { status },
    );
  }
  if (status === 404) {
    return new ShopError('SHOP_NOT_FOUND', `Shopify has no Admin API at ${ctx.endpoint} (${label}): check shops[].url (https://<shop>.myshopify.com) and apiVersion ("${ctx.apiVersion}").`, { status });
  }
  if (status === 429 || status >= 500) {
    const err = new ShopError(
      status === 429 ? 'SHOP_RATE_LIMITED' : 'SHOP_UNAVAILABLE',
      status === 429 ? `Shopify is limiting requests of ${shop} (${label}); retrying later.` : `Shopify failed on ${ctx.operation} for ${shop} (${label}); retrying later.`,
      { status, retryable: true },
    );
    if (retryAfterMs !== undefined) shopifyRetryAfterMs.set(err, retryAfterMs);
    return err;
  }
  return new ShopError('SHOP_REQUEST_REJECTED', `Shopify rejected ${ctx.operation} on ${shop} (${label}).`, { status });
}

/** Operations of the write-back (write-back.ts): a denied one needs the write scopes, not read_orders. */
const WRITE_BACK_OPERATIONS = new Set(['WriteBackState', 'FulfillShipment', 'SetMetafields', 'BcNumberState']);

/** GraphQL-level errors in a 200 answer (other than THROTTLED and MAX_COST_EXCEEDED, handled by the client). */
export function shopifyGraphqlError(errors: { message?: unknown; extensions?: { code?: unknown } }[], ctx: ShopifyCallContext): ShopError {
  const messages = errors.map((e) => (typeof e.message === 'string' ? e.message : JSON.stringify(e))).slice(0, 3).join('; ');
  const codes = errors.map((e) => e.extensions?.code).filter((c) => typeof c === 'string');
  const access = codes.includes('ACCESS_DENIED');
  return new ShopError(
    access ? 'SHOP_AUTH' : 'SHOP_GRAPHQL',
    access
      ? `Shopify denied ${ctx.operation} on shop "${ctx.shopCode}": ${messages}. Give the app the scope it names (${WRITE_BACK_OPERATIONS.has(ctx.operation) ? 'write-back needs write_merchant_managed_fulfillment_orders and write_orders' : 'read_orders; read_all_orders for orders older than 60 days'}).`
      : `Shopify refused ${ctx.operation} on shop "${ctx.shopCode}" (API ${ctx.apiVersion}): ${messages}. Check that apiVersion is a version this bcbridge supports (docs/shopify.md).`,
  );
}

/** No HTTP answer at all: timeouts and resets are worth retrying; DNS and certificate problems are not. */
export function shopifyNetworkError(err: unknown, ctx: ShopifyCallContext, timeoutMs: number): ShopError {
  const shop = `shop "${ctx.shopCode}"`;
  return shopNetworkError(err, (code) => ({
    timeout: `Shopify did not answer ${ctx.operation} for ${shop} within ${timeoutMs} ms (${code}); retrying later.`,
    noHost: `The host of ${shop} does not exist (${code}): check its url.`,
    tls: `The https certificate of ${shop} was not accepted (${code}): check the url.`,
    connection: `The connection to ${shop} failed on ${ctx.operation} (${code}); retrying later.`,
  }));
}
