import { describe, expect, it } from 'vitest';
import { fewSizedChunks } from './bulk-insert.js';

const sizes = (n: number, max: number) => fewSizedChunks(n, max).map(([from, to]) => to - from);

describe('fewSizedChunks', () => {
  it('sends a shop page or stage page of 100 or 50 rows as one statement when max is 200', () => {
    expect(sizes(100, 200)).toEqual([100]);
    expect(sizes(50, 200)).toEqual([50]);
    expect(sizes(200, 200)).toEqual([200]);
    expect(sizes(137, 200)).toEqual([100, 25, 12]);
    expect(sizes(450, 200)).toEqual([200, 200, 50]);
  });

  it('covers every row once, in order, with a handful of distinct sizes', () => {
    const seen = new Set<number>();
    const wrong: string[] = [];
    for (const max of [1, 7, 100, 200, 400]) {
      for (let n = 0; n <= 1000; n++) {
        let at = 0;
        for (const [from, to] of fewSizedChunks(n, max)) {
          if (from !== at || to <= from || to - from > max) wrong.push(`n ${n}, max ${max}: [${from}, ${to})`);
          seen.add(to - from);
          at = to;
        }
        if (at !== n) wrong.push(`n ${n}, max ${max}: ends at ${at}`);
      }
    }
    expect(wrong).toEqual([]);
    // max 400 → 400, 200, 100, 50, 25, 12, 6, 3, 1 and the other maxes' ladders: a few texts, not one per count.
    expect(seen.size).toBeLessThanOrEqual(16);
  });
});
