import { BcError } from '../../domain/errors.js';
import { parseRetryAfter } from '../api/errors.js';
import { parseEnvelope, type SoapFault } from './xml.js';

/**
 * BC's SOAP answers and transport failures as BcError (reference/bc-api.md §4). A SOAP fault means BC ran
 * the operation and rolled it back, so a fault is never ambiguous; an HTTP failure without a fault (a
 * gateway's 502/504, a bare 500) may come after BC committed, so for Create/Delete it is.
 */
export class BcSoapError extends BcError {
  /** The fault's faultcode, e.g. a:Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLDialogException. */
  readonly faultCode?: string;
  constructor(code: string, message: string, opts: ConstructorParameters<typeof BcError>[2] & { faultCode?: string } = {}) {
    super(code, message, opts);
    this.faultCode = opts.faultCode;
  }
}

/** Create's documented fault: "The [record] already exists. Identification fields and values: …". */
const ALREADY_EXISTS = /\balready exists\b/i;
/** Update/Delete with a stale Key: "Other user has modified [record]." */
const MODIFIED = /other user has modified/i;
/** "[record] [field] [value] does not exist." / "The … does not exist." */
const NOT_EXIST = /\bdoes not exist\b/i;
/** Lock timeouts and deadlocks: BC rolled back; the same call can succeed a moment later. */
const TRANSIENT_FAULT = /locked by another user|deadlock|timed out|try again later|server is busy|too many requests/i;

export interface SoapHttpFailure {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Read/ReadMultiple: true; Create/Delete: false. */
  idempotent: boolean;
  operation: string;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof BcSoapError && err.code === 'BC_ALREADY_EXISTS';
}

export function errorFromFault(fault: SoapFault, status: number | undefined): BcSoapError {
  const message = fault.faultstring.trim() || fault.faultcode || 'SOAP fault without a message';
  const common = { status, faultCode: fault.faultcode };
  if (ALREADY_EXISTS.test(message)) return new BcSoapError('BC_ALREADY_EXISTS', message, { ...common, retryable: false });
  if (MODIFIED.test(message)) return new BcSoapError('BC_CONFLICT', message, { ...common, retryable: false });
  if (TRANSIENT_FAULT.test(message)) return new BcSoapError('BC_UNAVAILABLE', message, { ...common, retryable: true });
  if (NOT_EXIST.test(message)) return new BcSoapError('BC_REJECTED', message, { ...common, retryable: false });
  // Any AL Error() (NavNCLDialogException, NavTestFieldException, …): the same record fails again.
  return new BcSoapError('BC_REJECTED', message, { ...common, retryable: false });
}

const PROVABLY_NOT_RUN = new Set([429, 503]);
const TRANSIENT = new Set([408, 429, 500, 502, 503, 504]);

/** A non-2xx answer: a fault envelope when BC sent one (HTTP 500), else classified by status. */
export function errorFromResponse(f: SoapHttpFailure, now: Date): BcSoapError {
  let fault: SoapFault | undefined;
  if (f.body.includes('Fault')) {
    try {
      fault = parseEnvelope(f.body).fault;
    } catch {
      fault = undefined;
    }
  }
  const retryAfterMs = parseRetryAfter(f.headers['retry-after'], now);
  if (fault) {
    const e = errorFromFault(fault, f.status);
    if (retryAfterMs === undefined) return e;
    return new BcSoapError(e.code, e.message, { status: f.status, faultCode: e.faultCode, retryable: e.retryable, retryAfterMs });
  }
  const excerpt = f.body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
  const message = `BC answered ${f.operation} with HTTP ${f.status}${excerpt ? `: ${excerpt}` : ''}`;
  const common = { status: f.status, retryAfterMs };
  if (f.status === 401) return new BcSoapError('BC_AUTH', `${message} (check the credentials; BC online accepts only OAuth)`, { ...common, retryable: false });
  if (f.status === 403) return new BcSoapError('BC_FORBIDDEN', message, { ...common, retryable: false });
  if (f.status === 404) {
    return new BcSoapError('BC_NOT_PUBLISHED', `${message} (is the page published on BC's Web Services page, and the company name right?)`, { ...common, retryable: false });
  }
  if (TRANSIENT.has(f.status)) {
    const ambiguous = !f.idempotent && !PROVABLY_NOT_RUN.has(f.status);
    const code = f.status === 429 ? 'BC_THROTTLED' : f.status === 408 || f.status === 504 ? 'BC_TIMEOUT' : 'BC_UNAVAILABLE';
    return new BcSoapError(code, message, { ...common, retryable: true, ambiguous });
  }
  return new BcSoapError('BC_REJECTED', message, { ...common, retryable: false });
}
