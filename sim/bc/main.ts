import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, startBcSim } from './server.js';

/**
 * Standalone BC simulator:
 *   npx tsx sim/bc/main.ts --port 4010 --latency 150 --time-scale 10
 * Options: --port N, --latency MS, --time-scale N, --tenant T, --env NAME (repeatable),
 *          --company NAME, --no-limits, --concurrent N, --per-window N.
 * Control it from another process under /_sim/ (stats, sales-orders, faults, reset, info).
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    latency: { type: 'string', default: '0' },
    'time-scale': { type: 'string', default: '1' },
    tenant: { type: 'string' },
    env: { type: 'string', multiple: true },
    company: { type: 'string' },
    'no-limits': { type: 'boolean', default: false },
    concurrent: { type: 'string' },
    'per-window': { type: 'string' },
  },
});

const sim = await startBcSim({
  port: Number(values.port),
  latencyMs: Number(values.latency),
  timeScale: Number(values['time-scale']),
  tenant: values.tenant,
  environments: values.env?.length ? values.env : undefined,
  companyName: values.company,
  limits: values['no-limits']
    ? false
    : {
        concurrent: values.concurrent ? Number(values.concurrent) : undefined,
        perWindow: values['per-window'] ? Number(values['per-window']) : undefined,
      },
});

const envs = values.env?.length ? values.env : ['production', 'sandbox'];
console.log(`BC simulator listening on ${sim.url}`);
console.log(`  token endpoint : ${sim.tokenUrl}`);
console.log(`  client         : ${DEFAULT_CLIENT.clientId} / ${DEFAULT_CLIENT.clientSecret}`);
console.log(`  scope          : https://api.businesscentral.dynamics.com/.default`);
for (const e of envs) {
  console.log(`  ${e.padEnd(14)} : ${sim.apiBase(e)}/companies(${sim.companyId(e)})`);
}
console.log(`  admin          : ${sim.url}/_sim/stats | /_sim/info | /_sim/sales-orders?env=… | POST /_sim/faults | POST /_sim/reset`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
