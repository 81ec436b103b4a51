/**
 * Injected failures, the kind a WooCommerce host produces (core itself has no rate limit,
 * webshop-api.md §1 "Rate limits"): 429 from a WAF/CDN with or without Retry-After, a PHP fatal (500),
 * a 503 maintenance page, a connection reset, a request that never gets an answer.
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

export const PHP_FATAL_BODY = {
  code: 'internal_server_error',
  message: '<p>There has been a critical error on this website.</p><p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">Learn more about troubleshooting WordPress.</a></p>',
  data: { status: 500 },
  additional_errors: [],
};

export const HTML_429 = '<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export const HTML_503 = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Maintenance</title></head><body><h1>Briefly unavailable for scheduled maintenance. Check back in a minute.</h1></body></html>\n';
