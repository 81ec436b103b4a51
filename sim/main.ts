/**
 * Runs the BC simulator and the WooCommerce simulator together, standalone (`bcbridge sim`, the demo and
 * the benchmark start it as a separate process). With --json the first stdout line is
 * {"bc":{url,tokenUrl,tenant},"shops":{"woocommerce":{url}, …}} so a parent process can find them.
 */
import { parseArgs } from 'node:util';
import { startBcSim } from './bc/server.js';
import { startWooSim } from './shops/woocommerce/server.js';
import { startBigCommerceSim } from './shops/bigcommerce/server.js';
import { startMagentoSim } from './shops/magento/server.js';
import { startShopifySim } from './shops/shopify/server.js';

const { values } = parseArgs({
  options: {
    'bc-port': { type: 'string', default: '0' },
    'woo-port': { type: 'string', default: '0' },
    latency: { type: 'string', default: '0' },
    'time-scale': { type: 'string', default: '1' },
    'no-limits': { type: 'boolean', default: false },
    // The benchmark scales BC's 6,000-per-5-minutes budget down with the window (same rate, smaller burst).
    'per-window': { type: 'string' },
    concurrent: { type: 'string' },
    'woo-latency': { type: 'string', default: '0' },
    // BigCommerce requests per 30 s window for the whole store: 450 is the Pro plan (Standard/Plus: 150); 0 = unlimited.
    'bigcommerce-quota': { type: 'string', default: '450' },
    'bigcommerce-port': { type: 'string', default: '0' },
    'magento-port': { type: 'string', default: '0' },
    // Points per second the Shopify cost bucket refills: 100 is the Standard plan (Advanced 200, Plus 1000).
    'shopify-restore-rate': { type: 'string', default: '100' },
    orders: { type: 'string', default: '0' },
    // How long the SOAP staging processor waits before a complete set becomes a sales order (default 1–5 min, seed 000).
    'soap-delay-ms': { type: 'string' },
    // With --soap-delay-ms: each set waits a random time between the two (seed 000's "1–5 minutes").
    'soap-delay-max-ms': { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'exit-with-parent': { type: 'boolean', default: false },
  },
});

const bc = await startBcSim({
  port: Number(values['bc-port']),
  latencyMs: Number(values.latency),
  timeScale: Number(values['time-scale']),
  soap:
    values['soap-delay-ms'] !== undefined
      ? { processDelayMs: values['soap-delay-max-ms'] !== undefined ? [Number(values['soap-delay-ms']), Number(values['soap-delay-max-ms'])] : Number(values['soap-delay-ms']) }
      : undefined,
  limits: values['no-limits']
    ? false
    : {
        perWindow: values['per-window'] ? Number(values['per-window']) : undefined,
        concurrent: values.concurrent ? Number(values.concurrent) : undefined,
      },
});
const woo = await startWooSim({ port: Number(values['woo-port']), seed: Number(values.seed), latencyMs: Number(values['woo-latency']) });
const bigcommerce = await startBigCommerceSim({ port: Number(values['bigcommerce-port']), seed: Number(values.seed), quota: Number(values['bigcommerce-quota']) > 0 ? Number(values['bigcommerce-quota']) : false });
const magento = await startMagentoSim({ port: Number(values['magento-port']), seed: Number(values.seed) });
const shopify = await startShopifySim({ seed: Number(values.seed), restoreRate: Number(values['shopify-restore-rate']) });
const n = Number(values.orders);
if (n > 0) woo.generate(n, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
if (n > 0) bigcommerce.generate(n, { unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['awaiting-fulfillment'] });
if (n > 0) magento.generate(n, { unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['processing'] });

/** Every shop simulator, by platform: each serves POST /_sim/generate {n, ...} for its own orders. */
const shops: Record<string, { url: string; close(): Promise<void> }> = {
  woocommerce: woo,
  bigcommerce,
  magento,
  shopify,
};

if (values.json) {
  const shopUrls = Object.fromEntries(Object.entries(shops).map(([platform, sim]) => [platform, { url: sim.url }]));
  process.stdout.write(JSON.stringify({ bc: { url: bc.url, tokenUrl: bc.tokenUrl, tenant: bc.tenant }, shops: shopUrls }) + '\n');
} else {
  process.stdout.write(
    [
      `BC API v2.0 simulator:   ${bc.apiBase('production')}  (sandbox: ${bc.apiBase('sandbox')})`,
      `  token endpoint:        ${bc.tokenUrl}   client bcbridge-demo / demo-secret`,
      `WooCommerce simulator:   ${woo.url}/wp-json/wc/v3   consumer key ck_demo / cs_demo (OAuth 1.0a over http)`,
      `  ${n} order(s) generated; POST ${woo.url}/_sim/generate {"n":10} for more`,
      `BigCommerce simulator:   ${bigcommerce.url}/stores/${bigcommerce.storeHash}/v2/orders   X-Auth-Token ${bigcommerce.accessToken}`,
      `Magento 2 simulator:     ${magento.url}/rest/V1/orders   integration access token ${magento.integration.accessToken} (OAuth 1.0a; see sim/shops/magento/README.md)`,
      `Shopify simulator:       ${shopify.graphqlUrl()}   X-Shopify-Access-Token ${shopify.accessToken}, webhooks signed with ${shopify.apiSecret}`,
      'Ctrl-C to stop.',
    ].join('\n') + '\n',
  );
}

const stop = async () => {
  await Promise.allSettled([bc.close(), ...Object.values(shops).map((sim) => sim.close())]);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
if (values['exit-with-parent']) {
  // The parent holds our stdin open; when it goes away (even killed), so do we: no lingering simulators.
  process.stdin.on('end', stop);
  process.stdin.resume();
}
