import type { EnvironmentKey } from '../config/schema.js';
import { nextAttemptDelayMs } from './backoff.js';

/**
 * Whether the write-back stage may update the shop for an order that went to this BC environment
 * (DESIGN.md guarantee 6: a test run never writes back to a live shop). Pass the environment the order
 * was exported to (orders.bc_env), not the one active now: an order created in test stays a test order
 * after a switch to live. `allowWriteBack` decides when set; unset, live writes back and test does not.
 */
export function mayWriteBack(envKey: EnvironmentKey, envConfig: { allowWriteBack?: boolean } | undefined): boolean {
  // An environment that is not configured (any more) cannot vouch for its orders: never write for it.
  if (!envConfig) return false;
  return envConfig.allowWriteBack ?? envKey === 'live';
}

/**
 * Whether a write to the shop that failed `failures.length` times may be tried again now: the shop's
 * write-back backoff (`retryBaseSeconds · 2^(n-1)`, at most `retryMaxSeconds`) counted from the last failure.
 */
export function writeBackRetryDue(
  failures: readonly { at: string }[],
  cfg: { retryBaseSeconds: number; retryMaxSeconds: number },
  nowMs: number,
): boolean {
  const last = failures.at(-1);
  if (!last) return true;
  const wait = nextAttemptDelayMs(failures.length, { baseSeconds: cfg.retryBaseSeconds, maxSeconds: cfg.retryMaxSeconds }, () => 1);
  return nowMs >= Date.parse(last.at) + wait;
}
