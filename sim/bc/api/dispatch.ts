import { BcError, badRequest, dialog, errorBody, methodNotAllowed, recordNotFound, segmentNotFound } from '../errors.js';
import { makeEtag } from '../ids.js';
import { compileFilter } from '../odata/filter.js';
import { assertNoCollectionOptions, contextSuffix, type EntitySetDef, type ExpandSpec, listCollection, readOptions, shape, validateShape } from '../odata/query.js';
import { parseSegments, type Segment } from '../odata/url.js';
import type { Journal, World } from '../store.js';
import type { ApiResult, Company, Environment, OrderRow, Row, Wire } from '../types.js';
import { createCustomer, deleteCustomer, patchCustomer } from './customers.js';
import { COMPANY_SETS, companies as COMPANIES, findOrder, salesOrderLines, salesOrders } from './entities.js';
import { addDimensionSetLine, PARENT_TYPE } from './dimension-set-lines.js';
import { metadataDocument, serviceDocument } from './metadata.js';
import { addLine, createOrder, deleteLine, deleteOrder, patchOrder, updateLine } from './sales-orders.js';
import { salesInvoiceLines, salesInvoices, salesShipmentLines, salesShipments, shipAndInvoice, shipmentTracking } from './posting.js';

/** Posted documents (api/v2.0) and the custom tracking page (only below its own API group). */
const POSTED_SETS: Record<string, EntitySetDef> = Object.fromEntries([salesShipments, salesShipmentLines, salesInvoices, salesInvoiceLines].map((d) => [d.name, d]));
export const CUSTOM_TRACKING_GROUP = 'bcbridge/shipping/v1.0';

/** One API request below `/api/v2.0/` (also the shape of a `$batch` inner request). */
export interface ApiRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  /** A custom API page group (`bcbridge/shipping/v1.0`) instead of api/v2.0. */
  group?: string;
}

export interface ApiScope {
  world: World;
  env: Environment;
  /** `${url}/v2.0/${tenant}/${env}/api/v2.0` */
  apiBase: string;
  tx: Journal | null;
}

interface Target {
  company: Company;
  companyPath: string;
  rest: Segment[];
}

const WRITABLE = new Set(['customers', 'salesOrders', 'salesOrderLines']);

function resolveCompany(s: ApiScope, r: ApiRequest, segs: Segment[]): Target | ApiResult {
  const first = segs[0]!;
  if (first.name === 'companies') {
    if (!first.key) {
      if (segs.length > 1) throw segmentNotFound(segs[1]!.name);
      if (r.method !== 'GET') throw methodNotAllowed(r.method, 'companies');
      const o = readOptions(r.params);
      return listCollection({
        def: COMPANIES, company: s.env.companies[0]!, rows: s.env.companies.map((c) => c.row), options: o,
        context: `${s.apiBase}/$metadata#companies`, selfUrl: `${s.apiBase}/companies`, params: r.params,
        prefer: r.headers.prefer,
      });
    }
    const company = s.world.companyById(s.env, first.key);
    if (!company) throw new BcError(404, 'Internal_CompanyNotFound', `The company '${first.key}' does not exist.`);
    if (segs.length === 1) {
      if (r.method !== 'GET') throw methodNotAllowed(r.method, 'companies');
      const o = readOptions(r.params);
      assertNoCollectionOptions(o);
      validateShape(COMPANIES, o);
      return entityResult(`${s.apiBase}/$metadata#companies`, COMPANIES, company, company.row, o.select);
    }
    return { company, companyPath: `companies(${company.row.data.id as string})`, rest: segs.slice(1) };
  }
  // bc-api.md §1.1: `…/api/v2.0/{entitySet}?company={companyGuid}`; $batch samples use a Company header (name).
  const byParam = r.params.get('company');
  const byHeader = r.headers.company;
  let company: Company | undefined;
  if (byParam) company = s.world.companyById(s.env, byParam) ?? s.world.companyByName(s.env, byParam);
  else if (byHeader) company = s.world.companyByName(s.env, byHeader);
  else if (COMPANY_SETS[first.name]) throw badRequest('No company was specified. Use companies({id})/… or the company query parameter.');
  else throw segmentNotFound(first.name);
  if (!company) throw new BcError(404, 'Internal_CompanyNotFound', `The company '${byParam ?? byHeader}' does not exist.`);
  return { company, companyPath: `companies(${company.row.data.id as string})`, rest: segs };
}

