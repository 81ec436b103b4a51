import { z } from 'zod';

/**
 * The order rules and mapping every shop has, whatever its platform: which orders go to BC and how each
 * becomes a BC sales order. Documented, with an example per option, in docs/configuration.md.
 */

/** A BC sales line target: type (BC's API line types) and no. (Tinx "Freight Cost Type/No."). */
export const lineTargetSchema = z.object({
  type: z.enum(['Account', 'Item', 'Resource', 'Fixed Asset', 'Charge']).default('Account'),
  no: z.string().min(1).max(20),
  description: z.string().max(100).optional(),
});

const code = (max: number) => z.string().min(1).max(max);
/** ISO 3166-1 alpha-2 (upper case) or `*` for "any other country". */
const countryKey = z.string().regex(/^([A-Z]{2}|\*)$/, 'must be an upper-case ISO country code (DE, AT …) or "*"');
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const shopRulesSchema = z.object({
  /** Shop statuses that may be exported (WooCommerce: processing, completed …). */
  exportStatuses: z.array(z.string().min(1)).min(1).default(['processing']),
  /** Shop statuses that are never exported (the order becomes `ignored`). */
  ignoreStatuses: z.array(z.string().min(1)).default(['cancelled', 'refunded', 'failed', 'trash', 'checkout-draft']),
  /** Only export orders the shop reports as paid (Sana: only paid). */
  requirePaid: z.boolean().default(true),
  /** Only orders of registered customers are exported; guest orders are ignored (Tinx filter on Default Customer No.). */
  registeredOnly: z.boolean().default(false),
  /** How often a not-yet-eligible order is re-checked before it is ignored (Tinx "No. of Order Checks"). */
  maxChecks: z.number().int().min(1).default(48),
  recheckMinutes: z.number().positive().default(30),
  /** A waiting order placed longer ago than this is ignored, however many checks are left. */
  giveUpAfterDays: z.number().positive().optional(),
});

/** Steps of the customer matching chain, tried in the configured order; the first that decides wins. */
export const CUSTOMER_STEPS = ['binding', 'map', 'email', 'phone', 'guest', 'country', 'default', 'create'] as const;
export type CustomerStep = (typeof CUSTOMER_STEPS)[number];

/** Steps of the item matching chain. */
export const ITEM_STEPS = ['skuMap', 'sku', 'gtin', 'variant'] as const;
export type ItemStep = (typeof ITEM_STEPS)[number];

/**
 * A customer template, chosen by the billing country, for customers bcbridge creates (Sana: Country/Region →
 * Customer Template). BC API v2.0 has no customer-template endpoint: these are the fields the v2.0 `customers`
 * entity accepts. Posting groups are not on that entity; BC fills them from its own "API Setup" templates.
 */
export const customerTemplateSchema = z.object({
  /** A name for messages; use the code of the matching BC API Setup template to keep both sides aligned. */
  template: code(20),
  type: z.enum(['Person', 'Company']).default('Person'),
  /** Blank or absent = the company's local currency. */
  currencyCode: z.string().max(10).optional(),
  paymentTermsCode: code(10).optional(),
  shipmentMethodCode: code(10).optional(),
  taxLiable: z.boolean().optional(),
  taxAreaId: z.string().regex(GUID, 'must be a BC record id (GUID)').optional(),
  salespersonCode: code(20).optional(),
  /** Location for the orders of customers created from this template (the v2.0 customer has no location field). */
  locationCode: code(10).optional(),
});

