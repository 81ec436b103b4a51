import { describe, expect, it } from 'vitest';
import { rawTextOf, rememberElementTexts } from './raw-text.js';

function remembered(text: string): unknown[] {
  const list = JSON.parse(text) as unknown[];
  rememberElementTexts(list, text);
  return list;
}

describe('rememberElementTexts', () => {
  it("keeps each object element's own text, exactly as sent (PHP escapes and spacing included)", () => {
    const text = ' [ {"id":1,"note":"a \\"quoted\\" ] } , [ text","url":"http:\\/\\/x"} ,\n\t{"id":2,"lines":[{"a":[1,2,{"b":"}"}]}],"e":"\\u00e9\\\\"}\r\n] ';
    const list = remembered(text);
    expect(rawTextOf(list[0])).toBe('{"id":1,"note":"a \\"quoted\\" ] } , [ text","url":"http:\\/\\/x"}');
    expect(rawTextOf(list[1])).toBe('{"id":2,"lines":[{"a":[1,2,{"b":"}"}]}],"e":"\\u00e9\\\\"}');
    for (const el of list) expect(JSON.parse(rawTextOf(el)!)).toEqual(el);
  });
  it('skips elements that are not objects but keeps the objects around them', () => {
    const list = remembered('[1, "x,]", null, {"id":3}, [4], true]');
    expect(rawTextOf(list[3])).toBe('{"id":3}');
    expect(rawTextOf(list[4])).toBe('[4]');
    expect(rawTextOf(list[1])).toBeUndefined();
  });
  it('remembers nothing for an empty list, a non-list, or a text that is not the list', () => {
    expect(remembered('[]')).toEqual([]);
    const obj = JSON.parse('{"id":1}');
    rememberElementTexts([obj], '{"id":1}');
    expect(rawTextOf(obj)).toBeUndefined();
    const a = { id: 1 };
    const b = { id: 2 };
    rememberElementTexts([a, b], '[{"id":1}]');
    expect(rawTextOf(a)).toBeUndefined();
    expect(rawTextOf(b)).toBeUndefined();
  });
  it('agrees with JSON.parse on generated lists', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pieces = ['a', ',', '"', '\\', ']', '[', '{', '}', ' ', 'ü', '\n'];
    const str = () => Array.from({ length: Math.floor(rnd() * 8) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
    const ws = () => [' ', '', '\n  ', '\t'][Math.floor(rnd() * 4)]!;
    const value = (depth: number): string => {
      const r = rnd();
      if (depth > 2 || r < 0.3) return ['0', '-1.5e3', 'true', 'null', JSON.stringify(str())][Math.floor(rnd() * 5)]!;
      if (r < 0.5) return `[${ws()}${Array.from({ length: Math.floor(rnd() * 3) }, () => value(depth + 1)).join(`${ws()},${ws()}`)}${ws()}]`;
      return `{${ws()}${Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => `${JSON.stringify(str() + i)}${ws()}:${ws()}${value(depth + 1)}`).join(',')}${ws()}}`;
    };
    for (let n = 0; n < 200; n++) {
      const elements = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => `{"n":${n},"v":${value(1)}}`);
      const list = remembered(`${ws()}[${ws()}${elements.join(`${ws()},${ws()}`)}${ws()}]${ws()}`);
      expect(list.map((el) => rawTextOf(el))).toEqual(elements);
    }
  });
});
