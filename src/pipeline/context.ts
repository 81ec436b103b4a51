import type { Logger } from 'pino';
import type { BcTarget } from '../bc/target.js';
import type { Config, EnvironmentKey, ShopConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import type { ShopConnector } from '../shops/connector.js';
import type { Store } from '../store/store.js';
import type { MasterData } from './master-data.js';

/** What every stage needs, built once per process (cli/runtime.ts). */
export interface PipelineContext {
  config: Config;
  store: Store;
  clock: Clock;
  log: Logger;
  /** Identifies this process's leases. */
  workerId: string;
  connector(shop: string): ShopConnector;
  shop(code: string): ShopConfig;
  /** The BC target of an environment (created on first use, shared afterwards). */
  target(env: EnvironmentKey): BcTarget;
  masterData(env: EnvironmentKey): MasterData;
  /** The environment new exports go to (settings override the config). */
  activeEnvironment(): Promise<EnvironmentKey>;
}

export const ACTIVE_ENV_SETTING = 'bc.active';
