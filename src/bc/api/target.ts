import { Agent } from 'undici';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcCodeRecord, BcCustomer, BcItem, BcNewCustomer, BcPostedInvoice, BcPostedShipment, BcSalesOrderSnapshot, BcSubscriptions, BcTarget, BcTrackingSource, CreateContext, CreateOutcome } from '../target.js';
import { createClientCredentialsAuth } from '../auth.js';
import { type BatchOperation, type BatchOutcome, MAX_BATCH_OPERATIONS } from './batch.js';
import { BcApiClient } from './client.js';
import {
  apiRoot,
  DEFAULT_MAX_CREATES_PER_BATCH,
  DEFAULT_MAX_IN_FLIGHT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_REQUESTS_PER_WINDOW,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_WINDOW_MS,
  defaultSleep,
  defaultTokenUrl,
  type BcApiConfig,
  type BcApiDeps,
} from './config.js';
import { BcApiError } from './errors.js';
import { findByKey } from './find-by-key.js';
import { BcHttp } from './http.js';
import { sharedLimiter } from './limiter.js';
import { BcLookups } from './lookups.js';
import { changeOrder, deleteOrder, readOrderNow } from './order-change.js';
import type { BcOrderChange, BcOrderNow } from '../order-change.js';
import { BcMasterDataApi } from './master-data.js';
import { dec } from '../../domain/money.js';
import { jsonDecimal } from './json.js';
import { decodeEnum, isGuid, odataString } from './odata.js';
import { salesOrderBody } from './sales-order-body.js';
import { listPostedInvoices, listPostedShipments } from './shipments.js';
import { BcApiSubscriptions } from './subscriptions.js';
import { expandedCount, toSnapshot } from './snapshot.js';
import { compareDocumentNumbers } from '../document-numbers.js';

/** BC's externalDocumentNumber is Code[35] (reference/bc-api.md §1.2). */
const EXTERNAL_DOCUMENT_NUMBER_MAX = 35;

/** Without a usable key an order could not be found again after an ambiguous failure: refused before sending. */
function checkKey(doc: BcSalesOrderDocument): void {
  const key = doc.externalDocumentNumber.trim();
  if (key === '' || key.length > EXTERNAL_DOCUMENT_NUMBER_MAX) {
    throw new BcApiError(
      'BC_INVALID_DOCUMENT',
      `externalDocumentNumber '${key}' must be 1–${EXTERNAL_DOCUMENT_NUMBER_MAX} characters (BC Code[35]); it is the key that keeps the order unique in BC`,
    );
  }
}

/**
 * The `api` BC target: Business Central API v2.0 (DESIGN.md §3). One request per created order (deep
 * insert), one request per ~40 keys for a lookup.
 */
export function createApiTarget(config: BcApiConfig, deps: BcApiDeps): BcTarget {
  const sleep = deps.sleep ?? defaultSleep;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokenUrl = config.tokenUrl ?? defaultTokenUrl(config.tenant);
  const ownAgent = deps.dispatcher
    ? undefined
    : new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 30_000) });
  const dispatcher = deps.dispatcher ?? ownAgent!;

  const auth =
    deps.auth ??
    createClientCredentialsAuth(
      { tenant: config.tenant, clientId: config.clientId, clientSecret: config.clientSecret, tokenUrl, scope: config.scope, timeoutMs },
      { clock: deps.clock, requestLog: deps.requestLog, logTarget: config.name, dispatcher },
    );
  // BC's limits belong to the user (the app registration), whichever environment or target spends them.
  const limiter =
    deps.limiter ??
    sharedLimiter(
      `${tokenUrl}|${config.clientId}`,
      {
        maxInFlight: config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
        requestsPerWindow: config.requestsPerWindow ?? DEFAULT_REQUESTS_PER_WINDOW,
        windowMs: config.windowMs ?? DEFAULT_WINDOW_MS,
      },
      { clock: deps.clock, sleep },
    );
  const http = new BcHttp({
    environment: config.name,
    auth,
    limiter,
    clock: deps.clock,
    requestLog: deps.requestLog,
    timeoutMs,
    dispatcher,
  });
  const client = new BcApiClient({
    apiUrl: apiRoot(config),
    environment: config.name,
    company: config.company,
    http,
    maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
    sleep,
    random: deps.random,
  });
  return new ApiTarget(config, client, async () => {
    await http.close();
    await ownAgent?.close();
  });
}

class ApiTarget implements BcTarget {
  readonly transport = 'api' as const;
  readonly environment: string;
  readonly maxCreatesPerBatch: number;
  private readonly lookups: BcLookups;
  private readonly masterData: BcMasterDataApi;
  private readonly dialect = { inRejected: false };
  /** Set when this API has no salesInvoices entity set, so lookups stop asking. */
  private invoicesUnavailable = false;
  readonly subscriptions: BcSubscriptions;

