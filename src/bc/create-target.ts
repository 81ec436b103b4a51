import { ConfigError } from '../domain/errors.js';
import type { BcApiConfig, BcApiDeps } from './api/config.js';
import { createApiTarget } from './api/target.js';
import type { BcSoapConfig, BcSoapDeps } from './soap/config.js';
import { createSoapTarget } from './soap/target.js';
import type { BcTarget } from './target.js';

/** An environment's config as the schema produces it (config/bc-environment.ts), by transport. */
export type BcEnvironmentConfig = BcApiConfig | BcSoapConfig;

export type BcTargetDeps = BcApiDeps & BcSoapDeps;

/** The BC target for one environment, chosen by its transport (DESIGN.md §3: transports behind one interface). */
export function createBcTarget(envConfig: BcEnvironmentConfig, deps: BcTargetDeps): BcTarget {
  switch (envConfig.transport) {
    case 'api':
      return createApiTarget(envConfig, deps);
    case 'soap':
      return createSoapTarget(envConfig, deps);
    default: {
      const t: unknown = (envConfig as { transport?: unknown }).transport;
      throw new ConfigError([`bc.environments.${(envConfig as { name?: string }).name ?? '?'}.transport: unknown transport '${String(t)}' (expected 'api' or 'soap')`]);
    }
  }
}
