import { describe, expect, it } from 'vitest';
import { parsePhpQuery } from './params.js';
import { phpJson } from './wp-json.js';

describe('PHP json_encode as WordPress sends it', () => {
  it('escapes slashes and non-ASCII, keeps .0 on whole float prices', () => {
    expect(phpJson({ href: 'https://x/y', city: 'München', note: 'Geschenk 🎁', price: 49, qty: 2, p2: 20.92437 }))
      .toBe('{"href":"https:\\/\\/x\\/y","city":"M\\u00fcnchen","note":"Geschenk \\ud83c\\udf81","price":49.0,"qty":2,"p2":20.92437}');
    expect(JSON.parse(phpJson({ city: 'Zürich', price: 7.558291333333333 }))).toEqual({ city: 'Zürich', price: 7.558291333333333 });
  });
});

describe('PHP query parsing', () => {
  it('reads + as space, a[] as arrays, last plain key wins', () => {
    const q = parsePhpQuery('a=1&a=2&s[]=x&s[]=y&t=a+b%2Bc');
    expect(q.get('a')).toBe('2');
    expect(q.get('s')).toEqual(['x', 'y']);
    expect(q.get('t')).toBe('a b+c');
  });
});