function entityResult(
  context: string, def: EntitySetDef, company: Company, row: Row, select?: string[], expand?: ExpandSpec[],
  status = 200, extra: Record<string, string> = {},
): ApiResult {
  const headers: Record<string, string> = { ...extra };
  if (!def.noEtag) headers.ETag = makeEtag(String(row.data.id), row.version);
  // `…/salesOrders(salesOrderLines())/$entity` when $select/$expand shaped the entity.
  const ctx = `${context}${contextSuffix({ select, expand })}/$entity`;
  return { status, headers, body: { '@odata.context': ctx, ...shape(def, company, row, select, expand) } };
}

/** PATCH/DELETE require If-Match (bc-api.md §1.6). */
function checkIfMatch(r: ApiRequest, row: Row): void {
  const h = r.headers['if-match']?.trim();
  const invalid = () =>
    new BcError(400, 'BadRequest_InvalidToken',
      'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.');
  if (!h) throw invalid();
  if (h === '*') return;
  if (!/^W\/".+"$/.test(h) && !/^".+"$/.test(h)) throw invalid();
  const current = makeEtag(String(row.data.id), row.version);
  const candidates = h.split(',').map((x) => x.trim());
  if (!candidates.includes(current)) throw new BcError(409, 'Request_EntityChanged', 'Another user has already changed the record.');
}

function findRow(def: EntitySetDef, rows: Row[], key: string): Row {
  const row = rows.find((x) => x.data.id === key);
  if (!row) throw recordNotFound(def.table, def.keyField, key);
  return row;
}