  constructor(
    private readonly config: BcApiConfig,
    private readonly client: BcApiClient,
    private readonly closeAll: () => Promise<void>,
  ) {
    this.environment = config.name;
    // Each operation of a batch counts against BC's request window, and a batch lands all of its operations
    // at once: one that leaves a little late (a busy event loop) or overtakes another moves many places of the
    // window together, which the pacing's margin cannot absorb when a batch is a large part of the window. So
    // a batch is at most 1/100 of the window: with BC's 6,000 per 5 minutes that is 60 (the configured size
    // rules); a small window (the time-scaled backlog benchmark: 196 per 10 s) is served one order per request.
    // Measured: batches of 3 in that window drew 13 batches' 429s where single creates drew 7.
    const windowShare = Math.max(1, Math.floor((config.requestsPerWindow ?? DEFAULT_REQUESTS_PER_WINDOW) / 100));
    this.maxCreatesPerBatch = Math.min(MAX_BATCH_OPERATIONS, windowShare, Math.max(1, config.maxCreatesPerBatch ?? DEFAULT_MAX_CREATES_PER_BATCH));
    this.lookups = new BcLookups(client);
    this.masterData = new BcMasterDataApi(client);
    this.subscriptions = new BcApiSubscriptions(client);
  }

  async findExisting(keys: string[], ctx: CreateContext = {}): Promise<Map<string, BcSalesOrderSnapshot>> {
    const result = new Map<string, BcSalesOrderSnapshot>();
    // BC stores Code fields upper-case; compare that way, answer with the caller's spelling.
    const byNorm = new Map<string, string[]>();
    for (const key of keys) {
      const norm = normKey(key);
      if (norm === '') continue;
      byNorm.set(norm, [...(byNorm.get(norm) ?? []), key]);
    }
    if (byNorm.size === 0) return result;

    const orders = await findByKey(
      this.client,
      [...byNorm.keys()],
      { entitySet: 'salesOrders', field: 'externalDocumentNumber', select: SNAPSHOT_FIELDS, expand: 'salesOrderLines($select=id)', dialect: this.dialect },
      ctx,
    );
    this.collect(orders, 'salesOrderLines', byNorm, result);

    const missing = [...byNorm.keys()].filter((k) => !result.has(byNorm.get(k)![0]));
    if (missing.length > 0 && this.config.lookupPostedInvoices !== false && !this.invoicesUnavailable) {
      // A fully shipped and invoiced order is deleted by BC; its posted invoice still carries the key, and
      // creating the order again would sell the goods twice.
      try {
        const invoices = await findByKey(
          this.client,
          missing,
          { entitySet: 'salesInvoices', field: 'externalDocumentNumber', select: `${SNAPSHOT_FIELDS},orderNumber`, expand: 'salesInvoiceLines($select=id)', dialect: this.dialect },
          ctx,
        );
        this.collect(invoices, 'salesInvoiceLines', byNorm, result, true);
      } catch (err) {
        // An API without salesInvoices (404 for the entity set) cannot hold invoices of our orders either.
        if (!(err instanceof BcApiError && err.status === 404 && err.bcCode === 'BadRequest_ResourceNotFound')) throw err;
        this.invoicesUnavailable = true;
      }
    }
    return result;
  }

