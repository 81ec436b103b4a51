import { describe, expect, it } from 'vitest';
import { phoneDigits, phoneKey, phoneSearchDigits, samePhone } from './phone.js';

describe('phone numbers', () => {
  it('normalises the ways people write one number', () => {
    expect(phoneDigits('+49 (0)30 123-4567')).toBe('49301234567');
    expect(phoneDigits('0049 30 1234567')).toBe('49301234567');
    expect(phoneKey('030 123 45 67')).toBe('301234567');
    expect(phoneDigits('01 5550101')).toBe('15550101');
    expect(phoneKey('+49 30 1234567')).toBe('301234567');
    expect(phoneKey('12')).toBeUndefined();
    expect(phoneKey(undefined)).toBeUndefined();
  });

  it('compares significant digits, not text', () => {
    expect(samePhone('+49 30 1234567', '030/1234567')).toBe(true);
    expect(samePhone('+49 30 1234567', '+49 30 1234568')).toBe(false);
    expect(samePhone('01 5550101', '+43 1 555 0101')).toBe(true);
    expect(samePhone('', '+49 30 1234567')).toBe(false);
    expect(phoneSearchDigits('030 123 4567')).toBe('4567');
  });
});
