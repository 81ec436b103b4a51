import { describe, expect, it } from 'vitest';
import { shopMappingSchema } from '../../config/shop-rules.js';
import { bindingKey, matchCustomer, type BindingOrigin, type CustomerRecord, type CustomerSources } from './customer-chain.js';
import { testOrder } from './test-orders.js';

const AT = 'shops[0].mapping';
const mapping = (m: Record<string, unknown>) => shopMappingSchema.parse(m);

/** BC customers and a binding table in memory; records every write. */
function sources(customers: CustomerRecord[], bindings: Record<string, { customerNumber: string; origin: BindingOrigin; template?: string }> = {}) {
  const log: string[] = [];
  let created = 0;
  const src: CustomerSources = {
    binding: async (key) => bindings[key],
    forget: async (key) => {
      log.push(`forget ${key}`);
      delete bindings[key];
    },
    remember: async (key, no, origin, template) => {
      log.push(`remember ${key}=${no} (${origin}${template ? ` ${template}` : ''})`);
      bindings[key] = { customerNumber: no, origin, template };
    },
    byNumber: async (no) => customers.find((c) => c.number === no.toUpperCase()),
    byEmail: async (email) => customers.filter((c) => c.email?.toLowerCase() === email.toLowerCase()),
    byPhone: async () => customers.filter((c) => c.phoneNumber),
    create: async (template, key) => {
      created++;
      const c = { number: `NEW${created}`, displayName: 'Anna Schmidt', blocked: '' };
      customers.push(c);
      log.push(`create ${template.template} for ${key}`);
      return c;
    },
  };
  return { src, log, bindings };
}

const C = (number: string, extra: Partial<CustomerRecord> = {}): CustomerRecord => ({ number, displayName: `Customer ${number}`, blocked: '', ...extra });

