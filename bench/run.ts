import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/cli/sim-process.js';
import type { BenchDatabaseKind } from './lib/database.js';
import type { BenchResult } from './lib/result.js';
import type { Scenario } from './lib/scenario.js';
import { backlog } from './scenarios/backlog.js';
import { chaos } from './scenarios/chaos.js';
import { overhead } from './scenarios/overhead.js';
import { seedBaseline } from './scenarios/seed-baseline.js';
import { trickle } from './scenarios/trickle.js';

/** Every scenario, in the order `--scenario all` runs them. */
export const SCENARIOS: Scenario[] = [backlog, seedBaseline, trickle, overhead, chaos];

export const DEFAULT_RESULTS_DIR = join(PACKAGE_ROOT, 'bench', 'results');

export interface BenchOptions {
  scenarios: string[];
  orders?: number;
  smoke: boolean;
  databases?: BenchDatabaseKind[];
  pgAdminUrl?: string;
  kills?: number;
  pauses?: number;
  keep?: boolean;
  profileDir?: string;
  resultsDir: string;
  progress: (line: string) => void;
  /** Called after each scenario, so results appear as they come. */
  onResult?: (r: BenchResult) => void;
}

export function resolveScenarios(names: string[]): Scenario[] {
  const wanted = names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  if (wanted.includes('all')) return SCENARIOS;
  return wanted.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (!s) throw new Error(`--scenario: unknown scenario "${n}" (known: ${SCENARIOS.map((x) => x.name).join(', ')}, all)`);
    return s;
  });
}

/** Runs the scenarios one after another (they would compete for the same two cores otherwise). */
export async function runBench(o: BenchOptions): Promise<BenchResult[]> {
  const scenarios = resolveScenarios(o.scenarios);
  const out: BenchResult[] = [];
  for (const s of scenarios) {
    o.progress(`== ${s.name}: ${s.description}${o.smoke ? ' (smoke)' : ''}`);
    const results = await s.run({ orders: o.orders, smoke: o.smoke, databases: o.databases, pgAdminUrl: o.pgAdminUrl, kills: o.kills, pauses: o.pauses, keep: o.keep, profileDir: o.profileDir, progress: o.progress });
    for (const r of results) {
      saveResult(o.resultsDir, r);
      o.onResult?.(r);
      out.push(r);
    }
  }
  return out;
}

function saveResult(dir: string, r: BenchResult): void {
  mkdirSync(dir, { recursive: true });
  const stamp = r.startedAt.replace(/[:.]/g, '-');
  const name = `${r.scenario}-${r.database}${r.params.smoke ? '-smoke' : ''}`;
  const text = JSON.stringify(r, null, 2) + '\n';
  writeFileSync(join(dir, `${name}-${stamp}.json`), text);
  writeFileSync(join(dir, `${name}-latest.json`), text);
}

const COLUMNS: [string, (r: BenchResult) => string][] = [
  ['scenario', (r) => r.scenario],
  ['db', (r) => r.database],
  ['orders', (r) => String(r.orders)],
  ['seconds', (r) => r.seconds.toFixed(1)],
  ['orders/s', (r) => r.ordersPerSecond.toFixed(1)],
  ['ceiling/s', (r) => (r.ceilingOrdersPerSecond === null ? '—' : r.ceilingOrdersPerSecond.toFixed(1))],
  ['ratio', (r) => (r.ratioToCeiling === null ? '—' : r.ratioToCeiling.toFixed(2))],
  ['BC req/order', (r) => r.bcRequestsPerOrder.toFixed(3)],
  ['p50 ms', (r) => fmt(r.latencyMs.p50)],
  ['p95 ms', (r) => fmt(r.latencyMs.p95)],
  ['p99 ms', (r) => fmt(r.latencyMs.p99)],
  ['CPU s', (r) => r.cpuSeconds.toFixed(1)],
  ['peak RSS MB', (r) => r.peakRssMb.toFixed(0)],
  ['dup', (r) => String(r.duplicates)],
  ['lost', (r) => String(r.lost)],
];

function fmt(v: number | null): string {
  return v === null ? '—' : String(v);
}

/** The results as a plain-text table, then each scenario's targets. */
export function formatResults(results: BenchResult[]): string {
  const rows = results.map((r) => COLUMNS.map(([, f]) => f(r)));
  const widths = COLUMNS.map(([h], i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(COLUMNS.map(([h]) => h)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const r of results) {
    if (r.targets.length === 0) continue;
    const t = r.targets.map((x) => `${x.met ? 'ok ' : 'MISS'} ${x.name} ${x.measured} (target ${x.target})`).join('; ');
    out.push(`${r.scenario}/${r.database}: ${t}`);
  }
  return out.join('\n');
}
