import { describe, expect, it } from 'vitest';
import { parseWooDate } from './woo-dates.js';

/** The full pattern alone (the reader before the digit-by-digit fast path), as the oracle. */
function reference(value: string): number | undefined | 'invalid' {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m) return 'invalid';
  if (m[1] === '0000') return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(utc);
  if (Number.isNaN(utc) || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return 'invalid';
  const zone = m[8];
  if (!zone || zone === 'Z') return utc;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
}

function read(value: string): number | undefined | 'invalid' {
  try {
    return parseWooDate(value, 'date');
  } catch {
    return 'invalid';
  }
}

describe('parseWooDate', () => {
  it('reads the plain form and the zoned and fractional forms', () => {
    expect(parseWooDate('2026-11-20T09:15:02', 'd')).toBe(Date.UTC(2026, 10, 20, 9, 15, 2));
    expect(parseWooDate('2026-11-20 09:15:02', 'd')).toBe(Date.UTC(2026, 10, 20, 9, 15, 2));
    expect(parseWooDate('2026-11-20T09:15:02.5+01:00', 'd')).toBe(Date.UTC(2026, 10, 20, 8, 15, 2, 500));
    expect(parseWooDate('0000-00-00T00:00:00', 'd')).toBeUndefined();
    expect(() => parseWooDate('2026-02-30T00:00:00', 'd')).toThrow();
    expect(() => parseWooDate('2026-11-20T24:00:00', 'd')).toThrow();
  });
  it('agrees with the full pattern on generated dates, valid and not', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const two = (max: number) => String(Math.floor(rnd() * max)).padStart(2, '0');
    const noise = ['', '', '', 'Z', '+02:00', '-0530', '.123', 'x'];
    for (let n = 0; n < 5000; n++) {
      const year = rnd() < 0.05 ? '0000' : String(1990 + Math.floor(rnd() * 60)).padStart(4, '0');
      let text = `${year}-${two(14)}-${two(33)}${rnd() < 0.5 ? 'T' : rnd() < 0.9 ? ' ' : '_'}${two(26)}:${two(62)}:${two(62)}${noise[Math.floor(rnd() * noise.length)]}`;
      if (rnd() < 0.05) text = text.replace(/\d/, 'a');
      expect(read(text), text).toEqual(reference(text));
    }
  });
});