export const shopMappingSchema = z
  .object({
    // --- customer ---
    /** The customer matching chain, in order. */
    customerChain: z.array(z.enum(CUSTOMER_STEPS)).min(1).default(['binding', 'map', 'guest', 'default']),
    /** BC customer for guest orders (Tinx "Webshop Guest Customer No."). */
    guestCustomerNo: code(20).optional(),
    /** BC customer for every order the chain did not place (one account for all web orders). */
    defaultCustomerNo: code(20).optional(),
    /** Shop customer id → BC customer no. (Tinx Webshop Customer table, kept in the config). */
    customerMap: z.record(z.string(), code(20)).default({}),
    /** Billing country → BC customer no. (a default customer per country). */
    countryCustomers: z.record(countryKey, code(20)).default({}),
    /** BC customer no. A → BC customer no. B: an order placed by A is booked on B (Tinx contact relation). */
    differentCustomerNo: z.record(z.string().min(1).max(20), code(20)).default({}),
    /** Billing country (or `*`) → template for customers bcbridge creates (`create` step). */
    customerTemplates: z.record(countryKey, customerTemplateSchema).default({}),
    /** Numbers of created customers: BC's number series, or prefix + shop customer id (makes a retry find it). */
    newCustomerNumbers: z
      .object({ mode: z.enum(['series', 'shopCustomerId']).default('series'), prefix: z.string().max(10).default('WEB') })
      .default({ mode: 'series', prefix: 'WEB' }),

    // --- items ---
    /** The item matching chain, in order. */
    itemChain: z.array(z.enum(ITEM_STEPS)).min(1).default(['skuMap', 'sku']),
    /** Shop SKU → BC item no., for SKUs that differ from the item no. */
    skuMap: z.record(z.string(), code(20)).default({}),
    /** Shop SKU → BC item no. + variant code. */
    variantMap: z.record(z.string(), z.object({ item: code(20), variant: code(10) })).default({}),
    /** `variant` step: SKU "<item no.><separator><variant code>", split at the last separator. */
    variantSeparator: z.string().min(1).max(3).default('-'),
    /** `hold` an order with an unknown SKU (Tinx "Blocked"), or `letBcDecide`: send SKU as item no. unchecked. */
    unknownItems: z.enum(['hold', 'letBcDecide']).default('hold'),

    // --- lines ---
    freight: lineTargetSchema.optional(),
    fees: lineTargetSchema.optional(),
    /** Fee name (case-insensitive) → line target, e.g. a payment-cost account per payment fee (Sana Webshop Card). */
    feesByName: z.record(z.string().min(1), lineTargetSchema).default({}),
    /** Shop shipping method id/title → BC shipment method code. */
    shipmentMethods: z.record(z.string(), z.string().max(10)).default({}),
    /** Hold an order whose shipping method has no entry in shipmentMethods. */
    requireShipmentMethod: z.boolean().default(false),
    coupons: z
      .object({
        /** lineDiscount: on each line; separateLine: one negative line per coupon; orderDiscount: BC invoice discount. */
        mode: z.enum(['lineDiscount', 'separateLine', 'orderDiscount']).default('lineDiscount'),
        line: lineTargetSchema.optional(),
      })
      .default({ mode: 'lineDiscount' }),
    options: z
      .object({
        /** Tinx "Handle Product Options": description2 | newLine | field | dimensions | none. */
        mode: z.enum(['description2', 'newLine', 'field', 'dimensions', 'none']).default('description2'),
        /** Tinx "Custom Option Element Name": send what the shop shows (title) or what it stores (value: slug, id). */
        element: z.enum(['title', 'value']).default('title'),
        /** `field`: the option label (case-insensitive) that goes into `field`. */
        label: z.string().min(1).optional(),
        field: z.enum(['itemVariantCode', 'unitOfMeasureCode', 'description2']).optional(),
        /** `dimensions`: option label → BC dimension code; the value becomes the dimension value code. */
        dimensions: z.record(z.string().min(1), code(20)).default({}),
      })
      .default({ mode: 'description2', element: 'title', dimensions: {} }),
    /** Bundles / composite products: export every line, only the parent (children priced into it), or only the children. */
    bundles: z.enum(['all', 'parent', 'children']).default('all'),
    /** The company's local currency: sent blank to BC. */
    localCurrency: z.string().length(3).default('EUR'),
    salesperson: z.string().max(20).optional(),
    locationCode: z.string().max(10).optional(),
    /** Prices on the BC order: as the shop entered them (reconciles to the cent), or forced excl./incl. tax. */
    taxMode: z.enum(['shop', 'excludingTax', 'includingTax']).default('shop'),
    /** Dimension code → value code on every order header (e.g. SALESCHANNEL: WEB). */
    dimensions: z.record(code(20), code(20)).default({}),
    /** Keep the shop order id and customer id on the BC order as a first comment line. */
    shopIds: z.enum(['commentLine', 'none']).default('commentLine'),
  })
  .superRefine((m, ctx) => {
    if (m.coupons.mode === 'separateLine' && !m.coupons.line) {
      ctx.addIssue({ code: 'custom', path: ['coupons', 'line'], message: 'is required when coupons.mode is separateLine (type and no. of the discount line)' });
    }
    if (m.options.mode === 'field' && (!m.options.label || !m.options.field)) {
      ctx.addIssue({ code: 'custom', path: ['options', m.options.label ? 'field' : 'label'], message: 'is required when options.mode is field' });
    }
    if (m.options.mode === 'dimensions' && Object.keys(m.options.dimensions).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['options', 'dimensions'], message: 'must map at least one option label to a dimension code when options.mode is dimensions' });
    }
    // BC refuses a line dimension that the line already inherited from the header ("already exists").
    const header = new Set(Object.keys(m.dimensions).map((d) => d.toUpperCase()));
    for (const [label, dim] of Object.entries(m.options.dimensions)) {
      if (header.has(dim.toUpperCase())) {
        ctx.addIssue({ code: 'custom', path: ['options', 'dimensions', label], message: `dimension ${dim} is already set on every order by mapping.dimensions; BC rejects it twice on a line` });
      }
    }
    if (m.customerChain.includes('create') && Object.keys(m.customerTemplates).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['customerTemplates'], message: 'must have at least one country (or "*") when customerChain contains "create"' });
    }
    const dup = m.customerChain.find((s, i) => m.customerChain.indexOf(s) !== i);
    if (dup) ctx.addIssue({ code: 'custom', path: ['customerChain'], message: `lists "${dup}" twice` });
    const dupItem = m.itemChain.find((s, i) => m.itemChain.indexOf(s) !== i);
    if (dupItem) ctx.addIssue({ code: 'custom', path: ['itemChain'], message: `lists "${dupItem}" twice` });
  });

