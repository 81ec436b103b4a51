import { z } from 'zod';
import { httpUrl } from '../../config/common.js';
import { shopBaseSchema, shopRulesSchema } from '../../config/shop-rules.js';

/**
 * Shopify has no single order status: the canonical status is the financial status in lower case
 * (`paid`, `pending`, `partially_refunded` …) or `cancelled` (docs/shopify.md), so its rules default to those.
 */
export const shopifyRulesSchema = shopRulesSchema.extend({
  exportStatuses: z.array(z.string().min(1)).min(1).default(['paid', 'partially_refunded']),
  ignoreStatuses: z.array(z.string().min(1)).default(['cancelled', 'refunded', 'voided', 'expired']),
});

/** A Shopify shop in the config file (docs/shopify.md). */
export const shopifyShopSchema = shopBaseSchema.extend({
  platform: z.literal('shopify'),
  /** The shop's admin address, e.g. https://acme.myshopify.com. */
  url: httpUrl,
  /** Admin API access token of the custom app (shpat_…), with read_orders (and read_all_orders for older orders). */
  accessToken: z.string().min(1),
  /** Admin API version, quarterly `YYYY-MM`. */
  apiVersion: z.string().regex(/^(\d{4}-(01|04|07|10)|unstable)$/, 'must be a Shopify API version such as 2025-10').default('2025-10'),
  /** The app's client secret (API secret key): Shopify signs webhooks with it. Needed only for webhooks. */
  webhookSecret: z.string().min(1).optional(),
  /** The shop's myshopify.com domain, checked against X-Shopify-Shop-Domain; default: the url's host when it is one. */
  shopDomain: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/i, 'must be a domain such as acme.myshopify.com').optional(),
  /** Which amounts become the BC order: the shop's currency, or the currency the buyer paid in. */
  currency: z.enum(['shop', 'presentment']).default('shop'),
  /** Orders per request at most; bcbridge lowers it when Shopify says a page would cost too much. */
  pageSize: z.number().int().min(1).max(250).default(50),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Longest single wait for the cost bucket before giving up a request (ms). */
  maxThrottleWaitMs: z.number().int().positive().default(60_000),
  rules: shopifyRulesSchema.default(shopifyRulesSchema.parse({})),
});

export type ShopifyShopConfig = z.infer<typeof shopifyShopSchema>;
