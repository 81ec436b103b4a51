import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

const enc = encodeURIComponent;

describe('BC simulator: queries, paging and URL errors (bc-api.md §1.1, §1.5, §8)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    for (const ext of ['woo-1', 'woo-2', 'woo-3', "o'brien", 'a+b', 'woo-6', 'woo-7']) {
      const r = await h.call('POST', 'salesOrders', sampleOrder(ext));
      expect(r.status).toBe(201);
    }
  });
  afterAll(() => h.sim.close());

  const filter = (set: string, f: string, extra = '') => h.call('GET', `${set}?$filter=${enc(f)}${extra}`);

  it('filters with eq on a Code field (the literal is upper-cased like BC does) and with in (…)', async () => {
    const eq = await filter('salesOrders', "externalDocumentNumber eq 'woo-2'");
    expect(eq.body.value.map((o: { number: string }) => o.number)).toEqual(['S-ORD101002']);
    const inList = await filter('salesOrders', "externalDocumentNumber in ('WOO-1','WOO-3','NOPE')");
    expect(inList.body.value.map((o: { externalDocumentNumber: string }) => o.externalDocumentNumber)).toEqual(['WOO-1', 'WOO-3']);
    const quoted = await filter('salesOrders', "externalDocumentNumber eq 'O''BRIEN'");
    expect(quoted.body.value).toHaveLength(1);
    const plus = await filter('salesOrders', "externalDocumentNumber eq 'A+B'");
    expect(plus.body.value).toHaveLength(1);
    // A raw '+' in a query string means a space, as in other OData stacks: clients must send %2B.
    const rawPlus = await h.call('GET', "salesOrders?$filter=externalDocumentNumber%20eq%20'A+B'");
    expect(rawPlus.body.value).toHaveLength(0);
  });

  it('accepts or on one field and rejects or across fields', async () => {
    const same = await filter('salesOrders', "externalDocumentNumber eq 'WOO-1' or externalDocumentNumber eq 'WOO-2'");
    expect(same.body.value).toHaveLength(2);
    const mixed = await filter('salesOrders', "externalDocumentNumber eq 'WOO-1' or number eq 'S-ORD101002'");
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toMatch(/^The 'OR' operator is not supported on distinct fields on an OData filter\./);
  });

  it('types literals: bare GUIDs, dates and numbers; mismatches are 400', async () => {
    const cust = await filter('customers', "number eq 'C10000'");
    const id = cust.body.value[0].id as string;
    expect(cust.body.value[0].blocked).toBe('_x0020_');
    const byGuid = await filter('salesOrders', `customerId eq ${id} and orderDate ge 2026-03-01 and totalAmountIncludingTax gt 78`);
    expect(byGuid.body.value).toHaveLength(7);
    const quotedGuid = await filter('salesOrders', `customerId eq '${id}'`);
    expect(quotedGuid.status).toBe(400);
    expect(quotedGuid.body.error.message).toMatch(/incompatible types.*'Edm\.Guid' and 'Edm\.String'/);
    const num = await filter('salesOrders', 'externalDocumentNumber eq 5');
    expect(num.status).toBe(400);
    const unknown = await filter('salesOrders', "shipmentMethodCode eq 'DHL'");
    expect(unknown.body.error.message).toMatch(/^Could not find a property named 'shipmentMethodCode' on type 'Microsoft\.NAV\.salesOrder'\./);
    const gtin = await filter('items', "gtin eq '4012345678901'");
    expect(gtin.body.value.map((i: { number: string }) => i.number)).toEqual(['BEAN-1KG']);
    const blocked = await filter('customers', "blocked eq 'All'");
    expect(blocked.body.value.map((c: { number: string }) => c.number)).toEqual(['C40000']);
    const starts = await filter('items', "startswith(number,'TEE')");
    expect(starts.body.value).toHaveLength(4);
  });

  it('pages with Prefer: odata.maxpagesize and @odata.nextLink', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${h.company}/salesOrders?$select=number`;
    let pages = 0;
    while (url) {
      const r = await h.call('GET', url, undefined, { Prefer: 'odata.maxpagesize=3' });
      expect(r.status).toBe(200);
      expect(r.headers.get('preference-applied')).toBe('odata.maxpagesize=3');
      seen.push(...r.body.value.map((o: { number: string }) => o.number));
      url = r.body['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['S-ORD101001', 'S-ORD101002', 'S-ORD101003', 'S-ORD101004', 'S-ORD101005', 'S-ORD101006', 'S-ORD101007']);
  });

  it('supports $select, $expand=salesOrderLines and $top', async () => {
    const r = await h.call('GET', 'salesOrders?$top=2&$select=number,externalDocumentNumber&$expand=salesOrderLines($select=lineObjectNumber)');
    expect(r.body['@odata.context']).toMatch(/\/salesOrders\(number,externalDocumentNumber,salesOrderLines\(lineObjectNumber\)\)$/);
    expect(r.body.value).toHaveLength(2);
    expect(Object.keys(r.body.value[0])).toEqual(['@odata.etag', 'number', 'externalDocumentNumber', 'salesOrderLines']);
    expect(r.body.value[0].salesOrderLines.map((l: { lineObjectNumber: string }) => l.lineObjectNumber)).toEqual(['MUG-01', '6810']);
    const bad = await h.call('GET', 'salesOrders?$select=nope');
    expect(bad.status).toBe(400);
  });

  it('answers URL errors like BC', async () => {
    const seg = await h.call('GET', 'salesOrderz');
    expect(seg.status).toBe(404);
    expect(seg.body.error.code).toBe('BadRequest_ResourceNotFound');
    expect(seg.body.error.message).toMatch(/^Resource not found for the segment 'salesOrderz'\./);

    const key = await h.call('GET', "salesOrders('S-ORD101001')");
    expect(key.status).toBe(400);
    expect(key.body.error.code).toBe('BadRequest_NotFound');
    expect(key.body.error.message).toMatch(/^Bad Request - Error in query syntax\./);

    const missing = await h.call('GET', 'salesOrders(00000000-0000-0000-0000-000000000001)');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Internal_RecordNotFound');

    const company = await h.call('GET', `${h.sim.apiBase()}/companies(00000000-0000-0000-0000-000000000001)/customers`);
    expect(company.status).toBe(404);
    expect(company.body.error.code).toBe('Internal_CompanyNotFound');

    const byParam = await h.call('GET', `${h.sim.apiBase()}/shipmentMethods?company=${h.sim.companyId()}`);
    expect(byParam.body.value.map((s: { code: string }) => s.code)).toEqual(['DHL', 'PICKUP', 'STD', 'UPS']);

    const write = await h.call('POST', 'items', { displayName: 'x' });
    expect(write.status).toBe(405);
  });

  it('serves the reference entity sets', async () => {
    const currencies = await h.call('GET', 'currencies');
    // The LCY is not a Currency record in BC.
    expect(currencies.body.value.map((c: { code: string }) => c.code)).toEqual(['CHF', 'GBP', 'USD']);
    const countries = await h.call('GET', "countriesRegions?$filter=code eq 'DE'");
    expect(countries.body.value[0]).toMatchObject({ code: 'DE', displayName: 'Germany', addressFormat: 'Post_x0020_Code_x002B_City' });
    const accounts = await h.call('GET', 'accounts');
    expect(accounts.body.value.map((a: { number: string }) => a.number)).toEqual(['6810', '6820']);
    const item = await h.call('GET', "items?$filter=number eq 'OLD-MUG'");
    expect(item.body.value[0]).toMatchObject({ blocked: true, unitPrice: 9, taxGroupCode: 'STANDARD', baseUnitOfMeasureCode: 'PCS' });
    const meta = await h.call('GET', `${h.sim.apiBase()}/$metadata`);
    expect(meta.text).toContain('<Property Name="externalDocumentNumber" Type="Edm.String" MaxLength="35"/>');
  });

  it('creates customers with a number from the series', async () => {
    const noName = await h.call('POST', 'customers', { email: 'x@example.com' });
    expect(noName.body.error.message).toMatch(/^A "displayName" must be provided\./);
    const c = await h.call('POST', 'customers', { displayName: 'Guest Jane', country: 'de', email: 'jane@example.com' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ number: 'CUST00010', country: 'DE', blocked: '_x0020_', currencyCode: 'EUR' });
  });
});
