import { describe, expect, it } from 'vitest';
import { dec, sum } from '../money.js';
import { planBundles } from './bundles.js';
import { testLine } from './test-orders.js';

const lines = [
  testLine({ lineId: 'p', sku: 'BOX', name: 'Box', quantity: '1', totalNet: '9.99', totalTax: '1.00', discountNet: '0.99' }),
  testLine({ lineId: 'a', sku: 'A', name: 'A', quantity: '1', totalNet: '0.00', totalTax: '0.00', parentLineId: 'p' }),
  testLine({ lineId: 'b', sku: 'B', name: 'B', quantity: '2', totalNet: '0.00', totalTax: '0.00', parentLineId: 'p' }),
  testLine({ lineId: 'x', sku: 'X', name: 'X', quantity: '1', parentLineId: 'missing' }),
];
const items = (plan: ReturnType<typeof planBundles>) => plan.flatMap((e) => (e.kind === 'item' ? [e.line] : []));

describe('bundles', () => {
  it('all: every line as it comes', () => {
    expect(items(planBundles(lines, 'all', 2)).map((l) => l.lineId)).toEqual(['p', 'a', 'b', 'x']);
  });

  it('children: parts sold, the bundle a comment; the bundle\'s money spread so that nothing is lost', () => {
    const plan = planBundles(lines, 'children', 2);
    expect(plan[0]).toEqual({ kind: 'comment', description: 'Box', description2: '1 ×', sourceLineId: 'p' });
    const sold = items(plan);
    expect(sold.map((l) => l.lineId)).toEqual(['a', 'b', 'x']);
    expect(sum(sold.filter((l) => l.lineId !== 'x').map((l) => l.totalNet)).toFixed(2)).toBe('9.99');
    expect(sum(sold.filter((l) => l.lineId !== 'x').map((l) => l.totalTax)).toFixed(2)).toBe('1.00');
    expect(sold.find((l) => l.lineId === 'a')!.totalNet).toBe('3.33');
    expect(dec(sold.find((l) => l.lineId === 'b')!.totalNet).toFixed(2)).toBe('6.66');
  });

  it('parent: only the bundle sold, carrying its parts\' amounts; parts as comment lines', () => {
    const plan = planBundles(lines, 'parent', 2);
    expect(plan.map((e) => (e.kind === 'item' ? `item ${e.line.lineId}` : `comment ${e.description}`))).toEqual(['item p', 'comment 1 × A', 'comment 2 × B', 'item x']);
  });
});
