import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { createBcTarget } from '../bc/create-target.js';
import type { BcTarget } from '../bc/target.js';
import type { Config, EnvironmentKey } from '../config/schema.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { ConfigError } from '../domain/errors.js';
import type { RequestLogSink } from '../http/request-log.js';
import { createConnector } from '../shops/registry.js';
import type { ShopConnector } from '../shops/connector.js';
import { openStore, type Store } from '../store/store.js';
import { ACTIVE_ENV_SETTING, type PipelineContext } from './context.js';
import { MasterData } from './master-data.js';

export interface RuntimeOptions {
  clock?: Clock;
  log: Logger;
  /** Use an already open store (tests, demo). */
  store?: Store;
  /** Extra sink for request log entries (e.g. live panel). */
  requestLog?: RequestLogSink;
  workerId?: string;
}

export interface Runtime extends PipelineContext {
  close(): Promise<void>;
}

/** Builds the pipeline context from a validated config: store, connectors and BC targets, created lazily. */
export async function createRuntime(config: Config, opts: RuntimeOptions): Promise<Runtime> {
  const clock = opts.clock ?? systemClock;
  const store = opts.store ?? (await openStore(config.database.url, { keepBodies: config.log.requestBodies }));
  const ownsStore = !opts.store;
  const connectors = new Map<string, ShopConnector>();
  const targets = new Map<EnvironmentKey, BcTarget>();
  const masterData = new Map<EnvironmentKey, MasterData>();
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

  const ctx: Runtime = {
    config,
    store,
    clock,
    log: opts.log,
    workerId,
    shop(code) {
      const shop = config.shops.find((s) => s.code === code);
      if (!shop) throw new ConfigError([`shops: no shop with code "${code}" (known: ${config.shops.map((s) => s.code).join(', ')})`]);
      return shop;
    },
    connector(code) {
      let c = connectors.get(code);
      if (!c) {
        c = createConnector(ctx.shop(code), { clock, requestLog: store.requestLog });
        connectors.set(code, c);
      }
      return c;
    },
    target(env) {
      let t = targets.get(env);
      if (!t) {
        const envConfig = config.bc[env];
        if (!envConfig) throw new ConfigError([`bc.${env}: is not configured`]);
        t = createBcTarget(envConfig, { clock, requestLog: store.requestLog });
        targets.set(env, t);
      }
      return t;
    },
    masterData(env) {
      let m = masterData.get(env);
      if (!m) {
        m = new MasterData(ctx.target(env), clock);
        masterData.set(env, m);
      }
      return m;
    },
    async activeEnvironment() {
      const stored = await store.settings.get(ACTIVE_ENV_SETTING);
      return stored === 'live' || stored === 'test' ? stored : config.bc.active;
    },
    async close() {
      for (const t of targets.values()) await t.close();
      for (const c of connectors.values()) await c.close();
      if (ownsStore) await store.close();
      else await store.requestLog.flush();
    },
  };
  return ctx;
}
