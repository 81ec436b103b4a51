import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { DEMO_SHOPS } from '../../src/cli/demo/shops.js';
import type { SimEndpoints } from '../../src/cli/sim-process.js';
import { parseConfig } from '../../src/config/load.js';

/** Every second: the benchmark measures the pipeline, not how long a worker idles between cron ticks. */
export const EVERY_SECOND = '* * * * * *';

export interface BenchConfigOptions {
  sim: SimEndpoints;
  databaseUrl: string;
  /** Extra keys of bc.test (limits, timeouts, retries). */
  bc?: Record<string, unknown>;
  /** Extra keys of pipeline. */
  pipeline?: Record<string, unknown>;
  schedule?: { pull?: string; export?: string; verify?: string };
  /** The demo shop of this platform (default woocommerce). */
  platform?: string;
  /** Extra keys of the shop entry. */
  shop?: Record<string, unknown>;
  /** Extra keys of `server` (port, publicUrl for webhooks). */
  server?: Record<string, unknown>;
}

/**
 * The config a benchmark worker runs with: the demo's shop and BC sandbox (same simulators, same
 * mapping), plus the scenario's limits. Validated here with the real schema, so a scenario with a bad
 * setting fails before any process starts.
 */
export function benchConfig(o: BenchConfigOptions): Record<string, unknown> {
  const raw = {
    database: { url: o.databaseUrl },
    bc: {
      active: 'test',
      test: {
        name: 'sandbox',
        tenant: o.sim.bc.tenant,
        company: 'CRONUS Webshop',
        clientId: 'bcbridge-demo',
        clientSecret: 'demo-secret',
        tokenUrl: o.sim.bc.tokenUrl,
        baseUrl: o.sim.bc.url,
        ...o.bc,
      },
    },
    shops: [{ ...DEMO_SHOPS[o.platform ?? 'woocommerce']!.shop(o.sim), ...o.shop }],
    schedule: { pull: EVERY_SECOND, export: EVERY_SECOND, verify: EVERY_SECOND, ...o.schedule },
    pipeline: { backoffBaseSeconds: 1, backoffMaxSeconds: 10, ...o.pipeline },
    log: { level: 'warn' },
    server: { host: '127.0.0.1', port: 0, ...o.server },
  };
  parseConfig(raw, {});
  return raw;
}

/** Writes the config as YAML into `dir`; the credentials are the simulators' public demo values. */
export function writeBenchConfig(dir: string, config: Record<string, unknown>, name = 'bcbridge.yaml'): string {
  const path = join(dir, name);
  writeFileSync(path, stringifyYaml(config));
  return path;
}
