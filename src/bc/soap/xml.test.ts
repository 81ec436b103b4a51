import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorFromResponse, isAlreadyExists } from './errors.js';
import { pageUrl } from './config.js';
import { asArray, parseEnvelope, recordOf, soapEnvelope } from './xml.js';

const SAMPLES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'reference', 'samples', 'bc');
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');

describe('SOAP envelopes', () => {
  it('builds a doc/literal body in the page namespace, escaping text and keeping field order', () => {
    const xml = soapEnvelope('urn:microsoft-dynamics-schemas/page/autoshoppingcartimport', 'Create', [
      ['AutoShoppingCartImport', [['External_Document_No', 'WOO-1'], ['Description', 'Tom & Jerry <mugs> "2"'], ['Quantity', '2.50']]],
    ]);
    expect(xml).toContain('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><Create xmlns="urn:microsoft-dynamics-schemas/page/autoshoppingcartimport">');
    expect(xml).toContain('<External_Document_No>WOO-1</External_Document_No><Description>Tom &amp; Jerry &lt;mugs&gt; &quot;2&quot;</Description><Quantity>2.50</Quantity>');
    // Round trip: our own parser reads back exactly what was written.
    const back = parseEnvelope(xml);
    expect(back.operation).toBe('Create');
    expect(recordOf((back.body as Record<string, unknown>).AutoShoppingCartImport)).toEqual({ External_Document_No: 'WOO-1', Description: 'Tom & Jerry <mugs> "2"', Quantity: '2.50' });
  });

  it('reads the saved ReadMultiple and CreateMultiple responses (any prefix), values as strings', () => {
    const rm = parseEnvelope(sample('soap-page-readmultiple-response.fixture.xml'));
    expect(rm.operation).toBe('ReadMultiple_Result');
    const list = asArray(((rm.body as Record<string, unknown>).ReadMultiple_Result as Record<string, unknown>).CustomerList).map(recordOf);
    expect(list).toEqual([{ No: '123', Name: 'Customer #1' }, { No: '456', Name: 'Customer #2' }]);
    const cm = parseEnvelope(sample('soap-page-createmultiple-response.fixture.xml'));
    const created = asArray(((cm.body as Record<string, unknown>).CustomerList_List as Record<string, unknown>).CustomerList).map(recordOf);
    expect(created.map((c) => c.No)).toEqual(['234567', '345678']);
  });

  it('parses BC\'s fault envelope (bc-api.md §4)', () => {
    const fault = parseEnvelope(
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="urn:microsoft-dynamics-schemas/error">a:Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLDialogException</faultcode><faultstring xml:lang="en-US">Item does not exist.</faultstring><detail><string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">Item does not exist.</string></detail></s:Fault></s:Body></s:Envelope>',
    ).fault;
    expect(fault).toEqual({ faultcode: 'a:Microsoft.Dynamics.Nav.Types.Exceptions.NavNCLDialogException', faultstring: 'Item does not exist.', detail: 'Item does not exist.' });
  });

  it('refuses text that is not a SOAP envelope', () => {
    expect(() => parseEnvelope('<html><body>Bad gateway</body></html>')).toThrow(/not a SOAP envelope/);
  });

  it('builds online and on-premises URLs with the company encoded', () => {
    expect(pageUrl({ name: 'Production', tenant: 'contoso.onmicrosoft.com', company: 'CRONUS USA, Inc.' }, 'AutoShoppingCartImport')).toBe(
      'https://api.businesscentral.dynamics.com/v2.0/contoso.onmicrosoft.com/Production/WS/CRONUS%20USA%2C%20Inc./Page/AutoShoppingCartImport',
    );
    expect(pageUrl({ name: 'onprem', soapUrl: 'https://bc.contoso.local:7047/BC/WS/', company: 'CRONUS AG' }, 'Item')).toBe('https://bc.contoso.local:7047/BC/WS/CRONUS%20AG/Page/Item');
  });
});

describe('SOAP errors', () => {
  const fault = (message: string) =>
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>a:X</faultcode><faultstring>${message}</faultstring><detail/></s:Fault></s:Body></s:Envelope>`;
  const now = new Date('2025-01-01T00:00:00Z');
  const of = (status: number, body: string, idempotent = false, headers = {}) => errorFromResponse({ status, headers, body, idempotent, operation: 'Create' }, now);

  it('"already exists" on Create is recognised (idempotent create)', () => {
    const e = of(500, fault("The Auto Shopping Cart Import already exists. Identification fields and values: External Document No.='WOO-1',Line No.='10000'"));
    expect(isAlreadyExists(e)).toBe(true);
  });

  it('an AL error is a permanent rejection; a fault is never ambiguous (BC rolled back)', () => {
    expect(of(500, fault('Item does not exist.'))).toMatchObject({ code: 'BC_REJECTED', retryable: false, ambiguous: false, message: 'Item does not exist.' });
    expect(of(500, fault('Other user has modified Auto Shopping Cart Import "WOO-1,10000".'))).toMatchObject({ code: 'BC_CONFLICT', retryable: false });
    expect(of(500, fault('The Auto Shopping Cart Import table is locked by another user.'))).toMatchObject({ code: 'BC_UNAVAILABLE', retryable: true, ambiguous: false });
  });

  it('HTTP failures without a fault: ambiguous for Create/Delete unless BC provably did not run them', () => {
    expect(of(500, 'Internal Server Error')).toMatchObject({ code: 'BC_UNAVAILABLE', retryable: true, ambiguous: true });
    expect(of(504, '<html>504</html>')).toMatchObject({ code: 'BC_TIMEOUT', ambiguous: true });
    expect(of(504, '<html>504</html>', true)).toMatchObject({ code: 'BC_TIMEOUT', ambiguous: false });
    expect(of(429, 'Too many', false, { 'retry-after': '3' })).toMatchObject({ code: 'BC_THROTTLED', ambiguous: false, retryAfterMs: 3000 });
    expect(of(401, '')).toMatchObject({ code: 'BC_AUTH', retryable: false });
    expect(of(404, 'not published')).toMatchObject({ code: 'BC_NOT_PUBLISHED', retryable: false });
  });
});
