/** Counters the tests and the benchmark read (BcSim.stats(), GET /_sim/stats). */
export interface SimStats {
  /** Every request to the token endpoint or the API (not /_sim/). */
  requests: number;
  /** `requests`, with a $batch counted once per operation inside it: what BC's rate limit counts. */
  operations: number;
  /** Count per HTTP status sent, plus 'reset', 'timeout', 'dropped' for injected socket faults. */
  byStatus: Record<string, number>;
  /** Most API requests of one user processed at the same time (≤ the concurrency limit). */
  maxInFlight: number;
  /** Every 429 sent (rate/queue limit and injected). */
  rejected429: number;
  /** Most API requests of one user open at once (processing + queued): what the client sent concurrently. */
  maxOpen: number;
  tokenRequests: number;
  /** Rate-limit units spent on API requests ($batch counts each inner request). */
  apiUnits: number;
}

export class Stats {
  private s: SimStats = Stats.empty();

  private static empty(): SimStats {
    return { requests: 0, operations: 0, byStatus: {}, maxInFlight: 0, rejected429: 0, maxOpen: 0, tokenRequests: 0, apiUnits: 0 };
  }

  request(): void {
    this.s.requests++;
    this.s.operations++;
  }
  /** A $batch of `n` operations: counted once by request(), n − 1 more here. */
  batch(n: number): void {
    this.s.operations += Math.max(0, n - 1);
  }
  token(): void {
    this.s.tokenRequests++;
  }
  units(n: number): void {
    this.s.apiUnits += n;
  }
  outcome(status: number | string): void {
    const k = String(status);
    this.s.byStatus[k] = (this.s.byStatus[k] ?? 0) + 1;
    if (k === '429') this.s.rejected429++;
  }
  inFlight(n: number): void {
    if (n > this.s.maxInFlight) this.s.maxInFlight = n;
  }
  open(n: number): void {
    if (n > this.s.maxOpen) this.s.maxOpen = n;
  }
  snapshot(): SimStats {
    return { ...this.s, byStatus: { ...this.s.byStatus } };
  }
  reset(): void {
    this.s = Stats.empty();
  }
}
