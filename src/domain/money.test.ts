import { describe, expect, it } from 'vitest';
import { currencyTolerance, dec, Dec, money, parseDec } from './money.js';

describe('parseDec', () => {
  it('parses as new Dec does, and serves a text parsed before from its cache', () => {
    for (const text of ['0', '20.92437', '-3.5', '1e-7', '12345678901234567890.12345']) {
      expect(parseDec(text).equals(new Dec(text))).toBe(true);
      expect(parseDec(text)).toBe(parseDec(text));
      expect(dec(text)).toBe(parseDec(text));
    }
  });
  it('still refuses what is not a number, and caches nothing for it', () => {
    expect(() => parseDec('abc')).toThrow();
    expect(() => parseDec('abc')).toThrow();
  });
  it('keeps giving right values when the cache has been emptied many times over', () => {
    for (let i = 0; i < 20_000; i++) {
      const text = `${i}.${String(i % 97).padStart(2, '0')}`;
      expect(parseDec(text).toFixed()).toBe(new Dec(text).toFixed());
    }
    expect(money(dec('19.990'))).toBe('19.99');
  });
});

describe('currencyTolerance', () => {
  it('is one minor unit of the currency', () => {
    expect(currencyTolerance('EUR').toFixed()).toBe('0.01');
    expect(currencyTolerance('JPY').toFixed()).toBe('1');
    expect(currencyTolerance('KWD').toFixed()).toBe('0.001');
    expect(currencyTolerance('eur')).toBe(currencyTolerance('USD'));
  });
});
