import { z } from 'zod';
import { httpUrl } from '../../config/common.js';
import { shopBaseSchema, shopRulesSchema } from '../../config/shop-rules.js';

/** Magento order statuses (the merchant-facing `status`, lower case as Magento sends it). */
export const MAGENTO_EXPORT_STATUSES = ['processing', 'complete'];
export const MAGENTO_IGNORE_STATUSES = ['canceled', 'closed'];

const magentoRulesSchema = shopRulesSchema.extend({
  exportStatuses: z.array(z.string().min(1)).min(1).default(MAGENTO_EXPORT_STATUSES),
  ignoreStatuses: z.array(z.string().min(1)).default(MAGENTO_IGNORE_STATUSES),
});

/**
 * A Magento 2 / Adobe Commerce store in the config file (docs/magento.md). Credentials are those of an
 * integration (System › Extensions › Integrations). Magento 2.4.4+ refuses its access token as a
 * plain Bearer token unless the merchant allows it, so with all four values bcbridge signs every
 * request with OAuth 1.0a instead.
 */
export const magentoShopSchema = shopBaseSchema
  .extend({
    platform: z.literal('magento'),
    /** Store base URL, e.g. https://shop.example.com (the REST API is {url}/rest/{storeCode}/V1). */
    url: httpUrl,
    /** Store view code in the REST path (`default`, `all`); left out by default. */
    storeCode: z.string().regex(/^[a-z0-9_]+$/i, 'must be a store view code such as "default" or "all"').optional(),
    /** 'auto': OAuth 1.0a when consumerKey, consumerSecret and accessTokenSecret are set, else Bearer. */
    authMode: z.enum(['auto', 'bearer', 'oauth1']).default('auto'),
    accessToken: z.string().min(1),
    consumerKey: z.string().min(1).optional(),
    consumerSecret: z.string().min(1).optional(),
    accessTokenSecret: z.string().min(1).optional(),
    signatureMethod: z.enum(['HMAC-SHA256', 'HMAC-SHA1']).default('HMAC-SHA256'),
    /** Orders per request; Magento caps pages at 300 when input limiting is on. */
    pageSize: z.number().int().min(1).max(300).default(100),
    timeoutMs: z.number().int().positive().default(30_000),
    rules: magentoRulesSchema.default(magentoRulesSchema.parse({})),
    /**
     * Multi-Source Inventory: the Magento source a write-back shipment is deducted from, by the BC location code
     * the order was created with (mapping.locationCode, or its customer template's); `"*"` for any other
     * location and for orders without one. Empty: no source is named, and Magento uses its default source.
     */
    msiSources: z.record(z.string().min(1), z.string().regex(/^\S+$/, 'must be a Magento source code (no spaces)')).default({}),
  })
  .superRefine((shop, ctx) => {
    const byLocation = Object.keys(shop.msiSources).filter((k) => k !== '*').map((k) => k.toUpperCase());
    const twice = byLocation.find((k, i) => byLocation.indexOf(k) !== i);
    // BC location codes are upper case (the BC document stores them so): "East" and "EAST" would be the same location.
    if (twice) ctx.addIssue({ code: 'custom', path: ['msiSources'], message: `names BC location ${twice} twice (location codes are not case-sensitive)` });
    if (shop.authMode !== 'oauth1') return;
    for (const key of ['consumerKey', 'consumerSecret', 'accessTokenSecret'] as const) {
      if (!shop[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required with authMode "oauth1" (the integration shows it under Integration Details)' });
    }
  });

export type MagentoShopConfig = z.infer<typeof magentoShopSchema>;
