/**
 * Fault injection (DESIGN.md §6): rules matched against incoming requests (API and token endpoint,
 * never /_sim/). A rule applies `times` times (default 1) or, with `probability`, randomly forever.
 */
export type FaultKind = '429' | '429-no-retry-after' | '503' | '504' | 'timeout' | 'reset' | 'drop-after-commit';

export interface FaultRule {
  kind: FaultKind;
  /** HTTP method to match (case-insensitive); any when omitted. */
  method?: string;
  /** Substring of the request URL (path + query, as sent). */
  pathIncludes?: string;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Instead of `times`: apply to each matching request with this probability, forever. */
  probability?: number;
  /** Retry-After for '429' and '503' (default 1 second). */
  retryAfterSeconds?: number;
}

export interface FaultController {
  add(rule: FaultRule): void;
  clear(): void;
  setLatency(ms: number): void;
}

export const FAULT_KINDS: readonly FaultKind[] = ['429', '429-no-retry-after', '503', '504', 'timeout', 'reset', 'drop-after-commit'];

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export class Faults implements FaultController {
  private rules: ActiveRule[] = [];
  latencyMs: number;

  constructor(latencyMs = 0) {
    this.latencyMs = latencyMs;
  }

  add(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`unknown fault kind '${String(rule.kind)}'`);
    this.rules.push({ rule: { ...rule }, remaining: rule.probability !== undefined ? Infinity : (rule.times ?? 1) });
  }

  clear(): void {
    this.rules = [];
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  /** The first rule that matches this request (consuming one of its `times`), if any. */
  take(method: string, url: string): FaultRule | undefined {
    for (const a of this.rules) {
      const r = a.rule;
      if (r.method && r.method.toUpperCase() !== method.toUpperCase()) continue;
      if (r.pathIncludes && !url.includes(r.pathIncludes) && !safeDecode(url).includes(r.pathIncludes)) continue;
      if (r.probability !== undefined) {
        if (Math.random() >= r.probability) continue;
        return r;
      }
      a.remaining -= 1;
      if (a.remaining <= 0) this.rules = this.rules.filter((x) => x !== a);
      return r;
    }
    return undefined;
  }

  active(): FaultRule[] {
    return this.rules.map((a) => ({ ...a.rule, ...(Number.isFinite(a.remaining) ? { times: a.remaining } : {}) }));
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
