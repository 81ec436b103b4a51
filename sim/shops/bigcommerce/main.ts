/** Standalone BigCommerce simulator: `npx tsx sim/shops/bigcommerce/main.ts --port 4030 --orders 50`. */
import { parseArgs } from 'node:util';
import { startBigCommerceSim } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    orders: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    quota: { type: 'string', default: '150' },
    latency: { type: 'string', default: '0' },
  },
});
const sim = await startBigCommerceSim({
  port: Number(values.port),
  seed: Number(values.seed),
  quota: values.quota === 'unlimited' ? false : Number(values.quota),
  latencyMs: Number(values.latency),
});
const n = Number(values.orders);
if (n > 0) sim.generate(n);
process.stdout.write(
  `BigCommerce simulator: ${sim.url}/stores/${sim.storeHash}/v2/orders   X-Auth-Token ${sim.accessToken}\n` +
  `  ${n} order(s); POST ${sim.url}/_sim/generate {"n":10} for more. Ctrl-C to stop.\n`,
);
const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
