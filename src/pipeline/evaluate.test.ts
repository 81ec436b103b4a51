import { describe, expect, it } from 'vitest';
import type { BcCustomer, BcItem, BcTarget } from '../bc/target.js';
import { parseConfig } from '../config/load.js';
import { BcError } from '../domain/errors.js';
import type { CanonicalOrder } from '../domain/order.js';
import { testOrder } from '../domain/rules/test-orders.js';
import { decide, type BindingStore, type DecideContext } from './evaluate.js';
import { MasterData } from './master-data.js';

/** An in-memory BC for decide(): a few customers, items, variants, codes; every master-data method. */
function memoryBc(over: Partial<BcTarget> = {}): BcTarget {
  const customers: BcCustomer[] = [
    { id: '1', number: 'WEB-GUEST', displayName: 'Web guests', blocked: '' },
    { id: '2', number: 'C10000', displayName: 'Adatum', blocked: '', email: 'anna@example.test' },
  ];
  const items: BcItem[] = [
    { id: 'i1', number: 'MUG-01', displayName: 'Mug', blocked: false },
    { id: 'i2', number: 'TEE-01', displayName: 'Tee', blocked: false },
  ];
  const codes = new Set(['DHL', 'MAIN', 'EAST', 'COLOR/BLUE', 'SALESCHANNEL/WEB', 'TEE-01/M']);
  const code = (c: string) => (codes.has(c.toUpperCase()) ? { id: c, code: c.split('/').at(-1)!.toUpperCase() } : undefined);
  return {
    transport: 'api', environment: 'memory',
    findExisting: async () => new Map(), create: async () => { throw new Error('not here'); }, read: async () => undefined,
    checkCompany: async () => ({ id: '', name: '' }), close: async () => {},
    getCustomer: async (no) => customers.find((c) => c.number === no.toUpperCase()),
    getItem: async (no) => items.find((i) => i.number === no.toUpperCase()),
    findCustomersByEmail: async (e) => customers.filter((c) => c.email === e.toLowerCase()),
    findCustomersByPhoneDigits: async () => [],
    createCustomer: async (c) => {
      const created = { id: 'n', number: c.number ?? 'CUST00010', displayName: c.displayName, blocked: '' };
      customers.push(created);
      return created;
    },
    findItemsByGtin: async () => [],
    getItemVariant: async (item, v) => code(`${item}/${v}`),
    getShipmentMethod: async (c) => code(c),
    getLocation: async (c) => code(c),
    getDimensionValue: async (d, v) => code(`${d}/${v}`),
    ...over,
  };
}

function ctx(mapping: Record<string, unknown>, target = memoryBc(), extra: Partial<DecideContext> = {}): DecideContext {
  const shop = parseConfig({
    bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'c', clientId: 'c', clientSecret: 's' } },
    shops: [{ code: 'woo', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'k', consumerSecret: 's', mapping: { guestCustomerNo: 'WEB-GUEST', ...mapping } }],
  }, {}).shops[0];
  return { shop, shopIndex: 0, orderKey: 'WOO-501', md: new MasterData(target, { now: () => new Date(0) }), checksDone: 0, ...extra };
}

const guestOrder = (over: Partial<CanonicalOrder> = {}) => testOrder({ customer: { guest: true, email: 'max@example.test' }, ...over });

function memoryBindings(): BindingStore & { rows: Map<string, string> } {
  const rows = new Map<string, string>();
  return {
    rows,
    get: async (k) => (rows.has(k) ? { customerNumber: rows.get(k)!, origin: 'created', template: 'DE' } : undefined),
    put: async (k, no) => void rows.set(k, no),
    remove: async (k) => void rows.delete(k),
  };
}

