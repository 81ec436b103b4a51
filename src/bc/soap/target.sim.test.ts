import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startBcSim, type BcSim } from '../../../sim/bc/server.js';
import { systemClock } from '../../domain/clock.js';
import type { RequestLogEntry } from '../../http/request-log.js';
import type { BcSalesOrderDocument } from '../document.js';
import type { BcTarget } from '../target.js';
import type { BcSoapConfig } from './config.js';
import { createSoapTarget } from './target.js';

/** The soap target against the BC simulator over real HTTP (docs/bc-soap-page.md). */
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

const doc = (key: string, lines = 3, over: Partial<BcSalesOrderDocument> = {}): BcSalesOrderDocument => ({
  externalDocumentNumber: key,
  customerNumber: 'WEB-GUEST',
  orderDate: '2025-03-01',
  currencyCode: '',
  pricesIncludeTax: false,
  lines: [
    { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '2', unitPrice: '12.50', description: 'Enamel Mug Blue' },
    { lineType: 'Item', lineObjectNumber: 'BEAN-1KG', quantity: '1', unitPrice: '24.95' },
    { lineType: 'Account', lineObjectNumber: '6810', quantity: '1', unitPrice: '4.90', description: 'Shipping' },
    { lineType: 'Item', lineObjectNumber: 'TEA-GRN', quantity: '3', unitPrice: '6.95' },
  ].slice(0, lines) as BcSalesOrderDocument['lines'],
  expected: { currency: 'EUR', totalNet: '0', totalTax: '0', total: '0' },
  ...over,
});

const records = (key: string) => sim.soap.records('sandbox').filter((r) => r.External_Document_No === key);
const creates = () => log.filter((e) => e.url.endsWith('#Create')).length;

beforeEach(async () => {
  sim = await startBcSim({ soap: { processDelayMs: 3_600_000 } }); // processed only when a test says so
  log = [];
});
afterEach(async () => {
  for (const t of targets.splice(0)) await t.close();
  await sim.close();
});

