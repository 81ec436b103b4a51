import { describe, expect, it } from 'vitest';
import { shopMappingSchema } from '../../config/shop-rules.js';
import { planCostLines } from './cost-lines.js';
import { testOrder } from './test-orders.js';

const AT = 'shops[0].mapping';
const mapping = (m: Record<string, unknown>) => shopMappingSchema.parse(m);
const ship = (method: string, methodId: string | undefined, total: string) => ({ lineId: 's', method, methodId, totalNet: total, totalTax: '0.00' });

describe('cost lines: freight, fees, shipment method', () => {
  it('charged shipping needs a freight target (Tinx Freight Cost Type/No.); free shipping does not', () => {
    const charged = testOrder({ shippingLines: [ship('DHL Paket', 'flat_rate', '4.90')] });
    expect(planCostLines(charged, mapping({}), AT)).toMatchObject({ kind: 'hold', hold: { code: 'NO_FREIGHT_TARGET' } });
    expect(planCostLines(charged, mapping({ freight: { type: 'Item', no: 'FREIGHT' } }), AT)).toMatchObject({ kind: 'plan', plan: { freight: { type: 'Item', no: 'FREIGHT' } } });
    expect(planCostLines(testOrder({ shippingLines: [ship('Free', 'free_shipping', '0.00')] }), mapping({}), AT)).toMatchObject({ kind: 'plan' });
  });

  it('fees go to their named target, else the default fee target, else the order is held naming the fee', () => {
    const o = testOrder({ fees: [{ lineId: 'f1', name: 'Cash on delivery', totalNet: '2.00', totalTax: '0.40' }, { lineId: 'f2', name: 'Gift wrap', totalNet: '1.00', totalTax: '0.20' }] });
    const r = planCostLines(o, mapping({ fees: { no: '6820' }, feesByName: { 'cash on delivery': { no: '6825' } } }), AT);
    expect(r.kind === 'plan' && Object.fromEntries([...r.plan.fees].map(([k, v]) => [k, v.no]))).toEqual({ f1: '6825', f2: '6820' });
    const held = planCostLines(o, mapping({ feesByName: { 'Cash on delivery': { no: '6825' } } }), AT);
    expect(held).toMatchObject({ kind: 'hold', hold: { code: 'NO_FEE_TARGET', reason: 'Order 501 has the fee "Gift wrap" but no fee line is configured for it.' } });
  });

  it('shipping method id or title → BC shipment method; requireShipmentMethod holds an unmapped one', () => {
    const o = testOrder({ shippingLines: [ship('DHL Paket', 'flat_rate', '0.00')] });
    expect(planCostLines(o, mapping({ shipmentMethods: { flat_rate: 'dhl' } }), AT)).toMatchObject({ plan: { shipmentMethodCode: 'DHL' } });
    expect(planCostLines(o, mapping({ shipmentMethods: { 'DHL Paket': 'DHL' } }), AT)).toMatchObject({ plan: { shipmentMethodCode: 'DHL' } });
    expect(planCostLines(o, mapping({}), AT)).toMatchObject({ kind: 'plan', plan: { shipmentMethodCode: undefined } });
    expect(planCostLines(o, mapping({ requireShipmentMethod: true }), AT)).toMatchObject({ kind: 'hold', hold: { code: 'NO_SHIPMENT_METHOD', reason: 'Shipping method "DHL Paket (flat_rate)" has no BC shipment method.' } });
  });
});
