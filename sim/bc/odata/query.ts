import { BcError, badRequest, noSuchProperty } from '../errors.js';
import { makeEtag } from '../ids.js';
import type { EntitySchema } from '../schema.js';
import type { ApiResult, Company, Row, Wire } from '../types.js';
import { compileFilter, type Predicate } from './filter.js';

/** How a navigation property resolves (salesOrder → salesOrderLines, line → item, …). */
export interface NavDef {
  target: () => EntitySetDef;
  many: boolean;
  resolve(company: Company, row: Row): Row[] | Row | undefined;
}

export interface EntitySetDef {
  name: string;
  schema: EntitySchema;
  /** Rows in primary-key order (BC serves collections in key order). */
  rows(company: Company): Row[];
  /** Primary key property: the continuation point of server-driven paging (absent → offset tokens). */
  key?: string;
  /** For "The <table> does not exist. Identification fields and values: <keyField>='…'". */
  table: string;
  keyField: string;
  nav?: Record<string, NavDef>;
  /** Companies carry no @odata.etag in BC's samples. */
  noEtag?: boolean;
}

export interface ExpandSpec {
  name: string;
  select?: string[];
  expand?: ExpandSpec[];
  filter?: string;
}

export interface QueryOptions {
  filter?: string;
  select?: string[];
  expand?: ExpandSpec[];
  top?: number;
  skip?: number;
  orderby?: { prop: string; desc: boolean }[];
  count?: boolean;
  skiptoken?: string;
}

/** Online maximum page size (bc-api.md §1.5, §2). */
export const MAX_PAGE_SIZE = 20_000;

const KNOWN = new Set(['$filter', '$select', '$expand', '$top', '$skip', '$orderby', '$count', '$skiptoken', '$format', '$schemaversion']);

/** Splits on `sep` outside parentheses and quotes. */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === sep) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

function parseExpand(text: string): ExpandSpec[] {
  return splitTop(text, ',').map((item) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?$/s.exec(item);
    if (!m) throw badRequest(`Syntax error at position 0 in '${text}'.`);
    const spec: ExpandSpec = { name: m[1]! };
    for (const opt of splitTop(m[2] ?? '', ';')) {
      const eq = opt.indexOf('=');
      const k = opt.slice(0, eq).trim();
      const v = opt.slice(eq + 1).trim();
      if (k === '$select') spec.select = v.split(',').map((x) => x.trim());
      else if (k === '$expand') spec.expand = parseExpand(v);
      else if (k === '$filter') spec.filter = v;
      else throw badRequest(`The query parameter '${k}' is not supported.`);
    }
    return spec;
  });
}

function nonNegInt(name: string, v: string): number {
  if (!/^\d+$/.test(v)) {
    throw badRequest(`Invalid value '${v}' for ${name} query option found. The ${name} query option requires a non-negative integer value.`);
  }
  return Number(v);
}

export function readOptions(params: URLSearchParams): QueryOptions {
  const o: QueryOptions = {};
  for (const k of params.keys()) {
    if (k.startsWith('$') && !KNOWN.has(k)) throw badRequest(`The query parameter '${k}' is not supported.`);
  }
  const get = (k: string) => params.get(k) ?? undefined;
  const filter = get('$filter');
  if (filter !== undefined && filter.trim() !== '') o.filter = filter;
  const select = get('$select');
  if (select) o.select = select.split(',').map((s) => s.trim()).filter(Boolean);
  const expand = get('$expand');
  if (expand) o.expand = parseExpand(expand);
  const top = get('$top');
  if (top !== undefined) o.top = nonNegInt('$top', top);
  const skip = get('$skip');
  if (skip !== undefined) o.skip = nonNegInt('$skip', skip);
  const orderby = get('$orderby');
  if (orderby) {
    o.orderby = orderby.split(',').map((part) => {
      const [prop, dir] = part.trim().split(/\s+/);
      return { prop: prop!, desc: dir?.toLowerCase() === 'desc' };
    });
  }
  if (get('$count') === 'true') o.count = true;
  const st = get('$skiptoken');
  if (st) o.skiptoken = st;
  return o;
}

function validateSelect(def: EntitySetDef, select: string[] | undefined): void {
  for (const s of select ?? []) {
    if (!def.schema.fields[s] && !def.nav?.[s]) throw noSuchProperty(s, def.schema.type);
  }
}

function validateExpand(def: EntitySetDef, expand: ExpandSpec[] | undefined): void {
  for (const e of expand ?? []) {
    const nav = def.nav?.[e.name];
    if (!nav) throw noSuchProperty(e.name, def.schema.type);
    const target = nav.target();
    validateSelect(target, e.select);
    validateExpand(target, e.expand);
    if (e.filter) compileFilter(e.filter, target.schema);
  }
}

export function validateShape(def: EntitySetDef, o: QueryOptions): void {
  validateSelect(def, o.select);
  validateExpand(def, o.expand);
}

