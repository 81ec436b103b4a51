import { afterEach, describe, expect, it } from 'vitest';
import { ITEMS } from '../sim/catalog.js';
import { getToken, send } from '../sim/bc/test-helpers.js';
import type { WooLineItem } from '../sim/shops/woocommerce/types.js';
import { retryOrder } from '../src/cli/commands/orders.js';
import type { Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type DatabaseKind, type TestDb } from './helpers/databases.js';
import { bcOrderOf, cycleUntil, orderOf, PAID, placeOrder, settled } from './helpers/rules-world.js';
import { rawConfig, soapEnvironment, startWorld, type World } from './helpers/world.js';

/**
 * The order rules (issue 3) on the SOAP transport (issue 4): WooCommerce simulator → bcbridge → BC simulator's
 * standard pages for the master data and AutoShoppingCartImport for the orders, on both databases.
 */
interface SoapRulesWorld {
  world: World;
  store: Store;
  rt: Runtime;
  reconfigure(mapping: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

async function startSoapRulesWorld(kind: DatabaseKind, mapping: Record<string, unknown>, bcExtra: Record<string, unknown> = {}): Promise<SoapRulesWorld> {
  const world = await startWorld({ bc: { soap: { processDelayMs: [10, 40] } } });
  const tdb: TestDb = testDb(kind);
  const store = await tdb.open();
  const overrides = (m: Record<string, unknown>) => {
    const shop = rawConfig(world.bc, world.woo).shops[0];
    return { bc: { test: { ...soapEnvironment(world.bc, 'sandbox'), ...bcExtra } }, shops: [{ ...shop, mapping: { ...shop.mapping, ...m } }] };
  };
  const srw: SoapRulesWorld = {
    world,
    store,
    rt: await world.runtime(store, { overrides: overrides(mapping) }),
    async reconfigure(m) {
      await srw.rt.close();
      srw.rt = await world.runtime(store, { overrides: overrides(m) });
    },
    async close() {
      await srw.rt.close();
      await store.close();
      await tdb.cleanup();
      await world.close();
    },
  };
  return srw;
}

const customer = (id: number, email: string, country = 'DE') => ({ customer_id: id, billing: { email, country, phone: '', state: '', company: '' } });
const item = (sku: string, quantity = 1, meta: { key: string; value: string }[] = []) =>
  ({ sku, quantity, meta_data: meta.map((m) => ({ ...m, display_key: m.key, display_value: m.value })) }) as unknown as Partial<WooLineItem>;

/** BC's API v2.0 in the sandbox company, as an operator's other tools would use it. */
async function bcApi(world: World) {
  const token = (await getToken(world.bc)).body.access_token as string;
  const base = `${world.bc.apiBase('sandbox')}/companies(${world.bc.companyId('sandbox')})`;
  return {
    one: async (set: string, filter: string, extra = '') => (await send(`${base}/${set}?$filter=${encodeURIComponent(filter)}${extra}`, 'GET', token)).body?.value?.[0] as Record<string, any> | undefined,
    patch: (path: string, body: unknown) => send(`${base}/${path}`, 'PATCH', token, body, { 'If-Match': '*' }),
  };
}

describe.each(DATABASES)('order rules over SOAP end to end on %s', (kind) => {
  let srw: SoapRulesWorld;
  afterEach(async () => {
    await srw?.close();
    srw = undefined as unknown as SoapRulesWorld;
  });

  it('customers: e-mail match, blocked customer held until unblocked and retried, new customer from the country template', async () => {
    srw = await startSoapRulesWorld(kind, {
      customerChain: ['binding', 'email', 'create'],
      customerTemplates: {
        AT: { template: 'B2C-EU', shipmentMethodCode: 'DHL', locationCode: 'EAST' },
        '*': { template: 'B2C' },
      },
      newCustomerNumbers: { mode: 'shopCustomerId', prefix: 'WEB' },
    });
    const { world, store } = srw;
    const adatum = placeOrder(world, customer(5, 'Orders@Adatum.example'));
    const alpine = placeOrder(world, customer(8, 'shop@alpine.example', 'CH'));
    const first = placeOrder(world, customer(900, 'new.buyer@example.test', 'AT'));
    const second = placeOrder(world, customer(900, 'new.buyer@example.test', 'AT'));
    await cycleUntil(srw.rt, () => settled(store, [adatum, alpine, first, second]), 150);

    expect(bcOrderOf(world, await orderOf(store, adatum))!.customerNumber).toBe('C10000');
    expect(await orderOf(store, alpine)).toMatchObject({ state: 'held', reason_code: 'CUSTOMER_BLOCKED', reason: 'BC customer C40000 (Alpine Ski House) is blocked (All).' });
    const [a, b] = await Promise.all([first, second].map(async (o) => (await orderOf(store, o)).state));
    expect([a, b]).toEqual(['verified', 'verified']);
    const soA = bcOrderOf(world, await orderOf(store, first))!;
    const soB = bcOrderOf(world, await orderOf(store, second))!;
    expect([soA.customerNumber, soB.customerNumber]).toEqual(['WEB900', 'WEB900']);
    // Created on the Customer Card with BC's template B2C-EU; the config's shipment method wins over the template's.
    const card = world.bc.soap.page('Customer', 'sandbox').find((c) => c.No === 'WEB900')!;
    expect(card).toMatchObject({ Country_Region_Code: 'AT', E_Mail: 'new.buyer@example.test', Gen_Bus_Posting_Group: 'EU', Customer_Posting_Group: 'FOREIGN', Payment_Terms_Code: 'COD', Shipment_Method_Code: 'DHL' });
    expect(world.bc.soap.page('Customer', 'sandbox').filter((c) => c.E_Mail === 'new.buyer@example.test')).toHaveLength(1);
    // The template's location goes onto the orders' item lines (Sana), through the staging page's Location_Code.
    const api = await bcApi(world);
    const east = await api.one('locations', "code eq 'EAST'");
    expect(soA.salesOrderLines.filter((l) => l.lineType === 'Item').every((l) => l.locationId === east!.id)).toBe(true);
    const bindings = await store.customerBindings.list({ shop: 'woo' });
    expect(bindings.map((x) => [x.customer_key, x.bc_customer_no, x.origin, x.template])).toEqual([
      ['id:5', 'C10000', 'email', null],
      ['id:8', 'C40000', 'email', null],
      ['id:900', 'WEB900', 'created', 'AT'],
    ]);

    // Fixed in BC, retried: the retry sees BC as it is now, over SOAP too.
    const c40000 = await api.one('customers', "number eq 'C40000'");
    expect((await api.patch(`customers(${c40000!.id})`, { blocked: ' ' })).status).toBe(200);
    expect((await retryOrder(srw.rt, alpine.number, 'woo', 'cli')).ok).toBe(true);
    await cycleUntil(srw.rt, () => settled(store, [alpine], ['verified']), 150);
    expect(bcOrderOf(world, await orderOf(store, alpine))!.customerNumber).toBe('C40000');
  });

  it('a template BC does not have holds the order with BC\'s refusal', async () => {
    srw = await startSoapRulesWorld(kind, { customerChain: ['create'], customerTemplates: { '*': { template: 'NO-SUCH' } } });
    const { world, store } = srw;
    const o = placeOrder(world, customer(901, 'someone@example.test'));
    await cycleUntil(srw.rt, () => settled(store, [o]), 60);
    const row = await orderOf(store, o);
    expect(row).toMatchObject({ state: 'held', reason_code: 'CUSTOMER_CREATE_REJECTED' });
    expect(row.reason).toContain('Customer template NO-SUCH does not exist in BC');
  });

  it('a lookup page that is configured but not published holds the order with the setting to fix', async () => {
    srw = await startSoapRulesWorld(kind, { itemChain: ['sku'] }, { soapPages: { item: 'ItemCardNotPublished' } });
    const { world, store } = srw;
    const o = placeOrder(world, { line_items: [item('MUG-01')] });
    await cycleUntil(srw.rt, () => settled(store, [o]), 60);
    const row = await orderOf(store, o);
    expect(row).toMatchObject({ state: 'held', reason_code: 'BC_PAGE_NOT_PUBLISHED' });
    expect(row.reason).toContain('soapPages.item');
  });

  it('items: GTIN, a variant from an option, blocked and unknown items held', async () => {
    srw = await startSoapRulesWorld(kind, { itemChain: ['skuMap', 'sku', 'gtin', 'variant'], options: { mode: 'field', label: 'Size', field: 'itemVariantCode' } });
    const { world, store } = srw;
    const byGtin = placeOrder(world, { line_items: [{ ...item('MUG-01'), sku: '5701234567001', global_unique_id: '' }] });
    const byOption = placeOrder(world, { line_items: [item('TEE-01', 2, [{ key: 'Size', value: 'S' }])] });
    const badVariant = placeOrder(world, { line_items: [item('TEE-01', 1, [{ key: 'Size', value: 'XXL' }])] });
    const blocked = placeOrder(world, { line_items: [item('OLD-MUG')] });
    const unknown = placeOrder(world, { line_items: [item('NO-SUCH-ITEM')] });
    await cycleUntil(srw.rt, () => settled(store, [byGtin, byOption, badVariant, blocked, unknown]), 150);

    const g = bcOrderOf(world, await orderOf(store, byGtin))!;
    expect(g.salesOrderLines.find((l) => l.lineType === 'Item')).toMatchObject({ lineObjectNumber: 'MUG-01' });
    const v = bcOrderOf(world, await orderOf(store, byOption))!;
    const api = await bcApi(world);
    const tee = await api.one('items', "number eq 'TEE-01'", '&$expand=itemVariants');
    const variantS = tee!.itemVariants.find((x: { code: string }) => x.code === 'S');
    expect(v.salesOrderLines.find((l) => l.lineType === 'Item')).toMatchObject({ lineObjectNumber: 'TEE-01', itemVariantId: variantS.id });
    expect(world.bc.soap.records('sandbox').filter((r) => r.External_Document_No === (v.externalDocumentNumber as string)).map((r) => r.Variant_Code ?? '')).toContain('S');
    expect(await orderOf(store, badVariant)).toMatchObject({ state: 'held', reason_code: 'VARIANT_NOT_IN_BC' });
    expect(await orderOf(store, blocked)).toMatchObject({ state: 'held', reason_code: 'ITEM_BLOCKED', reason: 'BC item OLD-MUG (Discontinued Mug) is blocked for sales.' });
    expect(await orderOf(store, unknown)).toMatchObject({ state: 'held', reason_code: 'UNKNOWN_SKU' });
  });

  it('dimensions, shipment method and location: held for missing BC data, fixed, retried, verified with the dimensions in BC', async () => {
    const mapping = {
      options: { mode: 'dimensions', dimensions: { Color: 'COLOR' } },
      dimensions: { SALESCHANNEL: 'TV' },
      shipmentMethods: { flat_rate: 'NOPE', free_shipping: 'NOPE', local_pickup: 'NOPE' },
      locationCode: 'MAIN',
    };
    srw = await startSoapRulesWorld(kind, mapping);
    const { world, store } = srw;
    const o = placeOrder(world, {
      line_items: [item('MUG-01', 2, [{ key: 'Color', value: 'Blue' }]), item('GRIND-M')],
      shipping_lines: [{ method_id: 'flat_rate', method_title: 'Flat rate', total: '4.90' }],
    });
    await cycleUntil(srw.rt, () => settled(store, [o]), 60);
    expect(await orderOf(store, o)).toMatchObject({ state: 'held', reason_code: 'SHIPMENT_METHOD_NOT_IN_BC', reason: 'Shipment method NOPE does not exist in BC.' });

    await srw.reconfigure({ ...mapping, shipmentMethods: { flat_rate: 'DHL' } });
    expect((await retryOrder(srw.rt, o.number, 'woo', 'cli')).ok).toBe(true);
    await cycleUntil(srw.rt, () => settled(store, [o]), 60);
    expect(await orderOf(store, o)).toMatchObject({ state: 'held', reason_code: 'DIMENSION_VALUE_NOT_IN_BC', reason: 'Dimension SALESCHANNEL has no value TV in BC (shops[0].mapping.dimensions["SALESCHANNEL"]).' });

    await srw.reconfigure({ ...mapping, shipmentMethods: { flat_rate: 'DHL' }, dimensions: { SALESCHANNEL: 'WEB' } });
    expect((await retryOrder(srw.rt, o.number, 'woo', 'cli')).ok).toBe(true);
    await cycleUntil(srw.rt, () => settled(store, [o], ['verified']), 150);
    const so = bcOrderOf(world, await orderOf(store, o))!;
    expect(so.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB']);
    const [mug, grinder] = so.salesOrderLines.filter((l) => l.lineType === 'Item');
    expect(mug!.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB', 'COLOR=BLUE']);
    expect(grinder!.dimensionSetLines!.map((d) => `${d.code}=${d.valueCode}`)).toEqual(['SALESCHANNEL=WEB']);
    const api = await bcApi(world);
    expect(so.shipmentMethodId).toBe((await api.one('shipmentMethods', "code eq 'DHL'"))!.id);
    expect(mug!.locationId).toBe((await api.one('locations', "code eq 'MAIN'"))!.id);
  });

  it('coupons as an order discount: BC\'s invoice discount on the sales order; single-rate orders verify to the cent', async () => {
    srw = await startSoapRulesWorld(kind, { coupons: { mode: 'orderDiscount' } });
    const { world, store } = srw;
    const orders = world.woo.generate(24, PAID);
    await cycleUntil(srw.rt, () => settled(store, orders), 200);
    const rate = (sku: string) => ITEMS.find((i) => i.number === sku)?.taxGroupCode;
    let uniformWithCoupon = 0;
    for (const o of orders) {
      const row = await orderOf(store, o);
      const rates = new Set([...o.line_items.map((l) => rate(l.sku)), ...(o.shipping_lines.some((x) => Number(x.total) !== 0) || o.fee_lines.length > 0 ? ['STANDARD'] : [])]);
      if (o.coupon_lines.length === 0 || rates.size === 1) {
        // verified = BC's totals after the discount equal the shop's (verify compares them).
        expect([o.number, row.state, row.reason]).toEqual([o.number, 'verified', null]);
      } else if (row.state !== 'verified') {
        expect([o.number, row.reason_code]).toEqual([o.number, 'TOTALS_MISMATCH']);
      }
      if (row.state !== 'verified') continue;
      const so = bcOrderOf(world, row)!;
      const staged = world.bc.soap.records('sandbox').filter((r) => r.External_Document_No === row.order_key);
      if (o.coupon_lines.length > 0) {
        expect(Number(so.discountAmount)).toBeGreaterThan(0);
        expect(staged.every((r) => Number(r.Invoice_Discount_Amount) === Number(so.discountAmount))).toBe(true);
        expect(Number(so.totalAmountIncludingTax)).toBe(Number(o.total));
        if (rates.size === 1) uniformWithCoupon++;
      } else {
        expect(Number(so.discountAmount)).toBe(0);
      }
    }
    expect(uniformWithCoupon).toBeGreaterThan(0);
  });
});
