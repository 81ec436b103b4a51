import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, sampleOrder } from './test-helpers.js';

describe('BC simulator: salesOrders deep insert (bc-api.md §1.2, §1.4)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.reset());

  it('creates an order with number, upper-case externalDocumentNumber and the worked totals', async () => {
    const r = await h.call('POST', 'salesOrders?$expand=salesOrderLines', sampleOrder('woo-1001'));
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`${h.company}/salesOrders(${r.body.id})`);
    expect(r.body['@odata.context']).toBe(`${h.sim.apiBase()}/$metadata#companies(${h.sim.companyId()})/salesOrders(salesOrderLines())/$entity`);
    expect(r.body['@odata.etag']).toMatch(/^W\/"[A-Za-z0-9+/=]+"$/);
    expect(r.body).toMatchObject({
      number: 'S-ORD101001',
      externalDocumentNumber: 'WOO-1001',
      status: 'Draft',
      customerNumber: 'C10000',
      customerName: 'Adatum Corporation',
      sellToCity: 'Berlin',
      shipToName: 'Adatum Corporation',
      billToCustomerNumber: 'C10000',
      // LCY: blank currency in BC, read back as the LCY code with an empty id (sample api-salesOrder-create).
      currencyCode: 'EUR',
      currencyId: '00000000-0000-0000-0000-000000000000',
      requestedDeliveryDate: '0001-01-01',
      orderDate: '2026-03-01',
      // Worked by hand: 3 × 20.92437 = 62.77311 → 62.77; − 2.50 = 60.27; VAT 20 % = 12.054 → 12.05.
      // Freight 4.95 + 0.99. Totals 65.22 + 13.04 = 78.26.
      totalAmountExcludingTax: 65.22,
      totalTaxAmount: 13.04,
      totalAmountIncludingTax: 78.26,
      discountAmount: 0,
      discountAppliedBeforeTax: true,
    });
    const [l1, l2] = r.body.salesOrderLines;
    expect(l1).toMatchObject({
      sequence: 10000, lineType: 'Item', lineObjectNumber: 'MUG-01', description: 'Enamel Mug Blue', unitOfMeasureCode: 'PCS',
      quantity: 3, unitPrice: 20.92437, discountAmount: 2.5, discountPercent: 3.98279, taxCode: 'STANDARD', taxPercent: 20,
      amountExcludingTax: 60.27, totalTaxAmount: 12.05, amountIncludingTax: 72.32, netAmount: 60.27, documentId: r.body.id,
    });
    expect(l2).toMatchObject({ sequence: 20000, lineType: 'Account', lineObjectNumber: '6810', description: 'Shipping', amountIncludingTax: 5.94 });

    const second = await h.call('POST', 'salesOrders', sampleOrder('woo-1002'));
    expect(second.body.number).toBe('S-ORD101002');
    expect(second.body.salesOrderLines).toBeUndefined(); // header only unless $expand
    expect(h.sim.salesOrders()).toHaveLength(2);
    expect(h.sim.salesOrders()[0]!.salesOrderLines).toHaveLength(2);
  });

  it('takes the item price when unitPrice is omitted, converts it for a foreign currency', async () => {
    const r = await h.call('POST', 'salesOrders?$expand=salesOrderLines', {
      customerNumber: 'C20000', currencyCode: 'USD',
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-02', quantity: 2 }],
    });
    expect(r.status).toBe(201);
    expect(r.body.currencyCode).toBe('USD');
    expect(r.body.currencyId).not.toBe('00000000-0000-0000-0000-000000000000');
    // 12.50 × 1.085 (sim exchange rate) = 13.5625; 2 × 13.5625 = 27.125 → 27.13; VAT 5.426 → 5.43.
    expect(r.body.salesOrderLines[0]).toMatchObject({ unitPrice: 13.5625, amountExcludingTax: 27.13, totalTaxAmount: 5.43 });
    expect(r.body.totalAmountIncludingTax).toBe(32.56);
  });

  it('extracts VAT when prices include tax', async () => {
    const r = await h.call('POST', 'salesOrders?$expand=salesOrderLines', {
      customerNumber: 'C10000', pricesIncludeTax: true,
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'BEAN-1KG', quantity: 2, unitPrice: 27.45 }],
    });
    // Gross 54.90 at 10 %: net = 54.90 / 1.1 = 49.909… → 49.91, VAT 4.99.
    expect(r.body).toMatchObject({ totalAmountExcludingTax: 49.91, totalTaxAmount: 4.99, totalAmountIncludingTax: 54.9, discountAppliedBeforeTax: false });
  });

  it('refuses an invoice discount in a deep insert: the header is inserted before its lines', async () => {
    const r = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000', discountAmount: 10,
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 3, unitPrice: 20.92437 }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('There is no amount that you can apply an invoice discount to.');
    expect(h.sim.salesOrders()).toHaveLength(0);
  });

  it('allocates an invoice discount over the lines', async () => {
    const created = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000',
      salesOrderLines: [
        { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 3, unitPrice: 20.92437, discountAmount: 2.5 },
        { lineType: 'Item', lineObjectNumber: 'BEAN-250', quantity: 2 },
      ],
    });
    expect(created.status).toBe(201);
    await h.call('PATCH', `salesOrders(${created.body.id})`, { discountAmount: 10 }, { 'If-Match': '*' });
    const r = await h.call('GET', `salesOrders(${created.body.id})?$expand=salesOrderLines`);
    // Base 60.27 + 14.98 = 75.25. Shares: 10 × 60.27 / 75.25 = 8.0093 → 8.01; 1.99.
    // Net 52.26 (VAT 10.45) and 12.99 (VAT 1.30): 65.25 + 11.75 = 77.00.
    expect(r.body).toMatchObject({ discountAmount: 10, totalAmountExcludingTax: 65.25, totalTaxAmount: 11.75, totalAmountIncludingTax: 77 });
    expect(r.body.salesOrderLines[0]).toMatchObject({ invoiceDiscountAllocation: 8.01, netAmount: 52.26, netTaxAmount: 10.45, amountExcludingTax: 60.27 });
    expect(r.body.salesOrderLines[1]).toMatchObject({ unitPrice: 7.49, invoiceDiscountAllocation: 1.99, netAmount: 12.99, netTaxAmount: 1.3 });
  });

  it('copies the customer address and carries a sell-to change over to ship-to', async () => {
    const a = await h.call('POST', 'salesOrders', { customerNumber: 'C10000', sellToAddressLine1: 'Kastanienallee 1', sellToCity: 'Hamburg' });
    expect(a.body).toMatchObject({ sellToAddressLine1: 'Kastanienallee 1', shipToAddressLine1: 'Kastanienallee 1', shipToCity: 'Hamburg', billToCity: 'Berlin' });
    const b = await h.call('POST', 'salesOrders', { customerNumber: 'C10000', shipToName: 'Jane Doe', shipToAddressLine1: 'Elbchaussee 9' });
    // Fields not sent keep the customer's values: city stays Berlin.
    expect(b.body).toMatchObject({ sellToAddressLine1: 'Hauptstraße 12', shipToAddressLine1: 'Elbchaussee 9', shipToCity: 'Berlin', shipToName: 'Jane Doe' });
  });

  it('is atomic: a bad line fails the whole POST and nothing is stored', async () => {
    const body = sampleOrder('woo-2000');
    body.salesOrderLines.push({ lineType: 'Item', lineObjectNumber: 'NOPE-1', quantity: 1, unitPrice: 1, discountAmount: 0 });
    const r = await h.call('POST', 'salesOrders', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('Application_DialogException');
    expect(r.body.error.message).toMatch(/^Item does not exist\. {2}CorrelationId: {2}[0-9a-f-]{36}\.$/);
    expect(h.sim.salesOrders()).toHaveLength(0);
    const ok = await h.call('POST', 'salesOrders', sampleOrder('woo-2001'));
    expect(ok.body.number).toBe('S-ORD101001'); // the failed POST consumed no number
  });

  const cases: [string, unknown, number, string, string | RegExp][] = [
    ['blocked customer', { customerNumber: 'C40000' }, 400, 'Application_DialogException', 'You cannot create this type of document when Customer C40000 is blocked with type All'],
    ['blocked item', { customerNumber: 'C10000', salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'OLD-MUG', quantity: 1 }] }, 400,
      'Application_FieldValidationException', "Blocked must be equal to 'No'  in Item: No.=OLD-MUG. Current value is 'Yes'."],
    ['no customer', { externalDocumentNumber: 'X' }, 400, 'Application_DialogException', 'A "customerNumber" or a "customerId" must be provided.'],
    ['unknown customer', { customerNumber: 'C99999' }, 400, 'Application_DialogException', 'The sell-to customer cannot be found.'],
    ['unknown account', { customerNumber: 'C10000', salesOrderLines: [{ lineType: 'Account', lineObjectNumber: '9999' }] }, 400,
      'Application_DialogException', 'Account does not exist.'],
    ['unknown currency', { customerNumber: 'C10000', currencyCode: 'JPY' }, 400, 'Application_DialogException', 'The "currencyCode" does not match to a Currency.'],
    ['read-only number', { customerNumber: 'C10000', number: 'MY-1' }, 400, 'BadRequest_InvalidOperation', "Control 'No.' is read-only"],
    ['unknown property', { customerNumber: 'C10000', shipmentMethodCode: 'DHL' }, 400, 'BadRequest',
      /^The property 'shipmentMethodCode' does not exist on type 'Microsoft\.NAV\.salesOrder'/],
    ['decimal sent as string', { customerNumber: 'C10000', salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: '1' }] }, 400,
      'BadRequest', "Cannot convert the literal '1' to the expected type 'Edm.Decimal'."],
    ['line without lineType is a comment', { customerNumber: 'C10000', salesOrderLines: [{ lineObjectNumber: 'MUG-01', quantity: 1 }] }, 404,
      'Internal_RecordNotFound', "The Standard Text does not exist. Identification fields and values: Code='MUG-01'"],
    ['escaped enum lineType', { customerNumber: 'C10000', salesOrderLines: [{ lineType: 'Fixed_x0020_Asset', lineObjectNumber: 'FA1' }] }, 404,
      'Internal_RecordNotFound', "The Fixed Asset does not exist. Identification fields and values: No.='FA1'"],
    ['too long externalDocumentNumber', { customerNumber: 'C10000', externalDocumentNumber: 'x'.repeat(57) }, 400, 'Application_StringExceededLength',
      `The length of the string is 57, but it must be less than or equal to 35 characters. Value: ${'x'.repeat(57)}`],
    ['too long shipToCity', { customerNumber: 'C10000', shipToCity: 'c'.repeat(31) }, 400, 'Application_StringExceededLength',
      `The length of the string is 31, but it must be less than or equal to 30 characters. Value: ${'c'.repeat(31)}`],
  ];
  it.each(cases)('rejects %s', async (_name, body, status, code, message) => {
    const r = await h.call('POST', 'salesOrders', body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    const text = (r.body.error.message as string).replace(/ {2}CorrelationId: {2}[0-9a-f-]{36}\.$/, '');
    if (typeof message === 'string') expect(text).toBe(message);
    else expect(text).toMatch(message);
    expect(h.sim.salesOrders()).toHaveLength(0);
  });

  it('rejects both itemId and accountId on a line', async () => {
    const items = await h.call('GET', "items?$filter=number eq 'MUG-01'");
    const accounts = await h.call('GET', "accounts?$filter=number eq '6810'");
    const r = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000',
      salesOrderLines: [{ itemId: items.body.value[0].id, accountId: accounts.body.value[0].id, quantity: 1 }],
    });
    expect(r.body.error.message).toMatch(/^Both "itemId" and "accountId" are specified\. Specify only one of them\./);
    const byId = await h.call('POST', 'salesOrders?$expand=salesOrderLines', {
      customerId: (await h.call('GET', "customers?$filter=number eq 'C30000'")).body.value[0].id,
      salesOrderLines: [{ itemId: items.body.value[0].id, quantity: 1 }],
    });
    expect(byId.status).toBe(201);
    expect(byId.body.customerNumber).toBe('C30000');
    expect(byId.body.salesOrderLines[0]).toMatchObject({ lineType: 'Item', lineObjectNumber: 'MUG-01', unitPrice: 12.5 });
  });
});

