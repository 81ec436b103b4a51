import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bcbridgeCli } from '../lib/cli.js';
import { benchConfig, writeBenchConfig } from '../lib/config.js';
import { createBenchDatabase } from '../lib/database.js';
import { countInBc } from '../lib/exactly-once.js';
import { freePort } from '../lib/free-port.js';
import { machine, percentiles, round, type BenchResult } from '../lib/result.js';
import type { Scenario, ScenarioOptions } from '../lib/scenario.js';
import { Sims } from '../lib/sims.js';
import { settled, StoreWatch } from '../lib/watch.js';
import { Worker } from '../lib/worker.js';

const PLATFORM = 'shopify';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `trickle`: orders are placed one by one at a steady rate in a shop that sends webhooks (the Shopify
 * simulator, subscribed with `bcbridge webhooks register`, as an operator does); `bcbridge run` receives,
 * exports and verifies them. Measured: placed (the shop answered the order's creation) → verified in BC,
 * with BC at 150 ms per request and its real limits.
 */
export const trickle: Scenario = {
  name: 'trickle',
  description: 'orders arrive one by one by webhook at a steady rate; placed → verified latency (BC 150 ms)',
  async run(o: ScenarioOptions): Promise<BenchResult[]> {
    const orders = o.orders ?? (o.smoke ? 10 : 120);
    const perSecond = 2;
    const latencyMs = 150;
    const database = o.databases?.[0] ?? 'sqlite';
    const startedAt = new Date().toISOString();
    const db = await createBenchDatabase(database, o.pgAdminUrl);
    let sims: Sims | undefined;
    let watch: StoreWatch | undefined;
    let worker: Worker | undefined;
    try {
      watch = await StoreWatch.open(db.url);
      sims = await Sims.start({ latencyMs });
      const port = await freePort();
      const config = benchConfig({
        sim: sims.endpoints,
        databaseUrl: db.url,
        platform: PLATFORM,
        server: { port, publicUrl: `http://127.0.0.1:${port}` },
        // Webhooks drive the export; the poll (every minute, the default) is the backstop it is in production.
        schedule: { pull: '* * * * *', export: '* * * * *', verify: '* * * * *' },
      });
      const code = (config.shops as { code: string }[])[0]!.code;
      const configPath = writeBenchConfig(db.dir, config);
      const logPath = join(db.dir, 'worker.log');
      writeFileSync(logPath, '');
      worker = await Worker.start({ configPath, logPath, port, profileDir: o.profileDir });
      await bcbridgeCli(['--config', configPath, 'webhooks', 'register', '--shop', code]);
      o.progress(`trickle: bcbridge run receives webhooks at http://127.0.0.1:${port}/webhooks/${code}; placing ${orders} orders at ${perSecond}/s …`);

      const placed = new Map<string, number>();
      const t0 = Date.now();
      for (let i = 0; i < orders; i++) {
        const due = t0 + (i * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        const [id] = await sims.generate(1, 1, PLATFORM);
        placed.set(String(id), Date.now());
      }
      const states = await watch.waitFor((c) => settled(c) >= orders, { timeoutMs: 180_000 + orders * 1000 });
      const usage = worker.usage;
      await worker.stop();
      worker = undefined;

      const bc = await sims.bcStats();
      const keys: string[] = [];
      for (const id of placed.keys()) {
        const order = await sims.shopifyOrder(Number(id));
        keys.push(`SHOP-${order.name.replace(/^#+/, '').trim()}`.toUpperCase());
      }
      const eo = await countInBc(sims, keys);

      const latencies: number[] = [];
      let lastVerified = t0;
      for await (const page of watch.timings()) {
        for (const t of page) {
          const at = placed.get(t.shopOrderId);
          if (at === undefined || t.verifiedAt === null) continue;
          latencies.push(t.verifiedAt - at);
          lastVerified = Math.max(lastVerified, t.verifiedAt);
        }
      }
      const receivedBy = await firstIntakeActors(watch);
      const requests = await watch.bcRequestBreakdown(t0);
      const latency = percentiles(latencies);
      const seconds = Math.max(0.001, (lastVerified - t0) / 1000);
      return [
        {
          scenario: 'trickle',
          database,
          orders,
          seconds: round(seconds),
          ordersPerSecond: round(orders / seconds),
          ceilingOrdersPerSecond: null,
          ratioToCeiling: null,
          bcRequests: bc.operations,
          bcRequestsPerOrder: round(bc.operations / orders, 3),
          latencyMs: latency,
          latencyMeaning: 'order placed in the shop → verified in BC (webhook → receiver → trigger → export → read-back)',
          cpuSeconds: round(usage.cpuSeconds),
          cpuMsPerOrder: round((usage.cpuSeconds * 1000) / orders),
          peakRssMb: round(usage.peakRssMb, 1),
          duplicates: eo.duplicates,
          lost: eo.lost,
          strays: eo.strays,
          states,
          targets: [
            { name: 'latency p95', target: '≤ 5000 ms', measured: `${latency.p95 ?? '—'} ms`, met: latency.p95 !== null && latency.p95 <= 5000 },
            { name: 'duplicates', target: '0', measured: String(eo.duplicates), met: eo.duplicates === 0 },
            { name: 'lost', target: '0', measured: String(eo.lost), met: eo.lost === 0 },
          ],
          params: { platform: PLATFORM, ordersPerSecond: perSecond, latencyMs, smoke: o.smoke },
          details: {
            bcHttpRequests: bc.requests,
            verifiedWithLatency: latencies.length,
            receivedBy,
            bcByStatus: bc.byStatus,
            bcRequestsByKind: requests.byKind,
          },
          machine: machine(),
          startedAt,
        },
      ];
    } finally {
      await worker?.kill().catch(() => {});
      await watch?.close().catch(() => {});
      await sims?.stop().catch(() => {});
      if (o.keep) o.progress(`trickle: kept ${db.url} (config and worker.log in ${db.dir})`);
      else await db.drop().catch((err: unknown) => o.progress(`trickle: could not drop the benchmark database: ${(err as Error).message}`));
    }
  },
};

/** How each order first reached the store: by webhook (actor `webhook`) or by the poll (`scheduler`). */
async function firstIntakeActors(watch: StoreWatch): Promise<Record<string, number>> {
  const rows = await watch.store.db.kysely
    .selectFrom('order_events')
    .select(['actor', (eb) => eb.fn.countAll<number>().as('n')])
    .where('from_state', 'is', null)
    .groupBy('actor')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.actor, Number(r.n)]));
}
