import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchConfig, writeBenchConfig } from '../lib/config.js';
import { createBenchDatabase } from '../lib/database.js';
import { countInBc, expectedKeys } from '../lib/exactly-once.js';
import { machine, percentiles, round, type BenchResult } from '../lib/result.js';
import type { Scenario, ScenarioOptions } from '../lib/scenario.js';
import { Sims, type BcFaultRule } from '../lib/sims.js';
import { settled, StoreWatch } from '../lib/watch.js';
import { Worker } from '../lib/worker.js';

/**
 * What BC does to the export while workers die: throttling and unavailability that prove nothing ran
 * (429, 503), and the ambiguous failures after which the order may or may not exist — a gateway timeout
 * (504), no answer at all (timeout), a reset connection, and a connection dropped after BC committed the
 * order (the classic duplicate trap). Lookups (GET) are faulted too. Creates go out alone or in a `$batch`
 * (a backlog), so both get the same faults; a faulted batch hits every order in it.
 */
const CREATE_FAULTS = (path: string): BcFaultRule[] => [
  { kind: 'drop-after-commit', method: 'POST', pathIncludes: path, probability: 0.08 },
  { kind: 'timeout', method: 'POST', pathIncludes: path, probability: 0.03 },
  { kind: '504', method: 'POST', pathIncludes: path, probability: 0.03 },
  { kind: 'reset', method: 'POST', pathIncludes: path, probability: 0.02 },
  { kind: '503', method: 'POST', pathIncludes: path, probability: 0.05, retryAfterSeconds: 1 },
  { kind: '429', method: 'POST', pathIncludes: path, probability: 0.05, retryAfterSeconds: 1 },
];

export const CHAOS_FAULTS: BcFaultRule[] = [
  ...CREATE_FAULTS('salesOrders'),
  ...CREATE_FAULTS('$batch'),
  { kind: '503', method: 'GET', pathIncludes: 'salesOrders', probability: 0.05, retryAfterSeconds: 1 },
  { kind: '429', method: 'GET', pathIncludes: 'salesOrders', probability: 0.05, retryAfterSeconds: 1 },
  { kind: 'timeout', method: 'GET', pathIncludes: 'salesOrders', probability: 0.02 },
];

interface Pause {
  pid: number;
  leased: number;
  attempted: number;
}

