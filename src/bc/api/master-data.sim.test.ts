import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim } from '../../../sim/bc/server.js';
import { systemClock } from '../../domain/clock.js';
import { BcError } from '../../domain/errors.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import { createBcTarget } from '../create-target.js';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcTarget } from '../target.js';
import type { BcApiConfig } from './config.js';
import { BcLimiter } from './limiter.js';

/** The api target's master-data methods and the issue-3 document parts against the BC simulator over real HTTP. */

type Sim = Awaited<ReturnType<typeof startBcSim>>;
let sim: Sim;
let log: RequestLogEntry[];
const targets: BcTarget[] = [];

beforeAll(async () => {
  sim = await startBcSim({ port: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  log = [];
  sim.reset();
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
});

function target(): BcTarget {
  const config: BcApiConfig = {
    name: 'production', transport: 'api', tenant: sim.tenant, company: 'CRONUS Webshop',
    clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: sim.tokenUrl, baseUrl: sim.url,
  };
  const t = createBcTarget(config, {
    clock: systemClock,
    requestLog: { record: (e) => log.push(e) },
    sleep: async () => {},
    limiter: new BcLimiter({ maxInFlight: 5, requestsPerWindow: 6000, windowMs: 300_000 }, { clock: systemClock, sleep: async () => {} }),
  });
  targets.push(t);
  return t;
}

const apiCalls = () => log.filter((e) => !e.url.includes('oauth2') && !/\/companies(\?|$)/.test(e.url));

describe('api target: master data for the order rules', () => {
  it('finds customers by e-mail whatever the case, and phone candidates by digits', async () => {
    const t = target();
    const created = await t.createCustomer!({ displayName: 'Jane Doe', type: 'Person', email: 'Jane.Doe@Example.test', phoneNumber: '030 123 4567', country: 'DE' });
    expect(created.number).toMatch(/^CUST/);
    const byEmail = await t.findCustomersByEmail!('JANE.DOE@example.test');
    expect(byEmail.map((c) => c.number)).toEqual([created.number]);
    expect(byEmail[0]).toMatchObject({ email: 'Jane.Doe@Example.test', phoneNumber: '030 123 4567', country: 'DE', blocked: '' });
    expect((await t.findCustomersByPhoneDigits!('4567')).map((c) => c.number)).toEqual([created.number]);
    expect(await t.findCustomersByEmail!('nobody@example.test')).toEqual([]);
  });

  it('creates a numbered customer once: a second create with the same number finds the first', async () => {
    const t = target();
    const input = { number: 'WEB42', displayName: 'Max Muster', type: 'Person' as const, paymentTermsCode: '30 DAYS', shipmentMethodCode: 'DHL', country: 'AT' };
    const first = await t.createCustomer!(input);
    const second = await t.createCustomer!(input);
    expect(first.number).toBe('WEB42');
    expect(second.number).toBe('WEB42');
    expect(sim.salesOrders()).toHaveLength(0);
    const posts = apiCalls().filter((e) => e.method === 'POST' && e.url.includes('/customers'));
    expect(posts).toHaveLength(1);
  });

  it('reports unknown payment terms as a permanent error naming them', async () => {
    const t = target();
    const err = await t.createCustomer!({ displayName: 'X', type: 'Person', paymentTermsCode: 'NOPE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BcError);
    expect((err as BcError).retryable).toBe(false);
    expect((err as BcError).message).toContain('Payment terms NOPE');
  });

  it('finds items by GTIN, variants, shipment methods, locations and dimension values by code', async () => {
    const t = target();
    expect((await t.findItemsByGtin!('4012345678901')).map((i) => i.number)).toEqual(['BEAN-1KG']);
    expect(await t.findItemsByGtin!('0000000000000')).toEqual([]);
    expect(await t.getItemVariant!('TEE-01', 'm')).toMatchObject({ code: 'M' });
    expect(await t.getItemVariant!('TEE-01', 'XXL')).toBeUndefined();
    expect(await t.getItemVariant!('MUG-01', 'M')).toBeUndefined();
    expect(await t.getShipmentMethod!('dhl')).toMatchObject({ code: 'DHL' });
    expect(await t.getShipmentMethod!('NOPE')).toBeUndefined();
    expect(await t.getLocation!('MAIN')).toMatchObject({ code: 'MAIN' });
    expect(await t.getLocation!('NOWHERE')).toBeUndefined();
    expect(await t.getDimensionValue!('COLOR', 'blue')).toMatchObject({ code: 'BLUE' });
    expect(await t.getDimensionValue!('COLOR', 'PURPLE')).toBeUndefined();
    expect(await t.getDimensionValue!('NODIM', 'X')).toBeUndefined();
  });
});

describe('api target: dimensions, variants and the order discount on the created order', () => {
  const doc = (over: Partial<BcSalesOrderDocument> = {}): BcSalesOrderDocument => ({
    externalDocumentNumber: `RULES-${Math.random().toString(36).slice(2, 8)}`,
    customerNumber: 'C10000',
    orderDate: '2026-03-01',
    currencyCode: '',
    pricesIncludeTax: false,
    lines: [
      { lineType: 'Comment', description: 'Shop order 1 (id 1), guest', quantity: '0', unitPrice: '0' },
      { lineType: 'Item', lineObjectNumber: 'TEE-01', itemVariantCode: 'L', quantity: '2', unitPrice: '19.9', locationCode: 'EAST', dimensions: [{ code: 'COLOR', valueCode: 'BLUE' }] },
      { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '1', unitPrice: '12.5' },
    ],
    dimensions: [{ code: 'SALESCHANNEL', valueCode: 'WEB' }],
    expected: { currency: 'EUR', totalNet: '52.30', totalTax: '10.46', total: '62.76' },
    ...over,
  });

  it('deep-inserts header and line dimensions, resolves the variant and location, in one POST', async () => {
    const t = target();
    const snap = await t.create(doc());
    const [order] = sim.salesOrders();
    expect(order.number).toBe(snap.number);
    expect(order.salesOrderLines).toHaveLength(3);
    expect(order.salesOrderLines[1]).toMatchObject({ lineObjectNumber: 'TEE-01' });
    expect(order.salesOrderLines[1].itemVariantId).not.toBe('00000000-0000-0000-0000-000000000000');
    expect(order.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB']);
    expect(order.salesOrderLines[1].dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB', 'COLOR=BLUE']);
    expect(order.salesOrderLines[0]).toMatchObject({ lineType: 'Comment', description: 'Shop order 1 (id 1), guest' });
    const posts = apiCalls().filter((e) => e.method === 'POST');
    expect(posts).toHaveLength(1);
  });

  it('sets the order discount with a PATCH after the create, and the snapshot carries the discounted totals', async () => {
    const t = target();
    const snap = await t.create(doc({ discountAmount: '2.30', lines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '4', unitPrice: '12.5' }] }));
    // 50.00 − 2.30 = 47.70 net, 20 % VAT 9.54.
    expect(snap).toMatchObject({ totalAmountExcludingTax: '47.7', totalTaxAmount: '9.54', totalAmountIncludingTax: '57.24' });
    expect(apiCalls().filter((e) => e.method === 'PATCH')).toHaveLength(1);
  });
});
