import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcSim, type BcSim } from '../sim/bc/server.js';
import { offlineTarget } from '../src/bc/offline-target.js';
import { createBcTarget } from '../src/bc/create-target.js';
import type { BcTarget } from '../src/bc/target.js';
import { parseConfig } from '../src/config/load.js';
import type { ShopConfig } from '../src/config/schema.js';
import { systemClock } from '../src/domain/clock.js';
import { nullRequestLog } from '../src/http/request-log.js';
import { decide, type Decision } from '../src/pipeline/evaluate.js';
import { MasterData } from '../src/pipeline/master-data.js';
import { WOO_ORDER_SAMPLES } from '../src/shops/woocommerce/order-samples.js';
import { toOrder } from '../src/shops/woocommerce/to-order.js';

/**
 * Every WooCommerce sample in reference/samples maps or holds with the expected reason under the order
 * rules (the connector's own test maps them to canonical orders; this is the layer on top).
 */
const SAMPLES = [join(__dirname, '..', 'reference', 'samples'), join(__dirname, '..', '..', 'shared', 'reference', 'samples')].find((d) => existsSync(d))!;

function samples(): { name: string; raw: unknown }[] {
  return Object.entries(WOO_ORDER_SAMPLES).flatMap(([file, extract]) =>
    extract(JSON.parse(readFileSync(join(SAMPLES, file), 'utf8'))).map((raw, i) => ({ name: `${file}#${i}`, raw })),
  );
}

function shopConfig(rules: Record<string, unknown>, mapping: Record<string, unknown>): ShopConfig {
  return parseConfig(
    {
      bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'CRONUS Webshop', clientId: 'c', clientSecret: 's' } },
      shops: [{ code: 'shop', platform: 'woocommerce', url: 'https://shop.invalid', consumerKey: 'k', consumerSecret: 's', rules, mapping }],
    },
    {},
  ).shops[0];
}

async function decideSample(raw: unknown, shop: ShopConfig, md: MasterData): Promise<Decision> {
  const o = toOrder(raw);
  return decide(o, { shop, shopIndex: 0, orderKey: `S-${o.orderNumber}`, md, checksDone: 0, now: new Date('2026-12-01T00:00:00Z'), dryRun: true });
}

const outcome = (d: Decision) => (d.kind === 'hold' ? d.hold.code : d.kind === 'ready' ? 'ready' : d.kind === 'wait' ? 'NOT_ELIGIBLE_YET' : d.code);
const orderNo = (raw: unknown) => toOrder(raw).orderNumber;

describe('reference samples under the order rules', () => {
  it('offline, with the rules `bcbridge map` uses without a config: lines without SKU hold, refunded orders are ignored, the rest maps', async () => {
    const shop = shopConfig(
      { exportStatuses: ['processing', 'completed', 'on-hold', 'pending'], requirePaid: false },
      { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
    );
    const md = new MasterData(offlineTarget(), systemClock);
    const got: Record<string, string> = {};
    for (const s of samples()) got[`${s.name} (${orderNo(s.raw)})`] = outcome(await decideSample(s.raw, shop, md));
    const expected = (name: string, no: string) => {
      if (no === '88' || no === '937') return 'IGNORED_STATUS';
      if (name.startsWith('recorded/')) return 'ready';
      return 'MISSING_SKU';
    };
    for (const [key, value] of Object.entries(got)) {
      const [, name, no] = /^(.+?)#\d+ \((.+)\)$/.exec(key)!;
      expect([key, value]).toEqual([key, expected(name, no)]);
    }
    expect(Object.keys(got)).toHaveLength(22);
  });

  describe('against the BC simulator, with an operator\'s config', () => {
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

    const rules = { exportStatuses: ['processing', 'completed'], requirePaid: true };
    const mapping = {
      guestCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' },
      shipmentMethods: { flat_rate: 'DHL', free_shipping: 'STD' },
    };

    it('each sample waits, is ignored, or holds with the reason an operator would expect', async () => {
      const shop = shopConfig(rules, mapping);
      const md = new MasterData(target, systemClock);
      const got = new Map<string, string>();
      for (const s of samples()) got.set(`${orderNo(s.raw)}@${s.name.split('/')[0]}`, outcome(await decideSample(s.raw, shop, md)));
      expect(Object.fromEntries(got)).toEqual({
        '727@woocommerce': 'MISSING_SKU', // processing, paid, a line without SKU
        '723@woocommerce': 'NOT_ELIGIBLE_YET', // completed but not paid
        '728@woocommerce': 'NOT_ELIGIBLE_YET', // pending
        '729@woocommerce': 'UNKNOWN_SKU', // its first line's SKU "Bar3" is not a BC item
        '88@woocommerce': 'IGNORED_STATUS', // refunded
        '949@woocommerce': 'MISSING_SKU',
        '939@woocommerce': 'NOT_ELIGIBLE_YET', // cash on delivery, not paid yet
        '937@woocommerce': 'IGNORED_STATUS',
        '56AQ@woocommerce': 'NOT_ELIGIBLE_YET',
        '17@recorded': 'UNKNOWN_SKU', // ESP-1KG is not a BC item number
        '15@recorded': 'UNKNOWN_SKU',
        '14@recorded': 'NOT_ELIGIBLE_YET',
        '19@recorded': 'NOT_ELIGIBLE_YET',
        '20@recorded': 'UNKNOWN_SKU',
      });
      const held = await decideSample(samples().find((s) => s.name.startsWith('recorded/woocommerce-11.0.1-order-restapi'))!.raw, shop, md);
      expect(held).toMatchObject({ kind: 'hold', hold: { reason: 'SKU ESP-1KG has no BC item.', hint: 'Add the item in BC, or map the SKU in shops[0].mapping.skuMap.' } });
    });

    it('with the SKU mapped, the paid recorded orders become BC orders, and BC\'s total incl. tax is what the customer paid, in every coupon mode', async () => {
      const md = new MasterData(target, systemClock);
      for (const mode of ['lineDiscount', 'separateLine', 'orderDiscount'] as const) {
        const shop = shopConfig(rules, { ...mapping, skuMap: { 'ESP-1KG': 'BEAN-1KG' }, coupons: { mode, line: { type: 'Account', no: '6820', description: 'Discount' } } });
        for (const s of samples().filter((x) => x.name.startsWith('recorded/'))) {
          const d = await decideSample(s.raw, shop, md);
          const o = toOrder(s.raw);
          if (!o.paid) continue;
          expect(d.kind).toBe('ready');
          if (d.kind !== 'ready') continue;
          const doc = { ...d.document, externalDocumentNumber: `${mode.slice(0, 4)}-${o.orderNumber}-${s.name.length}` };
          expect(doc.lines[0]).toMatchObject({ lineType: 'Comment', description: `Shop order ${o.orderNumber} (id ${o.shopOrderId}), guest` });
          expect(doc.shipmentMethodCode).toBe('DHL');
          const snap = await target.create(doc);
          expect(snap.number).toMatch(/^S-ORD/);
          // The recorded shop enters prices including tax, so the BC order is gross and its total is the shop's
          // total whatever BC's VAT setup (the samples' store charges no tax; the simulated company does).
          expect(doc.pricesIncludeTax).toBe(true);
          expect([mode, o.orderNumber, snap.totalAmountIncludingTax]).toEqual([mode, o.orderNumber, String(Number(doc.expected.total))]);
          if (mode === 'orderDiscount' && o.coupons.length > 0) expect(doc.discountAmount).toBeDefined();
        }
      }
    });
  });
});
