import { Agent, request, type Dispatcher } from 'undici';
import type { Clock } from '../../domain/clock.js';
import { redactUrl, type RequestLogSink } from '../../http/request-log.js';
import type { BcAuth } from '../auth.js';
import { errorFromTransport } from '../api/errors.js';
import type { BcLimiter } from '../api/limiter.js';
import { withRetry } from '../api/retry.js';
import { BcSoapError, errorFromResponse } from './errors.js';
import { parseEnvelope, soapEnvelope, type ParsedEnvelope, type XmlFields } from './xml.js';

export interface SoapHttpOptions {
  environment: string;
  auth: BcAuth;
  limiter: BcLimiter;
  clock: Clock;
  requestLog: RequestLogSink;
  timeoutMs: number;
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  dispatcher?: Dispatcher;
}

export interface SoapCall {
  url: string;
  namespace: string;
  operation: string;
  body: XmlFields;
  /** Read/ReadMultiple may be repeated after any transient failure; Create/Delete only when BC provably did not run them. */
  idempotent: boolean;
  orderId?: number;
}

const LOGGED_ERROR_BODY = 2000;

/**
 * One SOAP exchange with BC: envelope, SOAPAction, auth, the user's limiter, the request log, retries, and
 * errors as BcSoapError. Every operation is an HTTP POST, so whether a failure may be repeated is decided
 * by the operation, not the method.
 */
export class SoapHttp {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(private readonly opts: SoapHttpOptions) {
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({ headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs, connectTimeout: Math.min(opts.timeoutMs, 30_000), connections: 16 });
  }

  async call(c: SoapCall): Promise<ParsedEnvelope> {
    return withRetry(() => this.authenticated(c), {
      maxRetries: this.opts.maxRetries,
      idempotent: c.idempotent,
      sleep: this.opts.sleep,
      random: this.opts.random,
    });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async authenticated(c: SoapCall): Promise<ParsedEnvelope> {
    const header = await this.opts.auth.header();
    try {
      return await this.once(c, header);
    } catch (err) {
      if (!(err instanceof BcSoapError) || err.status !== 401 || header === '') throw err;
      // A revoked or rotated token before its expiry: one fresh token, once (Basic credentials stay the same).
      this.opts.auth.invalidate(header);
      const fresh = await this.opts.auth.header();
      if (fresh === header) throw err;
      return await this.once(c, fresh);
    }
  }

  private async once(c: SoapCall, authorization: string): Promise<ParsedEnvelope> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      // SOAP 1.1 sends the action quoted; BC's WSDL: soapAction="urn:microsoft-dynamics-schemas/page/{svc}:{Op}".
      soapaction: `"${c.namespace}:${c.operation}"`,
      accept: 'text/xml',
      'accept-language': 'en-US',
    };
    if (authorization) headers.authorization = authorization;
    const envelope = soapEnvelope(c.namespace, c.operation, c.body);

    return this.opts.limiter.run(async () => {
      const started = this.opts.clock.now();
      let status: number | undefined;
      let error: string | undefined;
      let responseBody: string | undefined;
      try {
        let res: Dispatcher.ResponseData;
        try {
          res = await request(c.url, {
            method: 'POST',
            headers,
            body: envelope,
            dispatcher: this.dispatcher,
            headersTimeout: this.opts.timeoutMs,
            bodyTimeout: this.opts.timeoutMs,
          });
        } catch (err) {
          throw errorFromTransport(err, c.idempotent ? 'GET' : 'POST', c.url);
        }
        status = res.statusCode;
        let text: string;
        try {
          text = await res.body.text();
        } catch (err) {
          throw errorFromTransport(err, c.idempotent ? 'GET' : 'POST', c.url);
        }
        const resHeaders = res.headers as Record<string, string | string[] | undefined>;
        if (status >= 200 && status < 300) {
          let parsed: ParsedEnvelope;
          try {
            parsed = parseEnvelope(text);
          } catch (err) {
            // BC said yes; for a Create the record exists even though we cannot read the answer.
            throw new BcSoapError('BC_PROTOCOL', `BC answered ${c.operation} with HTTP ${status} but not with a SOAP envelope`, {
              status,
              retryable: true,
              ambiguous: !c.idempotent,
              cause: err,
            });
          }
          if (parsed.fault) {
            // Some proxies pass a fault through with 200; it is still a fault.
            throw errorFromResponse({ status, headers: resHeaders, body: text, idempotent: c.idempotent, operation: c.operation }, this.opts.clock.now());
          }
          return parsed;
        }
        const e = errorFromResponse({ status, headers: resHeaders, body: text, idempotent: c.idempotent, operation: c.operation }, this.opts.clock.now());
        if (e.retryAfterMs !== undefined && (status === 429 || status === 503)) this.opts.limiter.holdFor(e.retryAfterMs);
        responseBody = text.length > LOGGED_ERROR_BODY ? `${text.slice(0, LOGGED_ERROR_BODY)}…` : text;
        throw e;
      } catch (err) {
        error = (err as Error).message;
        throw err;
      } finally {
        this.opts.requestLog.record({
          at: started.toISOString(),
          system: 'bc',
          target: this.opts.environment,
          method: 'POST',
          // The operation as a fragment: every SOAP call is a POST to the same URL.
          url: `${redactUrl(c.url)}#${c.operation}`,
          status,
          durationMs: Math.max(0, this.opts.clock.now().getTime() - started.getTime()),
          error,
          orderId: c.orderId,
          responseBody,
        });
      }
    });
  }
}
