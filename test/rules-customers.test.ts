import { afterEach, describe, expect, it } from 'vitest';
import { retryOrder } from '../src/cli/commands/orders.js';
import { DATABASES } from './helpers/databases.js';
import { bcOrderOf, cycleUntil, orderOf, placeOrder, settled, startRulesWorld, type RulesWorld } from './helpers/rules-world.js';

/** The customer matching chain end to end: WooCommerce simulator → bcbridge → BC simulator, on both databases. */
describe.each(DATABASES)('customer rules end to end on %s', (kind) => {
  let rw: RulesWorld;
  afterEach(async () => {
    await rw?.close();
    rw = undefined as unknown as RulesWorld;
  });

  const customer = (id: number, email: string, country = 'DE', phone = '') => ({ customer_id: id, billing: { email, country, phone, state: '', company: '' } });

  it('creates a customer from the billing country\'s template, remembers the binding and books the next order on it', async () => {
    rw = await startRulesWorld(kind, {
      customerChain: ['binding', 'email', 'create'],
      customerTemplates: {
        AT: { template: 'B2C-AT', paymentTermsCode: '30 DAYS', shipmentMethodCode: 'UPS', locationCode: 'EAST' },
        '*': { template: 'B2C', paymentTermsCode: 'COD', shipmentMethodCode: 'DHL', locationCode: 'WEB' },
      },
      newCustomerNumbers: { mode: 'shopCustomerId', prefix: 'WEB' },
    });
    const { world, store, rt, bc } = rw;
    const first = placeOrder(world, customer(900, 'new.buyer@example.test', 'AT'));
    const second = placeOrder(world, customer(900, 'new.buyer@example.test', 'AT'));
    const guest1 = placeOrder(world, customer(0, 'guest.once@example.test'));
    const guest2 = placeOrder(world, customer(0, 'Guest.Once@example.test'));
    await cycleUntil(rt, () => settled(store, [first, second, guest1, guest2]));

    const rows = await Promise.all([first, second, guest1, guest2].map((o) => orderOf(store, o)));
    expect(rows.map((r) => r.state)).toEqual(['verified', 'verified', 'verified', 'verified']);
    const [a, b, g1, g2] = rows.map((r) => bcOrderOf(world, r)!);
    expect([a.customerNumber, b.customerNumber]).toEqual(['WEB900', 'WEB900']);
    expect(g1.customerNumber).toMatch(/^CUST/);
    expect(g2.customerNumber).toBe(g1.customerNumber);

    // The card got the template's fields; the orders got the template's location (Sana).
    const card = await bc.one('customers', "number eq 'WEB900'");
    const terms = await bc.one('paymentTerms', "code eq '30 DAYS'");
    const ups = await bc.one('shipmentMethods', "code eq 'UPS'");
    expect(card).toMatchObject({ displayName: `${first.billing.first_name} ${first.billing.last_name}`.trim(), country: 'AT', paymentTermsId: terms!.id, shipmentMethodId: ups!.id, email: 'new.buyer@example.test' });
    const east = await bc.one('locations', "code eq 'EAST'");
    expect(a.salesOrderLines.filter((l) => l.lineType === 'Item').every((l) => l.locationId === east!.id)).toBe(true);
    expect((await bc.get(`customers?$filter=${encodeURIComponent("tolower(email) eq 'guest.once@example.test'")}`)).body.value).toHaveLength(1);

    const bindings = await store.customerBindings.list({ shop: 'woo' });
    expect(bindings.map((x) => [x.customer_key, x.bc_customer_no, x.origin, x.template])).toEqual([
      ['email:guest.once@example.test', g1.customerNumber, 'created', '*'],
      ['id:900', 'WEB900', 'created', 'AT'],
    ]);
    expect(bindings[0].bc_scope).toBe('sandbox/CRONUS Webshop');
  });

  it('e-mail: a unique match books the order; two matches hold naming both; a blocked one holds until unblocked in BC and retried', async () => {
    rw = await startRulesWorld(kind, { customerChain: ['binding', 'email', 'guest', 'default'] });
    const { world, store, rt, bc } = rw;
    const adatum = placeOrder(world, customer(5, 'Orders@Adatum.example'));
    const alpine = placeOrder(world, customer(8, 'shop@alpine.example', 'CH'));
    expect((await bc.post('customers', { displayName: 'Twin A', email: 'twin@example.test' })).status).toBe(201);
    expect((await bc.post('customers', { displayName: 'Twin B', email: 'twin@example.test' })).status).toBe(201);
    const twin = placeOrder(world, customer(77, 'twin@example.test'));
    await cycleUntil(rt, () => settled(store, [adatum, alpine, twin]));

    expect(bcOrderOf(world, await orderOf(store, adatum))!.customerNumber).toBe('C10000');
    const ambiguous = await orderOf(store, twin);
    expect(ambiguous).toMatchObject({ state: 'held', reason_code: 'CUSTOMER_AMBIGUOUS' });
    expect(ambiguous.reason).toMatch(/^The e-mail twin@example\.test matches several BC customers: CUST\d+ and CUST\d+\.$/);
    const blocked = await orderOf(store, alpine);
    expect(blocked).toMatchObject({ state: 'held', reason_code: 'CUSTOMER_BLOCKED', reason: 'BC customer C40000 (Alpine Ski House) is blocked (All).' });
    expect((await store.orders.list({ reasonCode: 'CUSTOMER_BLOCKED' })).map((r) => r.order_number)).toEqual([alpine.number]);

    // Fixed in BC, retried from another process (the CLI): the running process must not trust its cache.
    const c40000 = await bc.one('customers', "number eq 'C40000'");
    expect((await bc.patch(`customers(${c40000!.id})`, { blocked: ' ' })).status).toBe(200);
    const cli = await rw.otherProcess();
    expect((await retryOrder(cli, alpine.number, 'woo', 'cli')).ok).toBe(true);
    await cycleUntil(rt, () => settled(store, [alpine], ['verified']));
    expect(bcOrderOf(world, await orderOf(store, alpine))!.customerNumber).toBe('C40000');
    expect((await store.customerBindings.get({ shop: 'woo', bcScope: 'sandbox/CRONUS Webshop', customerKey: 'id:8' }))?.bc_customer_no).toBe('C40000');
  });

  it('phone (normalised), a different customer no. and a default per billing country', async () => {
    rw = await startRulesWorld(kind, { customerChain: ['phone', 'country'], differentCustomerNo: { C20000: 'C30000' }, countryCustomers: { NL: 'C30000', '*': 'WEB-GUEST' } });
    const { world, store, rt, bc } = rw;
    const trey = await bc.one('customers', "number eq 'C20000'");
    await bc.patch(`customers(${trey!.id})`, { phoneNumber: '+43 1 555 0101' });
    const byPhone = placeOrder(world, customer(31, 'someone@example.test', 'AT', '01 5550101'));
    const dutch = placeOrder(world, customer(0, 'visitor@example.test', 'NL', '+31 20 999 1234'));
    const other = placeOrder(world, customer(0, 'visitor2@example.test', 'FR', ''));
    await cycleUntil(rt, () => settled(store, [byPhone, dutch, other]));
    const numbers = await Promise.all([byPhone, dutch, other].map(async (o) => bcOrderOf(world, await orderOf(store, o))?.customerNumber));
    // Trey Research (C20000) placed it by phone; it is booked on C30000 (Tinx "Different Customer No.").
    expect(numbers).toEqual(['C30000', 'C30000', 'WEB-GUEST']);
    const events = await store.orders.events((await orderOf(store, byPhone)).id);
    expect(events.find((e) => e.to_state === 'ready')?.reason).toContain('Placed by BC customer C20000, booked on C30000');
  });
});
