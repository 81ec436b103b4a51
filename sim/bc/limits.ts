import { BcError, tooManyRequests } from './errors.js';

/**
 * BC online limits per user (bc-api.md §2): `concurrent` requests processed at once, the rest
 * queued (up to `maxQueue`, beyond that 429; a request queued longer than the operation timeout
 * gets 503); `perWindow` requests per sliding `windowMs` (beyond that 429). One user = one app
 * registration (client id) for service-to-service tokens.
 */
export interface LimitConfig {
  concurrent: number;
  perWindow: number;
  windowMs: number;
  maxQueue: number;
  queueTimeoutMs: number;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (e: BcError) => void;
  timer: NodeJS.Timeout;
}

export class UserLimiter {
  inFlight = 0;
  open = 0;
  private queue: Waiter[] = [];
  private stamps: number[] = [];
  private head = 0;

  constructor(private cfg: LimitConfig | null) {}

  /** Counts `cost` requests against the sliding window, or returns the 429 to send. */
  admit(cost: number, now = Date.now()): BcError | null {
    if (!this.cfg) return null;
    const { perWindow, windowMs } = this.cfg;
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - windowMs) this.head++;
    if (this.head > 4096) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    const count = this.stamps.length - this.head;
    if (count + cost > perWindow) {
      // Seconds until enough earlier requests leave the window.
      const idx = this.head + Math.min(count - 1, Math.max(0, count + cost - perWindow - 1));
      const wait = (this.stamps[idx] ?? now) + windowMs - now;
      return tooManyRequests(count + cost, perWindow, Math.max(1, Math.ceil(wait / 1000)));
    }
    for (let i = 0; i < cost; i++) this.stamps.push(now);
    return null;
  }

  /** Waits for a processing slot; resolves with its release function. */
  acquire(): Promise<() => void> {
    const max = this.cfg?.concurrent ?? Infinity;
    if (this.inFlight < max) {
      this.inFlight++;
      return Promise.resolve(this.releaser());
    }
    const maxQueue = this.cfg?.maxQueue ?? Infinity;
    if (this.queue.length >= maxQueue) {
      return Promise.reject(tooManyRequests(this.inFlight + this.queue.length + 1, this.cfg!.concurrent + maxQueue));
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.queue = this.queue.filter((x) => x !== w);
          reject(new BcError(503, 'Internal_ServiceUnavailable', 'The request waited too long in the queue and was cancelled.', { 'Retry-After': '1' }));
        }, this.cfg!.queueTimeoutMs),
      };
      this.queue.push(w);
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.queue.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(this.releaser()); // hand the slot over: inFlight stays the same
      } else {
        this.inFlight--;
      }
    };
  }

  /** Forgets the requests counted in the window (a reset must not strand queued requests). */
  clearWindow(): void {
    this.stamps = [];
    this.head = 0;
  }

  /** On shutdown: queued requests get a 503 instead of waiting forever. */
  dispose(): void {
    for (const w of this.queue) {
      clearTimeout(w.timer);
      w.reject(new BcError(503, 'Internal_ServiceUnavailable', 'The service is shutting down.', { 'Retry-After': '1' }));
    }
    this.queue = [];
  }
}

export class Limits {
  private users = new Map<string, UserLimiter>();
  constructor(readonly cfg: LimitConfig | null) {}

  for(user: string): UserLimiter {
    let u = this.users.get(user);
    if (!u) this.users.set(user, (u = new UserLimiter(this.cfg)));
    return u;
  }

  reset(): void {
    for (const u of this.users.values()) u.clearWindow();
  }

  dispose(): void {
    for (const u of this.users.values()) u.dispose();
  }
}
