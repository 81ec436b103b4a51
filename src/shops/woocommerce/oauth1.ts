import { createHmac, randomBytes } from 'node:crypto';

/**
 * One-legged OAuth 1.0a as WooCommerce verifies it over plain http (class-wc-rest-authentication.php,
 * reference/woocommerce-live-facts.md): signing key `consumer_secret&` (no token), no `oauth_version`,
 * HMAC-SHA256 or HMAC-SHA1, parameters in the query string. The base string follows RFC 5849 §3.4.1;
 * WooCommerce rebuilds the base URI from the site's home URL, so the exact configured store URL
 * (scheme, host, port, path; default port dropped) must be what we sign.
 */
export type OAuth1SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

/** RFC 3986 percent-encoding (RFC 5849 §3.6): everything but ALPHA / DIGIT / - . _ ~. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2: scheme and host lower case, default port dropped, no query or fragment. */
export function baseStringUri(url: URL): string {
  const scheme = url.protocol.toLowerCase();
  const host = url.hostname.toLowerCase();
  const defaultPort = (scheme === 'http:' && url.port === '80') || (scheme === 'https:' && url.port === '443');
  const port = url.port && !defaultPort ? `:${url.port}` : '';
  return `${scheme}//${host}${port}${url.pathname}`;
}

/** RFC 5849 §3.4.1: METHOD & encoded base URI & encoded, sorted, normalised parameters. */
export function signatureBaseString(method: string, baseUri: string, params: readonly (readonly [string, string])[]): string {
  const normalized = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort(([ka, va], [kb, vb]) => (ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(baseUri)}&${percentEncode(normalized)}`;
}

/** base64(HMAC(key, base string)) with the binary digest. */
export function hmacSignature(baseString: string, key: string, method: OAuth1SignatureMethod): string {
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  return createHmac(algorithm, key).update(baseString).digest('base64');
}

export interface OAuth1Signing {
  consumerKey: string;
  consumerSecret: string;
  signatureMethod: OAuth1SignatureMethod;
  /** Seconds since the epoch, from the injected clock: WooCommerce allows ±15 minutes. */
  timestamp: number;
  /** Random per request: WooCommerce remembers nonces for 15 minutes and refuses a repeat. */
  nonce?: string;
}

/**
 * The query parameters to send for `method url`: the URL's own query plus the oauth_* parameters and
 * the signature, as [name, value] pairs (unencoded). The caller builds the URL from them.
 */
export function signOAuth1(method: string, url: URL, signing: OAuth1Signing): [string, string][] {
  const params: [string, string][] = [...url.searchParams.entries()];
  params.push(
    ['oauth_consumer_key', signing.consumerKey],
    ['oauth_nonce', signing.nonce ?? randomBytes(16).toString('hex')],
    ['oauth_signature_method', signing.signatureMethod],
    ['oauth_timestamp', String(Math.floor(signing.timestamp))],
  );
  const base = signatureBaseString(method, baseStringUri(url), params);
  // WooCommerce keys with the raw secret (`$consumer_secret . '&'`), not RFC 5849's encoded one; WooCommerce
  // secrets are `cs_` + hex, where both agree, and matching the server is what counts.
  params.push(['oauth_signature', hmacSignature(base, `${signing.consumerSecret}&`, signing.signatureMethod)]);
  return params;
}

/** A query string from unencoded pairs, encoded the way the signature assumed (RFC 3986). */
export function queryString(params: readonly (readonly [string, string])[]): string {
  return params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}