/**
 * Write-back (issue 9, docs/write-back.md): when BC has shipped an exported order, tell the shop. Off unless
 * enabled; a test-environment order never writes back unless that environment has allowWriteBack.
 */
export const writeBackSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Shop status once every line is shipped (WooCommerce: completed). */
    completeStatus: z.string().min(1).default('completed'),
    /** Order note per shipment; {shipment} {order} {tracking} {carrier} {trackingUrl} {lines} are filled in. */
    noteTemplate: z.string().min(1).max(2000).default('Shipped: BC shipment {shipment} of order {order}. {lines}{tracking}'),
    /** The note is visible to (and e-mailed to) the customer; Shopify/Magento: the customer is notified of the shipment. */
    customerNote: z.boolean().default(false),
    /** Put the BC sales order no. on the shop order once it is verified (note, metafield or comment). */
    bcNumberOnOrder: z.boolean().default(false),
    tracking: z
      .object({
        /** Where BC keeps the package tracking no.: none, a custom API page, or a field of the shipment itself. */
        source: z.enum(['none', 'customPage', 'shipmentField']).default('none'),
        /** customPage: `{publisher}/{group}/{version}` of the page, beside api/v2.0. */
        apiPath: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/v\d+\.\d+$/, 'must look like publisher/group/v1.0').default('bcbridge/shipping/v1.0'),
        entitySet: z.string().min(1).default('shipmentTracking'),
        shipmentNoField: z.string().min(1).default('shipmentNo'),
        trackingField: z.string().min(1).default('packageTrackingNo'),
        agentField: z.string().min(1).default('shippingAgentCode'),
        /** shipmentField: the salesShipment field that carries the tracking no. */
        field: z.string().min(1).optional(),
        /** How the shop learns the tracking: in the order note, or through the platform's tracking API (WooCommerce Shipment Tracking extension). */
        shopMode: z.enum(['note', 'extension']).default('note'),
        /** BC shipping agent code → carrier name and tracking link ({tracking} is replaced). */
        carriers: z.record(z.string().min(1), z.object({ name: z.string().min(1), url: z.string().min(1).optional() })).default({}),
      })
      .default({ source: 'none', apiPath: 'bcbridge/shipping/v1.0', entitySet: 'shipmentTracking', shipmentNoField: 'shipmentNo', trackingField: 'packageTrackingNo', agentField: 'shippingAgentCode', shopMode: 'note', carriers: {} })
      .superRefine((t, ctx) => {
        if (t.source === 'shipmentField' && !t.field) ctx.addIssue({ code: 'custom', path: ['field'], message: 'is required when source is shipmentField' });
      }),
    /** Failed write-backs are retried with backoff; after maxAttempts the order shows the problem (and keeps retrying at maxSeconds). */
    maxAttempts: z.number().int().min(1).default(5),
    retryBaseSeconds: z.number().min(0).default(60),
    retryMaxSeconds: z.number().min(0).default(3600),
  });

/**
 * Conflicts (issue 9, docs/write-back.md "Conflicts"): an order the shop changed after export waits for a
 * person's decision; nothing is changed in BC without it, except what is switched on here.
 */
export const conflictsSchema = z.object({
  /** A shop cancellation of an order BC has not shipped yet deletes the BC sales order without asking. */
  autoCancelUnshipped: z.boolean().default(false),
});

/** Fields every shop has, whatever its platform; each platform's schema extends this. */
export const shopBaseSchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits and dashes (max 31)'),
  /** First pull starts here when there is no cursor yet (ISO 8601). */
  startDate: z.iso.datetime({ offset: true }).optional(),
  /** Prefix of the BC externalDocumentNumber; with the shop order number it must fit BC's 35 characters. */
  orderKeyPrefix: z.string().max(10).default(''),
  /** Re-read this much before the cursor: shop clocks have coarse resolution and writes can land late. */
  overlapSeconds: z.number().int().min(0).default(120),
  rules: shopRulesSchema.default(shopRulesSchema.parse({})),
  mapping: shopMappingSchema.default(shopMappingSchema.parse({})),
  writeBack: writeBackSchema.default(writeBackSchema.parse({})),
  conflicts: conflictsSchema.default({ autoCancelUnshipped: false }),
});
