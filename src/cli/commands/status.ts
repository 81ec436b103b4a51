import type { Command } from 'commander';
import { ORDER_STATES } from '../../domain/states.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { withRuntime, type GlobalOptions } from '../context.js';
import { print, printJson, table } from '../output.js';

export interface StatusReport {
  environment: { active: string; name: string | undefined };
  database: string;
  shops: { shop: string; counts: Record<string, number>; total: number; cursor: string | null }[];
  lastRuns: { stage: string; shop: string | null; startedAt: string; finishedAt: string | null; ok: boolean | null; summary: unknown }[];
}

export async function statusReport(rt: Runtime): Promise<StatusReport> {
  const counts = await rt.store.orders.counts();
  const cursors = new Map((await rt.store.cursors.all()).map((c) => [c.shop, c.value]));
  const active = await rt.activeEnvironment();
  const shops = rt.config.shops.map((s) => {
    const c: Record<string, number> = Object.fromEntries(ORDER_STATES.map((st) => [st, 0]));
    for (const row of counts.filter((r) => r.shop === s.code)) c[row.state] = row.n;
    return { shop: s.code, counts: c, total: Object.values(c).reduce((a, b) => a + b, 0), cursor: cursors.get(s.code) ?? null };
  });
  const lastRuns = (await rt.store.runs.latest()).map((r) => ({
    stage: r.stage, shop: r.shop, startedAt: r.started_at, finishedAt: r.finished_at,
    ok: r.ok === null ? null : Boolean(r.ok), summary: r.summary ? JSON.parse(r.summary) : null,
  }));
  return { environment: { active, name: rt.config.bc[active]?.name }, database: rt.store.db.describe, shops, lastRuns };
}

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('counts per state per shop, last runs, active environment')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withRuntime(cmd.optsWithGlobals<GlobalOptions>(), async (rt) => {
        const report = await statusReport(rt);
        if (opts.json) return printJson(report);
        print(`BC environment: ${report.environment.active} (${report.environment.name ?? 'not configured'})   database: ${report.database}`);
        print('');
        print(table(report.shops.map((s) => ({ shop: s.shop, ...s.counts, total: s.total }))));
        print('');
        print(table(report.lastRuns.map((r) => ({ stage: r.stage, shop: r.shop ?? '', started: r.startedAt, ok: r.ok === null ? 'running' : r.ok ? 'ok' : 'problems' }))));
      });
    });
}