describe('soap target against the simulator', () => {
  it('creates one staging record per line; BC\'s processor makes the sales order; findExisting and Read report it', async () => {
    const t = target();
    const created = await t.create(doc('WOO-100'));
    expect(created).toMatchObject({ id: 'WOO-100', number: '', complete: false, lineCount: 3 });
    expect(records('WOO-100').map((r) => [r.Line_No, r.Line_Count, r.Type, r.No])).toEqual([
      ['10000', '3', 'Item', 'MUG-01'], ['20000', '3', 'Item', 'BEAN-1KG'], ['30000', '3', 'G_L_Account', '6810'],
    ]);
    expect((await t.findExisting(['woo-100'])).get('woo-100')).toMatchObject({ complete: false, status: 'Processing' });

    expect(sim.soap.processNow()).toBe(1);
    const so = sim.salesOrders('sandbox').find((o) => o.externalDocumentNumber === 'WOO-100')!;
    expect(so.salesOrderLines).toHaveLength(3);
    const found = (await t.findExisting(['WOO-100', 'WOO-404'])).get('WOO-100')!;
    expect(found).toMatchObject({ complete: true, status: 'Completed', number: so.number, lineCount: 3 });
    // Amounts as BC computed them, as decimal strings.
    expect(found.totalAmountIncludingTax).toBe(String(so.totalAmountIncludingTax));
    expect(await t.read('WOO-100')).toMatchObject({ number: so.number, complete: true, lineCount: 3 });
    expect(await t.read('WOO-404')).toBeUndefined();
  });

  it('a reset after BC committed line 2: the lookup finds lines 1–2 and the resumed create adds only line 3', async () => {
    const t = target();
    sim.soap.faults.add({ kind: 'drop-after-commit', operation: 'Create', bodyIncludes: '<Line_No>20000</Line_No>' });
    const err = await t.create(doc('WOO-200')).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, ambiguous: true });
    expect(records('WOO-200')).toHaveLength(2);

    const before = creates();
    expect((await t.findExisting(['WOO-200'])).has('WOO-200')).toBe(false); // half an order is not an order
    await t.create(doc('WOO-200'));
    expect(creates() - before).toBe(1);
    expect(records('WOO-200').map((r) => r.Line_No)).toEqual(['10000', '20000', '30000']);
    sim.soap.processNow();
    expect(sim.salesOrders('sandbox').filter((o) => o.externalDocumentNumber === 'WOO-200')).toHaveLength(1);
    expect(sim.salesOrders('sandbox').find((o) => o.externalDocumentNumber === 'WOO-200')!.salesOrderLines).toHaveLength(3);
  });

  it('"already exists" on Create is the outcome wanted: creating the same order twice adds nothing', async () => {
    const t = target();
    await t.create(doc('WOO-300'));
    await t.create(doc('WOO-300'));
    expect(records('WOO-300')).toHaveLength(3);
  });

  it('a resumed order whose document changed: differing and surplus lines are replaced', async () => {
    const t = target();
    sim.soap.faults.add({ kind: 'reset', operation: 'Create', bodyIncludes: '<Line_No>40000</Line_No>' });
    await t.create(doc('WOO-350', 4)).catch(() => undefined);
    expect(records('WOO-350')).toHaveLength(3);
    await t.findExisting(['WOO-350']);
    const changed = doc('WOO-350', 2);
    changed.lines[1] = { ...changed.lines[1]!, quantity: '5' };
    await t.create(changed);
    expect(records('WOO-350').map((r) => [r.Line_No, r.Line_Count, r.Quantity])).toEqual([['10000', '2', '2'], ['20000', '2', '5']]);
  });

  it('BC rejects a line: the lines already created are removed, so BC never processes half an order', async () => {
    const t = target();
    const bad = doc('WOO-400');
    bad.lines[2] = { ...bad.lines[2]!, description: 'x'.repeat(101) };
    const err = await t.create(bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BC_REJECTED', retryable: false });
    expect((err as Error).message).toContain('must be less than or equal to 100 characters');
    expect(records('WOO-400')).toHaveLength(0);
  });

  it('a lock timeout fault (HTTP 500 fault envelope) is retried; a bare HTTP 500 on Create is ambiguous', async () => {
    const t = target();
    sim.soap.faults.add({ kind: 'fault', operation: 'Create', message: 'The Auto Shopping Cart Import table is locked by another user. Try again later.' });
    await t.create(doc('WOO-500'));
    expect(records('WOO-500')).toHaveLength(3);
    sim.soap.faults.add({ kind: 'http-500', operation: 'Create' });
    await expect(t.create(doc('WOO-501'))).rejects.toMatchObject({ code: 'BC_UNAVAILABLE', ambiguous: true });
  });

  it('a set BC could not process reports BC\'s error; creating it again replaces the whole set', async () => {
    const t = target();
    const d = doc('WOO-600');
    d.lines[1] = { ...d.lines[1]!, lineObjectNumber: 'NO-SUCH-ITEM' };
    await t.create(d);
    sim.soap.processNow();
    expect((await t.findExisting(['WOO-600'])).get('WOO-600')).toMatchObject({ complete: false, status: 'Error: Item does not exist.' });
    await t.create(doc('WOO-600'));
    expect(records('WOO-600').every((r) => r.Error_Message === '' && r.No !== 'NO-SUCH-ITEM')).toBe(true);
    sim.soap.processNow();
    expect((await t.findExisting(['WOO-600'])).get('WOO-600')).toMatchObject({ complete: true });
  });

  it('an order BC already processed is never created again, even without a lookup first', async () => {
    const t = target();
    await t.create(doc('WOO-700'));
    sim.soap.processNow();
    const again = await t.create(doc('WOO-700'));
    expect(again.complete).toBe(true);
    sim.soap.processNow();
    expect(sim.salesOrders('sandbox').filter((o) => o.externalDocumentNumber === 'WOO-700')).toHaveLength(1);
  });

  it('on-premises Basic auth with a web service access key; BC online refuses Basic', async () => {
    const onPrem = target({ auth: 'basic', username: 'BCBRIDGE', password: 'demo-access-key', soapUrl: sim.soap.onPremWsUrl('sandbox') });
    expect(await onPrem.checkCompany()).toMatchObject({ name: 'CRONUS Webshop' });
    expect(await onPrem.getCustomer('C40000')).toMatchObject({ number: 'C40000', blocked: 'All' });
    expect(await onPrem.getItem('OLD-MUG')).toMatchObject({ blocked: true });
    expect(await onPrem.getItem('NOPE')).toBeUndefined();
    const wrongKey = target({ auth: 'basic', username: 'BCBRIDGE', password: 'wrong', soapUrl: sim.soap.onPremWsUrl('sandbox') });
    await expect(wrongKey.checkCompany()).rejects.toMatchObject({ code: 'BC_AUTH', retryable: false });
    const online = target({ auth: 'basic', username: 'BCBRIDGE', password: 'demo-access-key', soapUrl: sim.soap.wsUrl('sandbox') });
    await expect(online.checkCompany()).rejects.toMatchObject({ code: 'BC_AUTH' });
    expect(JSON.stringify(log)).not.toContain('demo-access-key');
  });

  it('an unpublished service or unknown company is a clear, permanent error', async () => {
    await expect(target({ service: 'NotPublished' }).checkCompany()).rejects.toMatchObject({ code: 'BC_NOT_PUBLISHED', retryable: false });
    await expect(target({ company: 'No Such Company' }).checkCompany()).rejects.toThrow(/Web Services page/);
  });

  it('serves the WSDL on GET and checks the SOAPAction against the body', async () => {
    const token = JSON.parse(await (await request(sim.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=bcbridge-demo&client_secret=demo-secret&scope=https://api.businesscentral.dynamics.com/.default' })).body.text()).access_token as string;
    const url = `${sim.soap.wsUrl('sandbox')}/CRONUS%20Webshop/Page/AutoShoppingCartImport`;
    const wsdl = await (await request(url, { headers: { authorization: `Bearer ${token}` } })).body.text();
    expect(wsdl).toContain('targetNamespace="urn:microsoft-dynamics-schemas/page/autoshoppingcartimport"');
    expect(wsdl).toContain('soapAction="urn:microsoft-dynamics-schemas/page/autoshoppingcartimport:Create"');
    expect(wsdl).toContain('<xsd:enumeration value="External_Document_No" />');
    const body = '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Read xmlns="urn:microsoft-dynamics-schemas/page/autoshoppingcartimport"><External_Document_No>X</External_Document_No><Line_No>10000</Line_No></Read></soap:Body></soap:Envelope>';
    const wrong = await request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml', soapaction: '"urn:microsoft-dynamics-schemas/page/autoshoppingcartimport:Delete"' }, body });
    expect(wrong.statusCode).toBe(500);
    expect(await wrong.body.text()).toContain('does not match the operation');
    const ok = await request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml', soapaction: 'urn:microsoft-dynamics-schemas/page/autoshoppingcartimport:Read' }, body });
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.text()).toContain('<Read_Result xmlns="urn:microsoft-dynamics-schemas/page/autoshoppingcartimport"></Read_Result>');
  });
});