  async create(doc: BcSalesOrderDocument, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot> {
    checkKey(doc);
    const refs = await this.lookups.resolve(doc, ctx);
    const url = await this.client.companyUrl('salesOrders');
    const res = await this.client.post(url, salesOrderBody(doc, refs), ctx);
    let header: unknown;
    try {
      header = res.json();
    } catch {
      header = undefined;
    }
    return this.created(res.status, header, doc, ctx);
  }

  /**
   * The creates of several orders in one `$batch`, each committed or rejected on its own. An order whose
   * document or master data is not right fails alone before anything is sent; a failure of the whole
   * exchange is every sent order's outcome (ambiguous when BC may have run the batch).
   */
  async createMany(orders: Array<{ doc: BcSalesOrderDocument; orderId: number }>, ctx: Pick<CreateContext, 'sendBy'> = {}): Promise<CreateOutcome[]> {
    if (orders.length > MAX_BATCH_OPERATIONS) throw new RangeError(`createMany takes at most ${MAX_BATCH_OPERATIONS} orders, not ${orders.length}`);
    const outcomes: CreateOutcome[] = new Array(orders.length);
    const sent: number[] = [];
    const ops: BatchOperation[] = [];
    let url: string;
    try {
      url = await this.client.companyUrl('salesOrders');
    } catch (error) {
      return orders.map(() => ({ ok: false, error }));
    }
    for (const [i, { doc, orderId }] of orders.entries()) {
      try {
        checkKey(doc);
        const refs = await this.lookups.resolve(doc, { orderId });
        ops.push({ method: 'POST', url, body: salesOrderBody(doc, refs), orderId });
        sent.push(i);
      } catch (error) {
        outcomes[i] = { ok: false, error };
      }
    }
    let answers: BatchOutcome[];
    try {
      answers = await this.client.batch(ops, ctx);
    } catch (error) {
      for (const i of sent) outcomes[i] = { ok: false, error };
      return outcomes;
    }
    for (const [k, answer] of answers.entries()) {
      const i = sent[k]!;
      const { doc, orderId } = orders[i]!;
      if (!answer.ok) outcomes[i] = { ok: false, error: answer.error };
      else {
        try {
          outcomes[i] = { ok: true, snapshot: await this.created(answer.status, answer.body, doc, { orderId }) };
        } catch (error) {
          outcomes[i] = { ok: false, error };
        }
      }
    }
    return outcomes;
  }

  /** BC answered a create with 2xx: the order exists. Its snapshot, after the order discount where there is one. */
  private async created(status: number, body: unknown, doc: BcSalesOrderDocument, ctx: CreateContext): Promise<BcSalesOrderSnapshot> {
    let header = body as Record<string, unknown> | undefined;
    if (!header || typeof header !== 'object' || typeof header.id !== 'string') {
      // BC said 2xx, so the order exists: ambiguous, the caller finds it by key.
      throw new BcApiError('BC_PROTOCOL', `BC accepted sales order ${doc.externalDocumentNumber.trim()} (HTTP ${status}) but returned no id`, {
        status,
        retryable: true,
        ambiguous: true,
      });
    }
    if (doc.discountAmount !== undefined && !dec(doc.discountAmount).isZero()) {
      header = await this.applyOrderDiscount(header, doc, ctx);
    }
    // The 201 body is the header after the lines went in, totals included: verify needs no extra GET.
    return toSnapshot(header, expandedCount(header, 'salesOrderLines') ?? doc.lines.length);
  }

  /**
   * The order (invoice) discount: BC applies it when it is set on the header, and a header inserted with
   * its lines still has none at that moment ("There is no amount that you can apply an invoice discount
   * to."), so it is set by a second request once the lines exist: one extra request per order in the
   * orderDiscount mode. If it fails the order exists without the discount; the error is ambiguous so the
   * next attempt finds the order, and verify reports the difference (TOTALS_MISMATCH).
   */
  private async applyOrderDiscount(header: Record<string, unknown>, doc: BcSalesOrderDocument, ctx: CreateContext): Promise<Record<string, unknown>> {
    const url = await this.client.companyUrl(`salesOrders(${String(header.id)})`);
    try {
      const res = await this.client.patch(url, { discountAmount: jsonDecimal(doc.discountAmount!) }, ctx);
      const patched = res.json() as Record<string, unknown> | undefined;
      return patched && typeof patched.id === 'string' ? patched : header;
    } catch (err) {
      throw new BcApiError('BC_ORDER_DISCOUNT', `BC created sales order ${String(header.number ?? '')} but did not accept its order discount ${doc.discountAmount}: ${err instanceof Error ? err.message : String(err)}`, {
        retryable: true,
        ambiguous: true,
        cause: err,
      });
    }
  }

  async read(id: string, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot | undefined> {
    if (!isGuid(id)) throw new BcApiError('BC_INVALID_ID', `'${id}' is not a BC record id (GUID)`);
    const url = await this.client.companyUrl(`salesOrders(${id})`, { $expand: 'salesOrderLines' });
    // Verify runs right after create: read the primary, a replica might not have the order yet.
    const header = (await this.client.getOptional(url, { ...ctx, consistent: true })) as Record<string, unknown> | undefined;
    if (!header) return undefined;
    return toSnapshot(header, expandedCount(header, 'salesOrderLines') ?? 0);
  }

  async checkCompany(): Promise<{ id: string; name: string }> {
    const company = await this.client.resolveCompany(true);
    return { id: company.id, name: company.name };
  }

  async getCustomer(number: string): Promise<BcCustomer | undefined> {
    const c = await this.byNumber('customers', number);
    if (!c) return undefined;
    const email = typeof c.email === 'string' && c.email !== '' ? c.email : undefined;
    return {
      id: String(c.id),
      number: String(c.number),
      displayName: String(c.displayName ?? ''),
      ...(email ? { email } : {}),
      // BC sends the blank option as `_x0020_` (reference/bc-api.md §1.3); the contract wants ''.
      blocked: decodeEnum(String(c.blocked ?? '')).trim(),
    };
  }

  async getItem(number: string): Promise<BcItem | undefined> {
    const i = await this.byNumber('items', number);
    if (!i) return undefined;
    const gtin = typeof i.gtin === 'string' && i.gtin !== '' ? i.gtin : undefined;
    return {
      id: String(i.id),
      number: String(i.number),
      displayName: String(i.displayName ?? ''),
      blocked: i.blocked === true || i.blocked === 'true',
      ...(gtin ? { gtin } : {}),
    };
  }

  findCustomersByEmail(email: string): Promise<BcCustomer[]> {
    return this.masterData.findCustomersByEmail(email);
  }

  findCustomersByPhoneDigits(digits: string): Promise<BcCustomer[]> {
    return this.masterData.findCustomersByPhoneDigits(digits);
  }

  createCustomer(customer: BcNewCustomer, ctx: CreateContext = {}): Promise<BcCustomer> {
    return this.masterData.createCustomer(customer, (code) => this.lookups.shipmentMethodId(code, ctx), ctx);
  }

  findItemsByGtin(gtin: string): Promise<BcItem[]> {
    return this.masterData.findItemsByGtin(gtin);
  }

  getItemVariant(itemNumber: string, variantCode: string): Promise<BcCodeRecord | undefined> {
    return this.masterData.getItemVariant(itemNumber, variantCode);
  }

  getShipmentMethod(code: string): Promise<BcCodeRecord | undefined> {
    return this.masterData.getShipmentMethod(code);
  }

  getLocation(code: string): Promise<BcCodeRecord | undefined> {
    return this.masterData.getLocation(code);
  }

  getDimensionValue(dimensionCode: string, valueCode: string): Promise<BcCodeRecord | undefined> {
    return this.masterData.getDimensionValue(dimensionCode, valueCode);
  }

  close(): Promise<void> {
    return this.closeAll();
  }

  listShipments(orderNumbers: string[], tracking: BcTrackingSource = { source: 'none' }): Promise<BcPostedShipment[]> {
    return listPostedShipments(this.client, orderNumbers, tracking, this.dialect);
  }

  listInvoices(orderNumbers: string[]): Promise<BcPostedInvoice[]> {
    return listPostedInvoices(this.client, orderNumbers, this.dialect);
  }

  readOrderNow(id: string, ctx: CreateContext = {}): Promise<BcOrderNow | undefined> {
    return readOrderNow(this.client, id, ctx);
  }

  changeOrder(id: string, change: BcOrderChange, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot> {
    return changeOrder(this.client, this.lookups, id, change, ctx);
  }

  deleteOrder(id: string, etag: string, ctx: CreateContext = {}): Promise<'deleted' | 'gone'> {
    return deleteOrder(this.client, id, etag, ctx);
  }

  private async byNumber(entitySet: string, number: string): Promise<Record<string, unknown> | undefined> {
    const n = number.trim().toUpperCase();
    if (n === '') return undefined;
    const url = await this.client.companyUrl(entitySet, { $filter: `number eq ${odataString(n)}` });
    const [hit] = await this.client.list(url);
    return hit;
  }

  private collect(
    entities: Record<string, unknown>[],
    linesNav: string,
    byNorm: Map<string, string[]>,
    result: Map<string, BcSalesOrderSnapshot>,
    invoice = false,
  ): void {
    // Oldest number first, so a duplicate that slipped in by hand never replaces the original.
    const sorted = [...entities].sort((a, b) => compareDocumentNumbers(String(a.number ?? ''), String(b.number ?? '')));
    for (const e of sorted) {
      const keys = byNorm.get(normKey(String(e.externalDocumentNumber ?? '')));
      if (!keys) continue;
      const first = result.get(keys[0]);
      if (first) {
        // A second sales order with the same key: reported with the first, never instead of it.
        // (Several invoices of one order are normal: partial invoicing.)
        if (!invoice) (first.duplicates ??= []).push(toSnapshot(e, expandedCount(e, linesNav) ?? 0));
        continue;
      }
      const snap = toSnapshot(e, expandedCount(e, linesNav) ?? 0);
      if (invoice) {
        // The order itself is gone; report the order number the invoice came from and mark it.
        snap.number = typeof e.orderNumber === 'string' && e.orderNumber !== '' ? e.orderNumber : snap.number;
        snap.status = `Invoiced (${String(e.number ?? '')})`;
      }
      for (const k of keys) result.set(k, snap);
    }
  }
}

/**
 * What a lookup reads of each sales order (invoice): the snapshot's fields (snapshot.ts), and of the lines
 * only their ids, to count them. Without $select BC sends every header field and every line in full, about
 * ten times the bytes, for each of up to ~40 orders per read-back.
 */
const SNAPSHOT_FIELDS = 'id,number,externalDocumentNumber,currencyId,currencyCode,totalAmountExcludingTax,totalTaxAmount,totalAmountIncludingTax,status';

function normKey(key: string): string {
  return key.trim().toUpperCase();
}

