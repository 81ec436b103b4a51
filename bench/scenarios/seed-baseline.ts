import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/sim-process.js';
import { benchConfig, writeBenchConfig } from '../lib/config.js';
import { createBenchDatabase } from '../lib/database.js';
import { countInBc, expectedKeys } from '../lib/exactly-once.js';
import { machine, percentiles, round, type BenchResult } from '../lib/result.js';
import type { Scenario, ScenarioOptions } from '../lib/scenario.js';
import { Sims } from '../lib/sims.js';
import { Worker } from '../lib/worker.js';
import { BACKLOG_BC } from './backlog.js';

/** Seed 000: every job every 10 minutes; BC's job makes the sales order 1–5 minutes after the lines arrive. */
const SEED_INTERVAL_MS = 10 * 60_000;
const SEED_PROCESSING_MS: [number, number] = [60_000, 300_000];

interface SeedOutput {
  creates: number;
  reads: number;
  cpuSeconds: number;
  peakRssMb: number;
  orders: { shopOrderId: string; key: string; syncedAt: number; importedAt?: number; verifiedAt?: number }[];
}

/**
 * `seed-baseline`: the backlog exported the way seed 000 does it (bench/seed/seed-worker.ts): cron jobs every
 * 10 minutes, one SOAP Create per line, orders one after another, then one SOAP Read per order to verify.
 * Time-scaled: the cron interval and BC's processing delay are divided by `timeScale` (60: every 10 s,
 * processing 1–5 s); BC's 150 ms per request is not, since the seed's cost is mostly those sequential
 * requests. Compressing its waits only flatters the seed. Same BC simulator settings as `backlog`.
 */
export const seedBaseline: Scenario = {
  name: 'seed-baseline',
  description: "the backlog the seed's way: 10-min cron (time-scaled), one SOAP Create per line, sequential, then Read",
  async run(o: ScenarioOptions): Promise<BenchResult[]> {
    const orders = o.orders ?? (o.smoke ? 10 : 500);
    const timeScale = 60;
    const intervalMs = SEED_INTERVAL_MS / timeScale;
    const processingMs: [number, number] = [SEED_PROCESSING_MS[0] / timeScale, SEED_PROCESSING_MS[1] / timeScale];
    const database = o.databases?.[0] ?? 'sqlite';
    const startedAt = new Date().toISOString();
    const db = await createBenchDatabase(database, o.pgAdminUrl);
    let sims: Sims | undefined;
    let worker: Worker | undefined;
    try {
      sims = await Sims.start({ ...BACKLOG_BC.sim, soapDelayMs: processingMs });
      o.progress(`seed-baseline: generating ${orders} orders in the WooCommerce simulator …`);
      const ids = await sims.generate(orders);
      const config = benchConfig({ sim: sims.endpoints, databaseUrl: db.url, bc: BACKLOG_BC.client });
      // The seed's transport: the AutoShoppingCartImport page over SOAP, same BC user and limits.
      const test = (config.bc as { test: Record<string, unknown> }).test;
      (config.bc as { test: Record<string, unknown> }).test = { ...test, transport: 'soap' };
      const configPath = writeBenchConfig(db.dir, config);
      const logPath = join(db.dir, 'seed.log');
      const outPath = join(db.dir, 'seed.out.json');
      writeFileSync(logPath, '');
      const script = join(PACKAGE_ROOT, 'bench', 'seed', 'seed-worker.ts');
      worker = await Worker.start({
        configPath,
        logPath,
        command: ['--import', 'tsx', script, '--config', configPath, '--orders', String(orders), '--interval-ms', String(intervalMs)],
        readyPattern: /seed model running/,
        stdoutPath: outPath,
        profileDir: o.profileDir,
      });
      const ready = worker.readyAt;
      o.progress(`seed-baseline: the seed model exports ${orders} orders (jobs every ${intervalMs / 1000} s, BC processing ${processingMs[0] / 1000}–${processingMs[1] / 1000} s) …`);
      const timeoutMs = 600_000 + orders * 4000;
      const timer = setTimeout(() => void worker?.kill(), timeoutMs);
      const code = await worker.finished();
      clearTimeout(timer);
      worker = undefined;
      const text = readFileSync(outPath, 'utf8').trim();
      if (code !== 0 || !text) throw new Error(`the seed model did not finish (exit ${code}) within ${timeoutMs / 1000} s; see ${logPath}`);
      const out = JSON.parse(text.split('\n').pop()!) as SeedOutput;

      const bc = await sims.bcStats();
      const eo = await countInBc(sims, await expectedKeys(sims, ids, 'WOO-'));
      const verified = out.orders.filter((r) => r.verifiedAt !== undefined);
      const lastVerified = Math.max(ready, ...verified.map((r) => r.verifiedAt!));
      const seconds = Math.max(0.001, (lastVerified - ready) / 1000);
      const ceiling = BACKLOG_BC.ceiling;
      const ordersPerSecond = orders / seconds;
      return [
        {
          scenario: 'seed-baseline',
          database,
          orders,
          seconds: round(seconds),
          ordersPerSecond: round(ordersPerSecond),
          ceilingOrdersPerSecond: round(ceiling),
          ratioToCeiling: round(ordersPerSecond / ceiling, 3),
          bcRequests: bc.operations,
          bcRequestsPerOrder: round(bc.operations / orders, 3),
          latencyMs: percentiles(verified.map((r) => r.verifiedAt! - ready)),
          latencyMeaning: `model started (all orders waiting) → verified; cron and BC processing time-scaled 1:${timeScale}`,
          cpuSeconds: round(out.cpuSeconds),
          cpuMsPerOrder: round((out.cpuSeconds * 1000) / orders),
          peakRssMb: round(out.peakRssMb, 1),
          duplicates: eo.duplicates,
          lost: eo.lost,
          strays: eo.strays,
          states: { verified: verified.length, notVerified: orders - verified.length },
          targets: [],
          params: { timeScale, intervalMs, processingMs, latencyMs: BACKLOG_BC.sim.latencyMs, smoke: o.smoke },
          details: {
            bcHttpRequests: bc.requests,
            soapCreates: out.creates,
            soapReads: out.reads,
            linesPerOrder: round(out.creates / orders),
            bcByStatus: bc.byStatus,
            lastImportedS: round((Math.max(...out.orders.map((r) => r.importedAt ?? 0)) - ready) / 1000),
            realTimeNote: `the seed's real cron waits are ${timeScale}× longer: each order waits up to 3 × 10 min for its jobs, plus 1–5 min in BC`,
          },
          machine: machine(),
          startedAt,
        },
      ];
    } finally {
      await worker?.kill().catch(() => {});
      await sims?.stop().catch(() => {});
      if (o.keep) o.progress(`seed-baseline: kept ${db.dir}`);
      else await db.drop().catch(() => {});
    }
  },
};
