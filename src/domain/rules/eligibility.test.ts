import { describe, expect, it } from 'vitest';
import type { CanonicalOrder } from '../order.js';
import { checkEligibility } from './eligibility.js';

const rules = { exportStatuses: ['processing', 'completed'], ignoreStatuses: ['cancelled', 'refunded'], requirePaid: true, maxChecks: 3 };
const o = (status: string, paid: boolean) => ({ status, paid }) as CanonicalOrder;

describe('eligibility', () => {
  it('exports paid orders in an export status', () => {
    expect(checkEligibility(o('processing', true), rules, 0)).toEqual({ kind: 'eligible' });
    expect(checkEligibility(o('Completed', true), rules, 0)).toEqual({ kind: 'eligible' });
  });
  it('ignores ignored statuses, paid or not', () => {
    expect(checkEligibility(o('cancelled', true), rules, 0).kind).toBe('ignore');
  });
  it('waits for payment, counting checks down', () => {
    const first = checkEligibility(o('processing', false), rules, 0);
    expect(first).toMatchObject({ kind: 'wait', checksLeft: 2 });
    expect(first.kind === 'wait' && first.reason).toContain('paid');
    expect(checkEligibility(o('processing', false), rules, 2)).toMatchObject({ kind: 'wait', checksLeft: 0 });
  });
  it('waits for an export status, naming the allowed ones', () => {
    const r = checkEligibility(o('on-hold', true), rules, 0);
    expect(r.kind === 'wait' && r.reason).toContain('"processing", "completed"');
  });
  it('does not require payment when told so', () => {
    expect(checkEligibility(o('processing', false), { ...rules, requirePaid: false }, 0)).toEqual({ kind: 'eligible' });
  });
  it('ignores guest orders when only registered customers are exported', () => {
    const guest = { status: 'processing', paid: true, orderNumber: '9', customer: { guest: true } } as CanonicalOrder;
    expect(checkEligibility(guest, { ...rules, registeredOnly: true }, 0)).toMatchObject({ kind: 'ignore', code: 'GUEST_NOT_EXPORTED' });
    expect(checkEligibility({ ...guest, customer: { guest: false, shopCustomerId: '4' } }, { ...rules, registeredOnly: true }, 0)).toEqual({ kind: 'eligible' });
  });
  it('gives up waiting after giveUpAfterDays since the order was placed', () => {
    const old = { status: 'on-hold', paid: false, createdAt: '2026-01-01T00:00:00Z', customer: { guest: true } } as CanonicalOrder;
    const r = checkEligibility(old, { ...rules, giveUpAfterDays: 7 }, 0, new Date('2026-01-09T00:00:00Z'));
    expect(r).toMatchObject({ kind: 'ignore', code: 'WAIT_EXPIRED' });
    expect(r.kind === 'ignore' && r.reason).toContain('more than 7 day(s) ago');
    expect(checkEligibility(old, { ...rules, giveUpAfterDays: 7 }, 0, new Date('2026-01-05T00:00:00Z')).kind).toBe('wait');
  });
  it('names the ignored status with a stable code', () => {
    expect(checkEligibility(o('refunded', true), rules, 0)).toMatchObject({ kind: 'ignore', code: 'IGNORED_STATUS' });
  });
});
