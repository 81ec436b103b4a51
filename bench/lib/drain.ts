import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig, writeBenchConfig, type BenchConfigOptions } from './config.js';
import { createBenchDatabase, type BenchDatabaseKind } from './database.js';
import { countInBc, expectedKeys, type ExactlyOnce } from './exactly-once.js';
import { percentiles, type LatencyMs } from './result.js';
import type { BcSimStats, SimOptions } from './sims.js';
import { Sims } from './sims.js';
import { settled, StoreWatch, type StateCounts } from './watch.js';
import { Worker } from './worker.js';

export interface DrainOptions {
  orders: number;
  database: BenchDatabaseKind;
  pgAdminUrl?: string;
  sim: SimOptions;
  config: Omit<BenchConfigOptions, 'sim' | 'databaseUrl'>;
  timeoutMs: number;
  progress: (line: string) => void;
  label: string;
  keep?: boolean;
  profileDir?: string;
}

export interface DrainMeasurement {
  /** Worker ready → last order verified, seconds. */
  seconds: number;
  /** Worker spawn → ready, seconds (process start, config, migrations). */
  startupSeconds: number;
  /** Order verified − worker ready, per order, ms. */
  latency: LatencyMs;
  /** When the last order was stored / exported / verified, seconds after ready. */
  phases: { lastReceivedS: number; lastExportedS: number; lastVerifiedS: number };
  cpuSeconds: number;
  /** Of cpuSeconds, the worker's main thread (the rest: V8's helper threads, mostly garbage collection). */
  cpuMainThreadSeconds: number;
  peakRssMb: number;
  bc: BcSimStats;
  states: StateCounts;
  exactlyOnce: ExactlyOnce;
  maxAttempts: number;
  /** bcbridge's own request log: BC requests by kind and status, and per second after ready. */
  requests: { byKind: Record<string, number>; perSecond: number[] };
  /** The worker's resident memory over the run: [seconds after ready, MB], a dozen points. */
  rssMbTimeline: [number, number][];
}

function sampleEvenly(points: [number, number][], n: number): [number, number][] {
  if (points.length <= n) return points.map(([t, mb]) => [Math.round(t / 100) / 10, mb]);
  return Array.from({ length: n }, (_, i) => points[Math.round((i * (points.length - 1)) / (n - 1))]!).map(([t, mb]) => [Math.round(t / 100) / 10, mb]);
}

/**
 * The backlog pattern: N orders already waiting in the shop, one `bcbridge run` worker started against a
 * fresh database, measured until every order is verified (or settled otherwise), then stopped.
 */
export async function drainBacklog(o: DrainOptions): Promise<DrainMeasurement> {
  const db = await createBenchDatabase(o.database, o.pgAdminUrl);
  let sims: Sims | undefined;
  let watch: StoreWatch | undefined;
  let worker: Worker | undefined;
  try {
    watch = await StoreWatch.open(db.url);
    sims = await Sims.start(o.sim);
    o.progress(`${o.label}: generating ${o.orders} orders in the WooCommerce simulator …`);
    const ids = await sims.generate(o.orders);
    const config = benchConfig({ sim: sims.endpoints, databaseUrl: db.url, ...o.config });
    const configPath = writeBenchConfig(db.dir, config);
    const logPath = join(db.dir, 'worker.log');
    writeFileSync(logPath, '');
    o.progress(`${o.label}: starting bcbridge run (${o.database}) …`);
    worker = await Worker.start({ configPath, logPath, profileDir: o.profileDir });
    const ready = worker.readyAt;
    const startupSeconds = (worker.readyAt - worker.spawnedAt) / 1000;
    let lastLine = 0;
    const states = await watch.waitFor((c) => settled(c) >= o.orders, {
      timeoutMs: o.timeoutMs,
      intervalMs: o.orders > 20_000 ? 1000 : 250,
      onProgress: (c) => {
        if (Date.now() - lastLine < 2000) return;
        lastLine = Date.now();
        const parts = Object.entries(c).map(([k, v]) => `${k} ${v}`).join(' · ');
        o.progress(`${o.label}: [${((Date.now() - ready) / 1000).toFixed(0)} s] ${parts}`);
      },
    });
    const usage = worker.usage;
    const rss = sampleEvenly(worker.rssTimeline, 12);
    await worker.stop();
    worker = undefined;
    const bc = await sims.bcStats();
    const keys = await expectedKeys(sims, ids, 'WOO-');
    const exactlyOnce = await countInBc(sims, keys);

    const latencies: number[] = [];
    let lastReceived = ready;
    let lastExported = ready;
    let lastVerified = ready;
    let maxAttempts = 0;
    for await (const page of watch.timings()) {
      for (const t of page) {
        lastReceived = Math.max(lastReceived, t.createdAt);
        if (t.exportedAt !== null) lastExported = Math.max(lastExported, t.exportedAt);
        if (t.verifiedAt !== null) {
          lastVerified = Math.max(lastVerified, t.verifiedAt);
          latencies.push(t.verifiedAt - ready);
        }
        maxAttempts = Math.max(maxAttempts, t.attempts);
      }
    }
    const requests = await watch.bcRequestBreakdown(ready);
    const s = (t: number) => Math.round((t - ready) / 10) / 100;
    return {
      seconds: Math.max(0.001, (lastVerified - ready) / 1000),
      startupSeconds,
      latency: percentiles(latencies),
      phases: { lastReceivedS: s(lastReceived), lastExportedS: s(lastExported), lastVerifiedS: s(lastVerified) },
      cpuSeconds: usage.cpuSeconds,
      cpuMainThreadSeconds: usage.mainThreadCpuSeconds,
      peakRssMb: usage.peakRssMb,
      bc,
      states,
      exactlyOnce,
      maxAttempts,
      requests,
      rssMbTimeline: rss,
    };
  } finally {
    await worker?.kill().catch(() => {});
    await watch?.close().catch(() => {});
    await sims?.stop().catch(() => {});
    if (o.keep) o.progress(`${o.label}: kept ${db.url} (config and worker.log in ${db.dir})`);
    else await db.drop().catch((err: unknown) => o.progress(`${o.label}: could not drop the benchmark database: ${(err as Error).message}`));
  }
}