/** One entity as BC serializes it: @odata.etag first, then the page's fields in page order. */
export function shape(def: EntitySetDef, company: Company, row: Row, select?: string[], expand?: ExpandSpec[]): Wire {
  const out: Wire = {};
  if (!def.noEtag) out['@odata.etag'] = makeEtag(String(row.data.id), row.version);
  for (const f of Object.keys(def.schema.fields)) {
    if (!select || select.includes(f)) out[f] = row.data[f];
  }
  for (const e of expand ?? []) {
    const nav = def.nav![e.name]!;
    const target = nav.target();
    const got = nav.resolve(company, row);
    if (nav.many) {
      let list = (got as Row[] | undefined) ?? [];
      if (e.filter) {
        const { predicate } = compileFilter(e.filter, target.schema);
        list = list.filter((r) => predicate(r.data));
      }
      out[e.name] = list.map((r) => shape(target, company, r, e.select, e.expand));
    } else {
      out[e.name] = got ? shape(target, company, got as Row, e.select, e.expand) : null;
    }
  }
  return out;
}

/** `salesOrders(number,id)` / `salesOrders(salesOrderLines())` part of @odata.context. */
export function contextSuffix(o: QueryOptions): string {
  const parts = [...(o.select ?? [])];
  for (const e of o.expand ?? []) parts.push(`${e.name}(${(e.select ?? []).join(',')})`);
  return parts.length ? `(${parts.join(',')})` : '';
}

function encodeToken(t: object): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeToken(s: string): { k?: string; o?: number } {
  try {
    return JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as { k?: string; o?: number };
  } catch {
    throw badRequest(`The skip token value '${s}' is invalid.`);
  }
}

/** Reads `Prefer: odata.maxpagesize=N` (bc-api.md §1.5). */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  return m ? Math.max(1, Number(m[1])) : undefined;
}

export interface ListRequest {
  def: EntitySetDef;
  company: Company;
  rows: Row[];
  options: QueryOptions;
  /** e.g. `${apiBase}/$metadata#companies(<id>)/salesOrders` without the select suffix. */
  context: string;
  /** Absolute request URL without query, for @odata.nextLink. */
  selfUrl: string;
  params: URLSearchParams;
  prefer?: string;
  /** Extra predicate from the URL (e.g. lines of one document). */
  where?: Predicate;
}

/** GET on a collection: filter, order, server-driven paging with @odata.nextLink. */
export function listCollection(req: ListRequest): ApiResult {
  const { def, company, options: o } = req;
  validateShape(def, o);
  let rows = req.rows;
  if (req.where) rows = rows.filter((r) => req.where!(r.data));
  if (o.filter) rows = compileFilter(o.filter, def.schema).select(rows);
  if (o.orderby) {
    for (const ob of o.orderby) if (!def.schema.fields[ob.prop]) throw noSuchProperty(ob.prop, def.schema.type);
    rows = [...rows].sort((a, b) => {
      for (const ob of o.orderby!) {
        const x = a.data[ob.prop] as string | number;
        const y = b.data[ob.prop] as string | number;
        if (x === y) continue;
        const c = x < y ? -1 : 1;
        return ob.desc ? -c : c;
      }
      return 0;
    });
  }
  const total = rows.length;
  // Continuation: after the last primary key in key order, by offset under $orderby.
  let start = 0;
  if (o.skiptoken) {
    const t = decodeToken(o.skiptoken);
    if (t.o !== undefined) start = t.o;
    else if (t.k !== undefined && def.key) {
      const key = def.key;
      const idx = rows.findIndex((r) => String(r.data[key]) > t.k!);
      start = idx < 0 ? rows.length : idx;
    }
  }
  if (o.skip) start += o.skip;
  const preferred = preferredPageSize(req.prefer);
  const pageSize = Math.min(preferred ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const remainingTop = o.top ?? Infinity;
  const take = Math.min(pageSize, remainingTop);
  const page = rows.slice(start, start + take);
  const more = start + page.length < rows.length && page.length === pageSize && remainingTop > pageSize;

  const body: Wire = { '@odata.context': `${req.context}${contextSuffix(o)}` };
  if (o.count) body['@odata.count'] = total;
  body.value = page.map((r) => shape(def, company, r, o.select, o.expand));
  if (more) {
    const last = page[page.length - 1]!;
    const token = o.orderby || !def.key
      ? encodeToken({ o: start + page.length })
      : encodeToken({ k: String(last.data[def.key]) });
    const params = new URLSearchParams();
    for (const [k, v] of req.params) {
      if (k === '$skiptoken' || k === '$skip') continue;
      if (k === '$top') continue;
      params.append(k, v);
    }
    if (o.top !== undefined) params.set('$top', String(o.top - page.length));
    params.set('$skiptoken', token);
    // %20 rather than '+' for spaces: OData servers read '+' literally in some stacks.
    body['@odata.nextLink'] = `${req.selfUrl}?${params.toString().replace(/\+/g, '%20')}`;
  }
  const headers: Record<string, string> = {};
  if (preferred !== undefined) headers['Preference-Applied'] = `odata.maxpagesize=${pageSize}`;
  return { status: 200, headers, body };
}

export function assertNoCollectionOptions(o: QueryOptions): void {
  if (o.filter || o.top !== undefined || o.skip !== undefined || o.orderby || o.skiptoken) {
    throw new BcError(400, 'BadRequest', 'Query options $filter, $top, $skip, $orderby are not allowed on a single entity.');
  }
}
