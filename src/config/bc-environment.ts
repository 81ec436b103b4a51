import { z } from 'zod';
import { httpUrl } from './common.js';

/**
 * One BC environment (`bc.live` / `bc.test`), reached by one of two transports (DESIGN.md §3):
 * `api` (BC API v2.0, the default) or `soap` (a page web service such as AutoShoppingCartImport,
 * docs/bc-soap-page.md). Each environment picks its own, so live can be SOAP on-premises while test is
 * an online sandbox.
 */

/** Settings every environment has, whatever its transport. */
const common = {
  /** Environment name as it appears in BC's URL, e.g. production, sandbox (on-premises: a label). */
  name: z.string().min(1),
  /** Company name or GUID (SOAP: the name, it is part of the URL). */
  company: z.string().min(1),
  timeoutMs: z.number().int().positive().default(60_000),
  maxInFlight: z.number().int().min(1).max(100).default(5),
  requestsPerWindow: z.number().int().positive().default(6000),
  windowMs: z.number().int().positive().default(300_000),
  maxRetries: z.number().int().min(0).max(20).default(5),
  /**
   * May the write-back stage update the shop for orders that went to this environment? Unset: yes for
   * live, no for test (pipeline/write-back-guard.ts), so a test run never changes a live shop by accident.
   */
  allowWriteBack: z.boolean().optional(),
  /**
   * While BC has not finished an exported order (SOAP staging records not processed yet), verify reads it
   * again at most this often…
   */
  verifyPollSeconds: z.number().positive().default(30),
  /** …and gives up (order → failed with the reason) this long after the export. */
  verifyGiveUpMinutes: z.number().positive().default(60),
  /**
   * BC webhooks (docs/webhooks.md "BC → bcbridge"): BC notifies `<server.publicUrl>/webhooks/bc/<live|test>`
   * when a sales order changes, and the write-back stage runs at once instead of at the next cycle. API
   * transport only; polling stays the backstop.
   */
  subscriptions: z
    .object({
      enabled: z.boolean().default(false),
      /** Shared secret BC sends back with every notification (≤ 2048 characters); use ${ENV}. */
      clientState: z.string().min(16, 'must be at least 16 characters (a random secret)').max(2048).optional(),
      /** Entity sets to subscribe to (BC has no webhooks for salesShipments). */
      resources: z.array(z.enum(['salesOrders', 'salesInvoices'])).min(1).default(['salesOrders', 'salesInvoices']),
      /** Renew a subscription (BC: 3 days) once less than this is left. */
      renewBeforeHours: z.number().positive().max(71).default(24),
    })
    .superRefine((s, ctx) => {
      if (s.enabled && !s.clientState) ctx.addIssue({ code: 'custom', path: ['clientState'], message: 'is required when subscriptions are enabled (a random secret, e.g. ${BC_WEBHOOK_CLIENT_STATE})' });
    })
    .optional(),
};

export const bcApiEnvironmentSchema = z.object({
  ...common,
  transport: z.literal('api').default('api'),
  tenant: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  tokenUrl: httpUrl.optional(),
  baseUrl: httpUrl.optional(),
  apiUrl: httpUrl.optional(),
  /**
   * Most sales orders created in one `$batch` while a backlog is exported (1 = one request per order; BC
   * allows 100 operations per batch). A single waiting order is always sent alone, so webhook latency is
   * unchanged. Each order still counts against BC's request limit.
   */
  maxCreatesPerBatch: z.number().int().min(1).max(100).default(20),
});

/** A page's web service name as published on BC's Web Services page; '' = not published. */
const soapServiceName = z.string().regex(/^[A-Za-z0-9_]*$/, 'must be a web service name (letters, digits, _) or ""').optional();

export const bcSoapEnvironmentSchema = z
  .object({
    ...common,
    transport: z.literal('soap'),
    /** `oauth`: Entra client credentials (BC online, on-premises with Entra); `basic`: user + web service access key. */
    auth: z.enum(['oauth', 'basic']).default('oauth'),
    tenant: z.string().min(1).optional(),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    tokenUrl: httpUrl.optional(),
    scope: z.string().min(1).optional(),
    username: z.string().min(1).optional(),
    /** The user's web service access key (NavUserPassword), or its password. */
    password: z.string().min(1).optional(),
    /** Online: BC host, default https://api.businesscentral.dynamics.com; SOAP lives at {baseUrl}/v2.0/{tenant}/{name}/WS. */
    baseUrl: httpUrl.optional(),
    /** The WS root, for on-premises: https://host:7047/{instance}/WS. Wins over baseUrl. */
    soapUrl: httpUrl.optional(),
    /** The staging page as published on BC's Web Services page. */
    service: z.string().regex(/^[A-Za-z0-9_]+$/, 'must be a web service name (letters, digits, _)').default('AutoShoppingCartImport'),
    /** The read-only page of posted shipment lines write-back reads (docs/bc-soap-page.md); '' = no write-back. */
    shipmentService: z.string().regex(/^[A-Za-z0-9_]*$/, 'must be a web service name or ""').default('AutoShoppingCartShipments'),
    /** Page services for the customer / item checks; '' skips the check (BC's processor then reports problems). */
    customerService: z.string().regex(/^[A-Za-z0-9_]*$/, 'must be a web service name or ""').default('Customer'),
    itemService: z.string().regex(/^[A-Za-z0-9_]*$/, 'must be a web service name or ""').default('Item'),
    /**
     * Standard pages published as SOAP web services for the order rules' master data (docs/bc-soap-page.md
     * "Master data"); each '' = not published. Unset keys use the defaults of src/bc/soap/config.ts;
     * `customer` / `item` win over customerService / itemService.
     */
    soapPages: z
      .object({
        customer: soapServiceName,
        item: soapServiceName,
        itemVariant: soapServiceName,
        shipmentMethod: soapServiceName,
        location: soapServiceName,
        dimensionValue: soapServiceName,
        customerTemplate: soapServiceName,
      })
      .strict()
      .optional(),
  })
  .superRefine((env, ctx) => {
    const need = (key: keyof typeof env, why: string) => {
      if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
    };
    if (env.auth !== 'basic') {
      need('tenant', 'for auth "oauth"');
      need('clientId', 'for auth "oauth"');
      need('clientSecret', 'for auth "oauth"');
    } else {
      need('username', 'for auth "basic"');
      need('password', 'for auth "basic" (the web service access key)');
    }
    if (env.soapUrl === undefined && env.auth !== 'oauth') need('tenant', 'unless soapUrl is set (the online URL contains the tenant)');
    if (env.subscriptions?.enabled) {
      ctx.addIssue({ code: 'custom', path: ['subscriptions', 'enabled'], message: 'BC webhooks need the api transport (API v2.0 subscriptions); a soap environment is polled' });
    }
    // Run even when other fields are already wrong, so every problem is reported in one go.
  }, { when: () => true });

export const bcEnvironmentSchema = z.discriminatedUnion('transport', [bcApiEnvironmentSchema, bcSoapEnvironmentSchema], {
  error: "transport must be 'api' or 'soap'",
});

export type BcEnvironmentSettings = z.infer<typeof bcEnvironmentSchema>;
export type BcSoapEnvironmentSettings = z.infer<typeof bcSoapEnvironmentSchema>;
