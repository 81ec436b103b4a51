import { BcError } from '../../domain/errors.js';
import { BC_NOT_SENT } from '../target.js';

/**
 * Turns BC's answers and transport failures into BcError (reference/bc-api.md §1.8, §2).
 *
 * `code` is bcbridge's stable category (BC_REJECTED, BC_THROTTLED, …) that the pipeline can branch on;
 * BC's own code (Application_DialogException, …) is kept in `bcCode` because BC does not tabulate it
 * per HTTP status and the same status carries many of them.
 */
export class BcApiError extends BcError {
  /** BC's `error.code`, e.g. Application_DialogException, when BC sent one. */
  readonly bcCode?: string;
  constructor(
    code: string,
    message: string,
    opts: ConstructorParameters<typeof BcError>[2] & { bcCode?: string } = {},
  ) {
    super(code, message, opts);
    this.bcCode = opts.bcCode;
  }
}

/**
 * A request that was not sent because its deadline (`sendBy`) had passed when its turn came: BC never saw it,
 * so it is not ambiguous, and it is not retried in-process (the deadline would only be further behind).
 */
export function notSentError(method: string, url: string, sendBy: number, now: number): BcApiError {
  const path = url.replace(/^https?:\/\/[^/]+/, '').split('?')[0];
  return new BcApiError(BC_NOT_SENT, `${method} ${path} was not sent: its deadline passed ${now - sendBy} ms before its turn came (BC pacing or retries took too long)`, {
    retryable: false,
    ambiguous: false,
  });
}

/** BC ends every error message with `CorrelationId:  <guid>.` (two spaces in practice; be lenient). */
const CORRELATION_TAIL = /\s*CorrelationId:\s*([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.?\s*$/;

export function splitCorrelationId(message: string): { message: string; correlationId?: string } {
  const m = CORRELATION_TAIL.exec(message);
  if (!m) return { message: message.trim() };
  return { message: message.slice(0, m.index).trim(), correlationId: m[1] };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface HttpFailure {
  method: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Only answers that prove BC never ran the request (429 throttled, 503 queue full / unavailable) are
 * safe to repeat for a create. A 500/502/504/408 may come after BC committed the order (the gateway gave
 * up, BC did not), so on a non-idempotent request those are `ambiguous`: the caller looks the order up by
 * externalDocumentNumber before trying again (DESIGN.md guarantee 1).
 */
const PROVABLY_NOT_RUN = new Set([429, 503]);
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

export function isIdempotent(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

export function errorFromResponse(f: HttpFailure, now: Date): BcApiError {
  let bcCode: string | undefined;
  let text: string | undefined;
  try {
    const parsed = JSON.parse(f.body) as { error?: { code?: unknown; message?: unknown } };
    if (parsed && typeof parsed.error === 'object' && parsed.error !== null) {
      if (typeof parsed.error.code === 'string') bcCode = parsed.error.code;
      if (typeof parsed.error.message === 'string') text = parsed.error.message;
    }
  } catch {
    // Gateways answer HTML or plain text; keep a short excerpt below.
  }
  const split = splitCorrelationId(text ?? '');
  const correlationId = split.correlationId;
  const retryAfterMs = parseRetryAfter(f.headers['retry-after'], now);
  const excerpt = f.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = split.message || `BC answered HTTP ${f.status}${excerpt ? `: ${excerpt}` : ''}`;
  const common = { status: f.status, correlationId, bcCode, retryAfterMs };

  if (f.status === 401) return new BcApiError('BC_AUTH', message, { ...common, retryable: false });
  if (f.status === 403) return new BcApiError('BC_FORBIDDEN', message, { ...common, retryable: false });
  if (f.status === 404) {
    // A 404 on a write is BC rejecting a reference in the body ("The Item does not exist…"), not a missing URL.
    const code = isIdempotent(f.method) ? 'BC_NOT_FOUND' : 'BC_REJECTED';
    return new BcApiError(code, message, { ...common, retryable: false });
  }
  if (f.status === 405) {
    // On-prem answers 405 when ApiServicesEnabled is off (reference/bc-api.md §1.1).
    return new BcApiError('BC_API_DISABLED', `${message} (is the API endpoint enabled on the BC server?)`, { ...common, retryable: false });
  }
  if (f.status === 409 || f.status === 412) return new BcApiError('BC_CONFLICT', message, { ...common, retryable: false });
  if (TRANSIENT.has(f.status)) {
    const ambiguous = !isIdempotent(f.method) && !PROVABLY_NOT_RUN.has(f.status);
    const code = f.status === 429 ? 'BC_THROTTLED' : f.status === 408 || f.status === 504 ? 'BC_TIMEOUT' : 'BC_UNAVAILABLE';
    return new BcApiError(code, message, { ...common, retryable: true, ambiguous });
  }
  // 400 BadRequest_* / Application_* / Internal_* and anything else: the same request will fail again.
  return new BcApiError('BC_REJECTED', message, { ...common, retryable: false });
}

/** Failures before a byte of the request left: nothing can have reached BC. */
const BEFORE_SEND = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR', 'UND_ERR_ABORTED']);

function errorCode(err: unknown): string | undefined {
  // undici wraps socket errors; the useful code may sit one level down.
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
    if ((e as { name?: unknown }).name === 'TimeoutError' || (e as { name?: unknown }).name === 'AbortError') return 'ABORT_ERR';
  }
  return undefined;
}

/**
 * A request that failed without an HTTP answer. Everything not provably before the send counts as
 * "may have been committed" for a non-idempotent request: a reset after the body went out is the classic
 * way to create a sales order twice.
 */
export function errorFromTransport(err: unknown, method: string, url: string): BcApiError {
  const code = errorCode(err);
  const reason = (err as { message?: unknown })?.message;
  const detail = `${code ?? 'network error'}${typeof reason === 'string' && reason ? `: ${reason}` : ''}`;
  const host = safeHost(url);
  if (code !== undefined && BEFORE_SEND.has(code)) {
    return new BcApiError('BC_CONNECTION', `Cannot connect to BC at ${host} (${detail})`, { retryable: true, ambiguous: false, cause: err });
  }
  const ambiguous = !isIdempotent(method);
  if (code !== undefined && TIMEOUTS.has(code)) {
    return new BcApiError('BC_TIMEOUT', `BC at ${host} did not answer in time (${detail})`, { retryable: true, ambiguous, cause: err });
  }
  return new BcApiError('BC_CONNECTION', `Connection to BC at ${host} failed (${detail})`, { retryable: true, ambiguous, cause: err });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'BC';
  }
}
