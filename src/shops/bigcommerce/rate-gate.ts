import type { Clock } from '../../domain/clock.js';
import { headerText } from '../http-headers.js';
import { sleep } from '../sleep.js';

/**
 * BigCommerce's quota is per store and shared by every app (reference/webshop-api.md §3 "Rate limits"):
 * each response says how many requests are left in the window (X-Rate-Limit-Requests-Left) and when it
 * resets (X-Rate-Limit-Time-Reset-Ms). The gate keeps that budget, minus the requests still in flight,
 * and makes new requests wait for the reset when it is spent, instead of collecting 429s; a 429 pauses
 * everyone the same way. Without the headers (an unlimited plan) nothing ever waits.
 */
export class RateGate {
  private pauseUntil = 0;
  private inFlight = 0;
  /** Requests we may still start in this window; undefined = not known (trust the server). */
  private budget: number | undefined;
  private resetAt = 0;

  constructor(private readonly clock: Clock) {}

  /** Waits while the quota is spent or a 429 asked for a pause, then counts the caller as in flight. */
  async enter(signal?: AbortSignal): Promise<void> {
    const pause = this.pauseUntil - this.now();
    if (pause > 0) {
      await sleep(pause, signal);
      this.budget = undefined;
    }
    if (this.budget !== undefined && this.budget <= 0) {
      const wait = this.resetAt - this.now();
      // After the reset the server's next answer tells the new budget.
      if (wait > 0) await sleep(wait, signal);
      this.budget = undefined;
    }
    if (this.budget !== undefined) this.budget--;
    this.inFlight++;
  }

  leave(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Reads the quota headers of an answer (any status), after leave() for that request. */
  observe(headers: Record<string, string | string[] | undefined>): void {
    const left = headerNumber(headers['x-rate-limit-requests-left']);
    const reset = headerNumber(headers['x-rate-limit-time-reset-ms']);
    if (left === undefined || reset === undefined) return;
    // What is left minus what is already on its way (those may not have been counted yet).
    this.budget = left - this.inFlight;
    this.resetAt = this.now() + reset;
  }

  pauseFor(ms: number): void {
    this.pauseUntil = Math.max(this.pauseUntil, this.now() + Math.max(0, ms));
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

export function headerNumber(value: string | string[] | undefined): number | undefined {
  const text = headerText(value);
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}

