/**
 * The client's picture of Shopify's calculated-cost bucket (webshop-api.md §2 "Rate limits"). Every
 * GraphQL response reports `extensions.cost.throttleStatus {maximumAvailable, currentlyAvailable,
 * restoreRate}`; between responses the bucket refills at restoreRate points per second. Before a request
 * the client waits until the bucket holds what that operation requested last time, so it is not sent
 * only to be refused with THROTTLED.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostThrottle {
  private status?: ThrottleStatus;
  /** When `status` was read (ms). */
  private at = 0;
  /** Requested cost per operation name, as Shopify computed it last time. */
  private readonly requested = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Remembers what a response said. */
  observe(operation: string, cost: { requestedQueryCost?: unknown; throttleStatus?: unknown } | undefined): void {
    if (!cost) return;
    if (typeof cost.requestedQueryCost === 'number') this.requested.set(operation, cost.requestedQueryCost);
    const s = cost.throttleStatus as Partial<ThrottleStatus> | undefined;
    if (s && typeof s.currentlyAvailable === 'number' && typeof s.restoreRate === 'number' && typeof s.maximumAvailable === 'number' && s.restoreRate > 0) {
      this.status = { maximumAvailable: s.maximumAvailable, currentlyAvailable: s.currentlyAvailable, restoreRate: s.restoreRate };
      this.at = this.now();
    }
  }

  /** Points available now, as far as the client can tell (undefined before the first response). */
  available(): number | undefined {
    if (!this.status) return undefined;
    const refill = ((this.now() - this.at) / 1000) * this.status.restoreRate;
    return Math.min(this.status.maximumAvailable, this.status.currentlyAvailable + refill);
  }

  /** How long to wait before `operation` (or a query of `cost` points) can run without being throttled. */
  waitMs(operation: string, cost = this.requested.get(operation)): number {
    const available = this.available();
    if (cost === undefined || available === undefined || !this.status) return 0;
    const need = Math.min(cost, this.status.maximumAvailable);
    if (available >= need) return 0;
    // A few ms of margin: the shop's clock and ours do not tick together.
    return Math.ceil(((need - available) / this.status.restoreRate) * 1000) + 20;
  }

  /** Spends points locally right away, so concurrent callers do not all count on the same points. */
  reserve(operation: string): void {
    const cost = this.requested.get(operation);
    if (cost === undefined || !this.status) return;
    const available = this.available()!;
    this.status = { ...this.status, currentlyAvailable: available - cost };
    this.at = this.now();
  }

  lastRequested(operation: string): number | undefined {
    return this.requested.get(operation);
  }
}
