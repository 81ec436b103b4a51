import { PLATFORMS } from '../../../src/shops/registry.js';
import type { PlatformDriver } from '../driver.js';
import { bigcommerceDriver } from './bigcommerce.js';
import { magentoDriver } from './magento.js';
import { shopifyDriver } from './shopify.js';
import { woocommerceDriver } from './woocommerce.js';

const ALL: PlatformDriver[] = [woocommerceDriver, shopifyDriver, bigcommerceDriver, magentoDriver];

/** Every platform the registry knows must have a driver here: a new platform cannot skip the suite. */
export const DRIVERS: PlatformDriver[] = ALL.filter((d) => (PLATFORMS as string[]).includes(d.platform));

export const MISSING_DRIVERS: string[] = (PLATFORMS as string[]).filter((p) => !ALL.some((d) => d.platform === p));
