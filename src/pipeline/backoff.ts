/**
 * When to retry an order after a transient failure: exponential with full jitter, bounded. Jitter spreads
 * a burst of failed orders so they do not hit BC again in the same second.
 */
export function nextAttemptDelayMs(attempt: number, opts: { baseSeconds: number; maxSeconds: number; retryAfterMs?: number }, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxSeconds, opts.baseSeconds * 2 ** Math.max(0, attempt - 1)) * 1000;
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.max(jittered, opts.retryAfterMs ?? 0);
}
