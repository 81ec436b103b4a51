import { openStore, type Store } from '../../src/store/store.js';

export type StateCounts = Record<string, number>;

export interface OrderTiming {
  id: number;
  shopOrderId: string;
  state: string;
  createdAt: number;
  exportedAt: number | null;
  verifiedAt: number | null;
  attempts: number;
}

/**
 * The benchmark's window into a worker's database: progress while it runs, per-order timings after.
 * It only reads (the migrations it runs on open are the ones the workers would run anyway).
 */
export class StoreWatch {
  private constructor(readonly store: Store) {}

  static async open(url: string): Promise<StoreWatch> {
    return new StoreWatch(await openStore(url, { poolSize: 2 }));
  }

  async counts(): Promise<StateCounts> {
    const out: StateCounts = {};
    for (const r of await this.store.orders.counts()) out[r.state] = (out[r.state] ?? 0) + r.n;
    return out;
  }

  /** Orders a worker (by its pid, part of bcbridge's lease owner `host:pid:…`) holds in `exporting`. */
  async leasedBy(pid: number): Promise<number> {
    const row = await this.store.db.kysely
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', '=', 'exporting')
      .where('lease_owner', 'like', `%:${pid}:%`)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Polls until `done(counts)` holds; throws with the last counts after `timeoutMs`. */
  async waitFor(done: (c: StateCounts) => boolean, o: { timeoutMs: number; intervalMs?: number; onProgress?: (c: StateCounts) => void }): Promise<StateCounts> {
    const deadline = Date.now() + o.timeoutMs;
    for (;;) {
      const c = await this.counts();
      o.onProgress?.(c);
      if (done(c)) return c;
      if (Date.now() > deadline) {
        throw new Error(`timed out after ${o.timeoutMs / 1000} s waiting for the orders to settle; last counts ${JSON.stringify(c)}; ${await this.reasons()}`);
      }
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 250));
    }
  }

  /** One example reason per state that is not done, for an error message. */
  async reasons(): Promise<string> {
    const rows = await this.store.db.kysely
      .selectFrom('orders')
      .select(['state', 'reason', 'order_number'])
      .where('state', 'not in', ['verified'])
      .orderBy('id')
      .limit(200)
      .execute();
    const seen = new Map<string, string>();
    for (const r of rows) if (!seen.has(r.state)) seen.set(r.state, `order ${r.order_number}: ${r.reason ?? '(no reason)'}`);
    return [...seen].map(([state, why]) => `${state} e.g. ${why}`).join('; ') || 'no unfinished orders';
  }

  /** Every order's timestamps, read in pages (100,000 orders never sit in one result set). */
  async *timings(pageSize = 5000): AsyncGenerator<OrderTiming[]> {
    let after = 0;
    for (;;) {
      const rows = await this.store.db.kysely
        .selectFrom('orders')
        .select(['id', 'shop_order_id', 'state', 'created_at', 'exported_at', 'verified_at', 'attempts'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      after = Number(rows[rows.length - 1].id);
      yield rows.map((r) => ({
        id: Number(r.id),
        shopOrderId: r.shop_order_id,
        state: r.state,
        createdAt: Date.parse(r.created_at),
        exportedAt: r.exported_at ? Date.parse(r.exported_at) : null,
        verifiedAt: r.verified_at ? Date.parse(r.verified_at) : null,
        attempts: Number(r.attempts),
      }));
    }
  }

  /**
   * BC requests as bcbridge logged them, by kind (token, master data, create, lookup/read-back …) and
   * status, plus how many started in each second after `since`: where the requests went, and when.
   */
  async bcRequestBreakdown(since: number): Promise<{ byKind: Record<string, number>; perSecond: number[] }> {
    await this.store.requestLog.flush();
    const byKind: Record<string, number> = {};
    const perSecond: number[] = [];
    let after = 0;
    for (;;) {
      const rows = await this.store.db.kysely
        .selectFrom('request_log')
        .select(['id', 'at', 'method', 'url', 'status'])
        .where('system', '=', 'bc')
        .where('id', '>', after)
        .orderBy('id')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      after = Number(rows[rows.length - 1].id);
      for (const r of rows) {
        const k = `${requestKind(r.method, r.url)} ${r.status ?? 'no answer'}`;
        byKind[k] = (byKind[k] ?? 0) + 1;
        const sec = Math.floor((Date.parse(r.at) - since) / 1000);
        if (sec >= 0) {
          while (perSecond.length <= sec) perSecond.push(0);
          perSecond[sec]++;
        }
      }
    }
    return { byKind, perSecond };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** Orders that reached an end state for this benchmark (nothing more will happen to them on its own). */
export function settled(c: StateCounts): number {
  return (c.verified ?? 0) + (c.failed ?? 0) + (c.held ?? 0) + (c.ignored ?? 0);
}

/** "POST salesOrders", "GET salesOrders?$filter", "POST token", … */
function requestKind(method: string, url: string): string {
  if (/oauth2\/v2\.0\/token/.test(url)) return `${method} token`;
  let path = url;
  try {
    const u = new URL(url);
    path = decodeURIComponent(u.pathname) + (u.searchParams.has('$filter') ? '?$filter' : '');
  } catch {
    // keep as is
  }
  const last = path.split('/').filter(Boolean).pop() ?? path;
  return `${method} ${last.replace(/\([^)]*\)/g, '')}`;
}
