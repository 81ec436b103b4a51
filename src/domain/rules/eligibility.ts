import type { CanonicalOrder } from '../order.js';

export interface EligibilityRules {
  exportStatuses: string[];
  ignoreStatuses: string[];
  requirePaid: boolean;
  maxChecks: number;
  /** Guest orders are never exported. */
  registeredOnly?: boolean;
  /** A not-yet-eligible order placed longer ago than this is given up. */
  giveUpAfterDays?: number;
}

export type Eligibility =
  | { kind: 'eligible' }
  | { kind: 'ignore'; code: 'IGNORED_STATUS' | 'GUEST_NOT_EXPORTED' | 'WAIT_EXPIRED'; reason: string }
  /** Not yet: re-check later (Tinx "No. of Order Checks"); `checksLeft` = 0 means this was the last check. */
  | { kind: 'wait'; reason: string; checksLeft: number };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Pure: is this order exportable now, never, or maybe later? `checksDone` counts earlier checks; `now` is
 * needed only for `giveUpAfterDays`.
 */
export function checkEligibility(order: CanonicalOrder, rules: EligibilityRules, checksDone: number, now?: Date): Eligibility {
  const status = order.status.toLowerCase();
  if (rules.ignoreStatuses.map((s) => s.toLowerCase()).includes(status)) {
    return { kind: 'ignore', code: 'IGNORED_STATUS', reason: `the shop status is "${order.status}", which is set to be ignored` };
  }
  if (rules.registeredOnly && order.customer.guest) {
    return { kind: 'ignore', code: 'GUEST_NOT_EXPORTED', reason: `order ${order.orderNumber} was placed as a guest and only orders of registered customers are exported` };
  }
  const statusOk = rules.exportStatuses.map((s) => s.toLowerCase()).includes(status);
  const paidOk = !rules.requirePaid || order.paid;
  if (statusOk && paidOk) return { kind: 'eligible' };
  const why = !statusOk
    ? `the shop status is "${order.status}"; only ${rules.exportStatuses.map((s) => `"${s}"`).join(', ')} are exported`
    : 'the shop does not report it as paid yet';
  if (rules.giveUpAfterDays !== undefined && now) {
    const placed = Date.parse(order.createdAt);
    if (!Number.isNaN(placed) && now.getTime() - placed > rules.giveUpAfterDays * DAY_MS) {
      return { kind: 'ignore', code: 'WAIT_EXPIRED', reason: `${why}, and it was placed on ${order.createdAt.slice(0, 10)}, more than ${rules.giveUpAfterDays} day(s) ago` };
    }
  }
  const checksLeft = Math.max(0, rules.maxChecks - (checksDone + 1));
  return { kind: 'wait', reason: why, checksLeft };
}
