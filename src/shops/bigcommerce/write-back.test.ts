import { describe, expect, it } from 'vitest';
import { ShopError } from '../../domain/errors.js';
import type { ShopWriteBack } from '../connector.js';
import { trackingCarrierFor, trackingFields } from './carriers.js';
import { bigcommerceShopSchema } from './config.js';
import { carriesMark, planShipments, shipmentComments, statusIdFor } from './write-back.js';

function wb(over: Partial<ShopWriteBack> = {}): ShopWriteBack {
  return {
    shopOrderId: '218', orderNumber: '218', shipmentNo: '102001', bcOrderNumber: 'S-ORD101001',
    lines: [{ shopLineId: '65', quantity: '2', sku: 'MUG-01', name: 'Mug' }],
    complete: false, completeStatus: 'shipped', note: 'Shipped: BC shipment 102001 of order 218. 2 × Mug.', customerNote: false, trackingMode: 'note',
    ...over,
  };
}

const product = (id: number, address: number, quantity: number, shipped = 0, type = 'physical') => ({ id, order_address_id: address, quantity, quantity_shipped: shipped, type, name: `P${id}` });

describe('planShipments', () => {
  it('ships each line as its order product with its quantity, to the address the product belongs to', () => {
    const plan = planShipments(wb(), [product(65, 51, 2), product(66, 51, 1)], []);
    expect(plan).toEqual({ create: [{ orderAddressId: 51, items: [{ order_product_id: 65, quantity: 2 }] }], notes: [] });
  });

  it('makes one shipment per address for an order shipped to several addresses', () => {
    const lines = [{ shopLineId: '65', quantity: '1' }, { shopLineId: '66', quantity: '3' }, { shopLineId: '67', quantity: '1' }];
    const plan = planShipments(wb({ lines }), [product(65, 51, 1), product(66, 52, 3), product(67, 51, 1)], []);
    expect(plan.create).toEqual([
      { orderAddressId: 51, items: [{ order_product_id: 65, quantity: 1 }, { order_product_id: 67, quantity: 1 }] },
      { orderAddressId: 52, items: [{ order_product_id: 66, quantity: 3 }] },
    ]);
  });

  it('skips an address whose shipment already carries this BC shipment no. (a retry), and only that one', () => {
    const lines = [{ shopLineId: '65', quantity: '1' }, { shopLineId: '66', quantity: '1' }];
    const existing = [
      { id: 1, order_address_id: 51, comments: 'Shipped: BC shipment 102001 of order 218.' },
      { id: 2, order_address_id: 52, comments: 'Shipped: BC shipment 1020011 of order 218.' },
    ];
    const plan = planShipments(wb({ lines }), [product(65, 51, 1, 1), product(66, 52, 1)], existing);
    expect(plan.create).toEqual([{ orderAddressId: 52, items: [{ order_product_id: 66, quantity: 1 }] }]);
    expect(plan.notes).toEqual(['shipment for BC shipment 102001 already there (address 51)']);
  });

  it('caps a quantity at what BigCommerce has left to ship and leaves out what is shipped already or digital', () => {
    const lines = [{ shopLineId: '65', quantity: '3', name: 'Mug' }, { shopLineId: '66', quantity: '1', name: 'Tee' }, { shopLineId: '67', quantity: '1', name: 'E-book' }];
    const plan = planShipments(wb({ lines }), [product(65, 51, 3, 1), product(66, 51, 1, 1), product(67, 0, 1, 0, 'digital')], []);
    expect(plan.create).toEqual([{ orderAddressId: 51, items: [{ order_product_id: 65, quantity: 2 }] }]);
    expect(plan.notes).toEqual(['only 2 of Mug left to ship in BigCommerce', 'Tee already shipped in BigCommerce', 'E-book is digital and not shipped']);
  });

  it('uses the only shipping address for a product without one, and refuses lines it cannot ship', () => {
    expect(planShipments(wb(), [product(65, 0, 2)], [], 51).create).toEqual([{ orderAddressId: 51, items: [{ order_product_id: 65, quantity: 2 }] }]);
    expect(() => planShipments(wb(), [product(65, 0, 2)], [])).toThrow(/has no shipping address/);
    expect(() => planShipments(wb(), [product(66, 51, 2)], [])).toThrow(/has no order product 65 \(Mug\)/);
    const half = () => planShipments(wb({ lines: [{ shopLineId: '65', quantity: '1.5', name: 'Coffee' }] }), [product(65, 51, 2)], []);
    expect(half).toThrow(ShopError);
    expect(half).toThrow(/BC shipped 1.5 of Coffee .*whole units only/);
  });
});

