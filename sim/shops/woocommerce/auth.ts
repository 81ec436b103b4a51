/**
 * WooCommerce REST authentication (WC_REST_Authentication, woocommerce-live-facts.md "Auth"):
 * - only when WordPress believes the request is HTTPS (is_ssl) it tries Basic auth and the
 *   ?consumer_key=&consumer_secret= query form; over plain http both are ignored, so the request is
 *   anonymous and the endpoint answers 401 woocommerce_rest_cannot_view;
 * - otherwise one-legged OAuth 1.0a: HMAC-SHA1/SHA256, key `consumer_secret&`, every query (and
 *   form-POST) parameter signed, base URL = home URL + path with the scheme is_ssl() gives,
 *   timestamp within ±15 min, nonce not used before.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { phpRawurlencode, type PhpParams } from './params.js';
import { wpError, type WpError } from './wp-json.js';

export interface ApiKey {
  consumerKey: string;
  consumerSecret: string;
  permissions: 'read' | 'write' | 'read_write';
}

export type AuthOutcome =
  | { kind: 'user'; method: 'basic' | 'query' | 'oauth1'; key: ApiKey }
  | { kind: 'anonymous' }
  | { kind: 'error'; error: WpError };

export interface AuthContext {
  key: ApiKey;
  /** What is_ssl() says. */
  https: boolean;
  /** Home URL with the scheme is_ssl() gives, no trailing slash. */
  homeUrl: string;
  nowSec: () => number;
}

const VALID_WINDOW = 15 * 60;

/** rawurlencode as wc_rest_urlencode_rfc3986 does it. */
const enc = (s: string) => phpRawurlencode(s).replace(/%7E/g, '~');

function basicCredentials(req: IncomingMessage): [string, string] | null {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return null;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return [decoded.slice(0, i), decoded.slice(i + 1)];
}

/** WC_REST_Authentication::parse_header. */
export function parseOAuthHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header.startsWith('OAuth ')) return out;
  const re = /(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))/g;
  for (const m of header.matchAll(re)) {
    const raw = m[3] ? m[3] : (m[4] ?? '');
    out[m[1]] = decodeURIComponent(raw.replace(/\+/g, ' '));
  }
  return out;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Authenticator {
  /** Used nonces by timestamp, as WooCommerce keeps them (one per second: a later one overwrites). */
  private nonces = new Map<number, string>();

  constructor(private ctx: AuthContext) {}

  authenticate(req: IncomingMessage, rawPath: string, query: PhpParams, form: PhpParams | null): AuthOutcome {
    const { key } = this.ctx;
    if (this.ctx.https) {
      let ck = '';
      let cs = '';
      let method: 'basic' | 'query' = 'query';
      const qk = query.get('consumer_key');
      const qs = query.get('consumer_secret');
      if (typeof qk === 'string' && qk && typeof qs === 'string' && qs) {
        ck = qk;
        cs = qs;
      } else {
        const basic = basicCredentials(req);
        if (basic && basic[0] && basic[1]) [ck, cs, method] = [basic[0], basic[1], 'basic'];
      }
      if (ck && cs && ck === key.consumerKey) {
        if (!sameSecret(cs, key.consumerSecret)) {
          const err = wpError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
          err.headers = { 'WWW-Authenticate': 'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer secret in the password field."' };
          return { kind: 'error', error: err };
        }
        return { kind: 'user', method, key };
      }
    }
    return this.oauth(req, rawPath, query, form);
  }

  private oauth(req: IncomingMessage, rawPath: string, query: PhpParams, form: PhpParams | null): AuthOutcome {
    const params = new Map<string, string | string[]>([...query, ...(form ?? new Map())]);
    const header = (req.headers.authorization ?? '').trim();
    for (const [k, v] of Object.entries(parseOAuthHeader(header))) params.set(k, v);

    const required = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
    const missing = required.filter((n) => {
      const v = params.get(n);
      return typeof v !== 'string' || v === '' || v === '0';
    });
    if (missing.length === required.length) return { kind: 'anonymous' };
    if (missing.length) {
      const word = missing.length === 1 ? 'parameter' : 'parameters';
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_missing_parameter', `Missing OAuth ${word} ${missing.join(', ')}`) };
    }
    const get = (n: string) => params.get(n) as string;
    if (get('oauth_consumer_key') !== this.ctx.key.consumerKey) {
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.') };
    }

    // check_oauth_signature
    const method = (req.method ?? 'GET').toUpperCase();
    const baseUri = enc(`${this.ctx.homeUrl}${rawPath}`);
    const consumerSignature = safeRawDecode(get('oauth_signature').replace(/ /g, '+'));
    const signed = [...params.entries()].filter(([k]) => k !== 'oauth_signature');
    signed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const pairs: string[] = [];
    for (const [k, v] of signed) {
      if (Array.isArray(v)) v.forEach((x, i) => pairs.push(enc(`${enc(k)}%5B${i}%5D=${enc(x)}`)));
      else pairs.push(enc(`${enc(k)}=${enc(v)}`));
    }
    const stringToSign = `${method}&${baseUri}&${pairs.join('%26')}`;
    const sigMethod = get('oauth_signature_method');
    if (sigMethod !== 'HMAC-SHA1' && sigMethod !== 'HMAC-SHA256') {
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.') };
    }
    const algo = sigMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
    const expected = createHmac(algo, `${this.ctx.key.consumerSecret}&`).update(stringToSign).digest('base64');
    if (!sameSecret(expected, consumerSignature)) {
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.') };
    }

    // check_oauth_timestamp_and_nonce
    const now = this.ctx.nowSec();
    const ts = Number(get('oauth_timestamp'));
    if (!Number.isFinite(ts) || ts < now - VALID_WINDOW || ts > now + VALID_WINDOW) {
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.') };
    }
    const nonce = get('oauth_nonce');
    if ([...this.nonces.values()].includes(nonce)) {
      return { kind: 'error', error: wpError(401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.') };
    }
    this.nonces.set(Math.trunc(ts), nonce);
    for (const t of this.nonces.keys()) if (t < now - VALID_WINDOW) this.nonces.delete(t);
    return { kind: 'user', method: 'oauth1', key: this.ctx.key };
  }
}

function safeRawDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** check_user_permissions: a read-only key cannot write. */
export function keyAllows(key: ApiKey, method: string): WpError | null {
  const m = method.toUpperCase();
  if ((m === 'GET' || m === 'HEAD') && key.permissions === 'write') {
    return wpError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
  }
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(m) && key.permissions === 'read') {
    return wpError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
  }
  return null;
}
