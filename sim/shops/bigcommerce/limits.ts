/**
 * BigCommerce's per-store request quota (reference/webshop-api.md §3 "Rate limits"): a fixed window
 * (30 s) with a quota (150 Standard/Plus, 450 Pro). Every API answer carries the four headers; past the
 * quota the answer is 429 with the same headers, and X-Rate-Limit-Time-Reset-Ms says how long to wait.
 */
export interface LimitOptions {
  windowMs: number;
  quota: number;
}

export class RateWindow {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly opts: LimitOptions, private readonly now: () => number) {}

  /** Counts one request; returns the headers to send and whether it is over the quota. */
  take(): { allowed: boolean; headers: Record<string, string> } {
    const t = this.now();
    if (t - this.windowStart >= this.opts.windowMs) {
      this.windowStart = t;
      this.used = 0;
    }
    const allowed = this.used < this.opts.quota;
    if (allowed) this.used++;
    const reset = Math.max(0, this.windowStart + this.opts.windowMs - t);
    return {
      allowed,
      headers: {
        'X-Rate-Limit-Time-Window-Ms': String(this.opts.windowMs),
        'X-Rate-Limit-Time-Reset-Ms': String(reset),
        'X-Rate-Limit-Requests-Quota': String(this.opts.quota),
        'X-Rate-Limit-Requests-Left': String(Math.max(0, this.opts.quota - this.used)),
      },
    };
  }
}

/** Plan quotas per 30 s window. */
export const PLAN_QUOTAS = { standard: 150, plus: 150, pro: 450 } as const;
