import { describe, expect, it } from 'vitest';
import { Dec } from '../../domain/money.js';
import { decimalString, JsonDecimal, jsonDecimal, parseJsonLossless, stringifyJson } from './json.js';

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
  it('writes what a token-by-token writer writes, on generated documents with decimals anywhere', () => {
    // The reference: the recursive writer stringifyJson replaced (docs/performance.md, seventh pass).
    const reference = (v: unknown): string => {
      if (v instanceof JsonDecimal) return v.token;
      if (Array.isArray(v)) return `[${v.map((x) => reference(x === undefined ? null : x)).join(',')}]`;
      if (v !== null && typeof v === 'object') {
        return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}:${reference(x)}`).join(',')}}`;
      }
      return JSON.stringify(v);
    };
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.25) return jsonDecimal(pick(['0', '-12', '3.25', '1e-7', '012.50', '20.92437', '-0.00', '12345678901234567890.12345']));
      if (r < 0.4) return pick(['a"b', '\u0000', 'é\n', '', '12.5', 'null']);
      if (r < 0.5) return pick([true, false, null, 0, -7, 123456789]);
      if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.1 ? undefined : value(depth + 1)));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => [pick(['k', 'lineType', '"q"', 'ü']) + i, rnd() < 0.1 ? undefined : value(depth + 1)]));
    };
    for (let n = 0; n < 300; n++) {
      const doc = value(0);
      expect(stringifyJson(doc)).toBe(reference(doc));
    }
  });
  it('a decimal already in canonical form is its own token; any other goes through Decimal', () => {
    const cases = ['0', '1', '-1', '10', '0.5', '-0.5', '20.92437', '100.01', '-0', '-0.0', '00', '01', '1.0', '1.50', '.5', '5.', '1e3', '+1', ' 1', '1 ', '-', ''];
    for (const c of cases) {
      let viaDecimal: string | undefined;
      try {
        const d = new Dec(c.trim());
        viaDecimal = d.isFinite() ? d.toFixed() : undefined;
      } catch {
        viaDecimal = undefined;
      }
      if (viaDecimal === undefined) expect(() => jsonDecimal(c), c).toThrow();
      else expect(jsonDecimal(c).token, c).toBe(viaDecimal);
    }
  });
  it('refuses what JSON cannot carry, wherever it is', () => {
    expect(() => stringifyJson({ a: [1, { b: 2.5 }] })).toThrow(/non-integer/);
    expect(() => stringifyJson({ f: () => 1 })).toThrow(/function/);
    expect(() => stringifyJson({ n: 1n })).toThrow(/bigint/);
    expect(() => stringifyJson(undefined)).toThrow();
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
  it('skips string literals exactly: escaped quotes and backslashes, digits in keys and values', () => {
    const text = '{ "a\\\\": 1.50, "k2": "x\\"9\\\\", "9": [ 0, -0.0, 2E+5, true, null, "-1" ], "\\u0022": 7 }';
    expect(parseJsonLossless(text)).toEqual({ 'a\\': '1.50', k2: 'x"9\\', 9: ['0', '-0.0', '2E+5', true, null, '-1'], '"': '7' });
  });
  it('agrees with quoting every number token by a full regex scan, on generated documents', () => {
    const reference = (t: string) => JSON.parse(t.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (tok) => (tok[0] === '"' ? tok : `"${tok}"`)));
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['a', '1', '"', '\\', '.', '-', 'e', ' ', 'ü'];
    const str = () => Array.from({ length: Math.floor(rnd() * 6) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
    const num = () => ['0', '-12', '3.25', '1e-7', '12345678901234567890.125', '-0.5E+3'][Math.floor(rnd() * 6)]!;
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 2 || r < 0.3) return num();
      if (r < 0.5) return JSON.stringify(str());
      if (r < 0.6) return ['true', 'false', 'null'][Math.floor(rnd() * 3)]!;
      if (r < 0.8) return `[${Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1)).join(', ')}]`;
      return `{${Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => `${JSON.stringify(str() + i)}:${value(depth + 1)}`).join(',')}}`;
    };
    for (let n = 0; n < 300; n++) {
      const doc = value(0);
      expect(parseJsonLossless(doc)).toEqual(reference(doc));
    }
  });
  it('decimalString normalizes', () => {
    expect(decimalString('37.50')).toBe('37.5');
    expect(decimalString('-1e3')).toBe('-1000');
    expect(decimalString(undefined)).toBe('0');
    expect(decimalString(2.5)).toBe('2.5');
    // Text already in toFixed() form is returned as it is; anything else goes through Decimal.
    for (const c of ['0', '-0', '37.5', '37.50', '-12.25', '007', '1e3', '0.000001']) expect(decimalString(c), c).toBe(new Dec(c).toFixed());
  });
});
