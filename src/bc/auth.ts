import { request, type Dispatcher } from 'undici';
import type { Clock } from '../domain/clock.js';
import { BcError } from '../domain/errors.js';
import { redactUrl, type RequestLogSink } from '../http/request-log.js';

/**
 * How a BC request is authenticated. `header()` gives the Authorization value ('' = send none);
 * `invalidate(rejected)` is called once when BC answers 401 with that value, so the next header() fetches
 * a fresh token. Passing the rejected value lets twenty requests that failed with the same stale token
 * cause one token request, not twenty.
 */
export interface BcAuth {
  header(): Promise<string>;
  invalidate(rejected?: string): void;
}

export interface ClientCredentialsOptions {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** Default `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl?: string;
  /** Default `https://api.businesscentral.dynamics.com/.default`. */
  scope?: string;
  timeoutMs?: number;
}

export interface ClientCredentialsDeps {
  clock: Clock;
  requestLog: RequestLogSink;
  /** Request log `target` (the BC environment name). */
  logTarget?: string;
  dispatcher?: Dispatcher;
}

/** A token is renewed this long before it expires, so a request never leaves with a token about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** OAuth2 client credentials against Microsoft Entra (reference/bc-api.md §3). */
export function createClientCredentialsAuth(opts: ClientCredentialsOptions, deps: ClientCredentialsDeps): BcAuth {
  const tokenUrl = opts.tokenUrl ?? `https://login.microsoftonline.com/${encodeURIComponent(opts.tenant)}/oauth2/v2.0/token`;
  const scope = opts.scope ?? 'https://api.businesscentral.dynamics.com/.default';
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let cached: { header: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  /** Entra's messages name the client id, never the secret; scrub anyway in case a proxy echoes the form. */
  const scrub = (text: string) => (opts.clientSecret ? text.split(opts.clientSecret).join('[redacted]') : text);

  async function fetchToken(): Promise<string> {
    const started = deps.clock.now();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: opts.clientId,
      client_secret: opts.clientSecret,
      scope,
    }).toString();
    let status: number | undefined;
    let error: string | undefined;
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: form,
          dispatcher: deps.dispatcher,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'network error';
        throw new BcError('BC_AUTH', `Token request to ${new URL(tokenUrl).host} failed (${code})`, { retryable: true, cause: err });
      }
      status = res.statusCode;
      const text = await res.body.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not JSON: handled below by status.
      }
      if (status !== 200 || typeof json.access_token !== 'string') {
        const what = [json.error, json.error_description].filter((x) => typeof x === 'string').join(': ');
        const transient = status === 429 || status >= 500;
        throw new BcError('BC_AUTH', scrub(`Token request rejected (HTTP ${status})${what ? `: ${what}` : ''}`), {
          retryable: transient,
          status,
          correlationId: typeof json.correlation_id === 'string' ? json.correlation_id : undefined,
        });
      }
      const type = typeof json.token_type === 'string' ? json.token_type : 'Bearer';
      const expiresInS = Number(json.expires_in ?? 3600);
      const lifetimeMs = (Number.isFinite(expiresInS) ? expiresInS : 3600) * 1000;
      // Very short-lived tokens (tests, odd proxies) are kept for half their life instead of not at all.
      const keepMs = lifetimeMs > RENEW_BEFORE_MS * 2 ? lifetimeMs - RENEW_BEFORE_MS : lifetimeMs / 2;
      const header = `${type === 'bearer' ? 'Bearer' : type} ${json.access_token}`;
      cached = { header, renewAt: deps.clock.now().getTime() + keepMs };
      return header;
    } catch (err) {
      error = (err as Error).message;
      throw err;
    } finally {
      deps.requestLog.record({
        at: started.toISOString(),
        system: 'bc',
        target: deps.logTarget ?? opts.tenant,
        method: 'POST',
        url: redactUrl(tokenUrl),
        status,
        durationMs: Math.max(0, deps.clock.now().getTime() - started.getTime()),
        error,
      });
    }
  }

  return {
    header(): Promise<string> {
      if (cached && deps.clock.now().getTime() < cached.renewAt) return Promise.resolve(cached.header);
      // Concurrent callers share the one token request in flight.
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(rejected?: string): void {
      if (rejected === undefined || cached?.header === rejected) cached = undefined;
    },
  };
}

/** A fixed Authorization value (on-prem with a long-lived token, or a proxy that adds credentials): '' sends none. */
export function staticAuth(header: string): BcAuth {
  return { header: () => Promise.resolve(header), invalidate: () => {} };
}

export function bearerAuth(token: string): BcAuth {
  return staticAuth(`Bearer ${token}`);
}

export const noAuth: BcAuth = staticAuth('');
