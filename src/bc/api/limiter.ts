import type { Clock } from '../../domain/clock.js';

export interface BcLimiterOptions {
  /** Requests in flight at once. BC online processes 5 per user and queues the rest (reference/bc-api.md §2). */
  maxInFlight: number;
  /** Starts allowed per sliding window; BC answers 429 beyond 6,000 per 5 minutes per user. */
  requestsPerWindow: number;
  windowMs: number;
}

export interface BcLimiterDeps {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
}

/**
 * The request budget of one BC user (app registration): a semaphore for concurrency plus client-side
 * pacing, so bcbridge slows down before BC throttles it. One instance per credentials per process
 * (see sharedLimiter): two targets with the same app registration share BC's limits, so they must share
 * this too.
 */
export class BcLimiter {
  readonly options: BcLimiterOptions;
  private readonly deps: BcLimiterDeps;
  private inFlight = 0;
  private readonly waiters: Array<() => void> = [];
  /** Reserved start times (ms) of the last `requestsPerWindow` requests, as a ring. */
  private readonly starts: number[] = [];
  private next = 0;
  private pausedUntil = 0;
  private peak = 0;

  constructor(options: BcLimiterOptions, deps: BcLimiterDeps) {
    if (!(options.maxInFlight >= 1)) throw new RangeError('maxInFlight must be at least 1');
    if (!(options.requestsPerWindow >= 1)) throw new RangeError('requestsPerWindow must be at least 1');
    this.options = options;
    this.deps = deps;
  }

  /**
   * Runs `fn` once a slot and the pace allow; the slot is held until `fn` settles (response body read).
   * `units` is what the request costs against the window: a `$batch` counts each of its operations
   * (reference/bc-api.md §1.7), while it takes one slot like any other request.
   */
  async run<T>(fn: () => Promise<T>, units = 1): Promise<T> {
    await this.acquire();
    try {
      await this.pace(units);
      return await fn();
    } finally {
      this.release();
    }
  }

  /** BC said "wait" (429/503 with Retry-After): every request of this user waits, not just the one retried. */
  holdFor(ms: number): void {
    if (ms > 0) this.pausedUntil = Math.max(this.pausedUntil, this.deps.clock.now().getTime() + ms);
  }

  stats(): { inFlight: number; queued: number; peakInFlight: number } {
    return { inFlight: this.inFlight, queued: this.waiters.length, peakInFlight: this.peak };
  }

  private acquire(): Promise<void> {
    if (this.inFlight < this.options.maxInFlight) {
      this.inFlight++;
      this.peak = Math.max(this.peak, this.inFlight);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const next = this.waiters.shift();
    // Hand the slot straight to the next waiter, so a newcomer cannot overtake the queue.
    if (next) next();
    else this.inFlight--;
  }

  /**
   * Reserves a start time synchronously (no await between reading and writing the ring), so concurrent
   * callers get distinct slots and a fake sleep in tests cannot make this spin.
   */
  private async pace(units: number): Promise<void> {
    const now = this.deps.clock.now().getTime();
    let startAt = Math.max(now, this.pausedUntil);
    const { requestsPerWindow, windowMs } = this.options;
    // A request of several units (a $batch) starts when the last of its places in the window is free, and
    // all of them are booked at that start.
    const booked = Math.min(Math.max(1, units), requestsPerWindow);
    const unused = requestsPerWindow - this.starts.length;
    for (let u = unused; u < booked; u++) {
      // The oldest of the last N starts must have left the window before the next may start.
      startAt = Math.max(startAt, this.starts[(this.next + u - unused) % requestsPerWindow]! + windowMs);
    }
    for (let u = 0; u < booked; u++) {
      if (this.starts.length < requestsPerWindow) this.starts.push(startAt);
      else {
        this.starts[this.next] = startAt;
        this.next = (this.next + 1) % requestsPerWindow;
      }
    }
    if (startAt > now) await this.deps.sleep(startAt - now);
  }
}

const registry = new Map<string, BcLimiter>();

/**
 * The limiter for one BC user in this process. The first caller's options win: the budget belongs to the
 * credentials, not to whichever target asked first, and two differing budgets for one user would be a lie.
 */
export function sharedLimiter(key: string, options: BcLimiterOptions, deps: BcLimiterDeps): BcLimiter {
  let limiter = registry.get(key);
  if (!limiter) {
    limiter = new BcLimiter(options, deps);
    registry.set(key, limiter);
  }
  return limiter;
}
