import { Agent, request, type Dispatcher } from 'undici';
import type { Clock } from '../../domain/clock.js';
import { redactUrl, type RequestLogSink } from '../../http/request-log.js';
import type { BcAuth } from '../auth.js';
import { BcApiError, errorFromResponse, errorFromTransport, notSentError } from './errors.js';
import { parseJsonLossless } from './json.js';
import type { BcLimiter } from './limiter.js';

export interface BcHttpOptions {
  /** BC environment name: the request log's `target`. */
  environment: string;
  auth: BcAuth;
  limiter: BcLimiter;
  clock: Clock;
  requestLog: RequestLogSink;
  timeoutMs: number;
  /** When given, used as is and not closed by close(). */
  dispatcher?: Dispatcher;
}

export interface BcRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  /** Already-serialized JSON (see json.ts). */
  body?: string;
  headers?: Record<string, string>;
  /** bcbridge order id, for the request log. */
  orderId?: number;
  /**
   * Epoch ms after which the request must not be written to BC (the export's lease fence): checked when the
   * request's turn comes, after the limiter's slot and pacing, so time spent queued or paced counts.
   */
  sendBy?: number;
  /**
   * Set for a `$batch`: the operations inside it. The request then costs one unit of the user's budget per
   * operation, and the request log gets one row per operation instead of one for the envelope: on a failure
   * here, each with the envelope's error; on success the caller records them with their own statuses
   * (recordOperations), which only it can read.
   */
  operations?: LoggedOperation[];
}

/** What the request log says about one operation of a `$batch`. */
export interface LoggedOperation {
  method: string;
  url: string;
  orderId?: number;
}

export interface BcResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Body parsed with numbers kept as decimal strings. */
  json(): unknown;
  /** When the request started (ISO) and how long it took: for the rows of a $batch's operations. */
  at: string;
  durationMs: number;
}

/** Error bodies are kept (short) in the request log; success bodies carry customer data and are not. */
const LOGGED_ERROR_BODY = 2000;

/**
 * One HTTP exchange with BC: auth header, BC's recommended headers, the user's limiter, the request log,
 * and errors as BcApiError. Retries live one level up (retry.ts); the only repeat here is the single
 * retry with a fresh token after a 401, which is part of authenticating, not of retrying.
 */
export class BcHttp {
  private readonly opts: BcHttpOptions;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(opts: BcHttpOptions) {
    this.opts = opts;
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher =
      opts.dispatcher ??
      new Agent({
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
        connectTimeout: Math.min(opts.timeoutMs, 30_000),
        // BC online allows 5 concurrent requests per user; a few spare sockets cover the token endpoint.
        connections: 16,
      });
  }

  get agent(): Dispatcher {
    return this.dispatcher;
  }

  /** Sends the request; resolves for 2xx, throws BcApiError otherwise. */
  async send(req: BcRequest): Promise<BcResponse> {
    const header = await this.opts.auth.header();
    try {
      return await this.once(req, header);
    } catch (err) {
      if (!(err instanceof BcApiError) || err.status !== 401 || header === '') throw err;
      // The cached token may have been revoked or rotated before its expiry: fetch one fresh token, once.
      this.opts.auth.invalidate(header);
      return await this.once(req, await this.opts.auth.header());
    }
  }

  /** The request log rows of a `$batch`'s operations, once the caller has read their outcomes. */
  recordOperations(rows: Array<LoggedOperation & { status?: number; correlationId?: string; error?: string; responseBody?: string }>, at: string, durationMs: number): void {
    for (const r of rows) {
      this.opts.requestLog.record({
        at,
        system: 'bc',
        target: this.opts.environment,
        method: r.method,
        url: redactUrl(r.url),
        status: r.status,
        durationMs,
        correlationId: r.correlationId,
        error: r.error,
        orderId: r.orderId,
        responseBody: r.responseBody === undefined ? undefined : clip(r.responseBody),
      });
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async once(req: BcRequest, authorization: string): Promise<BcResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      // BC's messages (which end up in held/failed reasons) and number formats in English.
      'accept-language': 'en-US',
      ...req.headers,
    };
    if (authorization) headers.authorization = authorization;
    // Reads may go to BC's read-only replica, sparing the primary (reference/bc-api.md §1.5), unless the
    // caller asked for the primary (see CallContext.consistent).
    if (req.method === 'GET' && !headers['data-access-intent']) headers['data-access-intent'] = 'ReadOnly';
    if (req.body !== undefined) headers['content-type'] = 'application/json';

    return this.opts.limiter.run(async () => {
      const started = this.opts.clock.now();
      if (req.sendBy !== undefined && started.getTime() > req.sendBy) throw notSentError(req.method, req.url, req.sendBy, started.getTime());
      let status: number | undefined;
      let correlationId: string | undefined;
      let error: string | undefined;
      let responseBody: string | undefined;
      try {
        let res: Dispatcher.ResponseData;
        try {
          res = await request(req.url, {
            method: req.method,
            headers,
            body: req.body,
            dispatcher: this.dispatcher,
            headersTimeout: this.opts.timeoutMs,
            bodyTimeout: this.opts.timeoutMs,
          });
        } catch (err) {
          throw errorFromTransport(err, req.method, req.url);
        }
        status = res.statusCode;
        let text: string;
        try {
          text = await res.body.text();
        } catch (err) {
          // The status line arrived but the body broke off: for a create, BC has decided, we just cannot tell what.
          throw errorFromTransport(err, req.method, req.url);
        }
        const resHeaders = res.headers as Record<string, string | string[] | undefined>;
        if (status >= 200 && status < 300) {
          return {
            status,
            headers: resHeaders,
            text,
            at: started.toISOString(),
            durationMs: Math.max(0, this.opts.clock.now().getTime() - started.getTime()),
            json: () => {
              if (text === '') return undefined;
              try {
                return parseJsonLossless(text);
              } catch (err) {
                throw new BcApiError('BC_PROTOCOL', `BC answered HTTP ${status} with a body that is not JSON`, { status, cause: err });
              }
            },
          };
        }
        const bcErr = errorFromResponse({ method: req.method, status, headers: resHeaders, body: text }, this.opts.clock.now());
        if (bcErr.retryAfterMs !== undefined && (status === 429 || status === 503)) this.opts.limiter.holdFor(bcErr.retryAfterMs);
        correlationId = bcErr.correlationId;
        responseBody = clip(text);
        throw bcErr;
      } catch (err) {
        error = (err as Error).message;
        if (correlationId === undefined && err instanceof BcApiError) correlationId = err.correlationId;
        throw err;
      } finally {
        const durationMs = Math.max(0, this.opts.clock.now().getTime() - started.getTime());
        if (req.operations) {
          // Success: the caller records the operations with their own statuses. Failure: all share it.
          if (error !== undefined) this.recordOperations(req.operations.map((o) => ({ ...o, status, correlationId, error, responseBody })), started.toISOString(), durationMs);
        } else this.opts.requestLog.record({
          at: started.toISOString(),
          system: 'bc',
          target: this.opts.environment,
          method: req.method,
          url: redactUrl(req.url),
          status,
          durationMs,
          correlationId,
          error,
          orderId: req.orderId,
          responseBody,
        });
      }
    }, req.operations?.length ?? 1);
  }
}

function clip(text: string): string {
  return text.length > LOGGED_ERROR_BODY ? `${text.slice(0, LOGGED_ERROR_BODY)}…` : text;
}
