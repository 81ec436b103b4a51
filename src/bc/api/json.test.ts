import { describe, expect, it } from 'vitest';
import { decimalString, jsonDecimal, parseJsonLossless, stringifyJson } from './json.js';

describe('stringifyJson', () => {
  it('writes decimals as number literals exactly as given', () => {
    const body = { unitPrice: jsonDecimal('20.92437'), quantity: jsonDecimal('3'), tiny: jsonDecimal('0.1'), big: jsonDecimal('12345678901234567890.12345') };
    expect(stringifyJson(body)).toBe('{"unitPrice":20.92437,"quantity":3,"tiny":0.1,"big":12345678901234567890.12345}');
  });
  it('normalizes decimal spellings without exponent notation', () => {
    expect(stringifyJson([jsonDecimal('1e-7'), jsonDecimal(' 012.50 '), jsonDecimal('-0.00')])).toBe('[0.0000001,12.5,0]');
  });
  it('rejects non-decimals and fractional JS numbers', () => {
    expect(() => jsonDecimal('abc')).toThrow();
    expect(() => jsonDecimal('NaN')).toThrow();
    expect(() => stringifyJson({ price: 0.1 + 0.2 })).toThrow(/non-integer/);
  });
  it('is JSON.stringify for everything else', () => {
    const v = { a: 'x"y\n', b: true, c: null, d: [1, 'two'], e: undefined, f: { g: 'é' } };
    expect(stringifyJson(v)).toBe(JSON.stringify(v));
  });
});

describe('parseJsonLossless', () => {
  it('keeps numbers as their literal text', () => {
    const v = parseJsonLossless('{"total":0.30000000000000004,"n":12345678901234567890.12,"s":"a 1.5 \\" 2","arr":[-1e3,0]}') as Record<string, unknown>;
    expect(v).toEqual({ total: '0.30000000000000004', n: '12345678901234567890.12', s: 'a 1.5 " 2', arr: ['-1e3', '0'] });
  });
  it('decimalString normalizes', () => {
    expect(decimalString('37.50')).toBe('37.5');
    expect(decimalString('-1e3')).toBe('-1000');
    expect(decimalString(undefined)).toBe('0');
    expect(decimalString(2.5)).toBe('2.5');
  });
});
