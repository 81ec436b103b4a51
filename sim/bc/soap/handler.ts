import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults } from '../faults.js';
import { readRaw, send } from '../http-io.js';
import type { Stats } from '../stats.js';
import type { World } from '../store.js';
import type { TokenService } from '../token.js';
import type { Company } from '../types.js';
import { type Children, envelope, EnvelopeError, escapeXml, faultEnvelope, parseRequest, text } from './envelope.js';
import { compileCriteria, type FieldKind } from './filter.js';
import { posted } from '../api/posting.js';
import { normalize, PageFault } from './fields.js';
import { CUSTOMER, type FieldDef, type PageDef, pageByService, pageNs, SHIPMENTS, STAGING } from './pages.js';
import { createCustomerCard, standardRows, type ViewRow } from './standard-pages.js';
import { makeKey, parseKey, type StagingRow, stagingOf, StagingTable, view } from './staging.js';
import { operationsOf, wsdl } from './wsdl.js';

/**
 * Page web services over SOAP 1.1 (bc-api.md §4): `GET` a page URL → its WSDL; `POST` with the matching
 * SOAPAction → Read / ReadMultiple / IsUpdated / Create / CreateMultiple / Delete, with BC's faults as HTTP
 * 500 fault envelopes. URLs: online `/v2.0/{tenant}/{env}/WS/{Company}/Page/{Service}` (bearer token) and
 * on-premises `/{instance}/WS/{Company}/Page/{Service}` where the instance is an environment name (bearer
 * or Basic with a web service access key — Basic is refused online, as BC online stopped accepting it).
 */
export interface BasicUser {
  username: string;
  accessKey: string;
}

/** `hang`: never answer (the client times out, or the worker dies waiting); released when the simulator closes. */
export type SoapFaultKind = 'fault' | 'http-500' | 'drop-after-commit' | 'reset' | 'hang';

export interface SoapFaultRule {
  kind: SoapFaultKind;
  /** Create, Read, ReadMultiple, Delete …; any when omitted. */
  operation?: string;
  /** Substring of the request body (e.g. an order key) the rule applies to. */
  bodyIncludes?: string;
  /** `fault`: the faultstring (default a lock timeout, which BC rolled back). */
  message?: string;
  /** Applies to the first `after` matching requests not at all (e.g. fail the 3rd Create). */
  after?: number;
  times?: number;
}

export interface SoapDeps {
  tenant: string;
  world: World;
  tokens: TokenService;
  faults: Faults;
  stats: Stats;
  users: BasicUser[];
  baseUrl: () => string;
  hung: Set<ServerResponse>;
}

const ONLINE = /^\/v2\.0\/([^/]+)\/([^/]+)\/WS\/([^/]+)\/Page\/([^/]+)\/?$/;
const ON_PREM = /^\/([^/]+)\/WS\/([^/]+)\/Page\/([^/]+)\/?$/;

export function isSoapPath(pathname: string): boolean {
  return /^\/(?:v2\.0\/[^/]+\/[^/]+|[^/]+)\/WS\//.test(pathname);
}


export class SoapFaults {
  private rules: { rule: SoapFaultRule; seen: number; left: number }[] = [];
  add(rule: SoapFaultRule): void {
    this.rules.push({ rule: { ...rule }, seen: 0, left: rule.times ?? 1 });
  }
  clear(): void {
    this.rules = [];
  }
  take(operation: string, body: string): SoapFaultRule | undefined {
    for (const a of this.rules) {
      if (a.rule.operation && a.rule.operation !== operation) continue;
      if (a.rule.bodyIncludes && !body.includes(a.rule.bodyIncludes)) continue;
      a.seen++;
      if (a.seen <= (a.rule.after ?? 0)) continue;
      a.left--;
      if (a.left <= 0) this.rules = this.rules.filter((x) => x !== a);
      return a.rule;
    }
    return undefined;
  }
}