export function dispatch(s: ApiScope, r: ApiRequest): ApiResult {
  const segs = parseSegments(r.path);
  if (segs.length === 0) return { status: 200, body: serviceDocument(s.apiBase) };
  if (segs[0]!.name === '$metadata') return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: metadataDocument() };
  const t = resolveCompany(s, r, segs);
  if (!('rest' in t)) return t;
  const { company, companyPath, rest } = t;
  const setSeg = rest[0]!;
  const def = r.group
    ? (r.group === CUSTOM_TRACKING_GROUP && setSeg.name === shipmentTracking.name ? shipmentTracking : undefined)
    : (COMPANY_SETS[setSeg.name] ?? POSTED_SETS[setSeg.name]);
  if (!def) throw segmentNotFound(setSeg.name);
  const ctxBase = `${s.apiBase}/$metadata#${companyPath}`;
  const o = readOptions(r.params);
  const m = r.method;
  if (m !== 'GET' && !WRITABLE.has(def.name)) throw methodNotAllowed(m, def.name);

  // --- collection ---
  if (rest.length === 1 && !setSeg.key) {
    if (m === 'GET') {
      if (def === salesOrderLines) {
        // The line page loads lines per document: it needs an id or documentId filter (ALX OnFindRecord).
        const props = o.filter ? compileFilter(o.filter, def.schema).props : new Set<string>();
        if (!props.has('documentId') && !props.has('id')) throw dialog('You must specify an Id or a Document Id to get the lines.');
      }
      return listCollection({
        def, company, rows: def.rows(company), options: o, context: `${ctxBase}/${def.name}`,
        selfUrl: `${s.apiBase}/${companyPath}/${def.name}`, params: r.params, prefer: r.headers.prefer,
      });
    }
    if (m !== 'POST') throw methodNotAllowed(m, def.name);
    validateShape(def, o);
    let row: Row;
    let location = `${s.apiBase}/${companyPath}/${def.name}`;
    if (def === salesOrders) row = createOrder(company, r.body, s.tx);
    else if (def === salesOrderLines) {
      const docId = (r.body as Wire | null)?.documentId;
      const order = typeof docId === 'string' ? findOrder(company, docId.toLowerCase()) : undefined;
      if (!order) throw dialog('The order cannot be found.');
      row = addLine(company, order, r.body, s.tx);
    } else row = createCustomer(company, r.body, s.tx);
    location += `(${row.data.id as string})`;
    return entityResult(`${ctxBase}/${def.name}`, def, company, row, o.select, o.expand, 201, { Location: location });
  }

  // --- one entity, or a line below an order ---
  let entityDef = def;
  let row: Row;
  let order: OrderRow | undefined;
  let ctx = `${ctxBase}/${def.name}`;
  let self = `${s.apiBase}/${companyPath}/${def.name}`;
  if (!setSeg.key) throw segmentNotFound(rest[1]!.name);
  row = findRow(def, def.rows(company), setSeg.key);
  if (def === salesOrders) order = row as OrderRow;
  if (def === salesOrderLines) order = findOrder(company, String(row.data.documentId));

  // Bound action (bc-api.md §1.2): POST salesOrders({id})/Microsoft.NAV.shipAndInvoice → 204, the order is gone.
  if (def === salesOrders && rest.length === 2 && rest[1]!.name === 'Microsoft.NAV.shipAndInvoice' && !rest[1]!.key) {
    if (m !== 'POST') throw methodNotAllowed(m, rest[1]!.name);
    shipAndInvoice(company, order!, s.tx);
    return { status: 204 };
  }

  if (rest.length >= 2) {
    const navSeg = rest[1]!;
    const nav = def.nav?.[navSeg.name];
    if (!nav || rest.length > 3) throw segmentNotFound(rest[rest.length - 1]!.name);
    const target = nav.target();
    ctx = `${ctxBase}/${def.name}(${setSeg.key})/${navSeg.name}`;
    self = `${s.apiBase}/${companyPath}/${def.name}(${setSeg.key})/${navSeg.name}`;
    if (!nav.many) {
      if (navSeg.key || rest.length > 2 || m !== 'GET') throw segmentNotFound(navSeg.name);
      const got = nav.resolve(company, row) as Row | undefined;
      if (!got) return { status: 204 };
      return entityResult(ctx, target, company, got, o.select, o.expand);
    }
    const children = nav.resolve(company, row) as Row[];
    if (!navSeg.key) {
      if (rest.length > 2) throw segmentNotFound(rest[2]!.name);
      if (m === 'GET') {
        return listCollection({ def: target, company, rows: children, options: o, context: ctx, selfUrl: self, params: r.params, prefer: r.headers.prefer });
      }
      if (m !== 'POST') throw methodNotAllowed(m, navSeg.name);
      validateShape(target, o);
      if (navSeg.name === 'dimensionSetLines') {
        const parentType = def === salesOrders ? PARENT_TYPE.order : PARENT_TYPE.line;
        const dim = addDimensionSetLine(company, String(row.data.id), parentType, r.body, s.tx);
        return entityResult(ctx, target, company, dim, o.select, o.expand, 201, { Location: `${self}(${dim.data.id as string})` });
      }
      const line = addLine(company, order!, r.body, s.tx);
      return entityResult(ctx, target, company, line, o.select, o.expand, 201, { Location: `${self}(${line.data.id as string})` });
    }
    if (rest.length > 2) throw segmentNotFound(rest[2]!.name);
    entityDef = target;
    row = findRow(target, children, navSeg.key);
  }

  if (m === 'GET') {
    assertNoCollectionOptions(o);
    validateShape(entityDef, o);
    return entityResult(ctx, entityDef, company, row, o.select, o.expand);
  }
  if (m === 'PATCH') {
    validateShape(entityDef, o);
    checkIfMatch(r, row);
    if (entityDef === salesOrders) patchOrder(company, row as OrderRow, r.body, s.tx);
    else if (entityDef === salesOrderLines) updateLine(order!, row, r.body, s.tx);
    else patchCustomer(company, row, r.body, s.tx);
    return entityResult(ctx, entityDef, company, row, o.select, o.expand);
  }
  if (m === 'DELETE') {
    checkIfMatch(r, row);
    if (entityDef === salesOrders) deleteOrder(company, row as OrderRow, s.tx);
    else if (entityDef === salesOrderLines) deleteLine(order!, row, s.tx);
    else deleteCustomer(company, row, s.tx);
    return { status: 204 };
  }
  throw methodNotAllowed(m, entityDef.name);
}

/** Runs one request and turns BC errors into BC's error body with the correlation id. */
export function runApi(s: ApiScope, r: ApiRequest, correlationId: string): ApiResult {
  try {
    return dispatch(s, r);
  } catch (err) {
    if (err instanceof BcError) {
      return { status: err.status, headers: err.headers, body: errorBody(err.code, err.message, correlationId) };
    }
    console.error('[bc-sim] internal error', err);
    return { status: 500, body: errorBody('Internal_ServerError', 'An unexpected error occurred in the simulator.', correlationId) };
  }
}
