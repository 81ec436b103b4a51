import { Agent } from 'undici';
import { BcError } from '../../domain/errors.js';
import { createClientCredentialsAuth, staticAuth, type BcAuth } from '../auth.js';
import { DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RETRIES, DEFAULT_REQUESTS_PER_WINDOW, DEFAULT_TIMEOUT_MS, DEFAULT_WINDOW_MS, defaultSleep, defaultTokenUrl } from '../api/config.js';
import { sharedLimiter } from '../api/limiter.js';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcCodeRecord, BcCustomer, BcItem, BcNewCustomer, BcPostedShipment, BcSalesOrderSnapshot, BcTarget, BcTrackingSource, CreateContext } from '../target.js';
import { DEFAULT_SERVICE, DEFAULT_SHIPMENT_SERVICE, pageUrl, soapPageServices, wsRoot, type BcSoapConfig, type BcSoapDeps, type SoapPageName } from './config.js';
import { SoapMasterData } from './master-data.js';
import { BcSoapError, isAlreadyExists } from './errors.js';
import { SoapHttp } from './http.js';
import { filterLiteral, PageClient, type PageRecord } from './page-client.js';
import { shipmentsFromRecords } from './shipments.js';
import { lineNo, sameLine, stagingRecords, summarize } from './staging-record.js';
import type { XmlFields } from './xml.js';

/** BC's External Document No. is Code[35] (reference/bc-api.md §1.2). */
const KEY_MAX = 35;
/** Keys per ReadMultiple: `'K1'|'K2'|…` stays well below URL-free but message-size-sane limits. */
const KEYS_PER_LOOKUP = 25;
/** What findExisting learned about a half-created order is used by the create that follows at once, not later. */
const PARTIAL_TTL_MS = 60_000;

/**
 * The `soap` BC target (DESIGN.md §3): a page web service where every order line is one staging record
 * (docs/bc-soap-page.md). BC turns a complete set into a sales order in the background; until it reports
 * the sales order no. and Completed, the snapshot says `complete: false` and verify keeps polling.
 */
export function createSoapTarget(config: BcSoapConfig, deps: BcSoapDeps): BcTarget {
  const sleep = deps.sleep ?? defaultSleep;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ownAgent = deps.dispatcher
    ? undefined
    : new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: Math.min(timeoutMs, 30_000), connections: 16 });
  const dispatcher = deps.dispatcher ?? ownAgent!;
  const auth = deps.auth ?? soapAuth(config, deps, dispatcher);
  const user = config.auth === 'basic' ? `basic:${config.username}` : `${config.tokenUrl ?? defaultTokenUrl(config.tenant ?? '')}|${config.clientId}`;
  const limiter =
    deps.limiter ??
    sharedLimiter(
      // SOAP limits are per user like the API's (reference/bc-api.md §2); the same user shares one budget.
      user,
      {
        maxInFlight: config.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
        requestsPerWindow: config.requestsPerWindow ?? DEFAULT_REQUESTS_PER_WINDOW,
        windowMs: config.windowMs ?? DEFAULT_WINDOW_MS,
      },
      { clock: deps.clock, sleep },
    );
  const http = new SoapHttp({
    environment: config.name,
    auth,
    limiter,
    clock: deps.clock,
    requestLog: deps.requestLog,
    timeoutMs,
    maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
    sleep,
    random: deps.random,
    dispatcher,
  });
  return new SoapTarget(config, http, deps.clock, async () => {
    await http.close();
    await ownAgent?.close();
  });
}

