import { batchEnvelope, type BatchOperation, type BatchOutcome, MAX_BATCH_OPERATIONS, readBatchAnswer } from './batch.js';
import { BcApiError } from './errors.js';
import type { BcHttp, BcResponse } from './http.js';
import { stringifyJson } from './json.js';
import { isGuid, odataQuery, odataString } from './odata.js';
import { withRetry } from './retry.js';

export interface BcApiClientOptions {
  /** API root, e.g. `https://api.businesscentral.dynamics.com/v2.0/{tenant}/{env}/api/v2.0`. */
  apiUrl: string;
  /** BC environment name, for messages. */
  environment: string;
  /** Company name (or display name) or GUID. */
  company: string;
  http: BcHttp;
  maxRetries: number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** `Prefer: odata.maxpagesize`; BC's own maximum is 20,000. Default 1000. */
  pageSize?: number;
}

export interface BcCompany {
  id: string;
  name: string;
}

export interface CallContext {
  orderId?: number;
  /**
   * Read from the primary database, not a read-only replica. Replicas may lag a little behind; a lookup
   * deciding whether an order already exists must see the latest commit, or it invites a duplicate.
   */
  consistent?: boolean;
  /** A create must not be sent after this moment (epoch ms): see BcRequest.sendBy. */
  sendBy?: number;
}

type Query = Record<string, string | undefined>;

/**
 * BC API v2.0 over BcHttp: company-scoped URLs, retries, paging. Knows OData, not sales orders.
 */
export class BcApiClient {
  readonly apiUrl: string;
  private readonly opts: BcApiClientOptions;
  private company?: BcCompany;
  private companyPending?: Promise<BcCompany>;

  constructor(opts: BcApiClientOptions) {
    this.opts = opts;
    this.apiUrl = opts.apiUrl.replace(/\/+$/, '');
  }

  /** URL of an entity set or path inside the company: `companies({id})/salesOrders?…`. */
  async companyUrl(path: string, query: Query = {}): Promise<string> {
    const company = await this.resolveCompany();
    return `${this.apiUrl}/companies(${company.id})/${path}${odataQuery(query)}`;
  }

  /** The configured company, resolved once (by GUID or by name) and cached; `fresh` asks BC again. */
  resolveCompany(fresh = false): Promise<BcCompany> {
    if (this.company && !fresh) return Promise.resolve(this.company);
    this.companyPending ??= this.lookupCompany().then(
      (c) => {
        this.company = c;
        this.companyPending = undefined;
        return c;
      },
      (err: unknown) => {
        this.companyPending = undefined;
        throw err;
      },
    );
    return this.companyPending;
  }

  /** GET one JSON document (retried on any transient failure: reading twice is harmless). */
  async get(url: string, ctx: CallContext = {}, headers?: Record<string, string>): Promise<unknown> {
    const intent = { 'data-access-intent': ctx.consistent ? 'ReadWrite' : 'ReadOnly' };
    const res = await this.send({ method: 'GET', url, orderId: ctx.orderId, headers: { ...intent, ...headers } }, true);
    return res.json();
  }

