import { Cron } from 'croner';
import { errorMessage } from '../domain/errors.js';
import { maintainBcSubscriptions, subscribedEnvironments } from './bc-subscriptions.js';
import type { Runtime } from './runtime.js';
import { runCycle, runStage } from './run-stage.js';

export async function pruneRequestLog(rt: Runtime): Promise<number> {
  const before = new Date(rt.clock.now().getTime() - rt.config.log.retentionDays * 86_400_000).toISOString();
  await rt.store.requestLog.flush();
  return rt.store.requestLog.prune(before);
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Runs a full cycle now (also used right at start). */
  kick(): Promise<void>;
  /**
   * Creates missing BC webhook subscriptions and renews those close to expiry (docs/webhooks.md). Hourly on
   * its own; call it once the HTTP server listens, since BC's handshake calls back at once.
   */
  keepBcSubscriptions(): Promise<void>;
}

/**
 * Cron-driven stages inside `bcbridge run` (croner; a job never overlaps itself). The pull schedule runs
 * a whole cycle, so a downloaded order is exported in the same tick instead of waiting for the next one.
 */
export function startScheduler(rt: Runtime, hooks: { onCycle?: (ok: boolean) => void } = {}): Scheduler {
  const abort = new AbortController();
  let running: Promise<unknown> = Promise.resolve();
  const guard = (name: string, fn: () => Promise<unknown>) => async () => {
    const p = fn().catch((err) => rt.log.error({ job: name, err: errorMessage(err) }, 'scheduled job failed'));
    running = Promise.all([running, p]);
    await p;
  };
  const cycle = guard('cycle', async () => {
    const results = await runCycle(rt, 'scheduler', { signal: abort.signal });
    hooks.onCycle?.(results.every((r) => r.errors.length === 0));
  });
  const s = rt.config.schedule;
  const jobs = [
    new Cron(s.pull, { protect: true, name: 'cycle' }, cycle),
    new Cron(s.export, { protect: true, name: 'export' }, guard('export', async () => {
      await runStage(rt, 'evaluate', 'scheduler', { signal: abort.signal });
      await runStage(rt, 'export', 'scheduler', { signal: abort.signal });
    })),
    new Cron(s.verify, { protect: true, name: 'verify' }, guard('verify', () => runStage(rt, 'verify', 'scheduler'))),
    // Request log retention (log.retentionDays), hourly so the table never grows far past it.
    new Cron('17 * * * *', { protect: true, name: 'retention' }, guard('retention', () => pruneRequestLog(rt))),
  ];
  // BC webhook subscriptions live 3 days; checking hourly renews each well before (renewBeforeHours, 24 h).
  const keepBcSubscriptions = guard('bc-subscriptions', () => maintainBcSubscriptions(rt));
  if (subscribedEnvironments(rt.config).length > 0) jobs.push(new Cron('41 * * * *', { protect: true, name: 'bc-subscriptions' }, keepBcSubscriptions));
  void pruneRequestLog(rt).catch((err) => rt.log.warn({ err: errorMessage(err) }, 'request log retention failed'));
  return {
    kick: cycle,
    keepBcSubscriptions: async () => {
      if (subscribedEnvironments(rt.config).length > 0) await keepBcSubscriptions();
    },
    async stop() {
      for (const j of jobs) j.stop();
      abort.abort();
      await running;
    },
  };
}
