/**
 * BC filter expressions as ReadMultiple's Criteria uses them (bc-api.md §4): alternatives with `|`,
 * ranges `a..b`, `<>x`, `<x`, `<=x`, `>x`, `>=x`, wildcards `*` and `?`, `@` for case-insensitive, and
 * `'quoted'` literals in which operators are plain text (`''` is one quote). `&` (and) is supported too.
 */
export type FieldKind = 'text' | 'code' | 'number' | 'boolean' | 'date';

function splitTop(expr: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === "'") {
      if (quoted && expr[i + 1] === "'") {
        cur += "''";
        i++;
        continue;
      }
      quoted = !quoted;
    }
    if (!quoted && c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new Error(`The filter "${expr}" is not valid: a quote is not closed.`);
  out.push(cur);
  return out;
}

function unquote(s: string): { value: string; literal: boolean } {
  const t = s.trim();
  if (t.length >= 2 && t.startsWith("'") && t.endsWith("'")) return { value: t.slice(1, -1).replace(/''/g, "'"), literal: true };
  return { value: t, literal: false };
}

/** `a..b` outside quotes → [a, b]. */
function splitRange(t: string): [string, string] | null {
  let quoted = false;
  for (let i = 0; i < t.length - 1; i++) {
    if (t[i] === "'") quoted = !quoted;
    else if (!quoted && t[i] === '.' && t[i + 1] === '.') return [t.slice(0, i), t.slice(i + 2)];
  }
  return null;
}

function compare(a: string, b: string, kind: FieldKind): number {
  if (kind === 'number') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function term(raw: string, kind: FieldKind): (v: string) => boolean {
  let t = raw.trim();
  let ci = false;
  if (t.startsWith('@')) {
    ci = true;
    t = t.slice(1);
  }
  const norm = (v: string) => (kind === 'code' || ci ? v.toUpperCase() : v);
  const ops: [string, (c: number) => boolean][] = [['<>', (c) => c !== 0], ['<=', (c) => c <= 0], ['>=', (c) => c >= 0], ['<', (c) => c < 0], ['>', (c) => c > 0]];
  for (const [op, test] of ops) {
    if (t.startsWith(op)) {
      const { value } = unquote(t.slice(op.length));
      return (v) => test(compare(norm(v), norm(value), kind));
    }
  }
  const range = splitRange(t);
  if (range) {
    const lo = unquote(range[0]!).value;
    const hi = unquote(range[1]!).value;
    return (v) => (lo === '' || compare(norm(v), norm(lo), kind) >= 0) && (hi === '' || compare(norm(v), norm(hi), kind) <= 0);
  }
  const { value, literal } = unquote(t);
  if (kind === 'boolean') {
    const want = /^(yes|true|1)$/i.test(value);
    return (v) => (v === 'true') === want;
  }
  if (!literal && /[*?]/.test(value)) {
    const re = new RegExp(`^${value.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, ci ? 'i' : '');
    return (v) => re.test(kind === 'code' ? v.toUpperCase() : v);
  }
  if (kind === 'number') return (v) => Number(v) === Number(value);
  return (v) => norm(v) === norm(value);
}

export function compileCriteria(expr: string, kind: FieldKind): (v: string) => boolean {
  const alternatives = splitTop(expr, '|').map((alt) => splitTop(alt, '&').map((t) => term(t, kind)));
  return (v) => alternatives.some((all) => all.every((test) => test(v)));
}
