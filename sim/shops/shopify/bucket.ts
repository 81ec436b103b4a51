/**
 * The calculated-cost leaky bucket of the GraphQL Admin API (webshop-api.md §2 "Rate limits"): the
 * requested cost is taken before a query runs (refused with THROTTLED when not available), the difference
 * to the actual cost is given back afterwards, and the bucket refills at `restoreRate` points per second.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private available: number;
  private at: number;

  constructor(
    public maximumAvailable: number,
    public restoreRate: number,
    private readonly now: () => number,
  ) {
    this.available = maximumAvailable;
    this.at = now();
  }

  private refill(): void {
    const t = this.now();
    this.available = Math.min(this.maximumAvailable, this.available + ((t - this.at) / 1000) * this.restoreRate);
    this.at = t;
  }

  /** Takes `cost` points if available; false (nothing taken) when the query must be throttled. */
  take(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  giveBack(points: number): void {
    this.refill();
    this.available = Math.min(this.maximumAvailable, this.available + Math.max(0, points));
  }

  set(opts: { maximumAvailable?: number; restoreRate?: number; currentlyAvailable?: number }): void {
    this.refill();
    if (opts.maximumAvailable !== undefined) this.maximumAvailable = opts.maximumAvailable;
    if (opts.restoreRate !== undefined) this.restoreRate = opts.restoreRate;
    if (opts.currentlyAvailable !== undefined) this.available = opts.currentlyAvailable;
    this.available = Math.min(this.available, this.maximumAvailable);
  }

  status(): ThrottleStatus {
    this.refill();
    // Shopify reports whole points.
    return { maximumAvailable: this.maximumAvailable, currentlyAvailable: Math.floor(this.available), restoreRate: this.restoreRate };
  }
}