describe('the mark in the shipment comments', () => {
  it('matches this BC shipment no. only, whole', () => {
    expect(carriesMark('Shipped: BC shipment 102001 of order 218.', '102001')).toBe(true);
    expect(carriesMark('(BC shipment S-SHP102001)', 'S-SHP102001')).toBe(true);
    expect(carriesMark('Shipped: BC shipment 1020011 of order 218.', '102001')).toBe(false);
    expect(carriesMark('BC shipment 10200', '102001')).toBe(false);
    expect(carriesMark('BC shipment 102001-2', '102001')).toBe(false);
    expect(carriesMark(undefined, '102001')).toBe(false);
  });

  it('is the rendered note, with the mark added when a custom template left it out', () => {
    expect(shipmentComments(wb())).toBe('Shipped: BC shipment 102001 of order 218. 2 × Mug.');
    expect(shipmentComments(wb({ note: 'On its way!' }))).toBe('On its way! (BC shipment 102001)');
  });
});

describe('tracking for BigCommerce', () => {
  it('sends a carrier BigCommerce knows as tracking_carrier (an AfterShip slug)', () => {
    expect(trackingFields({ number: '00340434161094042557', carrier: 'DHL Paket', url: 'https://track.example/dhl?no=1' }, '218')).toEqual({
      tracking_number: '00340434161094042557', tracking_carrier: 'dhl-germany', shipping_method: 'DHL Paket', tracking_link: 'https://track.example/dhl?no=1',
    });
    expect(trackingCarrierFor('dhl')).toBe('dhl');
    expect(trackingCarrierFor('Royal Mail')).toBe('royal-mail');
    expect(trackingCarrierFor('ROYAL-MAIL')).toBe('royal-mail');
    expect(trackingCarrierFor('Österreichische Post')).toBe('austrian-post');
    expect(trackingCarrierFor('dpd-de')).toBe('dpd-de');
    expect(trackingCarrierFor('DPDDE')).toBe('dpd-de');
    expect(trackingCarrierFor('Acme Freight')).toBeUndefined();
  });

  it('sends a store shipping provider app as shipping_provider and any other carrier as free text', () => {
    expect(trackingFields({ number: 'T1', carrier: 'carrier_1234' }, '218')).toEqual({ tracking_number: 'T1', shipping_provider: 'carrier_1234', shipping_method: 'carrier_1234' });
    expect(trackingFields({ number: 'T1', carrier: 'Spedition Müller' }, '218')).toEqual({ tracking_number: 'T1', shipping_provider: '', shipping_method: 'Spedition Müller' });
    expect(trackingFields({ number: 'T1' }, '218')).toEqual({ tracking_number: 'T1' });
    expect(trackingFields(undefined, '218')).toEqual({});
  });

  it('refuses a tracking no. longer than BigCommerce takes and leaves out an over-long link', () => {
    expect(() => trackingFields({ number: 'X'.repeat(51) }, '218')).toThrow(/51 characters; BigCommerce takes at most 50/);
    expect(trackingFields({ number: 'T1', url: `https://x.test/${'a'.repeat(500)}` }, '218')).toEqual({ tracking_number: 'T1' });
  });
});

describe('completeStatus', () => {
  it('names a status by id, system name or slug', () => {
    expect(statusIdFor('shipped')).toBe(2);
    expect(statusIdFor('Partially Shipped')).toBe(3);
    expect(statusIdFor('completed')).toBe(10);
    expect(statusIdFor('10')).toBe(10);
    expect(statusIdFor('99')).toBeUndefined();
    expect(statusIdFor('Ready to pack')).toBeUndefined();
  });

  it('defaults to shipped for BigCommerce shops', () => {
    const shop = bigcommerceShopSchema.parse({ code: 'big', platform: 'bigcommerce', storeHash: 'abc123', accessToken: 't', writeBack: { enabled: true } });
    expect(shop.writeBack).toMatchObject({ enabled: true, completeStatus: 'shipped', maxAttempts: 5 });
    const defaults = bigcommerceShopSchema.parse({ code: 'big', platform: 'bigcommerce', storeHash: 'abc123', accessToken: 't' });
    expect(defaults.writeBack).toMatchObject({ enabled: false, completeStatus: 'shipped' });
  });
});
