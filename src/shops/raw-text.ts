import { endOfString } from '../domain/json-text.js';

/**
 * The text each element of a parsed JSON list was read from, so intake stores a shop's order exactly as the
 * shop sent it instead of serializing the parsed object again (docs/performance.md, seventh pass: about a
 * fifth of the pull stage's garbage). Kept beside the parsed objects in a WeakMap: nothing changes shape,
 * and an element without a remembered text is simply serialized as before.
 */
const texts = new WeakMap<object, string>();

/** The JSON text `doc` was parsed from, when it was an element of a list passed to rememberElementTexts. */
export function rawTextOf(doc: unknown): string | undefined {
  return typeof doc === 'object' && doc !== null ? texts.get(doc) : undefined;
}

/**
 * `list` is JSON.parse(text): remembers each object element's own text (a slice of `text`, which V8 shares
 * instead of copying). Does nothing unless the scan finds exactly the elements JSON.parse found.
 */
export function rememberElementTexts(list: unknown[], text: string): void {
  const bounds = elementBounds(text);
  if (!bounds || bounds.length !== list.length * 2) return;
  for (let i = 0; i < list.length; i++) {
    const el = list[i];
    if (typeof el === 'object' && el !== null) texts.set(el, text.slice(bounds[2 * i]!, bounds[2 * i + 1]!));
  }
}

/**
 * Start and end offsets of the top-level array's elements ([s0, e0, s1, e1, …]), or undefined when `text`
 * is not one array. Only structure is tracked: string literals are skipped with indexOf, and JSON.parse has
 * already accepted the text, so nothing else needs checking.
 */
function elementBounds(text: string): number[] | undefined {
  const n = text.length;
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 91 /* [ */) return undefined;
  const bounds: number[] = [];
  let depth = 0;
  let start = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      if (depth === 1 && start < 0) start = i;
      i = endOfString(text, i + 1);
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
      if (depth === 0) {
        if (start >= 0) bounds.push(start, trimEnd(text, i));
        return skipSpace(text, i + 1) === n ? bounds : undefined;
      }
    } else if (depth === 1) {
      if (c === 44 /* , */) {
        bounds.push(start, trimEnd(text, i));
        start = -1;
      } else if (start < 0 && !isSpace(c)) {
        start = i;
      }
    }
  }
  return undefined;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The end of the element that ends before `i` (a comma or the closing bracket), without trailing space. */
function trimEnd(text: string, i: number): number {
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  return i;
}
