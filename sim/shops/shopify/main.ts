/**
 * Standalone Shopify simulator:
 *   npx tsx sim/shops/shopify/main.ts --port 4030 --orders 20 [--seed 1] [--token shpat_demo]
 *     [--secret shpss_demo] [--restore-rate 100] [--bucket 2000] [--net-prices] [--latency 0]
 *     [--webhook http://127.0.0.1:8080/webhooks/shop]
 */
import { parseArgs } from 'node:util';
import { startShopifySim } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4030' },
    orders: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    token: { type: 'string', default: 'shpat_demo' },
    secret: { type: 'string', default: 'shpss_demo' },
    'restore-rate': { type: 'string', default: '100' },
    bucket: { type: 'string', default: '2000' },
    'net-prices': { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
    webhook: { type: 'string' },
  },
});

const sim = await startShopifySim({
  port: Number(values.port),
  seed: Number(values.seed),
  accessToken: values.token,
  apiSecret: values.secret,
  restoreRate: Number(values['restore-rate']),
  maximumAvailable: Number(values.bucket),
  taxesIncluded: !values['net-prices'],
  latencyMs: Number(values.latency),
  initialOrders: Number(values.orders),
});
if (values.webhook) for (const topic of ['ORDERS_CREATE', 'ORDERS_UPDATED', 'ORDERS_CANCELLED']) sim.webhooks.subscribe(topic, values.webhook);

console.log(`Shopify simulator at ${sim.url} (shop ${sim.shopDomain})`);
console.log(`  GraphQL    POST ${sim.graphqlUrl()}   X-Shopify-Access-Token: ${sim.accessToken}`);
console.log(`  webhooks   signed with the app secret ${sim.apiSecret}${values.webhook ? `, delivered to ${values.webhook}` : ''}`);
console.log(`  orders     ${sim.orders().length}`);
console.log(`  control    POST ${sim.url}/_sim/generate {"n":10}, GET /_sim/webhooks, POST /_sim/bucket, GET /_sim/stats`);

const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