interface Kill {
  pid: number;
  /** ms from the worker being ready to the SIGKILL. */
  afterMs: number;
  /** Orders the worker held in `exporting` when it died. */
  leased: number;
  /** …of which it had recorded a create attempt (the request may or may not have reached BC). */
  attempted: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `chaos`: `bcbridge run` is SIGKILLed at random moments while it holds orders for export, again and
 * again, while BC injects faults; then one last worker finishes the backlog. Afterwards every shop order
 * is counted in BC (by externalDocumentNumber, from the simulator's store): duplicates and lost must be 0.
 */
export const chaos: Scenario = {
  name: 'chaos',
  description: 'SIGKILL during export (20×) while BC injects 429, 503, 504, timeouts, resets and drop-after-commit',
  async run(o: ScenarioOptions): Promise<BenchResult[]> {
    const kills = o.kills ?? (o.smoke ? 3 : 20);
    const initial = o.orders ?? (o.smoke ? 50 : 600);
    const database = o.databases?.[0] ?? 'sqlite';
    const latencyMs = 100;
    const topUp = o.smoke ? 50 : 200;
    const startedAt = new Date().toISOString();
    const db = await createBenchDatabase(database, o.pgAdminUrl);
    let sims: Sims | undefined;
    let watch: StoreWatch | undefined;
    let worker: Worker | undefined;
    try {
      watch = await StoreWatch.open(db.url);
      sims = await Sims.start({ latencyMs });
      const ids = await sims.generate(initial);
      const config = benchConfig({
        sim: sims.endpoints,
        databaseUrl: db.url,
        // Short timeouts so a hung request ends within a worker's short life; retries stay in-process.
        bc: { timeoutMs: 2000, maxRetries: 3 },
        // Small rounds: more orders are mid-export at any moment. The lease is the schema's minimum, so orders
        // of a killed worker come back after 30 s. Many attempts: faults must delay orders, never fail them.
        pipeline: { batchSize: 20, leaseSeconds: 30, maxAttempts: 50, backoffBaseSeconds: 0.2, backoffMaxSeconds: 2 },
      });
      const configPath = writeBenchConfig(db.dir, config);
      const logPath = join(db.dir, 'worker.log');
      writeFileSync(logPath, '');
      await sims.addBcFaults(CHAOS_FAULTS);

      const log: Kill[] = [];
      let cpuSeconds = 0;
      let peakRssMb = 0;
      let firstReady = 0;
      const account = (w: Worker) => {
        cpuSeconds += w.usage.cpuSeconds;
        peakRssMb = Math.max(peakRssMb, w.usage.peakRssMb);
      };
      let lives = 0;
      while (log.filter((k) => k.leased > 0).length < kills) {
        if (++lives > kills * 4) throw new Error(`only ${log.filter((k) => k.leased > 0).length} of ${lives - 1} workers were killed while exporting; the chaos run cannot reach ${kills}`);
        // Keep work waiting, so every worker has something to export when it dies.
        const c = await watch.counts();
        const waiting = (c.received ?? 0) + (c.ready ?? 0) + (c.waiting ?? 0);
        const inShop = ids.length - Object.values(c).reduce((a, b) => a + b, 0);
        if (waiting + inShop < topUp / 2) ids.push(...(await sims.generate(topUp)));

        worker = await Worker.start({ configPath, logPath, profileDir: o.profileDir });
        firstReady ||= worker.readyAt;
        const w = worker;
        // Wait until this worker holds orders for export, then let it work a random while.
        const deadline = Date.now() + 30_000;
        while (w.alive && Date.now() < deadline && (await watch.leasedBy(w.pid)) === 0) await sleep(25);
        await sleep(Math.random() * 1500);
        await w.kill();
        account(w);
        worker = undefined;
        const leased = await watch.leasedBy(w.pid);
        const attempted = await attemptedBy(watch, w.pid);
        log.push({ pid: w.pid, afterMs: Date.now() - w.readyAt, leased, attempted });
        o.progress(`chaos: kill ${log.length} (${log.filter((k) => k.leased > 0).length}/${kills} during export): worker ${w.pid} died holding ${leased} order(s), ${attempted} with a create in flight`);
      }

      const pauseLog: Pause[] = [];
      for (let p = 0; p < (o.pauses ?? 0); p++) {
        const c = await watch.counts();
        const waiting = (c.received ?? 0) + (c.ready ?? 0) + (c.waiting ?? 0);
        if (waiting < topUp / 2) ids.push(...(await sims.generate(topUp)));
        // A: frozen while it holds orders whose creates are recorded but (some) not yet answered.
        const a = await Worker.start({ configPath, logPath, profileDir: o.profileDir });
        firstReady ||= a.readyAt;
        worker = a;
        const deadline = Date.now() + 30_000;
        while (a.alive && Date.now() < deadline && (await attemptedBy(watch, a.pid)) === 0) await sleep(25);
        // A random moment of its export, like the kills.
        await sleep(Math.random() * 1500);
        a.pause();
        const leased = await watch.leasedBy(a.pid);
        const attempted = await attemptedBy(watch, a.pid);
        o.progress(`chaos: pause ${p + 1}: worker ${a.pid} frozen holding ${leased} order(s), ${attempted} with a create recorded; a second worker takes over after the lease …`);
        // B: takes A's orders once their lease has expired and exports them.
        const b = await Worker.start({ configPath, logPath, profileDir: o.profileDir });
        const until = Date.now() + 90_000;
        while (Date.now() < until && (await watch.leasedBy(a.pid)) > 0) await sleep(250);
        await sleep(5000);
        // A wakes up, unaware of the time it lost, and carries on with what it was doing.
        a.resume();
        await sleep(8000);
        await a.kill();
        await b.kill();
        account(a);
        account(b);
        worker = undefined;
        pauseLog.push({ pid: a.pid, leased, attempted });
      }

      o.progress(`chaos: ${log.length} kills done; a last worker finishes the backlog (orders of killed workers return when their 30 s lease expires) …`);
      worker = await Worker.start({ configPath, logPath, profileDir: o.profileDir });
      const total = ids.length;
      let lastLine = 0;
      const states = await watch.waitFor((c) => settled(c) >= total && (c.exporting ?? 0) === 0, {
        timeoutMs: 300_000 + total * 200,
        onProgress: (c) => {
          if (Date.now() - lastLine < 3000) return;
          lastLine = Date.now();
          o.progress(`chaos: drain ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
        },
      });
      const end = Date.now();
      account(worker);
      await worker.stop();
      worker = undefined;

      const bc = await sims.bcStats();
      // Counted without faults: the count itself must not be disturbed.
      await sims.clearBcFaults();
      const keys = await expectedKeys(sims, ids, 'WOO-');
      const eo = await countInBc(sims, keys);

      const latencies: number[] = [];
      let lastVerified = firstReady;
      let maxAttempts = 0;
      for await (const page of watch.timings()) {
        for (const t of page) {
          if (t.verifiedAt !== null) {
            latencies.push(t.verifiedAt - t.createdAt);
            lastVerified = Math.max(lastVerified, t.verifiedAt);
          }
          maxAttempts = Math.max(maxAttempts, t.attempts);
        }
      }
      const requests = await watch.bcRequestBreakdown(firstReady);
      const seconds = Math.max(0.001, (Math.max(lastVerified, firstReady) - firstReady) / 1000);
      const duringExport = log.filter((k) => k.leased > 0).length;
      const injected = Object.fromEntries(Object.entries(bc.byStatus).filter(([k]) => !/^2\d\d$/.test(k)));
      return [
        {
          scenario: 'chaos',
          database,
          orders: total,
          seconds: round(seconds),
          ordersPerSecond: round(total / seconds),
          ceilingOrdersPerSecond: null,
          ratioToCeiling: null,
          bcRequests: bc.operations,
          bcRequestsPerOrder: round(bc.operations / total, 3),
          latencyMs: percentiles(latencies),
          latencyMeaning: 'order stored by bcbridge → verified in BC (includes waiting for leases of killed workers)',
          cpuSeconds: round(cpuSeconds),
          cpuMsPerOrder: round((cpuSeconds * 1000) / total),
          peakRssMb: round(peakRssMb, 1),
          duplicates: eo.duplicates,
          lost: eo.lost,
          strays: eo.strays,
          states,
          targets: [
            { name: 'kills during export', target: `≥ ${kills}`, measured: String(duringExport), met: duringExport >= kills },
            { name: 'duplicates', target: '0', measured: String(eo.duplicates), met: eo.duplicates === 0 },
            { name: 'lost', target: '0', measured: String(eo.lost), met: eo.lost === 0 },
          ],
          params: { kills, pauses: o.pauses ?? 0, latencyMs, faults: CHAOS_FAULTS, smoke: o.smoke },
          details: {
            bcHttpRequests: bc.requests,
            kills: log.length,
            killsDuringExport: duringExport,
            ordersHeldByKilledWorkers: log.reduce((a, k) => a + k.leased, 0),
            createsInFlightAtKill: log.reduce((a, k) => a + k.attempted, 0),
            killLog: log,
            pauses: pauseLog.length,
            pauseLog,
            bcByStatus: bc.byStatus,
            bcFaultsAndErrors: injected,
            bcRequestsByKind: requests.byKind,
            bcSalesOrders: eo.bcSalesOrders,
            examples: eo.examples,
            maxAttempts,
            drainSeconds: round((end - firstReady) / 1000),
          },
          machine: machine(),
          startedAt,
        },
      ];
    } finally {
      await worker?.kill().catch(() => {});
      await watch?.close().catch(() => {});
      await sims?.stop().catch(() => {});
      if (o.keep) o.progress(`chaos: kept ${db.url} (config and worker.log in ${db.dir})`);
      else await db.drop().catch((err: unknown) => o.progress(`chaos: could not drop the benchmark database: ${(err as Error).message}`));
    }
  },
};

async function attemptedBy(watch: StoreWatch, pid: number): Promise<number> {
  const row = await watch.store.db.kysely
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'exporting')
    .where('lease_owner', 'like', `%:${pid}:%`)
    .where('bc_attempt_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
