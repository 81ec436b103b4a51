import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../../../sim/bc/server.js';
import { systemClock } from '../../domain/clock.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcTarget } from '../target.js';
import type { BcSoapConfig } from './config.js';
import { createSoapTarget } from './target.js';

/** The soap target's master-data lookups, customer creation, dimensions and order discount against the BC simulator over HTTP. */
let sim: BcSim;
let log: RequestLogEntry[];
const targets: BcTarget[] = [];

const target = (over: Partial<BcSoapConfig> = {}): BcTarget => {
  const t = createSoapTarget(
    { name: 'sandbox', transport: 'soap', company: 'CRONUS Webshop', tenant: sim.tenant, clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: sim.tokenUrl, baseUrl: sim.url, maxRetries: 2, timeoutMs: 5000, ...over },
    { clock: systemClock, requestLog: { record: (e) => log.push(e) }, sleep: async () => {} },
  );
  targets.push(t);
  return t;
};
const ops = () => log.map((e) => e.url.replace(/^.*\/Page\//, ''));

beforeEach(async () => {
  sim = await startBcSim({ soap: { processDelayMs: 3_600_000 } });
  log = [];
});
afterEach(async () => {
  for (const t of targets.splice(0)) await t.close();
  await sim.close();
});

describe('soap target: master data from standard pages', () => {
  it('finds customers by e-mail (case-insensitive, exact) and by phone digits', async () => {
    const t = target();
    expect((await t.findCustomersByEmail!('Orders@ADATUM.example')).map((c) => c.number)).toEqual(['C10000']);
    // The filter widens every special character to one wildcard; the exact comparison drops look-alikes.
    expect(await t.findCustomersByEmail!('orders@adatum-example')).toEqual([]);
    expect(await t.findCustomersByEmail!("o'brien&co|x@y.test")).toEqual([]);
    expect(ops()).toContain('Customer#ReadMultiple');
    const blocked = (await t.findCustomersByEmail!('shop@alpine.example'))[0];
    expect(blocked).toMatchObject({ number: 'C40000', displayName: 'Alpine Ski House', blocked: 'All', country: 'CH' });
    expect(await t.getCustomer('c10000')).toMatchObject({ number: 'C10000', blocked: '', email: 'orders@adatum.example' });

    await t.createCustomer!({ number: 'PH1', displayName: 'Phone Person', type: 'Person', phoneNumber: '+49 30 123-4567' });
    expect((await t.findCustomersByPhoneDigits!('4567')).map((c) => [c.number, c.phoneNumber])).toEqual([['PH1', '+49 30 123-4567']]);
    expect(await t.findCustomersByPhoneDigits!('9999')).toEqual([]);
  });

  it('items by GTIN, blocked items, variants, shipment methods, locations and dimension values', async () => {
    const t = target();
    expect((await t.findItemsByGtin!('4012345678901')).map((i) => i.number)).toEqual(['BEAN-1KG']);
    expect(await t.findItemsByGtin!('0000000000000')).toEqual([]);
    expect(await t.getItem('OLD-MUG')).toMatchObject({ number: 'OLD-MUG', blocked: true });
    expect(await t.getItemVariant!('tee-01', 'm')).toMatchObject({ code: 'M', displayName: 'Organic T-Shirt M' });
    expect(await t.getItemVariant!('TEE-01', 'XXL')).toBeUndefined();
    expect(await t.getItemVariant!('MUG-01', 'M')).toBeUndefined();
    expect(await t.getShipmentMethod!('dhl')).toMatchObject({ code: 'DHL', displayName: 'DHL Parcel' });
    expect(await t.getShipmentMethod!('NOPE')).toBeUndefined();
    expect(await t.getLocation!('EAST')).toMatchObject({ code: 'EAST', displayName: 'Warehouse East' });
    expect(await t.getLocation!('WEST')).toBeUndefined();
    expect(await t.getDimensionValue!('color', 'blue')).toMatchObject({ code: 'BLUE' });
    expect(await t.getDimensionValue!('COLOR', 'WEB')).toBeUndefined();
    expect(ops()).toEqual(expect.arrayContaining(['ItemVariants#ReadMultiple', 'ShipmentMethods#Read', 'Locations#Read', 'DimensionValues#ReadMultiple']));
  });

  it('a page set to "" is not asked: its lookup is absent, or the check is left to BC', async () => {
    const t = target({ soapPages: { itemVariant: '', location: '', customer: '' } });
    expect(t.getItemVariant).toBeUndefined();
    expect(t.getLocation).toBeUndefined();
    expect(t.findCustomersByEmail).toBeUndefined();
    expect(t.createCustomer).toBeUndefined();
    expect(t.getShipmentMethod).toBeDefined();
    expect(await t.getCustomer('ANYONE')).toMatchObject({ number: 'ANYONE', blocked: '' });
    expect(ops()).toEqual([]);
  });

  it('a page that is not published is a permanent error naming the setting', async () => {
    const t = target({ soapPages: { dimensionValue: 'DimValuesNotThere' } });
    await expect(t.getDimensionValue!('COLOR', 'BLUE')).rejects.toMatchObject({ code: 'BC_NOT_PUBLISHED', retryable: false, message: expect.stringContaining('soapPages.dimensionValue') });
  });

  it('creates a customer on the Customer Card from the BC template; the config\'s fields win; numbered creates are idempotent', async () => {
    const t = target();
    const created = await t.createCustomer!({
      number: 'WEB900', displayName: 'Anna Berger', type: 'Person', addressLine1: 'Ring 3', city: 'Wien', country: 'at', postalCode: '1010',
      email: 'anna@example.test', phoneNumber: '+43 1 5550101', shipmentMethodCode: 'DHL', templateCode: 'B2C-EU',
    });
    expect(created).toMatchObject({ number: 'WEB900', displayName: 'Anna Berger', email: 'anna@example.test', blocked: '' });
    const card = sim.soap.page('Customer', 'sandbox').find((c) => c.No === 'WEB900')!;
    expect(card).toMatchObject({
      Name: 'Anna Berger', Country_Region_Code: 'AT', Gen_Bus_Posting_Group: 'EU', VAT_Bus_Posting_Group: 'EU', Customer_Posting_Group: 'FOREIGN',
      Payment_Terms_Code: 'COD', Shipment_Method_Code: 'DHL', Prices_Including_VAT: 'true',
    });
    // A second attempt (after an ambiguous failure) finds the first instead of a fault or a duplicate.
    expect(await t.createCustomer!({ number: 'WEB900', displayName: 'Anna Berger', type: 'Person', templateCode: 'B2C-EU' })).toMatchObject({ number: 'WEB900' });
    expect(sim.soap.page('Customer', 'sandbox').filter((c) => c.No === 'WEB900')).toHaveLength(1);

    const series = await t.createCustomer!({ displayName: 'Guest Buyer', type: 'Person', email: 'guest@example.test', templateCode: 'B2C' });
    expect(series.number).toMatch(/^CUST\d+$/);
    expect(sim.soap.page('Customer', 'sandbox').find((c) => c.No === series.number)).toMatchObject({ Gen_Bus_Posting_Group: 'DOMESTIC', Payment_Terms_Code: '14 DAYS' });
  });

  it('an unknown template or a bad code in it is BC\'s refusal, not an outage', async () => {
    const t = target();
    await expect(t.createCustomer!({ displayName: 'X', type: 'Person', templateCode: 'NOPE' })).rejects.toMatchObject({ code: 'BC_REFERENCE_NOT_FOUND', retryable: false, message: expect.stringContaining('Customer template NOPE') });
    await expect(t.createCustomer!({ displayName: 'X', type: 'Person', templateCode: 'B2C', paymentTermsCode: '99 DAYS' })).rejects.toMatchObject({
      code: 'BC_REJECTED', retryable: false, message: "The Payment Terms does not exist. Identification fields and values: Code='99 DAYS'",
    });
    // Without a template page, the config's fields alone go onto the card.
    const plain = target({ soapPages: { customerTemplate: '' } });
    const c = await plain.createCustomer!({ number: 'PLAIN1', displayName: 'Plain', type: 'Person', paymentTermsCode: '30 DAYS', templateCode: 'B2C' });
    expect(c.number).toBe('PLAIN1');
    const card = sim.soap.page('Customer', 'sandbox').find((x) => x.No === 'PLAIN1')!;
    expect(card.Payment_Terms_Code).toBe('30 DAYS');
    expect(card).not.toHaveProperty('Gen_Bus_Posting_Group');
  });
});

describe('soap target: dimensions and the order discount on the staging records', () => {
  const doc = (key: string, over: Partial<BcSalesOrderDocument> = {}): BcSalesOrderDocument => ({
    externalDocumentNumber: key,
    customerNumber: 'C10000',
    orderDate: '2025-03-01',
    currencyCode: '',
    pricesIncludeTax: false,
    locationCode: 'MAIN',
    dimensions: [{ code: 'SALESCHANNEL', valueCode: 'WEB' }],
    discountAmount: '5.00',
    lines: [
      { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '2', unitPrice: '12.50', dimensions: [{ code: 'COLOR', valueCode: 'BLUE' }] },
      { lineType: 'Item', lineObjectNumber: 'TEE-01', itemVariantCode: 'M', quantity: '1', unitPrice: '19.90', locationCode: 'EAST', dimensions: [{ code: 'SALESCHANNEL', valueCode: 'RETAIL' }] },
      { lineType: 'Account', lineObjectNumber: '6810', quantity: '1', unitPrice: '4.90', description: 'Shipping' },
    ],
    expected: { currency: 'EUR', totalNet: '0', totalTax: '0', total: '0' },
    ...over,
  });

  it('sends them as fields; BC\'s job applies them to the sales order it creates, discount after the lines', async () => {
    const t = target();
    await t.create(doc('WOO-D1'));
    const recs = sim.soap.records('sandbox').filter((r) => r.External_Document_No === 'WOO-D1');
    expect(recs.map((r) => [r.Header_Dimensions, r.Line_Dimensions ?? '', r.Invoice_Discount_Amount])).toEqual([
      ['SALESCHANNEL=WEB', 'COLOR=BLUE', '5.00'],
      ['SALESCHANNEL=WEB', 'SALESCHANNEL=RETAIL', '5.00'],
      ['SALESCHANNEL=WEB', '', '5.00'],
    ]);
    sim.soap.processNow();
    const snap = (await t.read('WOO-D1'))!;
    expect(snap.complete).toBe(true);
    const so = sim.salesOrders('sandbox').find((o) => o.externalDocumentNumber === 'WOO-D1')!;
    expect(so.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB']);
    const [mug, tee, freight] = so.salesOrderLines;
    expect(mug!.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB', 'COLOR=BLUE']);
    // The line's own value replaces the header's for the same dimension.
    expect(tee!.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=RETAIL']);
    expect(freight!.dimensionSetLines!.map((d) => d.code)).toEqual(['SALESCHANNEL']);
    expect([mug!.locationId, tee!.locationId]).toEqual([expect.any(String), expect.any(String)]);
    expect(mug!.locationId).not.toBe(tee!.locationId);
    expect(tee!.itemVariantId).toEqual(expect.any(String));
    // 25.00 + 19.90 + 4.90 = 49.80 before the 5.00 order discount.
    expect(so.discountAmount).toBe(5);
    expect(so.totalAmountExcludingTax).toBe(44.8);
    expect(snap.totalAmountExcludingTax).toBe('44.8');
  });

  it('a changed discount or dimension replaces the staged line; a bad dimension fails the set with BC\'s message', async () => {
    const t = target();
    await t.findExisting(['WOO-D2']);
    await t.create(doc('WOO-D2', { lines: doc('X').lines.slice(0, 1) }));
    await t.findExisting(['WOO-D2']);
    await t.create(doc('WOO-D2', { lines: doc('X').lines.slice(0, 1), discountAmount: '2.00' }));
    expect(sim.soap.records('sandbox').filter((r) => r.External_Document_No === 'WOO-D2').map((r) => r.Invoice_Discount_Amount)).toEqual(['2.00']);

    await t.create(doc('WOO-D3', { dimensions: [{ code: 'SALESCHANNEL', valueCode: 'TV' }] }));
    sim.soap.processNow();
    const snap = (await t.read('WOO-D3'))!;
    expect(snap.complete).toBe(false);
    expect(snap.status).toBe('Error: The "valueCode" does not match to a Dimension Value.');
    expect(sim.salesOrders('sandbox').filter((o) => o.externalDocumentNumber === 'WOO-D3')).toHaveLength(0);

    await expect(t.create(doc('WOO-D4', { dimensions: [{ code: 'A=B', valueCode: 'X' }] }))).rejects.toMatchObject({ code: 'BC_INVALID_DOCUMENT', retryable: false });
  });
});