function soapAuth(config: BcSoapConfig, deps: BcSoapDeps, dispatcher: Agent | BcSoapDeps['dispatcher']): BcAuth {
  if (config.auth === 'basic') {
    // NavUserPassword: user name + web service access key (reference/bc-api.md §3; on-premises only).
    return staticAuth(`Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`, 'utf8').toString('base64')}`);
  }
  return createClientCredentialsAuth(
    {
      tenant: config.tenant ?? '',
      clientId: config.clientId ?? '',
      clientSecret: config.clientSecret ?? '',
      tokenUrl: config.tokenUrl,
      scope: config.scope,
      timeoutMs: config.timeoutMs,
    },
    { clock: deps.clock, requestLog: deps.requestLog, logTarget: config.name, dispatcher },
  );
}

class SoapTarget implements BcTarget {
  readonly transport = 'soap' as const;
  readonly environment: string;
  private readonly staging: PageClient;
  private readonly services: Record<SoapPageName, string>;
  private readonly masterData: SoapMasterData;
  /** Half-created orders seen by findExisting, for the create that resumes them. */
  private readonly partial = new Map<string, { records: PageRecord[]; at: number }>();
  /** Posted shipments (write-back); absent when no shipment page is published (`shipmentService: ''`). */
  readonly listShipments?: (orderNumbers: string[], tracking?: BcTrackingSource) => Promise<BcPostedShipment[]>;
  // The order rules' lookups (issue 3), each present only when its standard page is published (soapPages):
  // a missing one makes the rules hold with LOOKUP_NOT_SUPPORTED, or leave the check to BC's processor.
  readonly findCustomersByEmail?: (email: string) => Promise<BcCustomer[]>;
  readonly findCustomersByPhoneDigits?: (digits: string) => Promise<BcCustomer[]>;
  readonly createCustomer?: (customer: BcNewCustomer, ctx?: CreateContext) => Promise<BcCustomer>;
  readonly findItemsByGtin?: (gtin: string) => Promise<BcItem[]>;
  readonly getItemVariant?: (itemNumber: string, variantCode: string) => Promise<BcCodeRecord | undefined>;
  readonly getShipmentMethod?: (code: string) => Promise<BcCodeRecord | undefined>;
  readonly getLocation?: (code: string) => Promise<BcCodeRecord | undefined>;
  readonly getDimensionValue?: (dimensionCode: string, valueCode: string) => Promise<BcCodeRecord | undefined>;

  constructor(
    private readonly config: BcSoapConfig,
    http: SoapHttp,
    private readonly clock: { now(): Date },
    private readonly closeAll: () => Promise<void>,
  ) {
    this.environment = config.name;
    const service = config.service ?? DEFAULT_SERVICE;
    this.staging = new PageClient(http, pageUrl(config, service), service);
    this.services = soapPageServices(config);
    const pages: Partial<Record<SoapPageName, PageClient>> = {};
    for (const [name, svc] of Object.entries(this.services) as [SoapPageName, string][]) {
      if (svc) pages[name] = new PageClient(http, pageUrl(config, svc), svc);
    }
    const md = (this.masterData = new SoapMasterData(pages));
    if (pages.customer) {
      this.findCustomersByEmail = (email) => md.findCustomersByEmail(email);
      this.findCustomersByPhoneDigits = (digits) => md.findCustomersByPhoneDigits(digits);
      this.createCustomer = (customer, ctx) => md.createCustomer(customer, ctx);
    }
    if (pages.item) this.findItemsByGtin = (gtin) => md.findItemsByGtin(gtin);
    if (pages.itemVariant) this.getItemVariant = (item, code) => md.getItemVariant(item, code);
    if (pages.shipmentMethod) this.getShipmentMethod = (code) => md.getShipmentMethod(code);
    if (pages.location) this.getLocation = (code) => md.getLocation(code);
    if (pages.dimensionValue) this.getDimensionValue = (dim, value) => md.getDimensionValue(dim, value);
    const shipmentService = config.shipmentService ?? DEFAULT_SHIPMENT_SERVICE;
    if (shipmentService) {
      const page = new PageClient(http, pageUrl(config, shipmentService), shipmentService);
      // The page carries the tracking itself; writeBack.tracking.source describes API pages and does not apply.
      this.listShipments = (numbers) => this.readShipments(page, numbers);
    }
  }

  /** AutoShoppingCartShipments records of these sales orders (`Order_No` = 'A'|'B'|…, 25 per request). */
  private async readShipments(page: PageClient, orderNumbers: string[]): Promise<BcPostedShipment[]> {
    // Order numbers are Code[20]: BC stores them upper-case.
    const numbers = [...new Set(orderNumbers.map((n) => n.trim().toUpperCase()).filter(Boolean))];
    const records: PageRecord[] = [];
    for (let i = 0; i < numbers.length; i += KEYS_PER_LOOKUP) {
      const chunk = numbers.slice(i, i + KEYS_PER_LOOKUP);
      records.push(...(await page.readMultiple([{ field: 'Order_No', criteria: chunk.map(filterLiteral).join('|') }])));
    }
    return shipmentsFromRecords(records);
  }

  async findExisting(keys: string[], ctx: CreateContext = {}): Promise<Map<string, BcSalesOrderSnapshot>> {
    const result = new Map<string, BcSalesOrderSnapshot>();
    const byNorm = new Map<string, string[]>();
    for (const key of keys) {
      const norm = key.trim().toUpperCase();
      if (norm === '') continue;
      byNorm.set(norm, [...(byNorm.get(norm) ?? []), key]);
    }
    const norms = [...byNorm.keys()];
    for (let i = 0; i < norms.length; i += KEYS_PER_LOOKUP) {
      const chunk = norms.slice(i, i + KEYS_PER_LOOKUP);
      const records = await this.staging.readMultiple([{ field: 'External_Document_No', criteria: chunk.map(filterLiteral).join('|') }], { orderId: ctx.orderId });
      const grouped = new Map<string, PageRecord[]>();
      for (const r of records) {
        const k = (r.External_Document_No ?? '').toUpperCase();
        if (byNorm.has(k)) grouped.set(k, [...(grouped.get(k) ?? []), r]);
      }
      for (const [norm, recs] of grouped) {
        const set = summarize(norm, recs);
        if (set.whole) {
          for (const k of byNorm.get(norm)!) result.set(k, set.snapshot);
          this.partial.delete(norm);
        } else {
          // Not an order yet: the create that follows sends only the missing lines.
          this.partial.set(norm, { records: set.records, at: this.clock.now().getTime() });
        }
      }
    }
    return result;
  }

  async create(doc: BcSalesOrderDocument, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot> {
    const key = doc.externalDocumentNumber.trim().toUpperCase();
    if (key === '' || key.length > KEY_MAX) {
      throw new BcSoapError('BC_INVALID_DOCUMENT', `externalDocumentNumber '${key}' must be 1–${KEY_MAX} characters (BC Code[35]); it is the key of the staging records`);
    }
    if (doc.lines.length === 0) throw new BcSoapError('BC_INVALID_DOCUMENT', `order ${key} has no lines; the staging page takes one record per line`);
    const wanted = stagingRecords(doc);
    const known = this.takePartial(key);
    let stored = new Map(known.map((r) => [Number(r.Line_No), r]));
    let lookedUp = known.length > 0;
    let sent = 0;
    try {
      // Lines that a resumed order has but should not (the document changed since): remove them first.
      for (const r of known) {
        if (Number(r.Line_No) > lineNo(wanted.length - 1) && r.Key) {
          await this.staging.delete(r.Key, ctx.orderId);
          sent++;
        }
      }
      // One Create per line, in order: BC locks the staging table per insert, parallel inserts only wait.
      for (let i = 0; i < wanted.length; i++) {
        const have = stored.get(lineNo(i));
        if (have && sameLine(have, wanted[i]!)) continue;
        if (have?.Key) {
          await this.staging.delete(have.Key, ctx.orderId);
          sent++;
        }
        try {
          await this.staging.create(wanted[i]!, ctx.orderId);
          sent++;
          continue;
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
          // Usually an earlier attempt whose answer was lost: the record is what we wanted. Look once at
          // what BC has, to tell that apart from a set BC already processed or rejected.
          if (lookedUp) continue;
          lookedUp = true;
        }
        const set = summarize(key, await this.staging.readMultiple([{ field: 'External_Document_No', criteria: filterLiteral(key) }], { orderId: ctx.orderId }));
        if (set.snapshot.complete) return set.snapshot; // BC made the sales order already: never a second one
        if (set.snapshot.status.startsWith('Error')) {
          // BC could not process the old set (verify reported why); after the fix it is replaced as a whole.
          for (const r of set.records) if (r.Key) await this.staging.delete(r.Key, ctx.orderId);
          stored = new Map();
        } else {
          stored = new Map(set.records.map((r) => [Number(r.Line_No), r]));
          for (const r of set.records) {
            if (Number(r.Line_No) > lineNo(wanted.length - 1) && r.Key) await this.staging.delete(r.Key, ctx.orderId);
          }
        }
        i = -1; // start over against what BC actually has
      }
    } catch (err) {
      throw await this.afterFailure(key, err, sent + stored.size, ctx);
    }
    return {
      id: key,
      number: '',
      externalDocumentNumber: key,
      currencyCode: doc.currencyCode,
      totalAmountExcludingTax: '0',
      totalTaxAmount: '0',
      totalAmountIncludingTax: '0',
      status: 'Processing',
      lineCount: wanted.length,
      complete: false,
    };
  }

  /** Read(External_Document_No, Line_No 10000): BC writes the sales order no. and Completed on every record of the set. */
  async read(id: string, ctx: CreateContext = {}): Promise<BcSalesOrderSnapshot | undefined> {
    const key = id.trim().toUpperCase();
    const rec = await this.staging.read([['External_Document_No', key], ['Line_No', String(lineNo(0))]], ctx.orderId);
    if (!rec) return undefined;
    const snap = summarize(key, [rec]).snapshot;
    return { ...snap, lineCount: Number(rec.Line_Count) || 1 };
  }

  async checkCompany(): Promise<{ id: string; name: string }> {
    // One small ReadMultiple proves the credentials, the company and that the staging page is published there.
    await this.staging.readMultiple([{ field: 'Line_No', criteria: String(lineNo(0)) }], { setSize: 1 });
    return { id: wsRoot(this.config), name: this.config.company };
  }

  async getCustomer(number: string): Promise<BcCustomer | undefined> {
    const no = number.trim().toUpperCase();
    if (no === '') return undefined;
    // Without a customer page the check is BC's: its processor reports an unknown or blocked customer.
    if (!this.services.customer) return { id: '', number: no, displayName: no, blocked: '' };
    return this.masterData.getCustomer(no);
  }

  async getItem(number: string): Promise<BcItem | undefined> {
    const no = number.trim().toUpperCase();
    if (no === '') return undefined;
    if (!this.services.item) return { id: '', number: no, displayName: no, blocked: false };
    return this.masterData.getItem(no);
  }

  close(): Promise<void> {
    return this.closeAll();
  }

  private takePartial(key: string): PageRecord[] {
    const hit = this.partial.get(key);
    this.partial.delete(key);
    if (!hit || this.clock.now().getTime() - hit.at > PARTIAL_TTL_MS) return [];
    return hit.records;
  }

  /**
   * A line failed. BC rejected it: remove the order's staging records so BC never processes half an order
   * and a retry after the fix starts clean. A transient failure after some lines went in: mark it ambiguous
   * so the next attempt looks the order up and sends only the missing lines.
   */
  private async afterFailure(key: string, err: unknown, linesTouched: number, ctx: CreateContext): Promise<unknown> {
    if (!(err instanceof BcError)) return err;
    if (err.retryable) {
      if (err.ambiguous || linesTouched === 0) return err;
      return new BcSoapError(err.code, `${err.message} (some lines of ${key} are in BC already; the next attempt adds the rest)`, {
        status: err.status,
        retryable: true,
        ambiguous: true,
        retryAfterMs: err.retryAfterMs,
        cause: err,
      });
    }
    try {
      const left = await this.staging.readMultiple([{ field: 'External_Document_No', criteria: filterLiteral(key) }], { orderId: ctx.orderId });
      for (const r of left) if (r.Key) await this.staging.delete(r.Key, ctx.orderId);
      return err;
    } catch (cleanupErr) {
      return new BcSoapError('BC_CLEANUP_FAILED', `${err.message} — and removing the staging records already created for ${key} failed (${(cleanupErr as Error).message}); the next attempt tries again`, {
        retryable: true,
        ambiguous: true,
        cause: err,
      });
    }
  }
}

export { filterLiteral };
