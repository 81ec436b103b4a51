import type { EnvironmentKey } from '../config/schema.js';

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
