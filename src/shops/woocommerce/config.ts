import { z } from 'zod';
import { httpUrl } from '../../config/common.js';
import { shopBaseSchema } from '../../config/shop-rules.js';

/** A WooCommerce shop in the config file (docs/configuration.md). */
export const woocommerceShopSchema = shopBaseSchema.extend({
  platform: z.literal('woocommerce'),
  url: httpUrl,
  consumerKey: z.string().min(1),
  consumerSecret: z.string().min(1),
  authMode: z.enum(['auto', 'basic', 'oauth1']).default('auto'),
  signatureMethod: z.enum(['HMAC-SHA256', 'HMAC-SHA1']).default('HMAC-SHA256'),
  pageSize: z.number().int().min(1).max(100).default(100),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Secret WooCommerce signs webhooks with; `bcbridge webhooks register` gives it to the shop (docs/webhooks.md). */
  webhookSecret: z.string().min(1).optional(),
});
