/**
 * Webhook subscriptions of the simulated BC (bc-api.md §6, samples api-subscription-create.request.http and
 * api-webhook-notification.json): `…/api/v2.0/subscriptions` (not company-scoped), the validation handshake
 * on create and renew, the 3-day expiry, and notifications sent some time after the first change of a
 * subscribed entity set, batched, as `{value: [{subscriptionId, clientState, expirationDateTime, resource,
 * changeType, lastModifiedDateTime}]}` without entity data. Retries only after 408/429/5xx (or no answer)
 * for 36 h; any other answer deletes the subscription.
 *
 * Changes are detected by comparing each subscribed set with what it was at the last sweep (ids and write
 * versions), so every way a sales order changes — API requests, `$batch`, `/_sim/ship`, `/_sim/invoice`, the
 * SOAP staging processor — notifies, and a line change notifies its header (a line write bumps the
 * header's version). Nothing here imports from `src/`.
 */
import { BcError, badRequest, segmentNotFound } from './errors.js';
import { GUID_RE, makeEtag, newGuid, nowIso } from './ids.js';
import { posted } from './api/posting.js';
import type { World } from './store.js';
import type { ApiResult, Company, Row, Wire } from './types.js';

export interface SubscriptionOptions {
  /** A notification goes out this long after the first change it reports. BC: about 30 s. */
  notifyDelayMs?: number;
  /** Subscriptions expire this long after their creation or last renewal. BC: 3 days. */
  lifetimeMs?: number;
  /** The notificationUrl must echo the validation token within this. */
  handshakeTimeoutMs?: number;
  /** First retry after a 408/429/5xx; doubles per attempt. */
  retryDelayMs?: number;
  /** Retries stop (and the subscription is deleted) this long after the first failed delivery. BC: 36 h. */
  retryWindowMs?: number;
  /** More changes than this in one notification window become one `collection` notice. BC: 1,000. */
  collectionThreshold?: number;
}

/** Entity sets BC sends webhooks for (bc-api.md §6; not salesShipments, not temp-table pages). */
const WEBHOOK_SETS: Record<string, (c: Company) => Row[]> = {
  salesOrders: (c) => c.data.salesOrders,
  salesInvoices: (c) => posted(c).invoices,
  customers: (c) => c.data.customers,
  items: (c) => c.data.items,
  shipmentMethods: (c) => c.data.shipmentMethods,
  countriesRegions: (c) => c.data.countriesRegions,
};

const RESOURCE_RE = /^\/?api\/v2\.0\/companies\(([^)]+)\)\/([A-Za-z]+)$/;
const PATH_RE = /^subscriptions(?:\('([^']*)'\)|\(([^)]*)\))?\/?$/;

interface Notice {
  resource: string;
  changeType: 'created' | 'updated' | 'deleted' | 'collection';
  lastModifiedDateTime: string;
}

interface Subscription {
  row: Row;
  env: string;
  company: Company;
  entitySet: string;
  pending: Notice[];
  firstChangeAt?: number;
  /** Failed deliveries in a row (408/429/5xx or no answer). */
  failures: number;
  firstFailureAt?: number;
  nextAttemptAt?: number;
}

export interface SubscriptionRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: unknown;
  apiBase: string;
  env: string;
  clientId: string;
}

export interface DeliveryRecord {
  subscriptionId: string;
  at: string;
  status: number | 'no answer';
  notices: number;
}

export class Subscriptions {
  private readonly subs: Subscription[] = [];
  /** Per company and set: id → write version at the last sweep. */
  private readonly seen = new WeakMap<Company, Map<string, Map<string, number>>>();
  private timer?: NodeJS.Timeout;
  private sweeping = false;
  readonly deliveries: DeliveryRecord[] = [];
  handshakes = 0;
  private readonly o: Required<SubscriptionOptions>;

  constructor(
    private readonly world: World,
    opts: SubscriptionOptions = {},
  ) {
    this.o = {
      notifyDelayMs: opts.notifyDelayMs ?? 30_000,
      lifetimeMs: opts.lifetimeMs ?? 3 * 86_400_000,
      handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 5_000,
      retryDelayMs: opts.retryDelayMs ?? 60_000,
      retryWindowMs: opts.retryWindowMs ?? 36 * 3_600_000,
      collectionThreshold: opts.collectionThreshold ?? 1_000,
    };
  }

