/**
 * Injected failures, the kind a shop's host produces in front of the platform: a 429 from a WAF/CDN
 * with or without Retry-After, a PHP fatal (500), a 503 maintenance page, a connection reset, a request
 * that never gets an answer. Which page or body a status fault answers with is the platform's business.
 */
import type { Rng } from './rng.js';

export type FaultKind = '429' | '500' | '503' | 'reset' | 'timeout';

export interface FaultRule {
  kind: FaultKind;
  /** Only requests whose path+query contains this string. */
  pathIncludes?: string;
  /** Only requests with this HTTP method (e.g. POST, to fail a create but not the list before it). Default: any. */
  method?: string;
  /** Fire this many times, then drop the rule. Default: unlimited. */
  times?: number;
  /** Chance to fire per matching request. Default 1. */
  probability?: number;
  /** Seconds for the Retry-After header of a 429/503; omitted when not set. */
  retryAfter?: number;
}

export class Faults {
  private rules: FaultRule[] = [];

  constructor(private rng: Rng) {}

  add(rule: FaultRule): void {
    if (!['429', '500', '503', 'reset', 'timeout'].includes(rule.kind)) throw new Error(`unknown fault kind ${rule.kind}`);
    this.rules.push({ ...rule });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The rule that fires for this request, if any (consumes one of its `times`). */
  match(pathAndQuery: string, method?: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.pathIncludes && !pathAndQuery.includes(rule.pathIncludes)) continue;
      if (rule.method && method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.probability !== undefined && !(this.rng.next() < rule.probability)) continue;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.rules = this.rules.filter((r) => r !== rule);
      }
      return rule;
    }
    return undefined;
  }
}