describe('decide: the rules for one order', () => {
  it('keeps the shop ids in a first comment line unless shopIds is none', async () => {
    const withIds = await decide(guestOrder(), ctx({}));
    expect(withIds.kind === 'ready' && withIds.document.lines[0]).toMatchObject({ lineType: 'Comment', description: 'Shop order 501 (id 501), guest' });
    const without = await decide(guestOrder(), ctx({ shopIds: 'none' }));
    expect(without.kind === 'ready' && without.document.lines[0]).toMatchObject({ lineType: 'Item', lineObjectNumber: 'MUG-01' });
  });

  it('taxMode includingTax sends a net shop order with gross prices', async () => {
    const d = await decide(guestOrder(), ctx({ taxMode: 'includingTax', shopIds: 'none' }));
    expect(d.kind === 'ready' && d.document).toMatchObject({ pricesIncludeTax: true, lines: [{ unitPrice: '12' }] });
  });

  it('creates the customer (remembering it) when applying; in a dry run it only says it would', async () => {
    const bindings = memoryBindings();
    const mapping = { customerChain: ['binding', 'create'], customerTemplates: { DE: { template: 'B2C-DE', locationCode: 'EAST' } }, locationCode: 'MAIN' };
    const dry = await decide(testOrder(), ctx(mapping, memoryBc(), { dryRun: true, bindings }));
    expect(dry).toMatchObject({ kind: 'ready', document: { customerNumber: 'NEW', locationCode: 'EAST' }, notes: ['A new BC customer "Anna Schmidt" would be created from template B2C-DE (DE).'] });
    expect(bindings.rows.size).toBe(0);
    const real = await decide(testOrder(), ctx(mapping, memoryBc(), { bindings }));
    expect(real).toMatchObject({ kind: 'ready', document: { customerNumber: 'CUST00010', locationCode: 'EAST' } });
    expect([...bindings.rows]).toEqual([['id:42', 'CUST00010']]);
    // A customer that was not created from a template gets the shop's location.
    const plain = await decide(guestOrder(), ctx({ ...mapping, customerChain: ['guest', 'create'] }));
    expect(plain.kind === 'ready' && plain.document.locationCode).toBe('MAIN');
  });

  it('BC refusing the new customer holds the order with BC\'s message; a BC outage is thrown (the order waits)', async () => {
    const refuse = memoryBc({ createCustomer: async () => { throw new BcError('BC_REJECTED', 'The "paymentTermsId" does not match to a Payment Terms.  CorrelationId:  1234.', { retryable: false }); } });
    const mapping = { customerChain: ['create'], customerTemplates: { '*': { template: 'B2C' } } };
    expect(await decide(testOrder(), ctx(mapping, refuse))).toMatchObject({ kind: 'hold', hold: { code: 'CUSTOMER_CREATE_REJECTED', reason: 'BC refused to create the customer from template B2C: The "paymentTermsId" does not match to a Payment Terms.' } });
    const down = memoryBc({ createCustomer: async () => { throw new BcError('BC_UNAVAILABLE', 'BC is down', { retryable: true }); } });
    await expect(decide(testOrder(), ctx(mapping, down))).rejects.toThrow('BC is down');
  });

  it('a chain step the transport cannot answer holds LOOKUP_NOT_SUPPORTED instead of guessing', async () => {
    const d = await decide(testOrder(), ctx({ customerChain: ['email', 'default'], defaultCustomerNo: 'WEB-GUEST' }, memoryBc({ findCustomersByEmail: undefined })));
    expect(d).toMatchObject({ kind: 'hold', hold: { code: 'LOOKUP_NOT_SUPPORTED', reason: 'The BC transport in use cannot search customers by e-mail.' } });
  });

  it('checks option variants, option and header dimensions, shipment method and location in BC', async () => {
    const withSize = (value: string) => guestOrder({ lines: [{ ...testOrder().lines[0], sku: 'TEE-01', options: [{ label: 'Size', value }] }] });
    const field = { options: { mode: 'field', label: 'Size', field: 'itemVariantCode' } };
    expect(await decide(withSize('M'), ctx(field))).toMatchObject({ kind: 'ready', document: { lines: [{}, { itemVariantCode: 'M' }] } });
    expect(await decide(withSize('XXL'), ctx(field))).toMatchObject({ kind: 'hold', hold: { code: 'VARIANT_NOT_IN_BC', reason: 'BC item TEE-01 has no variant XXL (option "Size", shops[0].mapping.options).' } });
    const color = (value: string) => guestOrder({ lines: [{ ...testOrder().lines[0], options: [{ label: 'Color', value }] }] });
    const dims = { options: { mode: 'dimensions', dimensions: { Color: 'COLOR' } } };
    expect(await decide(color('blue'), ctx(dims))).toMatchObject({ kind: 'ready', document: { lines: [{}, { dimensions: [{ code: 'COLOR', valueCode: 'BLUE' }] }] } });
    expect(await decide(color('Purple'), ctx(dims))).toMatchObject({ kind: 'hold', hold: { code: 'DIMENSION_VALUE_NOT_IN_BC' } });
    expect(await decide(guestOrder(), ctx({ dimensions: { SALESCHANNEL: 'TV' } }))).toMatchObject({ kind: 'hold', hold: { code: 'DIMENSION_VALUE_NOT_IN_BC' } });
    expect(await decide(guestOrder(), ctx({ locationCode: 'NOWHERE' }))).toMatchObject({ kind: 'hold', hold: { code: 'LOCATION_NOT_IN_BC', hint: 'Create location NOWHERE in BC or change shops[0].mapping.locationCode.' } });
    const shipped = guestOrder({ shippingLines: [{ lineId: 's', method: 'Express', methodId: 'express', totalNet: '0.00', totalTax: '0.00' }] });
    expect(await decide(shipped, ctx({ shipmentMethods: { express: 'FEDEX' } }))).toMatchObject({ kind: 'hold', hold: { code: 'SHIPMENT_METHOD_NOT_IN_BC' } });
    expect(await decide(shipped, ctx({ shipmentMethods: { express: 'DHL' } }))).toMatchObject({ kind: 'ready', document: { shipmentMethodCode: 'DHL' } });
  });

  it('ignored orders carry their code; waiting orders count their checks down', async () => {
    expect(await decide(guestOrder({ status: 'cancelled' }), ctx({}))).toMatchObject({ kind: 'ignore', code: 'IGNORED_STATUS' });
    expect(await decide(guestOrder({ paid: false }), ctx({}))).toMatchObject({ kind: 'wait', checksLeft: 47, reason: 'Waiting: the shop does not report it as paid yet.' });
  });
});
