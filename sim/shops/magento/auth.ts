/**
 * Who may call the REST API (reference/webshop-api.md §4 "Auth"): an integration's access token as
 * `Authorization: Bearer` only when the store allows it (oauth/consumer/enable_integration_as_bearer;
 * off by default since 2.4.4), or any request signed with OAuth 1.0a and the integration's four
 * credentials, verified the way Magento\Framework\Oauth does: the header's oauth_* values
 * rawurldecoded, the query split on & and = and urldecoded, parameters sorted by natural order of their
 * encoded names, base URL without query and default port, key rawurlencode(consumer secret) &
 * rawurlencode(token secret), timestamps at most 600 s ahead, each nonce once. Every failure looks the
 * same to the caller, as in Magento: 401 "The consumer isn't authorized to access %resources."
 */
import { createHmac } from 'node:crypto';

export interface Integration {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessTokenSecret: string;
}

export interface AuthOptions {
  integration: Integration;
  bearerAllowed: boolean;
  /** The URL the store believes it has (scheme, host, port), for the signature base string. */
  baseUrl: string;
  nowSec: () => number;
}

export type AuthResult = { ok: true; method: 'bearer' | 'oauth1' } | { ok: false; why: string };

function rawurlencode(v: string): string {
  return encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function urldecode(v: string): string {
  try {
    return decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

function strnatcmp(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y);
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

export class Authenticator {
  private nonces = new Set<string>();

  constructor(private readonly opts: AuthOptions) {}

  check(method: string, path: string, rawQuery: string, authorization: string | undefined): AuthResult {
    if (!authorization) return { ok: false, why: 'no Authorization header' };
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization);
    if (bearer) {
      if (bearer[1]!.trim() !== this.opts.integration.accessToken) return { ok: false, why: 'unknown token' };
      if (!this.opts.bearerAllowed) return { ok: false, why: 'integration tokens are not allowed as bearer tokens' };
      return { ok: true, method: 'bearer' };
    }
    const at = authorization.toLowerCase().indexOf('oauth ');
    if (at < 0) return { ok: false, why: 'neither Bearer nor OAuth' };
    const params = new Map<string, string>();
    for (const part of authorization.slice(at + 6).split(',')) {
      const kv = part.trim().split('=');
      if (kv.length < 2 || !/oauth_[a-z_-]+/.test(kv[0]!)) continue;
      params.set(decodeURIComponent(kv[0]!), decodeURIComponent(kv.slice(1).join('=').replace(/^"|"$/g, '')));
    }
    const i = this.opts.integration;
    for (const required of ['oauth_consumer_key', 'oauth_signature', 'oauth_signature_method', 'oauth_nonce', 'oauth_timestamp', 'oauth_token']) {
      if (!params.get(required)) return { ok: false, why: `${required} is missing` };
    }
    if (params.has('oauth_version') && params.get('oauth_version') !== '1.0') return { ok: false, why: 'oauth_version must be 1.0' };
    if (params.get('oauth_consumer_key') !== i.consumerKey) return { ok: false, why: 'unknown consumer' };
    if (params.get('oauth_token') !== i.accessToken) return { ok: false, why: 'unknown token' };
    const sigMethod = params.get('oauth_signature_method')!;
    if (sigMethod !== 'HMAC-SHA256' && sigMethod !== 'HMAC-SHA1') return { ok: false, why: `signature method ${sigMethod} is not supported` };
    const ts = Number(params.get('oauth_timestamp'));
    if (!Number.isInteger(ts) || ts <= 0 || ts > this.opts.nowSec() + 600) return { ok: false, why: 'timestamp is invalid' };
    const nonceKey = `${params.get('oauth_nonce')}|${ts}`;
    if (this.nonces.has(nonceKey)) return { ok: false, why: 'nonce already used' };
    const signed: [string, string][] = [...params.entries()].filter(([k]) => k !== 'oauth_signature');
    if (rawQuery) {
      for (const pair of rawQuery.split('&')) {
        const kv = pair.split('=');
        if (kv.length === 2 && !/oauth_[a-z_-]+/.test(kv[0]!)) signed.push([urldecode(kv[0]!), urldecode(kv[1]!)]);
      }
    }
    const encoded = new Map<string, string>();
    for (const [k, v] of signed) encoded.set(rawurlencode(k), rawurlencode(v));
    const normalized = [...encoded.keys()].sort(strnatcmp).map((k) => `${k}=${encoded.get(k)}`).join('&');
    const base = `${method.toUpperCase()}&${rawurlencode(`${this.opts.baseUrl}${path}`)}&${rawurlencode(normalized)}`;
    const key = `${rawurlencode(i.consumerSecret)}&${rawurlencode(i.accessTokenSecret)}`;
    const expected = createHmac(sigMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256', key).update(base).digest('base64');
    if (expected !== params.get('oauth_signature')) return { ok: false, why: 'The signature is invalid. Verify and try again.' };
    this.nonces.add(nonceKey);
    return { ok: true, method: 'oauth1' };
  }
}
