import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../sim/bc/server.js';
import { createBcTarget } from '../src/bc/create-target.js';
import type { BcTarget } from '../src/bc/target.js';
import { parseConfig } from '../src/config/load.js';
import { systemClock } from '../src/domain/clock.js';
import type { CanonicalOrder } from '../src/domain/order.js';
import { nullRequestLog } from '../src/http/request-log.js';
import { decide } from '../src/pipeline/evaluate.js';
import { MasterData } from '../src/pipeline/master-data.js';
import { compareTotals, totalsOf } from '../src/pipeline/verify.js';

/**
 * Bundles (WooCommerce Product Bundles / Composite Products send the parts with `bundled_by` →
 * `parentLineId`) in each mode, created in the BC simulator and compared with the shop's totals.
 */
describe('bundles created in BC', () => {
  let sim: BcSim;
  let target: BcTarget;
  beforeAll(async () => {
    sim = await startBcSim();
    target = createBcTarget(
      { name: 'production', transport: 'api', tenant: sim.tenant, company: 'CRONUS Webshop', clientId: 'bcbridge-demo', clientSecret: 'demo-secret', tokenUrl: sim.tokenUrl, baseUrl: sim.url },
      { clock: systemClock, requestLog: nullRequestLog },
    );
  });
  afterAll(async () => {
    await target.close();
    await sim.close();
  });

  // A gift set (GIFT-BOX, 20 % VAT) of 2 mugs and a grinder (20 %), priced as a bundle plus a surcharge on one part.
  const order: CanonicalOrder = {
    platform: 'woocommerce', shopOrderId: '900', orderNumber: '900', status: 'processing', paid: true,
    createdAt: '2026-11-20T10:00:00.000Z', modifiedAt: '2026-11-20T10:00:00.000Z', currency: 'EUR', pricesIncludeTax: false,
    customer: { guest: true, email: 'gift@example.test' }, billing: { country: 'DE' }, shipping: {},
    lines: [
      { lineId: '1', sku: 'GIFT-BOX', name: 'Gift set', quantity: '1', unitPriceNet: '49.99', discountNet: '0.00', totalNet: '49.99', totalTax: '10.00', options: [] },
      { lineId: '2', sku: 'MUG-01', name: 'Enamel Mug Blue', quantity: '2', unitPriceNet: '0.00', discountNet: '0.00', totalNet: '0.00', totalTax: '0.00', options: [], parentLineId: '1' },
      { lineId: '3', sku: 'GRIND-M', name: 'Manual Coffee Grinder', quantity: '1', unitPriceNet: '5.00', discountNet: '0.00', totalNet: '5.00', totalTax: '1.00', options: [], parentLineId: '1' },
    ],
    shippingLines: [], fees: [], coupons: [], refunds: [],
    totals: { total: '65.99', totalTax: '11.00', shippingNet: '0.00', discountNet: '0.00' },
  };

  for (const mode of ['all', 'parent', 'children'] as const) {
    it(`${mode}: BC's order has the lines the mode promises, and its totals are the shop's`, async () => {
      const shop = parseConfig({
        bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'c', clientId: 'c', clientSecret: 's' } },
        shops: [{ code: 'shop', platform: 'woocommerce', url: 'https://shop.invalid', consumerKey: 'k', consumerSecret: 's', mapping: { guestCustomerNo: 'WEB-GUEST', bundles: mode } }],
      }, {}).shops[0];
      const d = await decide(order, { shop, shopIndex: 0, orderKey: `BUNDLE-${mode}`, md: new MasterData(target, systemClock), checksDone: 0 });
      expect(d.kind).toBe('ready');
      if (d.kind !== 'ready') return;
      const snap = await target.create(d.document);
      expect(compareTotals(totalsOf(d.document), snap)).toEqual([]);
      const bc = sim.salesOrders().find((s) => s.number === snap.number)!;
      const shape = bc.salesOrderLines.slice(1).map((l) => `${l.lineType} ${l.lineType === 'Comment' ? l.description : l.lineObjectNumber}`);
      expect(shape).toEqual({
        all: ['Item GIFT-BOX', 'Item MUG-01', 'Item GRIND-M'],
        parent: ['Item GIFT-BOX', 'Comment 2 × Enamel Mug Blue', 'Comment 1 × Manual Coffee Grinder'],
        children: ['Comment Gift set', 'Item MUG-01', 'Item GRIND-M'],
      }[mode]);
    });
  }
});
