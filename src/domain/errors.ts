/**
 * The few error classes bcbridge throws. Each has a stable `code`, says whether retrying can help, and
 * keeps its `cause`. Expected outcomes ("not found in BC", "order held") are return values, not errors.
 */
export abstract class BcbridgeError extends Error {
  abstract readonly kind: string;
  readonly code: string;
  readonly retryable: boolean;
  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.name = new.target.name;
  }
}

export class ConfigError extends BcbridgeError {
  readonly kind = 'config';
  /** Every problem found, each as "path: what is wrong". */
  readonly problems: string[];
  constructor(problems: string[], opts: { cause?: unknown } = {}) {
    super('CONFIG_INVALID', `Configuration is invalid:\n  - ${problems.join('\n  - ')}`, opts);
    this.problems = problems;
  }
}

export class ShopError extends BcbridgeError {
  readonly kind = 'shop';
  readonly status?: number;
  constructor(code: string, message: string, opts: { retryable?: boolean; cause?: unknown; status?: number } = {}) {
    super(code, message, opts);
    this.status = opts.status;
  }
}

export class BcError extends BcbridgeError {
  readonly kind = 'bc';
  readonly status?: number;
  /** BC's CorrelationId, for a support ticket with Microsoft. */
  readonly correlationId?: string;
  /** True when the request may have reached BC and been committed (timeout, reset, 5xx after send). */
  readonly ambiguous: boolean;
  /** How long BC asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
  constructor(
    code: string,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; status?: number; correlationId?: string; ambiguous?: boolean; retryAfterMs?: number } = {},
  ) {
    super(code, message, opts);
    this.status = opts.status;
    this.correlationId = opts.correlationId;
    this.ambiguous = opts.ambiguous ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export class StoreError extends BcbridgeError {
  readonly kind = 'store';
}

/** A shop document that cannot be read as an order. The order is held with this message; nothing is lost. */
export class ValidationError extends BcbridgeError {
  readonly kind = 'validation';
  constructor(message: string, opts: { cause?: unknown; code?: string } = {}) {
    super(opts.code ?? 'MALFORMED_ORDER', message, opts);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
