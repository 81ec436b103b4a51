/**
 * The `query:` argument of `orders` (Shopify search syntax): whitespace-separated terms, implicitly
 * AND-ed; `field:value`, `field:>value`, `field:>=value`, `field:<value`, `field:<=value`; values may be
 * quoted. Date-only values are read in the shop's time zone. Unknown fields are ignored with a warning in
 * `extensions.search`, as Shopify does (a mistyped filter returns everything, not nothing).
 */
import type { SimOrder } from './types.js';

export interface SearchWarning {
  field: string;
  message: string;
}

export interface ParsedSearch {
  test(o: SimOrder): boolean;
  warnings: SearchWarning[];
}

const TERM = /^(-?)([a-z_]+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))/;

export function parseSearch(query: string | undefined, tzOffsetMinutes: number): ParsedSearch {
  const filters: ((o: SimOrder) => boolean)[] = [];
  const warnings: SearchWarning[] = [];
  let rest = (query ?? '').trim();
  while (rest.length > 0) {
    if (/^(AND)\s/.test(rest) || rest === 'AND') {
      rest = rest.slice(3).trimStart();
      continue;
    }
    const m = TERM.exec(rest);
    if (!m) {
      // Free text: Shopify searches several fields; the simulator matches name and email.
      const word = /^\S+/.exec(rest)![0];
      rest = rest.slice(word.length).trimStart();
      const w = word.toLowerCase().replace(/^#/, '');
      filters.push((o) => o.name.toLowerCase().includes(w) || o.email.toLowerCase().includes(w));
      continue;
    }
    rest = rest.slice(m[0].length).trimStart();
    const negate = m[1] === '-';
    const field = m[2]!;
    const op = (m[3] ?? '=') as '=' | '>' | '>=' | '<' | '<=';
    const value = m[4] ?? m[5] ?? m[6] ?? '';
    const f = termFilter(field, op, value, tzOffsetMinutes);
    if (!f) {
      warnings.push({ field, message: 'Invalid search field for this query.' });
      continue;
    }
    filters.push(negate ? (o) => !f(o) : f);
  }
  return { test: (o) => filters.every((f) => f(o)), warnings };
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

/** Epoch seconds of a search date: ISO with zone, ISO without (shop zone), or a date (shop-zone midnight). */
export function searchDate(value: string, tzOffsetMinutes: number): number | undefined {
  const v = value.trim();
  if (/^\d{4}-\d\d-\d\d$/.test(v)) return Date.parse(`${v}T00:00:00Z`) / 1000 - tzOffsetMinutes * 60;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(v)) return Date.parse(`${v}Z`) / 1000 - tzOffsetMinutes * 60;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

function termFilter(field: string, op: string, value: string, tz: number): ((o: SimOrder) => boolean) | undefined {
  const dateField = { updated_at: 'updatedAt', created_at: 'createdAt', processed_at: 'processedAt' }[field] as 'updatedAt' | 'createdAt' | 'processedAt' | undefined;
  if (dateField) {
    const at = searchDate(value, tz);
    if (at === undefined) return () => false;
    // Stamps have whole seconds; a fractional bound compares against the exact instant.
    return (o) => compare(o[dateField], op, at);
  }
  switch (field) {
    case 'id':
      return (o) => compare(o.id, op, Number(value.replace(/^gid:\/\/shopify\/Order\//, '')));
    case 'name':
      return (o) => o.name.replace(/^#/, '') === value.replace(/^#/, '');
    case 'email':
      return (o) => o.email.toLowerCase() === value.toLowerCase();
    case 'financial_status':
      return (o) => o.financialStatus === value.toLowerCase();
    case 'status':
      if (value === 'any') return () => true;
      if (value === 'open') return (o) => o.closedAt === null && o.cancelledAt === null;
      if (value === 'closed') return (o) => o.closedAt !== null;
      if (value === 'cancelled') return (o) => o.cancelledAt !== null;
      return () => false;
    default:
      return undefined;
  }
}
