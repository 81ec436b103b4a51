import { LCY } from '../../catalog.js';
import { BcError, dialog } from '../errors.js';
import { EMPTY_GUID, newGuid, nowIso } from '../ids.js';
import { readBody } from '../odata/body.js';
import { CUSTOMER } from '../schema.js';
import { DEFAULT_PAYMENT_TERMS } from '../seed.js';
import { type Journal, nextNumber, pushRow, removeRow, writeRow } from '../store.js';
import type { Company, Row, Wire } from '../types.js';

/** customers POST/PATCH/DELETE (ALX APIV2Customers.Page.al messages, bc-api.md §1.2). */

const BLOCKED = new Set(['_x0020_', ' ', 'Ship', 'Invoice', 'All']);
const TYPES = new Set(['Company', 'Person']);

function applyRefs(company: Company, c: Wire, f: Wire): void {
  if (f.currencyId !== undefined) {
    const cur = company.data.currencies.find((r) => r.data.id === f.currencyId);
    if (f.currencyId !== EMPTY_GUID && !cur) throw dialog('The "currencyId" does not match to a Currency.');
    c.currencyId = cur ? cur.data.id : EMPTY_GUID;
    c.currencyCode = cur ? cur.data.code : LCY;
  }
  if (f.currencyCode !== undefined) {
    const code = (f.currencyCode as string).toUpperCase();
    if (code === LCY || code === '') {
      c.currencyId = EMPTY_GUID;
      c.currencyCode = LCY;
    } else {
      const cur = company.data.currencies.find((r) => r.data.code === code);
      if (!cur) throw dialog('The "currencyCode" does not match to a Currency.');
      c.currencyId = cur.data.id;
      c.currencyCode = cur.data.code;
    }
  }
  const refs: [string, Row[], string][] = [
    ['paymentTermsId', company.data.paymentTerms, 'The "paymentTermsId" does not match to a Payment Terms.'],
    ['shipmentMethodId', company.data.shipmentMethods, 'The "shipmentMethodId" does not match to a Shipment Method.'],
    ['paymentMethodId', [], 'The "paymentMethodId" does not match to a Payment Method.'],
  ];
  for (const [k, rows, msg] of refs) {
    if (f[k] === undefined) continue;
    if (f[k] !== EMPTY_GUID && !rows.some((r) => r.data.id === f[k])) throw dialog(msg);
    c[k] = f[k];
  }
  if (f.blocked !== undefined) {
    if (!BLOCKED.has(f.blocked as string)) {
      throw new BcError(400, 'Unknown', `'${f.blocked as string}' is not an option. The existing options are:  ,Ship,Invoice,All`);
    }
    c.blocked = f.blocked === ' ' ? '_x0020_' : f.blocked;
  }
  if (f.type !== undefined && !TYPES.has(f.type as string)) {
    throw new BcError(400, 'Unknown', `'${f.type as string}' is not an option. The existing options are: Company,Person`);
  }
  for (const [k, v] of Object.entries(f)) {
    if (['currencyId', 'currencyCode', 'paymentTermsId', 'shipmentMethodId', 'paymentMethodId', 'blocked'].includes(k)) continue;
    c[k] = v;
  }
  c.lastModifiedDateTime = nowIso();
}

export function createCustomer(company: Company, body: unknown, tx: Journal | null): Row {
  const { fields } = readBody(body, CUSTOMER);
  if (fields.displayName === undefined) throw dialog('A "displayName" must be provided.');
  if (fields.number !== undefined && company.data.customers.some((r) => r.data.number === fields.number)) {
    throw new BcError(
      400,
      'Internal_EntityWithSameKeyExists',
      `The record in table Customer already exists. Identification fields and values: No.='${fields.number as string}'`,
    );
  }
  const terms = company.data.paymentTerms.find((r) => r.data.code === DEFAULT_PAYMENT_TERMS);
  const c: Wire = {};
  for (const [k, def] of Object.entries(CUSTOMER.fields)) {
    c[k] = def.type === 'guid' ? EMPTY_GUID : def.type === 'decimal' ? 0 : def.type === 'bool' ? false : '';
  }
  Object.assign(c, { id: newGuid(), type: 'Company', currencyCode: LCY, blocked: '_x0020_', paymentTermsId: terms?.data.id ?? EMPTY_GUID });
  applyRefs(company, c, fields);
  if (fields.number === undefined || fields.number === '') {
    // Blank number → taken from the customer No. Series (bc-api.md §8).
    c.number = `CUST${String(nextNumber(company.data.series, 'customer', 10, tx)).padStart(5, '0')}`;
  }
  const row: Row = { data: c, version: 1 };
  pushRow(company.data.customers, row, tx);
  company.data.customers.sort((a, b) => String(a.data.number).localeCompare(String(b.data.number), 'en'));
  return row;
}

export function patchCustomer(company: Company, row: Row, body: unknown, tx: Journal | null): void {
  const { fields } = readBody(body, CUSTOMER);
  if (fields.displayName === '') throw dialog('The blank "displayName" is not allowed.');
  if (fields.number !== undefined && fields.number !== row.data.number) {
    throw dialog('The "number" cannot be changed.');
  }
  const next = { ...row.data };
  applyRefs(company, next, fields);
  writeRow(row, next, tx);
}

export function deleteCustomer(company: Company, row: Row, tx: Journal | null): void {
  removeRow(company.data.customers, row, tx);
}
