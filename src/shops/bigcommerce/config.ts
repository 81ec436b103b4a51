import { z } from 'zod';
import { httpUrl } from '../../config/common.js';
import { shopBaseSchema, shopRulesSchema, writeBackSchema } from '../../config/shop-rules.js';

/**
 * BigCommerce statuses are compared as slugs of the system status (statuses.ts), so a merchant's
 * custom label ("Ready to pack") or a translated one does not change what is exported.
 */
export const BIGCOMMERCE_EXPORT_STATUSES = ['awaiting-fulfillment', 'awaiting-shipment', 'awaiting-pickup', 'partially-shipped', 'shipped', 'completed'];
export const BIGCOMMERCE_IGNORE_STATUSES = ['incomplete', 'cancelled', 'declined', 'refunded', 'disputed'];

const bigcommerceRulesSchema = shopRulesSchema.extend({
  exportStatuses: z.array(z.string().min(1)).min(1).default(BIGCOMMERCE_EXPORT_STATUSES),
  ignoreStatuses: z.array(z.string().min(1)).default(BIGCOMMERCE_IGNORE_STATUSES),
});

/**
 * BigCommerce moves an order to Shipped by itself once every product has a shipment, so that is the status a
 * fully shipped order should end in; `completed` (or any status name, id or custom label) moves it on from there.
 */
const bigcommerceWriteBackSchema = writeBackSchema.extend({
  completeStatus: z.string().min(1).default('shipped'),
});

/** A BigCommerce store in the config file (docs/bigcommerce.md). */
export const bigcommerceShopSchema = shopBaseSchema.extend({
  platform: z.literal('bigcommerce'),
  /** The part after /stores/ in the API path (Settings › API › API accounts shows it). */
  storeHash: z.string().regex(/^[a-z0-9]{1,40}$/i, 'must be the store hash: letters and digits, as in api.bigcommerce.com/stores/{store_hash}'),
  /** Store-level API account token (X-Auth-Token), scope Orders read-only (modify for write-back). */
  accessToken: z.string().min(1),
  /** API host; only changed for a proxy or the simulator. */
  apiUrl: httpUrl.default('https://api.bigcommerce.com'),
  /** Orders per list request (BigCommerce allows up to 250). */
  pageSize: z.number().int().min(1).max(250).default(100),
  timeoutMs: z.number().int().positive().default(30_000),
  /** Also read /taxes for every order (one more request per order) to record each line's tax rate. */
  fetchTaxes: z.boolean().default(false),
  /** App client secret: webhooks signed per Standard Webhooks (webhook-signature) are checked with it. */
  webhookClientSecret: z.string().min(1).optional(),
  /** Shared secret sent in a custom header of the hook (older hooks): `{name, value}`. */
  webhookHeaderSecret: z.object({ name: z.string().min(1), value: z.string().min(1) }).optional(),
  rules: bigcommerceRulesSchema.default(bigcommerceRulesSchema.parse({})),
  writeBack: bigcommerceWriteBackSchema.default(bigcommerceWriteBackSchema.parse({})),
});

export type BigCommerceShopConfig = z.infer<typeof bigcommerceShopSchema>;
