import { errorMessage } from '../../domain/errors.js';
import { runStage, type StageName } from '../../pipeline/run-stage.js';
import type { Runtime } from '../../pipeline/runtime.js';
import type { StageResult } from '../../pipeline/stage-result.js';

/** What an operator can trigger by hand; `export` evaluates first, as `bcbridge export` does. */
export const TRIGGERS = {
  pull: { label: 'Pull', help: 'download changed orders from the shop', stages: ['pull'] },
  export: { label: 'Export', help: 'evaluate received orders and create the ready ones in BC', stages: ['evaluate', 'export'] },
  verify: { label: 'Verify', help: 'read exported orders back from BC and compare totals', stages: ['verify'] },
  writeback: { label: 'Write-back', help: 'write BC shipments and tracking back to the shop', stages: ['writeback'] },
} as const satisfies Record<string, { label: string; help: string; stages: readonly StageName[] }>;

export type TriggerName = keyof typeof TRIGGERS;

export function isTrigger(value: string): value is TriggerName {
  return Object.hasOwn(TRIGGERS, value);
}

export interface Job {
  id: number;
  trigger: TriggerName;
  /** null = every shop. */
  shop: string | null;
  /** Who started it; the job's own actor (`<actor>/job-<id>`) marks the timeline events it causes. */
  startedBy: string;
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'ok' | 'problems' | 'error';
  /** Stage currently running. */
  stage: StageName | null;
  results: StageResult[];
  error: string | null;
  /** order_events ids above this belong to the time after the job started (progress is counted from here). */
  eventFloor: number;
}

/**
 * Manual triggers run inside the panel's process, in the background, one per trigger and shop at a
 * time; the page follows them live (progress = the timeline events carrying the job's actor). Kept in
 * memory: the runs table is the durable record.
 */
export class JobManager {
  private readonly jobs: Job[] = [];
  private nextId = 1;
  private readonly running = new Set<Promise<void>>();
  /** Aborted on shutdown: stages stop between orders, as they do for the scheduler. */
  private readonly abort = new AbortController();
  /** Bumped whenever a job starts, changes stage or ends: the live feed watches it. */
  version = 0;

  constructor(private readonly rt: Runtime) {}

  list(): Job[] {
    return [...this.jobs].reverse();
  }

  get(id: number): Job | undefined {
    return this.jobs.find((j) => j.id === id);
  }

  /** Starts a job, or returns the one already running for the same trigger and shop (`started: false`). */
  async start(trigger: TriggerName, shop: string | null, startedBy: string): Promise<{ job: Job; started: boolean }> {
    if (shop !== null) this.rt.shop(shop); // throws a ConfigError naming the known shops
    const busy = this.jobs.find((j) => j.status === 'running' && j.trigger === trigger && j.shop === shop);
    if (busy) return { job: busy, started: false };
    const floor = await this.rt.store.db.kysely
      .selectFrom('order_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const id = this.nextId++;
    const job: Job = {
      id,
      trigger,
      shop,
      startedBy,
      actor: `${startedBy}/job-${id}`,
      startedAt: this.rt.clock.now().toISOString(),
      finishedAt: null,
      status: 'running',
      stage: null,
      results: [],
      error: null,
      eventFloor: Number(floor?.id ?? 0),
    };
    this.jobs.push(job);
    if (this.jobs.length > 50) this.jobs.splice(0, this.jobs.length - 50);
    this.version++;
    const p = this.execute(job).finally(() => this.running.delete(p));
    this.running.add(p);
    return { job, started: true };
  }

  private async execute(job: Job): Promise<void> {
    try {
      for (const stage of TRIGGERS[job.trigger].stages) {
        job.stage = stage;
        this.version++;
        if (this.abort.signal.aborted) throw new Error('stopped: bcbridge is shutting down');
        job.results.push(...(await runStage(this.rt, stage, job.actor, { shop: job.shop ?? undefined, signal: this.abort.signal })));
      }
      job.status = job.results.some((r) => r.errors.length > 0 || r.problems > 0) ? 'problems' : 'ok';
    } catch (err) {
      job.status = 'error';
      job.error = errorMessage(err);
    } finally {
      await this.rt.store.requestLog.flush().catch(() => {});
      job.stage = null;
      job.finishedAt = this.rt.clock.now().toISOString();
      this.version++;
    }
  }

  /** Timeline events caused by the job so far, per state reached: its live progress. */
  async progress(job: Job): Promise<Record<string, number>> {
    const rows = await this.rt.store.db.kysely
      .selectFrom('order_events')
      .select(['to_state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('id', '>', job.eventFloor)
      .where('actor', '=', job.actor)
      .groupBy('to_state')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.to_state, Number(r.n)]));
  }

  /** Stops running jobs at the next order boundary and waits for them (shutdown). */
  async drain(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }
}
