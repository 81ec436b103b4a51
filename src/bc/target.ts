import type { BcSalesOrderDocument } from './document.js';
import type { BcOrderChange, BcOrderNow } from './order-change.js';

/** A sales order as BC reports it back: enough to verify and to store its number. */
export interface BcSalesOrderSnapshot {
  id: string;
  number: string;
  externalDocumentNumber: string;
  /** Blank = the company's local currency. */
  currencyCode: string;
  totalAmountExcludingTax: string;
  totalTaxAmount: string;
  totalAmountIncludingTax: string;
  status: string;
  lineCount: number;
  /** False while BC is still processing (SOAP staging); the API creates the order at once. */
  complete: boolean;
  /**
   * Other sales orders BC has with the same external document no. (newer numbers; findExisting reports the
   * oldest as the order). Only a second create of the same order makes them, e.g. by a worker that was frozen
   * past its lease: the export and verify stages remove them (docs/architecture.md "Duplicates").
   */
  duplicates?: BcSalesOrderSnapshot[];
}

export interface BcCustomer {
  id: string;
  number: string;
  displayName: string;
  email?: string;
  /** BC's blocked option: '' | 'Ship' | 'Invoice' | 'All'. */
  blocked: string;
  phoneNumber?: string;
  country?: string;
}

/**
 * A customer bcbridge asks BC to create (order rules, `create` step). Codes are resolved to the ids API v2.0
 * wants by the transport. Posting groups are not on the v2.0 customer: BC fills them from its API Setup templates.
 */
export interface BcNewCustomer {
  /** Blank = BC's customer number series. */
  number?: string;
  displayName: string;
  type: 'Person' | 'Company';
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  country?: string;
  postalCode?: string;
  phoneNumber?: string;
  email?: string;
  /** Blank/absent = the company's local currency. */
  currencyCode?: string;
  paymentTermsCode?: string;
  shipmentMethodCode?: string;
  taxLiable?: boolean;
  taxAreaId?: string;
  salespersonCode?: string;
  /**
   * The template's code (config `customerTemplates.*.template`). The API ignores it (BC applies its API Setup
   * template); the SOAP transport reads that BC customer template and copies its posting groups onto the card.
   */
  templateCode?: string;
}

/** A master-data record known by its code (shipment method, location, dimension value, item variant). */
export interface BcCodeRecord {
  id: string;
  code: string;
  displayName?: string;
}

export interface BcItem {
  id: string;
  number: string;
  displayName: string;
  blocked: boolean;
  gtin?: string;
}

/** One line of a posted shipment (bc-api.md §1.2 salesShipmentLine); quantity as a decimal string. */
export interface BcShipmentLine {
  /** The sales order line's Line No. (BC copies it): traces the line back to the document bcbridge sent. */
  sequence: number;
  lineType: string;
  lineObjectNumber: string;
  description: string;
  quantity: string;
}

/** A posted sales shipment of an order, with the package tracking BC partners add (docs/write-back.md). */
export interface BcPostedShipment {
  id: string;
  number: string;
  orderNumber: string;
  externalDocumentNumber: string;
  postingDate: string;
  lines: BcShipmentLine[];
  /** Absent when the configured tracking source has nothing for this shipment. */
  tracking?: { number: string; agentCode?: string };
}

/** A posted sales invoice made from an order (bc-api.md §1.2 salesInvoice). */
export interface BcPostedInvoice {
  id: string;
  number: string;
  orderNumber: string;
  externalDocumentNumber: string;
  status: string;
}

/** Where the package tracking no. of a shipment comes from (the standard API has none; docs/write-back.md). */
export type BcTrackingSource =
  | { source: 'none' }
  /** A custom API page `api/{apiPath}/companies({id})/{entitySet}` keyed by the shipment no. */
  | { source: 'customPage'; apiPath: string; entitySet: string; shipmentNoField: string; trackingField: string; agentField?: string }
  /** A field of the salesShipment itself (e.g. a value the warehouse puts into the external document). */
  | { source: 'shipmentField'; field: string };

/** A BC webhook subscription (bc-api.md §6, `api/v2.0/subscriptions`); clientState is never carried here. */
export interface BcSubscription {
  id: string;
  notificationUrl: string;
  /** `/api/v2.0/companies({id})/salesOrders` */
  resource: string;
  /** ISO 8601; BC drops the subscription then unless it is renewed. */
  expirationDateTime: string;
  /** For If-Match on renew and delete. */
  etag: string;
}

/** Webhook subscriptions of one environment (docs/webhooks.md "BC → bcbridge"). */
export interface BcSubscriptions {
  /** The resource path of an entity set of the configured company, as BC wants it in `resource`. */
  resourceOf(entitySet: string): Promise<string>;
  list(): Promise<BcSubscription[]>;
  /** BC calls notificationUrl with `?validationToken=…` before it answers: the receiver must be up. */
  create(notificationUrl: string, resource: string, clientState: string): Promise<BcSubscription>;
  /** PATCH with If-Match: another 3 days (and another handshake). */
  renew(sub: BcSubscription, clientState: string): Promise<BcSubscription>;
  remove(sub: BcSubscription): Promise<void>;
}