describe('customer matching chain', () => {
  it('binding: a remembered shop customer is booked on its BC customer without searching', async () => {
    const s = sources([C('C10000')], { 'id:42': { customerNumber: 'C10000', origin: 'email' } });
    const r = await matchCustomer(testOrder(), mapping({ customerChain: ['binding', 'email'] }), s.src, AT);
    expect(r).toMatchObject({ kind: 'customer', match: { customer: { number: 'C10000' }, step: 'binding' } });
  });

  it('binding: a binding to a customer BC no longer has is forgotten and the chain goes on', async () => {
    const s = sources([C('C20000', { email: 'anna@example.test' })], { 'id:42': { customerNumber: 'GONE', origin: 'email' } });
    const r = await matchCustomer(testOrder(), mapping({ customerChain: ['binding', 'email'] }), s.src, AT);
    expect(r).toMatchObject({ kind: 'customer', match: { customer: { number: 'C20000' }, step: 'email' } });
    expect(s.log).toEqual(['forget id:42', 'remember id:42=C20000 (email)']);
  });

  it('map: shop customer id → BC customer no. from the config; a missing BC customer names the setting', async () => {
    const ok = await matchCustomer(testOrder(), mapping({ customerChain: ['map'], customerMap: { '42': 'C10000' } }), sources([C('C10000')]).src, AT);
    expect(ok).toMatchObject({ kind: 'customer', match: { customer: { number: 'C10000' }, step: 'map' } });
    const missing = await matchCustomer(testOrder(), mapping({ customerChain: ['map'], customerMap: { '42': 'C99' } }), sources([]).src, AT);
    expect(missing).toMatchObject({ kind: 'hold', hold: { code: 'CUSTOMER_NOT_IN_BC' } });
    expect(missing.kind === 'hold' && missing.hold.hint).toContain('shops[0].mapping.customerMap["42"]');
  });

  it('email: one match is used and remembered; two matches hold naming both numbers; none goes on', async () => {
    const one = sources([C('C10000', { email: 'ANNA@example.test' })]);
    expect(await matchCustomer(testOrder(), mapping({ customerChain: ['email'] }), one.src, AT)).toMatchObject({ kind: 'customer', match: { step: 'email' } });
    expect(one.log).toEqual(['remember id:42=C10000 (email)']);

    const two = await matchCustomer(testOrder(), mapping({ customerChain: ['email'] }), sources([C('C10000', { email: 'anna@example.test' }), C('C30000', { email: 'Anna@Example.test' })]).src, AT);
    expect(two).toMatchObject({ kind: 'hold', hold: { code: 'CUSTOMER_AMBIGUOUS' } });
    expect(two.kind === 'hold' && two.hold.reason).toBe('The e-mail anna@example.test matches several BC customers: C10000 and C30000.');

    const none = await matchCustomer(testOrder(), mapping({ customerChain: ['email', 'default'], defaultCustomerNo: 'WEB' }), sources([C('WEB')]).src, AT);
    expect(none).toMatchObject({ kind: 'customer', match: { customer: { number: 'WEB' }, step: 'default' } });
  });

  it('phone: numbers are compared normalised ("030 123 4567" = "+49 30 1234567"); two matches hold', async () => {
    const s = sources([C('C10000', { phoneNumber: '030 123 4567' }), C('C20000', { phoneNumber: '+43 1 999999' })]);
    const r = await matchCustomer(testOrder(), mapping({ customerChain: ['phone'] }), s.src, AT);
    expect(r).toMatchObject({ kind: 'customer', match: { customer: { number: 'C10000' }, step: 'phone' } });
    expect(s.log).toEqual(['remember id:42=C10000 (phone)']);
    const two = await matchCustomer(testOrder(), mapping({ customerChain: ['phone'] }), sources([C('A1', { phoneNumber: '0301234567' }), C('A2', { phoneNumber: '+49 (0)30 123-4567' })]).src, AT);
    expect(two).toMatchObject({ kind: 'hold', hold: { code: 'CUSTOMER_AMBIGUOUS' } });
  });

  it('guest: only guest orders go to the guest customer; a guest without one is held NO_GUEST_CUSTOMER', async () => {
    const guest = testOrder({ customer: { guest: true, email: 'g@example.test' } });
    const m = mapping({ customerChain: ['guest'], guestCustomerNo: 'WEB-GUEST' });
    expect(await matchCustomer(guest, m, sources([C('WEB-GUEST')]).src, AT)).toMatchObject({ kind: 'customer', match: { step: 'guest' } });
    expect(await matchCustomer(testOrder(), m, sources([C('WEB-GUEST')]).src, AT)).toMatchObject({ kind: 'hold', hold: { code: 'NO_CUSTOMER_MATCH' } });
    expect(await matchCustomer(guest, mapping({ customerChain: ['guest'] }), sources([]).src, AT)).toMatchObject({ kind: 'hold', hold: { code: 'NO_GUEST_CUSTOMER' } });
  });

  it('country: a default customer per billing country, "*" for the rest', async () => {
    const m = mapping({ customerChain: ['country'], countryCustomers: { AT: 'WEB-AT', '*': 'WEB-EU' } });
    const s = sources([C('WEB-AT'), C('WEB-EU')]).src;
    expect(await matchCustomer(testOrder({ billing: { country: 'AT' } }), m, s, AT)).toMatchObject({ match: { customer: { number: 'WEB-AT' } } });
    expect(await matchCustomer(testOrder(), m, s, AT)).toMatchObject({ match: { customer: { number: 'WEB-EU' } } });
  });

  it('create: from the billing country\'s template, remembered with the template; no template holds', async () => {
    const m = mapping({ customerChain: ['binding', 'create'], customerTemplates: { DE: { template: 'B2C-DE', locationCode: 'MAIN' } } });
    const s = sources([]);
    const r = await matchCustomer(testOrder(), m, s.src, AT);
    expect(r).toMatchObject({ kind: 'customer', match: { customer: { number: 'NEW1' }, step: 'create', templateKey: 'DE' } });
    expect(s.log).toEqual(['create B2C-DE for DE', 'remember id:42=NEW1 (created DE)']);
    // The second order of the same customer finds the binding: nothing is created again.
    const again = await matchCustomer(testOrder(), m, s.src, AT);
    expect(again).toMatchObject({ match: { customer: { number: 'NEW1' }, step: 'binding', templateKey: 'DE' } });
    expect(s.log).toHaveLength(2);
    const noTemplate = await matchCustomer(testOrder({ billing: { country: 'FR' } }), m, sources([]).src, AT);
    expect(noTemplate).toMatchObject({ kind: 'hold', hold: { code: 'NO_CUSTOMER_TEMPLATE', reason: 'No customer template is set for billing country FR, so no BC customer can be created.' } });
  });

  it('a guest is remembered by e-mail, so the same guest ordering again is not created twice', () => {
    expect(bindingKey(testOrder({ customer: { guest: true, email: ' Max@Example.TEST ' } }))).toBe('email:max@example.test');
    expect(bindingKey(testOrder())).toBe('id:42');
    expect(bindingKey(testOrder({ customer: { guest: true }, billing: {} }))).toBeUndefined();
  });

  it('differentCustomerNo: the order placed by A is booked on B', async () => {
    const m = mapping({ customerChain: ['map'], customerMap: { '42': 'C10000' }, differentCustomerNo: { C10000: 'C20000' } });
    const r = await matchCustomer(testOrder(), m, sources([C('C10000'), C('C20000')]).src, AT);
    expect(r).toMatchObject({ kind: 'customer', match: { customer: { number: 'C20000' }, placedBy: 'C10000' } });
  });

  it('a blocked customer (Ship, Invoice or All) holds the order; a redirect says who placed it', async () => {
    for (const blocked of ['Ship', 'Invoice', 'All']) {
      const r = await matchCustomer(testOrder(), mapping({ customerChain: ['default'], defaultCustomerNo: 'C40000' }), sources([C('C40000', { blocked })]).src, AT);
      expect(r).toMatchObject({ kind: 'hold', hold: { code: 'CUSTOMER_BLOCKED', reason: `BC customer C40000 (Customer C40000) is blocked (${blocked}).` } });
    }
    const via = await matchCustomer(testOrder(), mapping({ customerChain: ['default'], defaultCustomerNo: 'C10000', differentCustomerNo: { C10000: 'C40000' } }), sources([C('C10000'), C('C40000', { blocked: 'All' })]).src, AT);
    expect(via.kind === 'hold' && via.hold.reason).toContain('placed by C10000 and is booked on C40000');
  });

  it('nothing decided: a registered customer is held NO_CUSTOMER_MATCH naming the shop id and e-mail', async () => {
    const r = await matchCustomer(testOrder(), mapping({ customerChain: ['binding', 'map'] }), sources([]).src, AT);
    expect(r).toMatchObject({ kind: 'hold', hold: { code: 'NO_CUSTOMER_MATCH', reason: 'Shop customer 42 (anna@example.test) has no BC customer.' } });
  });
});
