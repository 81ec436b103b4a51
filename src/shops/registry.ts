import type { ShopConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import type { RequestLogSink } from '../http/request-log.js';
import type { ShopConnector } from './connector.js';
import { createWooCommerceConnector } from './woocommerce/connector.js';
import { createBigCommerceConnector } from './bigcommerce/connector.js';
import { createMagentoConnector } from './magento/connector.js';
import { createShopifyConnector } from './shopify/connector.js';

export interface ConnectorDeps {
  clock: Clock;
  requestLog: RequestLogSink;
}

type Factory = (config: ShopConfig, deps: ConnectorDeps) => ShopConnector;
/** Each factory receives its own platform's config (narrowed from the union by `platform`). */
type Factories = { [P in ShopConfig['platform']]: (config: Extract<ShopConfig, { platform: P }>, deps: ConnectorDeps) => ShopConnector };

/** Platform → connector factory. Adding a platform adds a line here and a folder beside this file. */
const FACTORIES: Factories = {
  woocommerce: (config, deps) => createWooCommerceConnector(config, deps),
  bigcommerce: (config, deps) => createBigCommerceConnector(config, deps),
  magento: (config, deps) => createMagentoConnector(config, deps),
  shopify: (config, deps) => createShopifyConnector(config, deps),
};

export const PLATFORMS = Object.keys(FACTORIES) as ShopConfig['platform'][];

export function createConnector(config: ShopConfig, deps: ConnectorDeps): ShopConnector {
  return (FACTORIES[config.platform] as Factory)(config, deps);
}
