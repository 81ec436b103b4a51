import { ExponentialBackoff, type IBackoff, type IBackoffFactory, type IRetryBackoffContext } from 'cockatiel';
import { ShopError } from '../../domain/errors.js';
import { retryAfterMs } from './woo-errors.js';

/**
 * Exponential backoff that waits at least as long as the shop's Retry-After asked (hosts and WAFs in
 * front of WooCommerce send it with 429/503), capped at `maxDelayMs` so one answer cannot stall a run.
 */
export class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  private readonly inner: IBackoffFactory<unknown>;
  constructor(
    private readonly opts: { initialDelayMs: number; maxDelayMs: number },
    inner?: IBackoffFactory<unknown>,
  ) {
    this.inner = inner ?? new ExponentialBackoff({ initialDelay: opts.initialDelayMs, maxDelay: opts.maxDelayMs });
  }

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const step = this.inner.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const asked = error instanceof ShopError ? retryAfterMs.get(error) : undefined;
    const duration = Math.min(Math.max(step.duration, asked ?? 0), this.opts.maxDelayMs);
    return { duration, next: (ctx) => new RetryAfterBackoff(this.opts, step).next(ctx) };
  }
}

