/**
 * A model of seed 000's export (shared/seeds/000: "Business Central Export"), run as its own process for the
 * `seed-baseline` benchmark row. Three cron jobs, each every `--interval-ms` (10 minutes in the seed, time-scaled
 * here), each skipping a tick while its previous run is still going:
 *
 * - Order Sync: downloads changed orders from the shop into the middleware (imported = 0);
 * - BC Insert: for each order with imported = 0, one after another, one SOAP `Create` per line on the
 *   AutoShoppingCartImport page, then imported = 1;
 * - BC Verify: for each order with imported = 1 and verified = 0, one after another, one SOAP `Read`; once BC
 *   reports the sales order no. (Completed), verified = 1.
 *
 * The wire work is bcbridge's own (its WooCommerce connector, mapping and SOAP page client), so the row
 * compares the *process* — cadence, sequence, one request per line — not two codebases. The mapping runs as a
 * dry run: the seed checked no master data (BC's job reported problems); bcbridge's rules still read the
 * customer and items once each (cached), a handful of requests that the row counts.
 *
 * When `--orders` orders are verified it prints one JSON line (per-order times and its own CPU/memory) and exits.
 */
import { parseArgs } from 'node:util';
import type { BcSalesOrderDocument } from '../../src/bc/document.js';
import { loadConfig } from '../../src/config/load.js';
import { errorMessage } from '../../src/domain/errors.js';
import { orderKey } from '../../src/domain/order.js';
import { createLogger } from '../../src/log/logger.js';
import { decide } from '../../src/pipeline/evaluate.js';
import { createRuntime } from '../../src/pipeline/runtime.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string' },
    'interval-ms': { type: 'string', default: '600000' },
    orders: { type: 'string' },
  },
});
if (!values.config || !values.orders) throw new Error('usage: seed-worker --config FILE --orders N [--interval-ms MS]');
const intervalMs = Number(values['interval-ms']);
const expected = Number(values.orders);

const config = loadConfig(values.config);
const rt = await createRuntime(config, { log: createLogger('warn'), workerId: 'seed-000' });
const shop = config.shops[0]!;
const env = config.bc.active;
const connector = rt.connector(shop.code);
const target = rt.target(env);
const md = rt.masterData(env);

interface Row {
  shopOrderId: string;
  key: string;
  raw: unknown;
  syncedAt: number;
  document?: BcSalesOrderDocument;
  importedAt?: number;
  verifiedAt?: number;
  salesOrderNo?: string;
  lastError?: string;
}
/** The middleware tables (the seed kept them in MySQL; their cost is not what this row measures). */
const rows = new Map<string, Row>();
let cursor: string | undefined;
let creates = 0;
let reads = 0;
const started = Date.now();

async function orderSync(): Promise<void> {
  let newest = cursor;
  for await (const page of connector.listChangedOrders(cursor)) {
    for (const raw of page) {
      const canonical = connector.toOrder(raw);
      if (rows.has(canonical.shopOrderId)) continue;
      rows.set(canonical.shopOrderId, { shopOrderId: canonical.shopOrderId, key: orderKey(shop.orderKeyPrefix, canonical.orderNumber), raw, syncedAt: Date.now() });
      if (canonical.modifiedAt && (!newest || canonical.modifiedAt > newest)) newest = canonical.modifiedAt;
    }
  }
  cursor = newest;
}

async function bcInsert(): Promise<void> {
  for (const row of rows.values()) {
    if (row.importedAt !== undefined) continue;
    try {
      if (!row.document) {
        const decision = await decide(connector.toOrder(row.raw), { shop, shopIndex: 0, orderKey: row.key, md, checksDone: 0, now: new Date(), dryRun: true });
        if (decision.kind !== 'ready') throw new Error(`not exportable: ${decision.kind}`);
        row.document = decision.document;
      }
      creates += row.document.lines.length;
      await target.create(row.document);
      row.importedAt = Date.now();
    } catch (err) {
      // The seed logs the error and tries again at the next run.
      row.lastError = errorMessage(err);
    }
  }
}

async function bcVerify(): Promise<void> {
  for (const row of rows.values()) {
    if (row.importedAt === undefined || row.verifiedAt !== undefined) continue;
    try {
      reads++;
      const snap = await target.read(row.key);
      if (snap?.complete && snap.number) {
        row.verifiedAt = Date.now();
        row.salesOrderNo = snap.number;
      }
    } catch (err) {
      row.lastError = errorMessage(err);
    }
  }
}

function cron(name: string, job: () => Promise<void>): NodeJS.Timeout {
  let running = false;
  const tick = () => {
    if (running) return; // the previous run still holds its lock: this tick is skipped
    running = true;
    job()
      .catch((err: unknown) => process.stderr.write(`${name} failed: ${errorMessage(err)}\n`))
      .finally(() => {
        running = false;
        check();
      });
  };
  tick();
  return setInterval(tick, intervalMs);
}

const timers = [cron('order sync', orderSync), cron('bc insert', bcInsert), cron('bc verify', bcVerify)];
process.stderr.write(`seed model running: every ${intervalMs} ms\n`);

let done = false;
function check(): void {
  if (done) return;
  const verified = [...rows.values()].filter((r) => r.verifiedAt !== undefined).length;
  if (verified < expected) return;
  done = true;
  for (const t of timers) clearInterval(t);
  const usage = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      started,
      creates,
      reads,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
      peakRssMb: usage.maxRSS / 1024,
      orders: [...rows.values()].map((r) => ({ shopOrderId: r.shopOrderId, key: r.key, syncedAt: r.syncedAt, importedAt: r.importedAt, verifiedAt: r.verifiedAt })),
    }) + '\n',
  );
  void rt.close().then(() => process.exit(0));
}
