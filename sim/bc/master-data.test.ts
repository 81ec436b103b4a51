import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness } from './test-helpers.js';

const enc = encodeURIComponent;

describe('BC simulator: master data for order rules (item variants, locations, dimensions, customer search)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.sim.close());
  beforeEach(() => h.sim.reset());

  const one = async (set: string, filter: string) => (await h.call('GET', `${set}?$filter=${enc(filter)}`)).body.value[0];

  it('serves item variants below their item and as a collection, filterable by code', async () => {
    const r = await h.call('GET', `items?$filter=${enc("number eq 'TEE-01'")}&$expand=${enc("itemVariants($filter=code eq 'M')")}`);
    expect(r.status).toBe(200);
    expect(r.body.value[0].itemVariants).toHaveLength(1);
    expect(r.body.value[0].itemVariants[0]).toMatchObject({ code: 'M', itemNumber: 'TEE-01' });
    const all = await h.call('GET', `itemVariants?$filter=${enc("itemNumber eq 'TEE-01'")}`);
    expect(all.body.value.map((v: { code: string }) => v.code).sort()).toEqual(['L', 'M', 'S']);
    const none = await h.call('GET', `items?$filter=${enc("number eq 'MUG-01'")}&$expand=itemVariants`);
    expect(none.body.value[0].itemVariants).toEqual([]);
  });

  it('serves locations and dimensions with their values', async () => {
    expect((await one('locations', "code eq 'main'")).code).toBe('MAIN');
    const dim = await h.call('GET', `dimensions?$filter=${enc("code eq 'COLOR'")}&$expand=${enc("dimensionValues($filter=code eq 'BLUE')")}`);
    expect(dim.body.value[0].dimensionValues).toEqual([expect.objectContaining({ code: 'BLUE', displayName: 'BLUE' })]);
  });

  it('finds customers case-insensitively by e-mail with tolower() and by phone digits with contains()', async () => {
    const created = await h.call('POST', 'customers', { displayName: 'Jane Doe', email: 'Jane.Doe@Example.test', phoneNumber: '+49 30 1234567' });
    expect(created.status).toBe(201);
    const byEmail = await h.call('GET', `customers?$filter=${enc("tolower(email) eq 'jane.doe@example.test'")}`);
    expect(byEmail.body.value.map((c: { number: string }) => c.number)).toEqual([created.body.number]);
    const caseSensitive = await h.call('GET', `customers?$filter=${enc("email eq 'jane.doe@example.test'")}`);
    expect(caseSensitive.body.value).toHaveLength(0);
    const byPhone = await h.call('GET', `customers?$filter=${enc("contains(phoneNumber,'4567')")}`);
    expect(byPhone.body.value.map((c: { number: string }) => c.number)).toEqual([created.body.number]);
  });

  it('deep-inserts dimension set lines on the header and on lines; lines inherit the header set', async () => {
    const r = await h.call('POST', 'salesOrders?$expand=dimensionSetLines,salesOrderLines($expand=dimensionSetLines)', {
      customerNumber: 'C10000',
      dimensionSetLines: [{ code: 'SALESCHANNEL', valueCode: 'web' }],
      salesOrderLines: [
        { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 1, dimensionSetLines: [{ code: 'COLOR', valueCode: 'BLUE' }] },
        { lineType: 'Item', lineObjectNumber: 'MUG-02', quantity: 1 },
      ],
    });
    expect(r.status).toBe(201);
    expect(r.body.dimensionSetLines).toEqual([expect.objectContaining({ code: 'SALESCHANNEL', valueCode: 'WEB', parentId: r.body.id, parentType: 'Sales_x0020_Order' })]);
    const [first, second] = r.body.salesOrderLines;
    expect(first.dimensionSetLines.map((d: { code: string; valueCode: string }) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB', 'COLOR=BLUE']);
    expect(first.dimensionSetLines[1]).toMatchObject({ parentId: first.id, parentType: 'Sales_x0020_Order_x0020_Line', valueDisplayName: 'BLUE' });
    expect(second.dimensionSetLines.map((d: { code: string }) => d.code)).toEqual(['SALESCHANNEL']);
    const viaLine = await h.call('GET', `salesOrderLines(${first.id})/dimensionSetLines`);
    expect(viaLine.body.value).toHaveLength(2);
  });

  it('rejects unknown dimensions and values and a line dimension the header already set, atomically', async () => {
    const base = { customerNumber: 'C10000', salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 1 }] };
    const badCode = await h.call('POST', 'salesOrders', { ...base, dimensionSetLines: [{ code: 'NOPE', valueCode: 'X' }] });
    expect(badCode.body.error.message).toMatch(/^The "code" does not match to a Dimension\./);
    const badValue = await h.call('POST', 'salesOrders', { ...base, dimensionSetLines: [{ code: 'COLOR', valueCode: 'PURPLE' }] });
    expect(badValue.body.error.message).toMatch(/^The "valueCode" does not match to a Dimension Value\./);
    const noValue = await h.call('POST', 'salesOrders', { ...base, dimensionSetLines: [{ code: 'COLOR' }] });
    expect(noValue.body.error.message).toMatch(/^The "valueId" or "valueCode" field must be filled in\./);
    const twice = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000',
      dimensionSetLines: [{ code: 'COLOR', valueCode: 'RED' }],
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 1, dimensionSetLines: [{ code: 'COLOR', valueCode: 'BLUE' }] }],
    });
    expect(twice.status).toBe(400);
    expect(twice.body.error.message).toMatch(/^The dimension set line already exists\./);
    expect(h.sim.salesOrders()).toHaveLength(0);
  });

  it('adds a dimension set line to an existing order with POST', async () => {
    const created = await h.call('POST', 'salesOrders', { customerNumber: 'C10000' });
    const r = await h.call('POST', `salesOrders(${created.body.id})/dimensionSetLines`, { code: 'ENGRAVING', valueCode: 'LOGO' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ code: 'ENGRAVING', valueCode: 'LOGO', parentId: created.body.id });
    const again = await h.call('POST', `salesOrders(${created.body.id})/dimensionSetLines`, { code: 'ENGRAVING', valueCode: 'NAME' });
    expect(again.status).toBe(400);
  });

  it('accepts an item variant and a location on a line, and refuses a variant of another item', async () => {
    const variant = await one('itemVariants', "itemNumber eq 'TEE-01' and code eq 'L'");
    const location = await one('locations', "code eq 'EAST'");
    const ok = await h.call('POST', 'salesOrders?$expand=salesOrderLines', {
      customerNumber: 'C10000',
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'TEE-01', quantity: 1, itemVariantId: variant.id, locationId: location.id }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.salesOrderLines[0]).toMatchObject({ itemVariantId: variant.id, locationId: location.id });
    const wrong = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000',
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 1, itemVariantId: variant.id }],
    });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error.message).toContain("Item No.='MUG-01',Code='L'");
    const unknown = await h.call('POST', 'salesOrders', {
      customerNumber: 'C10000',
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 1, locationId: '11111111-1111-4111-8111-111111111111' }],
    });
    expect(unknown.body.error.message).toMatch(/^The Location does not exist\./);
  });
});
