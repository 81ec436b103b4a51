/** Standalone Magento simulator: `npx tsx sim/shops/magento/main.ts --port 4040 --orders 50 [--bearer]`. */
import { parseArgs } from 'node:util';
import { startMagentoSim } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    orders: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    bearer: { type: 'boolean', default: false },
    latency: { type: 'string', default: '0' },
  },
});
const sim = await startMagentoSim({ port: Number(values.port), seed: Number(values.seed), bearerAllowed: values.bearer, latencyMs: Number(values.latency) });
const n = Number(values.orders);
if (n > 0) sim.generate(n);
const i = sim.integration;
process.stdout.write(
  `Magento 2 simulator: ${sim.url}/rest/V1/orders\n` +
  `  integration: consumer key ${i.consumerKey} / secret ${i.consumerSecret}, access token ${i.accessToken} / secret ${i.accessTokenSecret}\n` +
  `  Bearer tokens ${values.bearer ? 'allowed' : 'refused (2.4.4+ default; sign with OAuth 1.0a)'}; ${n} order(s); POST ${sim.url}/_sim/generate {"n":10} for more. Ctrl-C to stop.\n`,
);
const stop = async () => {
  await sim.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