/** One document's result in createMany: the created order as create returns it, or the error create would throw. */
export type CreateOutcome = { ok: true; snapshot: BcSalesOrderSnapshot } | { ok: false; error: unknown };

/** The error code of a create that was not sent because its `sendBy` had passed (never reached BC). */
export const BC_NOT_SENT = 'BC_NOT_SENT';

export interface CreateContext {
  /** bcbridge order id, for the request log. */
  orderId?: number;
  /**
   * Epoch ms: the create must not reach BC after this (the export lease minus the request timeout). A create
   * whose turn comes later (BC pacing, a 429's Retry-After, a retry) fails with BC_NOT_SENT, never sent. The
   * API transport honours it; the SOAP staging records are keyed in BC, so a late insert is refused there.
   */
  sendBy?: number;
}

/**
 * One BC transport (DESIGN.md §3): `api` (BC API v2.0, the default) or `soap` (page web service).
 * The pipeline sees only this interface.
 */
export interface BcTarget {
  readonly transport: 'api' | 'soap';
  /** BC environment name (e.g. production, sandbox), recorded on every export. */
  readonly environment: string;
  /**
   * Sales orders that already carry these order keys in externalDocumentNumber. Many keys share a request
   * where the transport allows. Keys not in the map are not in BC.
   */
  findExisting(keys: string[], ctx?: CreateContext): Promise<Map<string, BcSalesOrderSnapshot>>;
  /** Creates the document in BC. Throws BcError (retryable or not, ambiguous when it may have been committed). */
  create(doc: BcSalesOrderDocument, ctx?: CreateContext): Promise<BcSalesOrderSnapshot>;
  /**
   * Creates several documents in one round trip (`$batch`, at most `maxCreatesPerBatch`), each committed or
   * rejected on its own: an outcome per document, in order, shaped like create's result or error. Absent on
   * transports that cannot batch (SOAP); the export then calls create per order.
   */
  createMany?(orders: Array<{ doc: BcSalesOrderDocument; orderId: number }>, ctx?: Pick<CreateContext, 'sendBy'>): Promise<CreateOutcome[]>;
  /** How many creates one createMany may carry. */
  readonly maxCreatesPerBatch?: number;
  /** Reads a created order back by BC id; undefined when BC no longer has it. */
  read(id: string, ctx?: CreateContext): Promise<BcSalesOrderSnapshot | undefined>;
  /** Confirms authentication works and the configured company exists. */
  checkCompany(): Promise<{ id: string; name: string }>;
  getCustomer(number: string): Promise<BcCustomer | undefined>;
  getItem(number: string): Promise<BcItem | undefined>;
  // Master data for the order rules (issue 3). Optional: a transport without them makes the rules that need
  // them hold orders with LOOKUP_NOT_SUPPORTED instead of guessing.
  /** Customers whose e-mail is this address (compared case-insensitively). */
  findCustomersByEmail?(email: string): Promise<BcCustomer[]>;
  /** Customers whose phone number contains these digits (candidates: the caller compares normalised numbers). */
  findCustomersByPhoneDigits?(digits: string): Promise<BcCustomer[]>;
  /** Creates a customer; with a number, an earlier attempt that reached BC is found instead of duplicated. */
  createCustomer?(customer: BcNewCustomer, ctx?: CreateContext): Promise<BcCustomer>;
  /** Items with this GTIN/EAN (`items?$filter=gtin eq …`). */
  findItemsByGtin?(gtin: string): Promise<BcItem[]>;
  getItemVariant?(itemNumber: string, variantCode: string): Promise<BcCodeRecord | undefined>;
  getShipmentMethod?(code: string): Promise<BcCodeRecord | undefined>;
  getLocation?(code: string): Promise<BcCodeRecord | undefined>;
  getDimensionValue?(dimensionCode: string, valueCode: string): Promise<BcCodeRecord | undefined>;
  // Write-back (issue 9). Optional: a transport without them never writes back (the stage says so).
  /** Posted shipments of these sales order numbers, with lines and tracking; many numbers share a request. */
  listShipments?(orderNumbers: string[], tracking?: BcTrackingSource): Promise<BcPostedShipment[]>;
  /** Posted invoices made from these sales order numbers. */
  listInvoices?(orderNumbers: string[]): Promise<BcPostedInvoice[]>;
  /** BC webhooks (API v2.0 only): a trigger for write-back; polling stays the backstop. */
  readonly subscriptions?: BcSubscriptions;
  // Conflicts (issue 9, docs/write-back.md "Conflicts"). Optional: without them a person can only accept a
  // conflict; re-sync and cancel say the transport cannot change BC orders.
  /** A sales order with its lines and ETags, as BC has it now; undefined when BC no longer has it. */
  readOrderNow?(id: string, ctx?: CreateContext): Promise<BcOrderNow | undefined>;
  /** Applies a re-sync (line DELETE/PATCH/POST, then header PATCH, each with If-Match) and reads the order back. */
  changeOrder?(id: string, change: BcOrderChange, ctx?: CreateContext): Promise<BcSalesOrderSnapshot>;
  /** Deletes a sales order (If-Match); 'gone' when BC no longer had it. */
  deleteOrder?(id: string, etag: string, ctx?: CreateContext): Promise<'deleted' | 'gone'>;
  close(): Promise<void>;
}
