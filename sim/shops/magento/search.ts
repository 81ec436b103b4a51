/**
 * GET /V1/orders?searchCriteria[…] as Magento evaluates it (reference/webshop-api.md §4): filter groups
 * are ANDed, filters within a group ORed; condition_type eq (default) | neq | gt | gteq | lt | lteq | in |
 * nin | like | null | notnull; sortOrders in order (direction DESC unless ASC); pageSize and 1-based
 * currentPage. No pageSize returns everything; a currentPage past the end returns the last page again
 * (the collection clamps it). Values are compared the way MySQL compares the column: dates and text as
 * strings, ids as numbers — so a date in another format than `YYYY-MM-DD HH:MM:SS` filters wrongly, silently.
 */
type Nested = { [k: string]: Nested | string };

/** PHP's bracket syntax: `a[b][0][c]=v` → {a: {b: {0: {c: v}}}}. */
export function parseNested(query: Map<string, string>): Nested {
  const root: Nested = {};
  for (const [key, value] of query) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!m) continue;
    const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else {
        if (typeof node[part] !== 'object') node[part] = {};
        node = node[part] as Nested;
      }
    });
  }
  return root;
}

export class SearchError extends Error {
  constructor(message: string, readonly parameters?: Record<string, string>) {
    super(message);
  }
}

const NUMERIC = new Set(['entity_id', 'customer_id', 'store_id', 'quote_id', 'grand_total', 'base_grand_total', 'order_id']);

function values(node: Nested | string | undefined): (Nested | string)[] {
  if (node === undefined) return [];
  if (typeof node === 'string') return [node];
  return Object.keys(node).sort((a, b) => Number(a) - Number(b)).map((k) => node[k]!);
}

function compare(field: string, a: unknown, b: string): number {
  if (NUMERIC.has(field)) return Number(a) - Number(b);
  const x = a === undefined || a === null ? '' : String(a);
  return x < b ? -1 : x > b ? 1 : 0;
}

function matches(order: Record<string, unknown>, f: Record<string, string>): boolean {
  const field = f.field;
  if (!field) throw new SearchError('"%fieldName" is required. Enter and try again.', { fieldName: 'field' });
  const cond = (f.condition_type ?? 'eq').toLowerCase();
  const v = f.value ?? '';
  const have = order[field];
  switch (cond) {
    case 'eq': return compare(field, have, v) === 0;
    case 'neq': return compare(field, have, v) !== 0;
    case 'gt': return compare(field, have, v) > 0;
    case 'gteq': case 'from': case 'moreq': return compare(field, have, v) >= 0;
    case 'lt': return compare(field, have, v) < 0;
    case 'lteq': case 'to': return compare(field, have, v) <= 0;
    case 'in': return v.split(',').some((x) => compare(field, have, x.trim()) === 0);
    case 'nin': return !v.split(',').some((x) => compare(field, have, x.trim()) === 0);
    case 'like': return new RegExp(`^${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`, 'i').test(String(have ?? ''));
    case 'null': return have === undefined || have === null;
    case 'notnull': return have !== undefined && have !== null;
    default: throw new SearchError('Invalid value of "%value" provided for the %fieldName field.', { value: cond, fieldName: 'condition_type' });
  }
}

export interface SearchResult<T> {
  items: T[];
  search_criteria: Record<string, unknown>;
  total_count: number;
}

export function search<T extends Record<string, unknown>>(all: T[], query: Map<string, string>, maxPageSize?: number): SearchResult<T> {
  const sc = (parseNested(query).searchCriteria ?? {}) as Nested;
  if (typeof sc === 'string') throw new SearchError('searchCriteria must be an object');
  let rows = all;
  const groups = values(sc.filter_groups as Nested | undefined);
  for (const g of groups) {
    if (typeof g === 'string') continue;
    const filters = values(g.filters as Nested | undefined).filter((f): f is Nested => typeof f !== 'string') as unknown as Record<string, string>[];
    if (filters.length === 0) continue;
    rows = rows.filter((o) => filters.some((f) => matches(o, f)));
  }
  const sorts = values(sc.sortOrders as Nested | undefined).filter((s): s is Nested => typeof s !== 'string') as unknown as Record<string, string>[];
  rows = [...rows].sort((a, b) => {
    for (const s of sorts) {
      const c = compare(s.field ?? '', a[s.field ?? ''], String(b[s.field ?? ''] ?? ''));
      if (c !== 0) return (s.direction ?? 'DESC').toUpperCase() === 'ASC' ? c : -c;
    }
    return 0;
  });
  const total = rows.length;
  const pageSizeText = typeof sc.pageSize === 'string' ? sc.pageSize : undefined;
  const echo: Record<string, unknown> = { filter_groups: groups };
  if (sorts.length) echo.sort_orders = sorts;
  if (pageSizeText !== undefined) {
    const pageSize = Number(pageSizeText);
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new SearchError('Invalid value of "%value" provided for the %fieldName field.', { value: pageSizeText, fieldName: 'pageSize' });
    if (maxPageSize !== undefined && pageSize > maxPageSize) throw new SearchError('Maximum SearchCriteria pageSize is %max', { max: String(maxPageSize) });
    const requested = typeof sc.currentPage === 'string' ? Number(sc.currentPage) : 1;
    const lastPage = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(Math.max(1, Number.isInteger(requested) ? requested : 1), lastPage);
    rows = rows.slice((current - 1) * pageSize, current * pageSize);
    echo.page_size = pageSize;
    echo.current_page = typeof sc.currentPage === 'string' ? Number(sc.currentPage) : 1;
  } else if (maxPageSize !== undefined && total > maxPageSize) {
    // Input limiting on: an unpaged search gets the default page size.
    rows = rows.slice(0, 20);
  }
  return { items: rows, search_criteria: echo, total_count: total };
}

/** `fields=items[entity_id,increment_id],total_count`: keep only those keys. */
export function applyFields(result: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return result;
  const out: Record<string, unknown> = {};
  for (const part of fields.match(/[a-z_]+(\[[^\]]*\])?/gi) ?? []) {
    const m = /^([a-z_]+)(?:\[([^\]]*)\])?$/i.exec(part)!;
    const key = m[1]!;
    if (!(key in result)) continue;
    if (m[2] !== undefined && Array.isArray(result[key])) {
      const keep = m[2].split(',').map((s) => s.trim());
      out[key] = (result[key] as Record<string, unknown>[]).map((o) => Object.fromEntries(keep.filter((k) => k in o).map((k) => [k, o[k]])));
    } else out[key] = result[key];
  }
  return out;
}