  /** Like get, but a 404 is an answer ("BC does not have it"), not an error. */
  async getOptional(url: string, ctx: CallContext = {}): Promise<unknown | undefined> {
    try {
      return await this.get(url, ctx);
    } catch (err) {
      if (err instanceof BcApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Every entity of a collection, following `@odata.nextLink`. */
  async list(url: string, ctx: CallContext = {}): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for await (const page of this.pages(url, ctx)) all.push(...page);
    return all;
  }

  async *pages(url: string, ctx: CallContext = {}): AsyncGenerator<Record<string, unknown>[]> {
    const origin = new URL(this.apiUrl).origin;
    let next: string | undefined = url;
    while (next) {
      const body = (await this.get(next, ctx, { prefer: `odata.maxpagesize=${this.opts.pageSize ?? 1000}` })) as {
        value?: unknown;
        '@odata.nextLink'?: unknown;
      };
      if (!body || !Array.isArray(body.value)) {
        throw new BcApiError('BC_PROTOCOL', `BC answered a collection request without "value" (${new URL(next).pathname})`);
      }
      yield body.value as Record<string, unknown>[];
      const link = body['@odata.nextLink'];
      if (typeof link !== 'string' || link === '') break;
      const resolved: URL = new URL(link, next);
      // The next request carries our bearer token: never follow a link off BC's origin.
      if (resolved.origin !== origin) {
        throw new BcApiError('BC_PROTOCOL', `BC's @odata.nextLink points to another host (${resolved.host}); not following it`);
      }
      next = resolved.toString();
    }
  }

  /**
   * POST a JSON body. Retried only when BC provably did not run it (429, 503, refused connection); an
   * ambiguous failure is thrown with `ambiguous: true` (DESIGN.md guarantee 1).
   */
  async post(url: string, body: unknown, ctx: CallContext = {}): Promise<BcResponse> {
    return this.send({ method: 'POST', url, body: stringifyJson(body), orderId: ctx.orderId, sendBy: ctx.sendBy }, false);
  }

  /**
   * PATCH a JSON body with If-Match (BC requires one; `*` = whatever the current version is). Setting the
   * same values twice changes nothing, so it is retried like a read.
   */
  async patch(url: string, body: unknown, ctx: CallContext = {}, ifMatch = '*'): Promise<BcResponse> {
    return this.send({ method: 'PATCH', url, body: stringifyJson(body), orderId: ctx.orderId, headers: { 'if-match': ifMatch } }, true);
  }

  /** DELETE with If-Match. Deleting twice ends in a 404 the caller may treat as done, so it is retried like a read. */
  async delete(url: string, ctx: CallContext = {}, ifMatch = '*'): Promise<BcResponse> {
    return this.send({ method: 'DELETE', url, orderId: ctx.orderId, headers: { 'if-match': ifMatch } }, true);
  }

  /**
   * Several requests in one `$batch` (at most 100): one HTTP exchange that costs one unit of the user's
   * budget per operation, and an outcome per operation. Repeated as a whole only when BC provably did not run
   * it (429, 503, refused connection); any other failure of the exchange is thrown, ambiguous for writes:
   * each operation in it may or may not have run.
   */
  async batch(ops: BatchOperation[], ctx: CallContext = {}): Promise<BatchOutcome[]> {
    if (ops.length === 0) return [];
    if (ops.length > MAX_BATCH_OPERATIONS) throw new RangeError(`A $batch holds at most ${MAX_BATCH_OPERATIONS} operations, not ${ops.length}`);
    const operations = ops.map((o) => ({ method: o.method, url: o.url, orderId: o.orderId }));
    const res = await this.send(
      { method: 'POST', url: `${this.apiUrl}/$batch`, body: batchEnvelope(this.apiUrl, ops), sendBy: ctx.sendBy, operations },
      ops.every((o) => o.method === 'GET'),
    );
    const outcomes = readBatchAnswer(res, ops, new Date());
    this.opts.http.recordOperations(
      outcomes.map((o, i) => (o.ok ? { ...operations[i]!, status: o.status } : { ...operations[i]!, status: o.error.status, correlationId: o.error.correlationId, error: o.error.message })),
      res.at,
      res.durationMs,
    );
    return outcomes;
  }

  private send(req: Parameters<BcHttp['send']>[0], idempotent: boolean): Promise<BcResponse> {
    return withRetry(() => this.opts.http.send(req), {
      maxRetries: this.opts.maxRetries,
      idempotent,
      sleep: this.opts.sleep,
      random: this.opts.random,
    });
  }

  private async lookupCompany(): Promise<BcCompany> {
    const wanted = this.opts.company.trim();
    if (isGuid(wanted)) {
      const found = (await this.getOptional(`${this.apiUrl}/companies(${wanted})`)) as Record<string, unknown> | undefined;
      if (found && typeof found.id === 'string') return { id: found.id, name: String(found.name ?? wanted) };
      return this.companyNotFound(wanted);
    }
    const byName = await this.list(`${this.apiUrl}/companies${odataQuery({ $filter: `name eq ${odataString(wanted)}` })}`);
    const hit = byName.find((c) => typeof c.id === 'string');
    if (hit) return { id: hit.id as string, name: String(hit.name) };
    return this.companyNotFound(wanted);
  }

  /**
   * No company has that name: accept a unique display name match (what people see in BC's UI), otherwise
   * name the companies that do exist, since a typo is the usual cause.
   */
  private async companyNotFound(wanted: string): Promise<BcCompany> {
    let names: string[] = [];
    try {
      const all = await this.list(`${this.apiUrl}/companies`);
      const byDisplay = all.filter(
        (c) => typeof c.displayName === 'string' && c.displayName.toLowerCase() === wanted.toLowerCase() && typeof c.id === 'string',
      );
      if (byDisplay.length === 1) return { id: byDisplay[0].id as string, name: String(byDisplay[0].name) };
      names = all.map((c) => String(c.name));
    } catch (err) {
      if (err instanceof BcApiError && (err.code === 'BC_AUTH' || err.code === 'BC_FORBIDDEN')) throw err;
      // Otherwise listing is only a hint for the message.
    }
    throw new BcApiError(
      'BC_COMPANY_NOT_FOUND',
      `BC environment ${this.opts.environment} has no company '${wanted}'${names.length ? `; it has: ${names.map((n) => `'${n}'`).join(', ')}` : ''}`,
    );
  }
}
