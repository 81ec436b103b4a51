import { describe, expect, it } from 'vitest';
import { fewSizedChunks } from './bulk-insert.js';

const sizes = (n: number, max: number) => fewSizedChunks(n, max).map(([from, to]) => to - from);

describe('fewSizedChunks', () => {
  it('splits a count into max-sized statements, then its binary digits', () => {
    expect(sizes(100, 200)).toEqual([64, 32, 4]);
    expect(sizes(200, 200)).toEqual([200]);
    expect(sizes(137, 100)).toEqual([100, 32, 4, 1]);
    expect(sizes(450, 200)).toEqual([200, 200, 32, 16, 2]);
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
    // The maxes and the powers of two below them: a few texts, not one per count.
    expect(seen.size).toBeLessThanOrEqual(16);
  });
});
