import { resolve } from 'node:path';
import type { Command } from 'commander';
import { processEnv } from '../../config/load.js';
import { EXIT } from '../context.js';
import { print } from '../output.js';

/**
 * `bcbridge bench --scenario NAME`: starts the simulators and `bcbridge run` worker(s) as separate
 * processes, measures, prints a table (or one JSON object per result line with --json) and keeps the
 * results in bench/results/. Exit 1 when a run found a duplicate or a lost order.
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('measure throughput, latency and exactly-once against the simulators (see docs/performance.md)')
    .requiredOption('--scenario <names>', 'backlog, overhead, chaos, trickle, seed-baseline (comma-separated) or all')
    .option('--json', 'print one JSON object per result (one line each)')
    .option('--orders <n>', 'orders per run (scenario default otherwise)')
    .option('--smoke', 'the small CI variant: checks correctness, its timings mean nothing')
    .option('--db <kinds>', 'sqlite, postgres or sqlite,postgres (overhead: both by default)')
    .option('--kills <n>', 'chaos: SIGKILLs during export (default 20, smoke 3)')
    .option('--pauses <n>', 'chaos: also freeze a worker (SIGSTOP) past its lease while it holds orders, then resume it (default 0)')
    .option('--pg-url <url>', 'PostgreSQL server for postgres runs (default $BCBRIDGE_BENCH_PG or postgres://postgres@127.0.0.1:5432/postgres)')
    .option('--keep', "keep each run's database, config and worker log for inspection")
    .option('--profile <dir>', 'write a V8 CPU profile of each bcbridge worker into DIR (node --cpu-prof)')
    .option('--results-dir <dir>', 'where result files go (default bench/results)')
    .action(async (opts: { scenario: string; json?: boolean; orders?: string; smoke?: boolean; db?: string; kills?: string; pauses?: string; keep?: boolean; profile?: string; pgUrl?: string; resultsDir?: string }) => {
      const orders = opts.orders === undefined ? undefined : Number(opts.orders);
      if (orders !== undefined && (!Number.isInteger(orders) || orders < 1)) throw new Error('--orders must be a positive whole number');
      const kills = opts.kills === undefined ? undefined : Number(opts.kills);
      if (kills !== undefined && (!Number.isInteger(kills) || kills < 1)) throw new Error('--kills must be a positive whole number');
      const pauses = opts.pauses === undefined ? undefined : Number(opts.pauses);
      if (pauses !== undefined && (!Number.isInteger(pauses) || pauses < 0)) throw new Error('--pauses must be a whole number');
      const databases = opts.db?.split(',').map((d) => d.trim());
      for (const d of databases ?? []) if (d !== 'sqlite' && d !== 'postgres') throw new Error(`--db: "${d}" is not sqlite or postgres`);
      // Loaded on demand: the benchmark harness is not part of the everyday CLI.
      const bench = await import('../../../bench/run.js');
      const results = await bench.runBench({
        scenarios: [opts.scenario],
        orders,
        smoke: opts.smoke ?? false,
        databases: databases as ('sqlite' | 'postgres')[] | undefined,
        pgAdminUrl: opts.pgUrl ?? processEnv().BCBRIDGE_BENCH_PG,
        kills,
        pauses,
        keep: opts.keep,
        profileDir: opts.profile ? resolve(opts.profile) : undefined,
        resultsDir: opts.resultsDir ?? bench.DEFAULT_RESULTS_DIR,
        progress: (line) => process.stderr.write(`${line}\n`),
        onResult: (r) => {
          if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
        },
      });
      if (!opts.json) {
        print('');
        print(bench.formatResults(results));
        print(`results: ${opts.resultsDir ?? bench.DEFAULT_RESULTS_DIR}`);
      }
      process.exitCode = results.some((r) => r.duplicates > 0 || r.lost > 0) ? EXIT.problems : EXIT.ok;
    });
}
