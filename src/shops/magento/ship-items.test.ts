import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ShopError } from '../../domain/errors.js';
import { anythingLeft, planShipment, readItems } from './ship-items.js';
import { toOrder } from './to-order.js';
import { mentions, shipmentComment, trackOf } from './write-back.js';

// Magento's own tutorial order: simple 3, downloadable 4, bundle 5 (parts 6–9), configurable 10 (child 11).
const SAMPLE = ['../../../reference/samples/magento/', '../../../../shared/reference/samples/magento/']
  .map((rel) => fileURLToPath(new URL(`${rel}rest-v1-order-3-get-response.json`, import.meta.url)))
  .find((file) => existsSync(file))!;
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as Record<string, unknown>;

function order(patch: (items: Record<string, unknown>[]) => void = () => {}): Record<string, unknown> {
  const copy = structuredClone(sample);
  patch(copy.items as Record<string, unknown>[]);
  return copy;
}

const line = (shopLineId: string, quantity: string) => ({ shopLineId, quantity });

describe('planShipment: BC shipment lines → POST /V1/order/{id}/ship items', () => {
  it('ships a configurable by its parent item: the line id toOrder gives it is the parent', () => {
    const canonical = toOrder(sample);
    const tee = canonical.lines.find((l) => l.sku === 'MH01-S-Gray')!;
    expect(tee.lineId).toBe('10');
    const plan = planShipment(readItems(sample), [line(tee.lineId, '1')], '000000003');
    expect(plan.together).toEqual([{ order_item_id: 10, qty: 1 }]);
    expect(plan.separately).toEqual([{ order_item_id: 10, qty: 1 }]);
    // A child id, should one come, is taken to its parent.
    expect(planShipment(readItems(sample), [line('11', '1')], '000000003').together).toEqual([{ order_item_id: 10, qty: 1 }]);
  });

  it('a partial shipment names only its lines, each with the quantity shipped', () => {
    const o = order((items) => (items[0]!.qty_ordered = 3));
    const plan = planShipment(readItems(o), [line('3', '2')], '000000003');
    expect(plan).toMatchObject({ together: [{ order_item_id: 3, qty: 2 }], held: [] });
  });

  it('a bundle line (mapping.bundles parent/all) ships the bundle, or its parts with their per-bundle quantity', () => {
    const o = order((items) => {
      items[2]!.qty_ordered = 2;
      for (const i of [3, 4, 5, 6]) items[i]!.qty_ordered = 4; // 2 of each part per bundle
    });
    // mapping.bundles all: the bundle and its parts are all lines; the parts are not counted twice.
    const plan = planShipment(readItems(o), [line('5', '1'), line('6', '2'), line('7', '2'), line('8', '2'), line('9', '2')], '000000003');
    expect(plan.partsFirst).toBe(false);
    expect(plan.together).toEqual([{ order_item_id: 5, qty: 1 }]);
    expect(plan.separately).toEqual([6, 7, 8, 9].map((id) => ({ order_item_id: id, qty: 2 })));
  });

  it('bundle parts without their bundle line (mapping.bundles children): whole bundles together, the parts separately, the rest held', () => {
    const o = order((items) => {
      items[2]!.qty_ordered = 2;
      for (const i of [3, 4, 5, 6]) items[i]!.qty_ordered = 2;
    });
    const items = readItems(o);
    const all = planShipment(items, ['6', '7', '8', '9'].map((id) => line(id, '2')), '000000003');
    expect(all).toMatchObject({ partsFirst: true, together: [{ order_item_id: 5, qty: 2 }], held: [] });
    expect(all.separately).toHaveLength(4);
    const some = planShipment(items, [line('6', '2'), line('7', '1')], '000000003');
    expect(some.together).toEqual([]);
    expect(some.separately).toEqual([{ order_item_id: 6, qty: 2 }, { order_item_id: 7, qty: 1 }]);
    expect(some.held.join()).toContain('beyond 0 whole bundle(s)');
  });

  it('cuts quantities to what Magento has left and says so; nothing left → nothing to send', () => {
    const o = order((items) => {
      items[0]!.qty_ordered = 2;
      items[0]!.qty_shipped = 1;
    });
    const plan = planShipment(readItems(o), [line('3', '2')], '000000003');
    expect(plan.together).toEqual([{ order_item_id: 3, qty: 1 }]);
    expect(plan.held).toEqual(['1 × Radiant Tee-M-Orange (1 left to ship in Magento)']);
    const done = order((items) => (items[0]!.qty_shipped = 1));
    expect(planShipment(readItems(done), [line('3', '1')], '000000003').together).toEqual([]);
  });

  it('a line the Magento order does not have is an error that names it', () => {
    expect(() => planShipment(readItems(sample), [{ shopLineId: '99', quantity: '1', name: 'Mug' }], '000000003')).toThrowError(ShopError);
    expect(() => planShipment(readItems(sample), [{ shopLineId: '99', quantity: '1', name: 'Mug' }], '000000003')).toThrow(/order 000000003 has no item 99 \(Mug\)/);
  });

  it('anythingLeft ignores a configurable child and a bundle item with parts, and virtual items', () => {
    const shipped = order((items) => {
      for (const it of items) if (it.item_id !== 11 && it.item_id !== 5 && it.product_type !== 'downloadable') it.qty_shipped = it.qty_ordered;
    });
    expect(anythingLeft(readItems(shipped))).toBe(false);
    expect(anythingLeft(readItems(sample))).toBe(true);
  });
});

describe('Magento tracks and comments', () => {
  it('uses Magento carrier codes for its own carriers, custom for the rest', () => {
    expect(trackOf({ number: '1Z999', carrier: 'UPS' })).toEqual({ track_number: '1Z999', title: 'UPS', carrier_code: 'ups' });
    expect(trackOf({ number: '1', carrier: 'FedEx' }).carrier_code).toBe('fedex');
    expect(trackOf({ number: '1', carrier: 'DHL Paket' })).toEqual({ track_number: '1', title: 'DHL Paket', carrier_code: 'custom' });
    expect(trackOf({ number: '1' })).toEqual({ track_number: '1', title: 'Tracking', carrier_code: 'custom' });
  });

  it('the shipment comment always names the BC shipment no., as a whole token', () => {
    expect(shipmentComment({ note: 'Shipped: BC shipment 102001 of order 7.', shipmentNo: '102001' })).toBe('Shipped: BC shipment 102001 of order 7.');
    expect(shipmentComment({ note: 'On its way!', shipmentNo: 'S-SHP1001' })).toBe('On its way! (BC shipment S-SHP1001)');
    expect(mentions('BC shipment S-SHP10012', 'S-SHP1001')).toBe(false);
    expect(mentions('BC shipment S-SHP1001.', 's-shp1001')).toBe(true);
  });
});