export function createSoapHandler(d: SoapDeps, soapFaults: SoapFaults, calls: Map<string, number>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawUrl = req.url ?? '/';
    const method = (req.method ?? 'GET').toUpperCase();
    d.stats.request();
    const httpFault = d.faults.take(method, rawUrl);
    if (httpFault?.kind === 'reset') {
      d.stats.outcome('reset');
      req.socket.destroy();
      return;
    }
    if (httpFault?.kind === 'timeout') {
      d.stats.outcome('timeout');
      d.hung.add(res);
      res.on('close', () => d.hung.delete(res));
      req.resume();
      return;
    }
    let raw: Buffer;
    try {
      raw = await readRaw(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const plain = (status: number, body: string, headers: Record<string, string> = {}) => {
      d.stats.outcome(status);
      send(res, status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, body);
    };
    if (httpFault && ['429', '429-no-retry-after', '503', '504'].includes(httpFault.kind)) {
      const status = Number(httpFault.kind.slice(0, 3));
      const headers: Record<string, string> = httpFault.kind === '429' || httpFault.kind === '503' ? { 'Retry-After': String(httpFault.retryAfterSeconds ?? 1) } : {};
      if (status === 504) return plain(504, '<html><body><h1>504 Gateway Time-out</h1></body></html>', { 'Content-Type': 'text/html' });
      return plain(status, status === 429 ? 'Too many requests.' : 'The service is temporarily unavailable.', headers);
    }

    const url = new URL(rawUrl, 'http://sim');
    const online = ONLINE.exec(url.pathname);
    const onPrem = online ? null : ON_PREM.exec(url.pathname);
    const m = online ?? onPrem;
    if (!m) return plain(404, 'Not found');
    const [envName, companyName, serviceName] = online
      ? [decodeURIComponent(online[2]!), decodeURIComponent(online[3]!), decodeURIComponent(online[4]!)]
      : [decodeURIComponent(onPrem![1]!), decodeURIComponent(onPrem![2]!), decodeURIComponent(onPrem![3]!)];

    // Authentication first: BC answers 401 before it looks at the company or the service.
    const authz = req.headers.authorization ?? '';
    let authed = false;
    if (/^Bearer\s/i.test(authz)) authed = d.tokens.verify(authz).ok && (!online || decodeURIComponent(online[1]!) === d.tenant);
    else if (/^Basic\s/i.test(authz) && !online) {
      const [user, ...rest] = Buffer.from(authz.slice(6).trim(), 'base64').toString('utf8').split(':');
      authed = d.users.some((u) => u.username.toUpperCase() === (user ?? '').toUpperCase() && u.accessKey === rest.join(':'));
    }
    if (!authed) {
      return plain(401, 'The server has rejected the client credentials.', { 'WWW-Authenticate': online ? 'Bearer' : 'Basic realm="Business Central", Bearer' });
    }
    const env = d.world.env(envName);
    const company = env ? d.world.companyByName(env, companyName) : undefined;
    if (!env || !company) return plain(404, `Company '${companyName}' does not exist in environment '${envName}'.`);
    const page = pageByService(serviceName);
    if (!page) return plain(404, `The service '${serviceName}' is not published.`);
    const location = `${d.baseUrl()}${url.pathname}`;

    if (method === 'GET') {
      d.stats.outcome(200);
      return send(res, 200, { 'Content-Type': 'text/xml; charset=utf-8' }, wsdl(page, location));
    }
    if (method !== 'POST') return plain(405, 'Method not allowed');

    const fault = (message: string, code?: string) => {
      d.stats.outcome(500);
      send(res, 500, { 'Content-Type': 'text/xml; charset=utf-8' }, faultEnvelope(message, code));
    };
    const bodyText = raw.toString('utf8');
    let request;
    try {
      request = parseRequest(bodyText);
    } catch (e) {
      if (e instanceof EnvelopeError) return fault(e.message, 'System.ServiceModel.CommunicationException');
      throw e;
    }
    const ns = pageNs(page);
    const action = String(req.headers.soapaction ?? '').replace(/^"|"$/g, '');
    if (request.namespace !== ns) return fault(`The element '${request.operation}' in namespace '${request.namespace}' is not expected; the service's namespace is '${ns}'.`, 'System.ServiceModel.CommunicationException');
    if (!operationsOf(page).includes(request.operation)) return fault(`Operation '${request.operation}' is not supported by page ${page.service}.`, 'System.ServiceModel.ActionNotSupportedException');
    if (action !== `${ns}:${request.operation}`) {
      return fault(`The SOAPAction '${action}' does not match the operation '${request.operation}' (expected '${ns}:${request.operation}').`, 'System.ServiceModel.ActionNotSupportedException');
    }
    calls.set(request.operation, (calls.get(request.operation) ?? 0) + 1);
    const injected = soapFaults.take(request.operation, bodyText);
    if (injected?.kind === 'reset') {
      d.stats.outcome('reset');
      req.socket.destroy();
      return;
    }
    if (injected?.kind === 'hang') {
      d.stats.outcome('timeout');
      d.hung.add(res);
      res.on('close', () => d.hung.delete(res));
      return;
    }
    if (injected?.kind === 'fault') return fault(injected.message ?? `The ${page.table} table is locked by another user. Try again later.`);
    if (injected?.kind === 'http-500') return plain(500, 'Internal Server Error');

    if (d.faults.latencyMs > 0) await sleep(d.faults.latencyMs);
    let result: string;
    try {
      result = execute(company, page, request.operation, request.children, location);
    } catch (e) {
      if (e instanceof PageFault) return fault(e.message, e.code);
      throw e;
    }
    if (injected?.kind === 'drop-after-commit' || httpFault?.kind === 'drop-after-commit') {
      // Done and stored; the answer is lost on the way: the trap that creates duplicates.
      d.stats.outcome('dropped');
      req.socket.destroy();
      return;
    }
    d.stats.outcome(200);
    send(res, 200, { 'Content-Type': 'text/xml; charset=utf-8' }, envelope(`<${request.operation}_Result xmlns="${ns}">${result}</${request.operation}_Result>`));
  };
}

// --- operations ---

function execute(company: Company, page: PageDef, op: string, c: Children, _location: string): string {
  switch (op) {
    case 'Read': {
      const key = page.key.map((k) => {
        const v = text(c, k);
        if (v === undefined) throw new PageFault(`The parameter '${k}' of Read is missing.`);
        return normalize(fieldOf(page, k), v);
      });
      const rec = rowsOf(company, page).find((r) => page.key.every((k, i) => r.values[k] === key[i]));
      return rec ? recordXml(page, rec) : '';
    }
    case 'ReadMultiple': {
      const filters = (c.get('filter') ?? []).map((f) => {
        if (typeof f === 'string') throw new PageFault('A filter needs Field and Criteria.');
        const field = text(f, 'Field') ?? '';
        const def = page.fields.find((x) => x.name === field);
        if (!def) throw new PageFault(`'${field}' is not a field of page ${page.service} (${page.service}_Fields).`);
        try {
          return { field, test: compileCriteria(text(f, 'Criteria') ?? '', kindOf(def)) };
        } catch (e) {
          throw new PageFault((e as Error).message);
        }
      });
      const setSize = Number(text(c, 'setSize') ?? '0');
      if (!Number.isInteger(setSize)) throw new PageFault("The value of 'setSize' is not a valid integer.");
      let rows = rowsOf(company, page).filter((r) => filters.every((f) => f.test(r.values[f.field] ?? '')));
      if (setSize < 0) rows = rows.reverse();
      const bookmark = text(c, 'bookmarkKey');
      if (bookmark) {
        const i = rows.findIndex((r) => r.key === bookmark || samePk(r.key, bookmark));
        if (i < 0) throw new PageFault('The bookmark key is not valid for this page.');
        rows = rows.slice(i + 1);
      }
      if (setSize !== 0) rows = rows.slice(0, Math.abs(setSize));
      return rows.length ? `<ReadMultiple_Result>${rows.map((r) => recordXml(page, r)).join('')}</ReadMultiple_Result>` : '';
    }
    case 'IsUpdated': {
      const key = text(c, 'Key') ?? '';
      const current = rowsOf(company, page).find((r) => samePk(r.key, key));
      return `<IsUpdated_Result>${current ? String(current.key !== key) : 'true'}</IsUpdated_Result>`;
    }
    case 'Create': {
      const rec = c.get(page.service)?.[0];
      if (rec === undefined || typeof rec === 'string') throw new PageFault(`Create needs a ${page.service} element.`);
      if (page === CUSTOMER) return recordXml(page, createCustomerCard(company, rec));
      const row = insert(company, rec);
      return recordXml(page, { key: makeKey(row.values.External_Document_No!, row.values.Line_No!, row.version), values: view(company, row) });
    }
    case 'CreateMultiple': {
      const list = c.get(`${page.service}_List`)?.[0];
      if (list === undefined || typeof list === 'string') throw new PageFault(`CreateMultiple needs a ${page.service}_List element.`);
      const table = stagingOf(company);
      const before = new Map(table.rows);
      try {
        // One transaction: a failing record rolls back the ones before it (bc-api.md §4).
        const rows = (list.get(page.service) ?? []).map((r) => {
          if (typeof r === 'string') throw new PageFault(`CreateMultiple needs ${page.service} records.`);
          return insert(company, r);
        });
        return `<${page.service}_List>${rows.map((row) => recordXml(page, { key: makeKey(row.values.External_Document_No!, row.values.Line_No!, row.version), values: view(company, row) })).join('')}</${page.service}_List>`;
      } catch (e) {
        table.rows.clear();
        for (const [k, v] of before) table.rows.set(k, v);
        throw e;
      }
    }
    case 'Delete': {
      const key = text(c, 'Key') ?? '';
      const parsed = parseKey(key);
      if (!parsed) throw new PageFault('The key is not valid.', 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideException');
      const table = stagingOf(company);
      const pk = StagingTable.pk(parsed.docNo, parsed.lineNo);
      const row = table.rows.get(pk);
      if (!row) {
        throw new PageFault(`${STAGING.table} External Document No.='${parsed.docNo}',Line No.='${parsed.lineNo}' does not exist.`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideRecordNotFoundException');
      }
      if (row.version !== parsed.version) {
        throw new PageFault(`Other user has modified ${STAGING.table} "${parsed.docNo},${parsed.lineNo}".`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideConcurrencyException');
      }
      table.rows.delete(pk);
      return '<Delete_Result>true</Delete_Result>';
    }
    default:
      throw new PageFault(`Operation '${op}' is not supported.`);
  }
}

function samePk(a: string, b: string): boolean {
  const x = parseKey(a);
  const y = parseKey(b);
  return !!x && !!y && x.docNo === y.docNo && x.lineNo === y.lineNo;
}

function fieldOf(page: PageDef, name: string): FieldDef {
  return page.fields.find((f) => f.name === name)!;
}

function kindOf(f: FieldDef): FieldKind {
  return f.type === 'code' ? 'code' : f.type === 'decimal' || f.type === 'int' ? 'number' : f.type === 'boolean' ? 'boolean' : f.type === 'date' || f.type === 'datetime' ? 'date' : 'text';
}

function insert(company: Company, rec: Children): StagingRow {
  const values: Record<string, string> = {};
  for (const [name, list] of rec) {
    if (name === 'Key') continue;
    const def = STAGING.fields.find((f) => f.name === name);
    if (!def) throw new PageFault(`The element '${name}' is not a field of page ${STAGING.service}.`, 'System.ServiceModel.CommunicationException');
    if (def.readOnly) throw new PageFault(`Control '${def.caption}' is read-only`);
    const v = list[0];
    if (typeof v !== 'string') throw new PageFault(`The field '${name}' must be a value.`, 'System.ServiceModel.CommunicationException');
    values[name] = normalize(def, v);
  }
  // TestField-style checks the AL table's OnInsert does (docs/bc-soap-page.md).
  for (const [name, caption] of [['External_Document_No', 'External Document No.'], ['Line_No', 'Line No.'], ['Line_Count', 'Line Count'], ['Customer_No', 'Customer No.']] as const) {
    if (!values[name] || values[name] === '0') {
      throw new PageFault(`${caption} must have a value in ${STAGING.table}: External Document No.=${values.External_Document_No ?? ''}, Line No.=${values.Line_No ?? ''}. It cannot be zero or empty.`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavTestFieldException');
    }
  }
  if (Number(values.Line_No) % 10000 !== 0 || Number(values.Line_No) > Number(values.Line_Count) * 10000) {
    throw new PageFault(`Line No. ${values.Line_No} does not fit Line Count ${values.Line_Count}: lines are numbered 10000, 20000, … up to Line Count × 10000.`);
  }
  const table = stagingOf(company);
  const pk = StagingTable.pk(values.External_Document_No!, values.Line_No!);
  if (table.rows.has(pk)) {
    // The documented Create fault (bc-api.md §4).
    throw new PageFault(`The ${STAGING.table} already exists. Identification fields and values: External Document No.='${values.External_Document_No}',Line No.='${values.Line_No}'`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideRecordAlreadyExistsException');
  }
  const defaults: Record<string, string> = { Type: 'Item', Quantity: '0', Unit_Price: '0', Line_Discount_Amount: '0', Prices_Including_VAT: 'false', Completed: 'false', Error_Message: '', Sales_Order_No: '', Order_Amount: '0', Order_Amount_Incl_VAT: '0', Shipped_Quantity: '0' };
  const row: StagingRow = { values: { ...defaults, ...values }, version: 1, createdAt: Date.now() };
  table.rows.set(pk, row);
  return row;
}

/** The records a page shows in a company, in key order. */
export function rowsOf(company: Company, page: PageDef): ViewRow[] {
  if (page === STAGING) {
    return stagingOf(company).sorted().map((r) => ({ key: makeKey(r.values.External_Document_No!, r.values.Line_No!, r.version), values: view(company, r) }));
  }
  if (page === SHIPMENTS) {
    // Posted shipment lines with their header's fields; shipments posted through the API or /_sim/ship alike.
    const p = posted(company);
    return p.shipments.flatMap((s) => {
      const tracking = p.tracking.find((t) => t.data.shipmentNo === s.data.number)?.data;
      return s.lines.map((l) => ({
        key: `111;${Buffer.from(JSON.stringify([s.data.number, l.data.sequence])).toString('base64')};${s.version};`,
        values: {
          Document_No: String(s.data.number),
          Line_No: String(l.data.sequence),
          Order_No: String(s.data.orderNumber),
          // BC copies the sales line's Line No. into Order Line No.
          Order_Line_No: String(l.data.sequence),
          External_Document_No: String(s.data.externalDocumentNumber ?? ''),
          Posting_Date: String(s.data.postingDate ?? ''),
          Type: API_TO_TYPE[String(l.data.lineType)] ?? '_blank_',
          No: String(l.data.lineObjectNumber ?? ''),
          Description: String(l.data.description ?? ''),
          Quantity: String(l.data.quantity),
          Package_Tracking_No: String(tracking?.packageTrackingNo ?? ''),
          Shipping_Agent_Code: String(tracking?.shippingAgentCode ?? ''),
        },
      }));
    });
  }
  return standardRows(company, page) ?? [];
}

/** API v2.0 line types (plain or `_x0020_`-escaped) → the page's Type option. */
const API_TO_TYPE: Record<string, string> = {
  Comment: '_blank_', Account: 'G_L_Account', Item: 'Item', Resource: 'Resource', 'Fixed Asset': 'Fixed_Asset', Fixed_x0020_Asset: 'Fixed_Asset', Charge: 'Charge_Item',
};

function recordXml(page: PageDef, r: ViewRow): string {
  let out = `<${page.service}><Key>${escapeXml(r.key)}</Key>`;
  for (const f of page.fields) {
    const v = r.values[f.name];
    if (v === undefined || (v === '' && f.type !== 'text' && f.type !== 'code')) continue;
    out += `<${f.name}>${escapeXml(v)}</${f.name}>`;
  }
  return `${out}</${page.service}>`;
}
