import { describe, expect, it } from 'vitest';
import { shopIdsComment } from './shop-ids.js';
import { testOrder } from './test-orders.js';

describe('shop ids on the BC order', () => {
  it('names the shop order number, id and customer id (or guest)', () => {
    expect(shopIdsComment(testOrder())).toBe('Shop order 501 (id 501), customer 42');
    expect(shopIdsComment(testOrder({ orderNumber: 'A-9', shopOrderId: '9', customer: { guest: true } }))).toBe('Shop order A-9 (id 9), guest');
  });
});