  static isPath(path: string): boolean {
    return /^subscriptions(?:\(|\/?$)/.test(path);
  }

  start(): void {
    const tick = Math.max(10, Math.min(250, Math.floor(this.o.notifyDelayMs / 4)));
    this.timer = setInterval(() => void this.sweep(), tick);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  reset(): void {
    this.subs.length = 0;
    this.deliveries.length = 0;
    this.handshakes = 0;
  }

  /** The subscriptions of an environment as GET shows them. */
  list(env?: string): Wire[] {
    return this.subs.filter((s) => !env || s.env.toLowerCase() === env.toLowerCase()).map((s) => ({ ...s.row.data }));
  }

  /** Test control: makes a subscription expire at this time. */
  setExpiration(id: string, at: string): void {
    const s = this.subs.find((x) => x.row.data.subscriptionId === id);
    if (!s) throw new Error(`no subscription ${id}`);
    s.row.data = { ...s.row.data, expirationDateTime: at };
    s.row.version++;
  }

  async handle(r: SubscriptionRequest): Promise<ApiResult> {
    const m = PATH_RE.exec(r.path);
    if (!m) throw segmentNotFound(r.path.split('/')[1] ?? r.path);
    const id = m[1] ?? m[2];
    const context = `${r.apiBase}/$metadata#subscriptions`;
    const ofEnv = this.subs.filter((s) => s.env.toLowerCase() === r.env.toLowerCase());
    if (id === undefined) {
      if (r.method === 'GET') return { status: 200, body: { '@odata.context': context, value: ofEnv.map((s) => this.wire(s)) } };
      if (r.method !== 'POST') throw new BcError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for 'subscriptions' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`);
      return this.create(r, context);
    }
    const sub = ofEnv.find((s) => s.row.data.subscriptionId === id);
    if (!sub) throw new BcError(404, 'Internal_RecordNotFound', `The API Webhook Subscription does not exist. Identification fields and values: Subscription Id='${id}'`);
    if (r.method === 'GET') return { status: 200, headers: { ETag: this.etag(sub) }, body: { '@odata.context': `${context}/$entity`, ...this.wire(sub) } };
    if (r.method === 'PATCH') {
      this.checkIfMatch(r, sub);
      const body = (r.body ?? {}) as Wire;
      const next = { ...sub.row.data };
      if (body.notificationUrl !== undefined) next.notificationUrl = checkUrl(body.notificationUrl);
      if (body.clientState !== undefined) next.clientState = checkClientState(body.clientState);
      if (body.resource !== undefined && body.resource !== sub.row.data.resource) throw badRequest('The resource of a subscription cannot be changed; delete it and subscribe again.');
      // Renewing performs the handshake again (bc-api.md §6).
      await this.handshake(String(next.notificationUrl));
      const now = Date.now();
      sub.row.data = { ...next, expirationDateTime: new Date(now + this.o.lifetimeMs).toISOString(), lastModifiedDateTime: new Date(now).toISOString() };
      sub.row.version++;
      return { status: 200, headers: { ETag: this.etag(sub) }, body: { '@odata.context': `${context}/$entity`, ...this.wire(sub) } };
    }
    if (r.method === 'DELETE') {
      this.checkIfMatch(r, sub);
      this.subs.splice(this.subs.indexOf(sub), 1);
      return { status: 204 };
    }
    throw new BcError(405, 'BadRequest_MethodNotAllowed', `'${r.method}' requests for 'subscriptions' of EdmType 'Entity' are not allowed within Dynamics 365 Business Central OData web services.`);
  }

  private async create(r: SubscriptionRequest, context: string): Promise<ApiResult> {
    const body = (r.body ?? {}) as Wire;
    if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('Invalid Request Body');
    for (const k of Object.keys(body)) {
      if (!['notificationUrl', 'resource', 'clientState'].includes(k)) {
        throw new BcError(400, 'BadRequest', `The property '${k}' does not exist on type 'Microsoft.NAV.subscriptions' or is read-only.`);
      }
    }
    const notificationUrl = checkUrl(body.notificationUrl);
    const clientState = body.clientState === undefined ? '' : checkClientState(body.clientState);
    if (typeof body.resource !== 'string' || body.resource === '') throw badRequest('A "resource" must be provided.');
    const rm = RESOURCE_RE.exec(body.resource.split('?')[0]!);
    if (!rm || !GUID_RE.test(rm[1]!)) throw badRequest(`The resource '${body.resource}' is not a valid API v2.0 entity set path (/api/v2.0/companies({id})/{entitySet}).`);
    const env = this.world.env(r.env)!;
    const company = this.world.companyById(env, rm[1]!);
    if (!company) throw new BcError(404, 'Internal_CompanyNotFound', `The company '${rm[1]}' does not exist.`);
    const set = rm[2]!;
    // Invented wording: BC documents which sets support webhooks, not the message for the others.
    if (!WEBHOOK_SETS[set]) throw badRequest(`The entity set '${set}' does not support webhook subscriptions.`);
    await this.handshake(notificationUrl);
    const now = Date.now();
    const at = new Date(now).toISOString();
    const sub: Subscription = {
      row: {
        version: 1,
        data: {
          subscriptionId: newGuid().replace(/-/g, ''),
          notificationUrl,
          resource: body.resource,
          timestamp: now,
          userId: r.clientId,
          lastModifiedDateTime: at,
          clientState,
          expirationDateTime: new Date(now + this.o.lifetimeMs).toISOString(),
          systemCreatedAt: at,
          systemModifiedAt: at,
        },
      },
      env: env.name,
      company,
      entitySet: set,
      pending: [],
      failures: 0,
    };
    this.baseline(company, set);
    this.subs.push(sub);
    return { status: 201, headers: { ETag: this.etag(sub), Location: `${r.apiBase}/subscriptions('${sub.row.data.subscriptionId as string}')` }, body: { '@odata.context': `${context}/$entity`, ...this.wire(sub) } };
  }

  /** BC calls the notificationUrl with `?validationToken=…` and needs the token back as the body of a 200. */
  private async handshake(notificationUrl: string): Promise<void> {
    this.handshakes++;
    const token = newGuid();
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    let status: number | undefined;
    let text = '';
    try {
      const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(this.o.handshakeTimeoutMs) });
      status = res.status;
      text = (await res.text()).trim();
    } catch {
      status = undefined;
    }
    if (status !== 200 || text !== token) {
      // Invented wording (BC's own message for a failed handshake is not documented).
      const got = status === undefined ? 'no answer' : status !== 200 ? `HTTP ${status}` : 'a body that is not the validation token';
      throw badRequest(`The subscription cannot be registered: the handshake with the notification URL ${notificationUrl} failed (${got}).`);
    }
  }

  private wire(s: Subscription): Wire {
    return { '@odata.etag': this.etag(s), ...s.row.data };
  }

  private etag(s: Subscription): string {
    return makeEtag(String(s.row.data.subscriptionId), s.row.version);
  }

  private checkIfMatch(r: SubscriptionRequest, s: Subscription): void {
    const h = r.headers['if-match']?.trim();
    if (!h) {
      throw new BcError(400, 'BadRequest_InvalidToken', 'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.');
    }
    if (h !== '*' && !h.split(',').map((x) => x.trim()).includes(this.etag(s))) {
      throw new BcError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
    }
  }

  private baseline(company: Company, set: string): void {
    let perCompany = this.seen.get(company);
    if (!perCompany) this.seen.set(company, (perCompany = new Map()));
    // A set nobody watched until now starts from what it is now: changes before the subscription are not news.
    if (!this.subs.some((s) => s.company === company && s.entitySet === set)) perCompany.set(set, versions(WEBHOOK_SETS[set]!(company)));
  }

  /** Finds changes since the last sweep, drops expired subscriptions, and sends what is due. */
  async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const now = Date.now();
      for (const s of [...this.subs]) {
        if (Date.parse(String(s.row.data.expirationDateTime)) <= now) this.subs.splice(this.subs.indexOf(s), 1);
      }
      this.detect(now);
      await Promise.all(this.subs.filter((s) => this.due(s, now)).map((s) => this.deliver(s)));
    } finally {
      this.sweeping = false;
    }
  }

  private detect(now: number): void {
    const at = new Date(now).toISOString();
    const byCompanySet = new Map<Company, Set<string>>();
    for (const s of this.subs) byCompanySet.set(s.company, (byCompanySet.get(s.company) ?? new Set()).add(s.entitySet));
    for (const [company, sets] of byCompanySet) {
      const perCompany = this.seen.get(company)!;
      const cid = String(company.row.data.id);
      for (const set of sets) {
        const before = perCompany.get(set) ?? new Map<string, number>();
        const after = versions(WEBHOOK_SETS[set]!(company));
        const notices: Notice[] = [];
        for (const [id, v] of after) {
          const old = before.get(id);
          if (old === undefined) notices.push({ resource: `api/v2.0/companies(${cid})/${set}(${id})`, changeType: 'created', lastModifiedDateTime: at });
          else if (old !== v) notices.push({ resource: `api/v2.0/companies(${cid})/${set}(${id})`, changeType: 'updated', lastModifiedDateTime: at });
        }
        for (const id of before.keys()) {
          if (!after.has(id)) notices.push({ resource: `api/v2.0/companies(${cid})/${set}(${id})`, changeType: 'deleted', lastModifiedDateTime: at });
        }
        perCompany.set(set, after);
        if (notices.length === 0) continue;
        for (const s of this.subs) {
          if (s.company !== company || s.entitySet !== set) continue;
          s.pending.push(...notices);
          s.firstChangeAt ??= now;
        }
      }
    }
  }

  private due(s: Subscription, now: number): boolean {
    if (s.pending.length === 0 || s.firstChangeAt === undefined) return false;
    if (s.nextAttemptAt !== undefined) return now >= s.nextAttemptAt;
    return now >= s.firstChangeAt + this.o.notifyDelayMs;
  }

  private async deliver(s: Subscription): Promise<void> {
    const d = s.row.data;
    const notices =
      s.pending.length > this.o.collectionThreshold
        ? [{
            resource: `/api/v2.0/companies(${String(s.company.row.data.id)})/${s.entitySet}?$filter=lastModifiedDateTime%20gt%20${new Date(s.firstChangeAt!).toISOString()}`,
            changeType: 'collection' as const,
            lastModifiedDateTime: nowIso(),
          }]
        : s.pending;
    const sent = s.pending.length;
    const body = { value: notices.map((n) => ({ subscriptionId: d.subscriptionId, clientState: d.clientState, expirationDateTime: d.expirationDateTime, ...n })) };
    let status: number | undefined;
    try {
      const res = await fetch(String(d.notificationUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.handshakeTimeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = undefined;
    }
    this.deliveries.push({ subscriptionId: String(d.subscriptionId), at: nowIso(), status: status ?? 'no answer', notices: notices.length });
    if (status !== undefined && status >= 200 && status < 300) {
      s.pending.splice(0, sent);
      s.firstChangeAt = s.pending.length ? Date.now() : undefined;
      s.failures = 0;
      s.firstFailureAt = undefined;
      s.nextAttemptAt = undefined;
      return;
    }
    const retryable = status === undefined || status === 408 || status === 429 || status >= 500;
    const now = Date.now();
    s.firstFailureAt ??= now;
    if (!retryable || now - s.firstFailureAt >= this.o.retryWindowMs) {
      // bc-api.md §6: any other answer (or 36 h of failures) deletes the subscription.
      const i = this.subs.indexOf(s);
      if (i >= 0) this.subs.splice(i, 1);
      return;
    }
    s.failures++;
    s.nextAttemptAt = now + this.o.retryDelayMs * 2 ** (s.failures - 1);
  }
}

function versions(rows: Row[]): Map<string, number> {
  return new Map(rows.map((r) => [String(r.data.id), r.version]));
}

function checkUrl(v: unknown): string {
  if (typeof v !== 'string' || v === '') throw badRequest('A "notificationUrl" must be provided.');
  try {
    const u = new URL(v);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw badRequest(`The notificationUrl '${v}' is not a valid absolute URL.`);
  }
  return v;
}

function checkClientState(v: unknown): string {
  if (typeof v !== 'string') throw badRequest('"clientState" must be text.');
  if (v.length > 2048) throw new BcError(400, 'Application_StringExceededLength', `The length of the string is ${v.length}, but it must be less than or equal to 2048 characters. Value: ${v.slice(0, 20)}…`);
  return v;
}