describe('BC simulator: PATCH/DELETE with If-Match, lines on an existing order (bc-api.md §1.6)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());

  it('requires If-Match, rejects a stale ETag with 409, accepts *', async () => {
    const created = await h.call('POST', 'salesOrders', sampleOrder('woo-3000'));
    const url = `salesOrders(${created.body.id})`;
    const etag = created.body['@odata.etag'] as string;

    const missing = await h.call('PATCH', url, { shipToContact: 'Jane' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BadRequest_InvalidToken');

    const ok = await h.call('PATCH', url, { shipToContact: 'Jane' }, { 'If-Match': etag });
    expect(ok.status).toBe(200);
    expect(ok.body.shipToContact).toBe('Jane');
    expect(ok.body['@odata.etag']).not.toBe(etag);

    const stale = await h.call('PATCH', url, { shipToContact: 'Joe' }, { 'If-Match': etag });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('Request_EntityChanged');

    const star = await h.call('PATCH', url, { externalDocumentNumber: 'woo-3000-b' }, { 'If-Match': '*' });
    expect(star.body.externalDocumentNumber).toBe('WOO-3000-B');
  });

  it('adds, changes and deletes lines; the header totals and ETag follow', async () => {
    const created = await h.call('POST', 'salesOrders', sampleOrder('woo-3100'));
    const id = created.body.id as string;
    const added = await h.call('POST', `salesOrders(${id})/salesOrderLines`, { lineType: 'Item', lineObjectNumber: 'GIFT-BOX', quantity: 1 });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ sequence: 30000, unitPrice: 4.5, amountIncludingTax: 5.4 });
    const header = await h.call('GET', `salesOrders(${id})`);
    expect(header.body.totalAmountIncludingTax).toBe(83.66);
    expect(header.body['@odata.etag']).not.toBe(created.body['@odata.etag']);

    const patched = await h.call('PATCH', `salesOrders(${id})/salesOrderLines(${added.body.id})`, { quantity: 2 }, { 'If-Match': added.body['@odata.etag'] });
    expect(patched.status).toBe(200);
    expect(patched.body.amountIncludingTax).toBe(10.8);
    const renumber = await h.call('PATCH', `salesOrders(${id})/salesOrderLines(${added.body.id})`, { lineObjectNumber: 'MUG-01' }, { 'If-Match': '*' });
    expect(renumber.body.error.message).toMatch(/^The value for "lineObjectNumber" cannot be modified\./);

    const lines = await h.call('GET', `salesOrderLines?$filter=documentId eq ${id}`);
    expect(lines.body.value.map((l: { sequence: number }) => l.sequence)).toEqual([10000, 20000, 30000]);
    const noFilter = await h.call('GET', 'salesOrderLines');
    expect(noFilter.body.error.message).toMatch(/^You must specify an Id or a Document Id to get the lines\./);

    expect((await h.call('DELETE', `salesOrderLines(${added.body.id})`, undefined, { 'If-Match': '*' })).status).toBe(204);
    expect((await h.call('GET', `salesOrders(${id})`)).body.totalAmountIncludingTax).toBe(78.26);

    expect((await h.call('DELETE', `salesOrders(${id})`)).status).toBe(400);
    expect((await h.call('DELETE', `salesOrders(${id})`, undefined, { 'If-Match': '*' })).status).toBe(204);
    const gone = await h.call('GET', `salesOrders(${id})`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('Internal_RecordNotFound');
  });

  it('does not support deep PATCH', async () => {
    const created = await h.call('POST', 'salesOrders', sampleOrder('woo-3200'));
    const r = await h.call('PATCH', `salesOrders(${created.body.id})`, { salesOrderLines: [] }, { 'If-Match': '*' });
    expect(r.status).toBe(400);
  });
});
