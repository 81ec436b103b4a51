import { BcError } from '../../domain/errors.js';

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /**
   * GET and friends: any retryable failure is repeated. A create (POST) is repeated only when the failure
   * proves BC did not run it; an ambiguous failure is thrown so the caller looks the order up first.
   */
  idempotent: boolean;
  sleep: (ms: number) => Promise<void>;
  /** 0 ≤ x < 1. */
  random?: () => number;
  /** First backoff step; doubles per attempt. Default 500 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not waited out in-process: the error is thrown (still retryable,
   * with retryAfterMs) so the pipeline reschedules the order instead of parking a worker. Default 120 s.
   */
  maxRetryAfterMs?: number;
  onRetry?: (err: BcError, attempt: number, delayMs: number) => void;
}

export function isRetryable(err: unknown, idempotent: boolean): err is BcError {
  if (!(err instanceof BcError) || !err.retryable) return false;
  // Repeating a create that may have been committed is how one shop order becomes two BC orders.
  return idempotent || !err.ambiguous;
}

/** Retry-After when BC sent one, else exponential backoff with jitter in [½, 1] of the step. */
export function retryDelay(err: BcError, attempt: number, opts: Pick<RetryOptions, 'random' | 'baseDelayMs' | 'maxDelayMs'>): number {
  if (err.retryAfterMs !== undefined) return err.retryAfterMs;
  const base = opts.baseDelayMs ?? 500;
  const cap = opts.maxDelayMs ?? 30_000;
  const step = Math.min(cap, base * 2 ** (attempt - 1));
  const r = (opts.random ?? Math.random)();
  return Math.round(step / 2 + (step / 2) * r);
}

/** Runs `fn` until it succeeds, fails permanently, or the retries are spent (then the last error is thrown). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err, opts.idempotent) || attempt > opts.maxRetries) throw err;
      const delay = retryDelay(err, attempt, opts);
      if (delay > (opts.maxRetryAfterMs ?? 120_000)) throw err;
      opts.onRetry?.(err, attempt, delay);
      await opts.sleep(delay);
    }
  }
}
