import { z } from 'zod';
import { woocommerceShopSchema } from '../shops/woocommerce/config.js';
import { bigcommerceShopSchema } from '../shops/bigcommerce/config.js';
import { magentoShopSchema } from '../shops/magento/config.js';
import { shopifyShopSchema } from '../shops/shopify/config.js';
import { bcEnvironmentSchema } from './bc-environment.js';
import { httpUrl } from './common.js';
import type { shopMappingSchema, shopRulesSchema } from './shop-rules.js';

/**
 * The one configuration schema (DESIGN.md conventions). Secrets are never written in the file itself:
 * a value `${NAME}` is read from the environment variable NAME when the file is loaded (load.ts).
 */

const cronExpr = z.string().min(1, 'must be a cron expression such as "* * * * *"');

export { bcEnvironmentSchema };


/**
 * The control panel (docs/panel.md). Login with `hashedPassword` (from `bcbridge panel hash-password`) or
 * `password` given as ${PANEL_PASSWORD}, or with an API token; without any of them nobody can log in.
 */
export const panelSchema = z
  .object({
    /** Shown in the panel and recorded as the actor of panel actions (`panel:<user>`). */
    user: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1-40 letters, digits, dots, dashes or underscores').default('admin'),
    /** scrypt hash printed by `bcbridge panel hash-password`: the password itself is never stored. */
    hashedPassword: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/, 'must be a hash printed by `bcbridge panel hash-password`').optional(),
    /** The password in clear, only ever as ${PANEL_PASSWORD} (read from the environment). */
    password: z.string().min(8, 'must be at least 8 characters').optional(),
    /** API tokens for scripts (`Authorization: Bearer …`); each as ${ENV} or as `sha256$<hex>` (`bcbridge panel new-token`). */
    tokens: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1-40 letters, digits, dots, dashes or underscores'),
            token: z.string().min(24, 'must be at least 24 characters').optional(),
            hashedToken: z.string().regex(/^sha256\$[0-9a-f]{64}$/, 'must be "sha256$" and 64 hex digits (`bcbridge panel new-token`)').optional(),
          })
          .refine((t) => (t.token === undefined) !== (t.hashedToken === undefined), { message: 'give exactly one of token and hashedToken' }),
      )
      .default([]),
    /** Signs session cookies; from ${PANEL_SESSION_SECRET}, else generated once and kept in the database. */
    sessionSecret: z.string().min(32, 'must be at least 32 characters').optional(),
    sessionHours: z.number().positive().max(720).default(12),
  });

/** One entry per platform; each connector folder owns its schema (shops/<platform>/config.ts). */
export const shopSchema = z.discriminatedUnion('platform', [woocommerceShopSchema, bigcommerceShopSchema, magentoShopSchema, shopifyShopSchema]);

export const configSchema = z
  .object({
    database: z
      .object({
        /** A file path for SQLite, or postgres://… */
        url: z.string().min(1).default('./data/bcbridge.db'),
      })
      .default({ url: './data/bcbridge.db' }),
    bc: z.object({
      /** The environment used for new exports until switched with `bcbridge env`. */
      active: z.enum(['live', 'test']).default('test'),
      live: bcEnvironmentSchema.optional(),
      test: bcEnvironmentSchema.optional(),
    }),
    shops: z.array(shopSchema).min(1, 'must list at least one shop'),
    schedule: z
      .object({
        pull: cronExpr.default('* * * * *'),
        export: cronExpr.default('* * * * *'),
        verify: cronExpr.default('* * * * *'),
      })
      .default({ pull: '* * * * *', export: '* * * * *', verify: '* * * * *' }),
    pipeline: z
      .object({
        /** Orders claimed per export round. */
        batchSize: z.number().int().min(1).max(1000).default(100),
        /** A claim expires after this long; must exceed BC's request timeout. */
        leaseSeconds: z.number().int().min(30).default(300),
        maxAttempts: z.number().int().min(1).max(50).default(8),
        backoffBaseSeconds: z.number().positive().default(10),
        backoffMaxSeconds: z.number().positive().default(3600),
      })
      .default({ batchSize: 100, leaseSeconds: 300, maxAttempts: 8, backoffBaseSeconds: 10, backoffMaxSeconds: 3600 }),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
        /** Keep request/response bodies in the request log (secrets are still redacted). */
        requestBodies: z.boolean().default(false),
        retentionDays: z.number().int().min(1).default(14),
      })
      .default({ level: 'info', requestBodies: false, retentionDays: 14 }),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The address shops reach this server at (https://bcbridge.example.com); `webhooks register` points shops at <publicUrl>/webhooks/<shop code>. */
        publicUrl: httpUrl.optional(),
        /** Largest webhook body accepted (bytes); a Shopify order with hundreds of lines is a few hundred kB. */
        webhookMaxBytes: z.number().int().min(1024).max(50_000_000).default(5_000_000),
      })
      .default({ host: '127.0.0.1', port: 8080, webhookMaxBytes: 5_000_000 }),
    panel: panelSchema.default({ user: 'admin', tokens: [], sessionHours: 12 }),
  })
  .superRefine((cfg, ctx) => {
    const env = cfg.bc[cfg.bc.active];
    if (!env) ctx.addIssue({ code: 'custom', path: ['bc', cfg.bc.active], message: `is missing but bc.active is "${cfg.bc.active}"` });
    const seen = new Set<string>();
    cfg.shops.forEach((shop, i) => {
      if (seen.has(shop.code)) ctx.addIssue({ code: 'custom', path: ['shops', i, 'code'], message: `"${shop.code}" is used by two shops` });
      seen.add(shop.code);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type ShopConfig = z.infer<typeof shopSchema>;
export type PanelConfig = z.infer<typeof panelSchema>;
export type BcEnvironmentConfig = z.infer<typeof bcEnvironmentSchema>;
export type EnvironmentKey = 'live' | 'test';
export type ShopRules = z.infer<typeof shopRulesSchema>;
export type ShopMapping = z.infer<typeof shopMappingSchema>;
