import { afterEach, describe, expect, it } from 'vitest';
import { DATABASES } from './helpers/databases.js';
import { cycleUntil, orderOf, placeOrder, settled, startRulesWorld, type RulesWorld } from './helpers/rules-world.js';

/** Which orders go to BC at all: statuses, payment, registered customers only, re-checks. */
describe.each(DATABASES)('eligibility rules end to end on %s', (kind) => {
  let rw: RulesWorld;
  afterEach(async () => {
    await rw?.close();
    rw = undefined as unknown as RulesWorld;
  });

  it('guests are ignored when only registered customers are exported; unpaid orders wait and are given up after N checks', async () => {
    rw = await startRulesWorld(kind, {}, { registeredOnly: true, maxChecks: 2, recheckMinutes: 0.0001 });
    const { world, store, rt } = rw;
    const guest = placeOrder(world, { customer_id: 0 });
    const member = placeOrder(world, { customer_id: 25 });
    const unpaid = placeOrder(world, { customer_id: 26, status: 'on-hold', date_paid: null, date_paid_gmt: null } as never);
    await cycleUntil(rt, () => settled(store, [guest, member, unpaid], ['verified', 'ignored']));
    expect(await orderOf(store, guest)).toMatchObject({ state: 'ignored', reason_code: 'GUEST_NOT_EXPORTED' });
    expect((await orderOf(store, guest)).hint).toContain('registeredOnly');
    expect((await orderOf(store, member)).state).toBe('verified');
    const gaveUp = await orderOf(store, unpaid);
    expect(gaveUp).toMatchObject({ state: 'ignored', reason_code: 'CHECKS_EXHAUSTED', checks: 2 });
    expect(gaveUp.reason).toContain('Gave up after 2 checks');
    expect((await store.orders.list({ reasonCode: 'GUEST_NOT_EXPORTED' })).map((r) => r.order_number)).toEqual([guest.number]);
  });
});
