import { request } from 'undici';
import { DEMO_SHOPS } from '../../src/cli/demo/shops.js';
import { startSimProcess, type SimProcess } from '../../src/cli/sim-process.js';

/** Options of sim/main.ts that the scenarios use. */
export interface SimOptions {
  /** BC latency per request, ms. */
  latencyMs?: number;
  /** Divides BC's rate-limit window (and queue timeout). */
  timeScale?: number;
  /** Requests per (scaled) window; BC's is 6,000. */
  perWindow?: number;
  /** BC requests processed at once per user; BC's is 5. */
  concurrent?: number;
  noLimits?: boolean;
  /** WooCommerce latency per request, ms. */
  wooLatencyMs?: number;
  /** How long BC's job takes to turn complete SOAP staging sets into sales orders, ms (a range: random within). */
  soapDelayMs?: number | [number, number];
}

/** The simulators as a separate process (sim/main.ts), driven through their /_sim/ admin routes. */
export class Sims {
  private constructor(private readonly proc: SimProcess) {}

  static async start(opts: SimOptions = {}): Promise<Sims> {
    const args: string[] = ['--latency', String(opts.latencyMs ?? 0), '--time-scale', String(opts.timeScale ?? 1)];
    if (opts.noLimits) args.push('--no-limits');
    if (opts.perWindow !== undefined) args.push('--per-window', String(opts.perWindow));
    if (opts.concurrent !== undefined) args.push('--concurrent', String(opts.concurrent));
    if (opts.wooLatencyMs) args.push('--woo-latency', String(opts.wooLatencyMs));
    if (Array.isArray(opts.soapDelayMs)) args.push('--soap-delay-ms', String(opts.soapDelayMs[0]), '--soap-delay-max-ms', String(opts.soapDelayMs[1]));
    else if (opts.soapDelayMs !== undefined) args.push('--soap-delay-ms', String(opts.soapDelayMs));
    return new Sims(await startSimProcess(args));
  }

  get endpoints() {
    return this.proc.endpoints;
  }

  get pid(): number | undefined {
    return this.proc.child.pid;
  }

  get wooUrl(): string {
    return this.proc.endpoints.shops.woocommerce.url;
  }

  get bcUrl(): string {
    return this.proc.endpoints.bc.url;
  }

  /**
   * New exportable orders in the shop (in chunks: the simulator generates synchronously and must keep
   * answering the orders API meanwhile). Returns their shop ids.
   */
  async generate(n: number, chunk = 1000, platform = 'woocommerce'): Promise<number[]> {
    const ids: number[] = [];
    for (let done = 0; done < n; done += chunk) {
      const body = DEMO_SHOPS[platform]!.generateBody(Math.min(chunk, n - done));
      const res = await admin<{ ids: number[] }>(`${this.proc.endpoints.shops[platform]!.url}/_sim/generate`, 'POST', body);
      ids.push(...res.ids);
    }
    return ids;
  }

  /** A Shopify simulator order in the REST shape (its `name`, e.g. #1001, is the order number). */
  async shopifyOrder(id: number): Promise<{ id: number; name: string }> {
    return admin(`${this.proc.endpoints.shops.shopify!.url}/_sim/orders/${id}`, 'GET');
  }

  /** One shop order as the simulator holds it (its `number` becomes the BC external document no.). */
  async wooOrder(id: number): Promise<{ id: number; number: string; status: string }> {
    const res = await admin<{ order: { id: number; number: string; status: string } }>(`${this.wooUrl}/_sim/orders/${id}`, 'GET');
    return res.order;
  }

  async bcStats(): Promise<BcSimStats> {
    return admin<BcSimStats>(`${this.bcUrl}/_sim/stats`, 'GET');
  }

  /** Every sales order in a BC environment, straight from the simulator's store (not through the API). */
  async bcSalesOrders(env = 'sandbox'): Promise<{ externalDocumentNumber: string; number: string }[]> {
    return admin(`${this.bcUrl}/_sim/sales-orders?env=${encodeURIComponent(env)}&fields=externalDocumentNumber,number`, 'GET');
  }

  async addBcFaults(rules: BcFaultRule[]): Promise<void> {
    await admin(`${this.bcUrl}/_sim/faults`, 'POST', rules);
  }

  async clearBcFaults(): Promise<void> {
    await admin(`${this.bcUrl}/_sim/faults`, 'DELETE');
  }

  stop(): Promise<void> {
    return this.proc.stop();
  }
}

export interface BcSimStats {
  /** HTTP requests (token endpoint included). */
  requests: number;
  /** Requests as BC's rate limit counts them: a $batch counts each operation. */
  operations: number;
  byStatus: Record<string, number>;
  maxInFlight: number;
  rejected429: number;
  maxOpen: number;
  tokenRequests: number;
  apiUnits: number;
}

export interface BcFaultRule {
  kind: '429' | '429-no-retry-after' | '503' | '504' | 'timeout' | 'reset' | 'drop-after-commit';
  method?: string;
  pathIncludes?: string;
  times?: number;
  probability?: number;
  retryAfterSeconds?: number;
}

async function admin<T>(url: string, method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<T> {
  const res = await request(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    // Listing 100,000 orders takes a while; the simulators are local, so waiting is safe.
    headersTimeout: 600_000,
    bodyTimeout: 600_000,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`simulator ${method} ${new URL(url).pathname} answered ${res.statusCode}: ${text.slice(0, 200)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
