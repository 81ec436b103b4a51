import { startBcSim, type BcSim, type BcSimOptions } from '../../sim/bc/server.js';
import { startWooSim, type WooSim, type WooSimOptions } from '../../sim/shops/woocommerce/server.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.js';
import type { Store } from '../../src/store/store.js';

/** Both simulators over real HTTP on 127.0.0.1, and a config pointing bcbridge at them. */
export interface World {
  bc: BcSim;
  woo: WooSim;
  config(overrides?: Record<string, unknown>): Config;
  runtime(store: Store, opts?: { workerId?: string; overrides?: Record<string, unknown> }): Promise<Runtime>;
  close(): Promise<void>;
}

export function rawConfig(bc: BcSim, woo: WooSim, dbUrl = ':memory:'): Record<string, any> {
  return {
    database: { url: dbUrl },
    bc: {
      active: 'test',
      test: { name: 'sandbox', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4 },
      live: { name: 'production', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4 },
    },
    shops: [
      {
        code: 'woo',
        platform: 'woocommerce',
        url: woo.url,
        consumerKey: 'ck_demo',
        consumerSecret: 'cs_demo',
        orderKeyPrefix: 'WOO-',
        rules: { exportStatuses: ['processing', 'completed'], requirePaid: true, recheckMinutes: 0.001 },
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' }, localCurrency: 'EUR' },
      },
    ],
    // Fast retries so fault tests finish in seconds.
    pipeline: { batchSize: 50, leaseSeconds: 30, maxAttempts: 6, backoffBaseSeconds: 0.05, backoffMaxSeconds: 0.2 },
  };
}

function merge(base: any, over: any): any {
  if (!over || typeof over !== 'object' || Array.isArray(over)) return over ?? base;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base && base[k] && typeof base[k] === 'object' && !Array.isArray(base[k]) ? merge(base[k], v) : v;
  return out;
}

export async function startWorld(opts: { bc?: BcSimOptions; woo?: WooSimOptions } = {}): Promise<World> {
  const bc = await startBcSim({ ...opts.bc });
  const woo = await startWooSim({ seed: 7, ...opts.woo });
  const world: World = {
    bc,
    woo,
    config: (overrides) => parseConfig(merge(rawConfig(bc, woo), overrides ?? {}), {}),
    runtime: (store, o = {}) => createRuntime(world.config(o.overrides), { log: silentLogger, store, workerId: o.workerId }),
    async close() {
      await Promise.allSettled([bc.close(), woo.close()]);
    },
  };
  return world;
}

/**
 * A raw `soap` BC environment against the simulator (issue 4): the AutoShoppingCartImport page of `name`'s
 * company, OAuth like the API environments; verify polls every 50 ms so tests never wait BC's 30 s default.
 */
export function soapEnvironment(bc: BcSim, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, transport: 'soap', tenant: bc.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: bc.tokenUrl, baseUrl: bc.url, timeoutMs: 5000, maxRetries: 4, verifyPollSeconds: 0.05, ...extra };
}
