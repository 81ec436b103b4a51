import { createHmac, randomBytes } from 'node:crypto';

/**
 * OAuth 1.0a request signing with an integration's four credentials, as Magento verifies it
 * (Magento\Framework\Oauth: Helper\Request reads the `Authorization: OAuth …` header and the query
 * string, split on & and =, urldecoded; Helper\Signature\Hmac256 builds the base string from the
 * method, the URL without query and default port, and the parameters sorted by natural order of
 * their encoded names; key = rawurlencode(consumer secret) & rawurlencode(token secret)).
 */
export type OAuth1SignatureMethod = 'HMAC-SHA256' | 'HMAC-SHA1';

export interface MagentoOAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
  signatureMethod: OAuth1SignatureMethod;
}

/** RFC 3986 (PHP rawurlencode with ~ kept). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function baseUrl(url: URL): string {
  const defaultPort = (url.protocol === 'http:' && url.port === '80') || (url.protocol === 'https:' && url.port === '443');
  return `${url.protocol}//${url.hostname.toLowerCase()}${url.port && !defaultPort ? `:${url.port}` : ''}${url.pathname}`;
}

/** PHP strnatcmp for the ASCII keys that occur here: digit runs compare by value, the rest by byte. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return pa.length - pb.length;
}

export function signatureBase(method: string, url: URL, params: [string, string][]): string {
  const pairs = params.map(([k, v]) => [rfc3986(k), rfc3986(v)] as const).sort(([a], [b]) => naturalCompare(a, b));
  const normalized = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  return `${method.toUpperCase()}&${rfc3986(baseUrl(url))}&${rfc3986(normalized)}`;
}

/** The Authorization header for `method url` (the URL's query parameters are signed too). */
export function oauthHeader(method: string, url: URL, creds: MagentoOAuthCredentials, timestampSec: number, nonce = randomBytes(16).toString('hex')): string {
  const oauth: [string, string][] = [
    ['oauth_consumer_key', creds.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', creds.signatureMethod],
    ['oauth_timestamp', String(Math.floor(timestampSec))],
    ['oauth_token', creds.accessToken],
    ['oauth_version', '1.0'],
  ];
  const base = signatureBase(method, url, [...url.searchParams.entries(), ...oauth]);
  const key = `${rfc3986(creds.consumerSecret)}&${rfc3986(creds.accessTokenSecret)}`;
  const signature = createHmac(creds.signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key).update(base).digest('base64');
  return `OAuth ${[...oauth, ['oauth_signature', signature]].map(([k, v]) => `${k}="${rfc3986(v)}"`).join(', ')}`;
}
