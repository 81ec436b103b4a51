import { describe, expect, it } from 'vitest';
import { dec } from '../money.js';
import { lineAmounts, linePrice } from './line-prices.js';
import { testLine } from './test-orders.js';

const bcAmount = (q: string, p: string, d: string) => dec(q).times(dec(p)).toDecimalPlaces(2).minus(dec(d)).toFixed(2);

describe('line prices', () => {
  it('BC\'s line amount equals the shop total exactly, with a 5-decimal price and a non-negative discount', () => {
    for (const [q, sub, tot] of [['3', '62.77', '60.00'], ['7', '10.00', '10.00'], ['1', '20.92437', '20.92437'], ['13', '100.01', '99.99'], ['2', '5.00', '6.00']]) {
      const { unitPrice, discount } = linePrice(dec(q), dec(sub), dec(tot), 2);
      expect(unitPrice.decimalPlaces()).toBeLessThanOrEqual(5);
      expect(discount.isNegative()).toBe(false);
      if (dec(tot).decimalPlaces() <= 2) expect(bcAmount(q, unitPrice.toFixed(), discount.toFixed())).toBe(dec(tot).toFixed(2));
    }
  });

  it('gross amounts: the discount at the line\'s effective tax rate', () => {
    const line = testLine({ quantity: '3', discountNet: '2.78', totalNet: '60.00', totalTax: '6.00' });
    expect(lineAmounts(line, false, 2)).toEqual({ subtotal: dec('62.78'), total: dec('60.00') });
    const g = lineAmounts(line, true, 2);
    expect([g.subtotal.toFixed(2), g.total.toFixed(2)]).toEqual(['69.06', '66.00']);
    const free = lineAmounts(testLine({ discountNet: '10.00', totalNet: '0.00', totalTax: '0.00', taxPercent: '20' }), true, 2);
    expect(free.subtotal.toFixed(2)).toBe('12.00');
  });
});
