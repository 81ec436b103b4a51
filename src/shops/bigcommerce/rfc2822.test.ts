import { describe, expect, it } from 'vitest';
import { formatRfc2822, parseBigCommerceDate } from './rfc2822.js';

describe('BigCommerce dates', () => {
  it('reads RFC 2822 with an offset and ISO 8601, and nothing looser', () => {
    expect(parseBigCommerceDate('Tue, 05 Mar 2019 21:40:11 +0000')).toBe(Date.UTC(2019, 2, 5, 21, 40, 11));
    expect(parseBigCommerceDate('Thu, 20 Apr 2017 11:32:00 -0400')).toBe(Date.UTC(2017, 3, 20, 15, 32, 0));
    expect(parseBigCommerceDate('5 Mar 2019 21:40 GMT')).toBe(Date.UTC(2019, 2, 5, 21, 40, 0));
    expect(parseBigCommerceDate('2017-04-20T11:32:00.000-04:00')).toBe(Date.UTC(2017, 3, 20, 15, 32, 0));
    for (const bad of ['', 'Tue, 31 Feb 2019 00:00:00 +0000', '2019-03-05 21:40:11', 'yesterday', 'Tue, 05 Mar 2019 25:00:00 +0000']) {
      expect(parseBigCommerceDate(bad)).toBeUndefined();
    }
  });

  it('writes what BigCommerce writes, and reads it back', () => {
    const at = Date.UTC(2026, 10, 23, 7, 5, 9);
    expect(formatRfc2822(at)).toBe('Mon, 23 Nov 2026 07:05:09 +0000');
    expect(parseBigCommerceDate(formatRfc2822(at))).toBe(at);
  });
});
