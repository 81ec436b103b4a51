import { runCycle } from '../../src/pipeline/run-stage.js';
import type { Runtime } from '../../src/pipeline/runtime.js';
import type { OrderRow } from '../../src/store/schema.js';
import type { Store } from '../../src/store/store.js';

/**
 * Runs whole pipeline cycles (pull → evaluate → export → verify → …) until at least `n` orders are verified,
 * and returns them. Tests of what happens after verification (write-back, conflicts) start from here.
 */
export async function verifiedOrders(rt: Runtime, store: Store, n: number, opts: { tries?: number; pauseMs?: number } = {}): Promise<OrderRow[]> {
  for (let i = 0; i < (opts.tries ?? 60); i++) {
    await runCycle(rt, 'test');
    const rows = await store.orders.list({ state: 'verified', limit: 100 });
    if (rows.length >= n) return rows;
    await new Promise((r) => setTimeout(r, opts.pauseMs ?? 100));
  }
  throw new Error(`orders did not reach verified (wanted ${n})`);
}
