import { ACTIVE_ENV_SETTING } from '../../pipeline/context.js';
import { errorMessage } from '../../domain/errors.js';
import type { Runtime } from '../../pipeline/runtime.js';
import type { JobManager } from './jobs.js';

/** Which parts of the data changed since the last tick; the browser refreshes only what shows them. */
export interface Change {
  orders: boolean;
  runs: boolean;
  log: boolean;
  env: boolean;
  jobs: boolean;
}

type Listener = (change: Change) => void;

/**
 * One watcher per process for all open pages: while someone listens it reads a few cheap markers once a
 * second (newest timeline event, newest runs, newest request log entry, the active environment, the
 * job list version) and tells the listeners what moved. Reading the database (not in-process hooks)
 * means changes made by the scheduler, the CLI or another worker show up too.
 */
export class LiveFeed {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private last: Record<keyof Change, string> | undefined;
  private ticking = false;

  constructor(
    private readonly rt: Runtime,
    private readonly jobs: JobManager,
    private readonly intervalMs = 1000,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), this.intervalMs);
      this.timer.unref();
      // Take the baseline now: a change right after the page connected must not become the baseline.
      void this.tick();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get size(): number {
    return this.listeners.size;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  private async markers(): Promise<Record<keyof Change, string>> {
    const db = this.rt.store.db.kysely;
    const [events, runs, log, env] = await Promise.all([
      db.selectFrom('order_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
      db.selectFrom('runs').select(['id', 'finished_at']).orderBy('id', 'desc').limit(20).execute(),
      db.selectFrom('request_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
      db.selectFrom('settings').select(['value', 'updated_at']).where('key', '=', ACTIVE_ENV_SETTING).executeTakeFirst(),
    ]);
    return {
      orders: String(events?.id ?? 0),
      runs: runs.map((r) => `${r.id}:${r.finished_at ?? ''}`).join(','),
      log: String(log?.id ?? 0),
      env: env ? `${env.value}@${env.updated_at}` : '',
      jobs: String(this.jobs.version),
    };
  }

  private async tick(): Promise<void> {
    if (this.ticking) return; // a slow database: skip a beat rather than pile up queries
    this.ticking = true;
    try {
      const now = await this.markers();
      const prev = this.last;
      this.last = now;
      if (!prev) return;
      const change: Change = { orders: now.orders !== prev.orders, runs: now.runs !== prev.runs, log: now.log !== prev.log, env: now.env !== prev.env, jobs: now.jobs !== prev.jobs };
      if (!Object.values(change).some(Boolean)) return;
      for (const l of this.listeners) l(change);
    } catch (err) {
      this.rt.log.warn({ err: errorMessage(err) }, 'panel live feed: reading the database failed');
    } finally {
      this.ticking = false;
    }
  }
}
