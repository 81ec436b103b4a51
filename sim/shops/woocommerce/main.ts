/**
 * Standalone WooCommerce simulator:
 *   npx tsx sim/shops/woocommerce/main.ts --port 4020 --orders 50 [--seed 7] [--https] [--latency 50]
 *     [--key ck_demo --secret cs_demo] [--tz +01:00] [--every 5 --batch 3] [--unknown-sku 0.05]
 * `--every N` adds `--batch` new orders every N seconds (a live shop); Ctrl-C stops.
 */
import { parseArgs } from 'node:util';
import { startWooSim } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    orders: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    https: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
    key: { type: 'string', default: 'ck_demo' },
    secret: { type: 'string', default: 'cs_demo' },
    tz: { type: 'string', default: '+01:00' },
    every: { type: 'string', default: '0' },
    batch: { type: 'string', default: '1' },
    'unknown-sku': { type: 'string', default: '0' },
  },
});

const genOpts = { unknownSkuShare: Number(values['unknown-sku']) };
const sim = await startWooSim({
  initialOrders: Number(values.orders),
  initialOptions: genOpts,
  port: Number(values.port),
  seed: Number(values.seed),
  assumeHttps: values.https,
  latencyMs: Number(values.latency),
  consumerKey: values.key,
  consumerSecret: values.secret,
  siteTimezone: values.tz,
});

console.log(`WooCommerce simulator at ${sim.url} (site ${sim.siteUrl}, time zone ${values.tz})`);
console.log(`  API        ${sim.url}/wp-json/wc/v3/orders   key ${sim.consumerKey} / secret ${sim.consumerSecret}`);
console.log(`  auth       ${values.https ? 'Basic, query keys or OAuth 1.0a (signed as https)' : 'OAuth 1.0a only (plain http: Basic is refused, like a real shop)'}`);
console.log(`  orders     ${sim.orders().length}`);
console.log(`  control    POST ${sim.url}/_sim/generate {"n":10}, GET /_sim/orders, POST /_sim/faults, GET /_sim/stats`);

const every = Number(values.every);
let timer: NodeJS.Timeout | undefined;
if (every > 0) timer = setInterval(() => sim.generate(Number(values.batch), genOpts), every * 1000);

const stop = async () => {
  if (timer) clearInterval(timer);
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
