import { describe, expect, it } from 'vitest';
import { RecentValues } from './recent-values.js';

describe('RecentValues', () => {
  it('gives a value back once, and only for the version it was stored with', () => {
    const r = new RecentValues<string>(10);
    r.put(1, 'v1', 'a');
    r.put(2, 'v1', 'b');
    expect(r.take(1, 'v1')).toBe('a');
    expect(r.take(1, 'v1')).toBeUndefined();
    expect(r.take(2, 'v2')).toBeUndefined();
    // A version mismatch drops the entry as well: it can never match again.
    expect(r.take(2, 'v1')).toBeUndefined();
    expect(r.size).toBe(0);
  });

  it('when full keeps the oldest (taken next) and drops new ones, until old ones expire', () => {
    let clock = 0;
    const r = new RecentValues<number>(3, 1000, () => clock);
    for (const id of [1, 2, 3]) r.put(id, 'v', id);
    clock = 500;
    r.put(4, 'v', 4);
    expect(r.take(4, 'v')).toBeUndefined();
    expect(r.take(1, 'v')).toBe(1);
    r.put(5, 'v', 5);
    expect(r.size).toBe(3);
    // 2 and 3 were never taken (their orders went another way): once expired they make room.
    clock = 1200;
    r.put(6, 'v', 6);
    expect(r.take(2, 'v')).toBeUndefined();
    expect(r.take(3, 'v')).toBeUndefined();
    expect(r.take(5, 'v')).toBe(5);
    expect(r.take(6, 'v')).toBe(6);
  });
});
