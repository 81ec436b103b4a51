import { LCY } from '../../catalog.js';
import { badRequest, dialog } from '../errors.js';
import { EMPTY_DATE, EMPTY_GUID, newGuid, nowIso, today } from '../ids.js';
import { D, num, round5 } from '../money.js';
import { readBody } from '../odata/body.js';
import { SALES_ORDER } from '../schema.js';
import { type Journal, nextNumber, pushRow, removeRow, writeRow } from '../store.js';
import { recalculate } from '../tax.js';
import type { Company, OrderRow, Row, Wire } from '../types.js';
import { buildDimensionSet, inheritedSet, PARENT_TYPE, storeDimensionSet, takeNav } from './dimension-set-lines.js';
import { assertLinesChangeable, assertNothingShippedNotInvoiced, assertQuantityCoversShipped } from './posted-guard.js';
import { buildNewLine, patchLine } from './sales-order-lines.js';

/**
 * salesOrders (page 30028 "APIV2 - Sales Orders", bc-api.md §1.2, §1.4). The header is validated in
 * page field order with the AL messages; customer data is copied onto the document the way the
 * Sales Header table does; a deep insert is all-or-nothing because nothing is stored until every
 * line has been accepted.
 */

const SELL_TO_SHIP_TO: [string, string][] = [
  ['sellToAddressLine1', 'shipToAddressLine1'],
  ['sellToAddressLine2', 'shipToAddressLine2'],
  ['sellToCity', 'shipToCity'],
  ['sellToCountry', 'shipToCountry'],
  ['sellToState', 'shipToState'],
  ['sellToPostCode', 'shipToPostCode'],
];

/** Number series of sales orders: S-ORD101001, S-ORD101002, … (bc-api.md §8). */
const orderNo = (n: number) => `S-ORD${n}`;

function emptyHeader(): Wire {
  const h: Wire = {};
  for (const [k, def] of Object.entries(SALES_ORDER.fields)) {
    h[k] = def.type === 'guid' ? EMPTY_GUID : def.type === 'decimal' ? 0 : def.type === 'bool' ? false : def.type === 'date' ? EMPTY_DATE : '';
  }
  return {
    ...h,
    orderDate: today(),
    postingDate: today(),
    currencyCode: LCY,
    // Shipping Advice defaults to Partial → partialShipping true (sample api-salesOrder-create.response).
    partialShipping: true,
    discountAppliedBeforeTax: true,
    status: 'Draft',
    lastModifiedDateTime: nowIso(),
  };
}

function checkBlocked(c: Row): void {
  const blocked = String(c.data.blocked);
  // Customer.CheckBlockedCustOnDocs: on an order (not yet a posting) All, Invoice and Ship all block.
  if (blocked !== '_x0020_' && blocked !== ' ' && blocked !== '') {
    throw dialog(`You cannot create this type of document when Customer ${c.data.number as string} is blocked with type ${blocked}`);
  }
}

function applySellTo(h: Wire, c: Row): void {
  const d = c.data;
  Object.assign(h, {
    customerId: d.id, customerNumber: d.number, customerName: d.displayName,
    sellToAddressLine1: d.addressLine1, sellToAddressLine2: d.addressLine2, sellToCity: d.city,
    sellToCountry: d.country, sellToState: d.state, sellToPostCode: d.postalCode,
    shipToName: d.displayName, shipToContact: '',
    shipToAddressLine1: d.addressLine1, shipToAddressLine2: d.addressLine2, shipToCity: d.city,
    shipToCountry: d.country, shipToState: d.state, shipToPostCode: d.postalCode,
    currencyId: d.currencyId, currencyCode: d.currencyCode, paymentTermsId: d.paymentTermsId,
    shipmentMethodId: d.shipmentMethodId, salesperson: d.salespersonCode, phoneNumber: d.phoneNumber, email: d.email,
  });
  applyBillTo(h, c);
}

function applyBillTo(h: Wire, c: Row): void {
  const d = c.data;
  Object.assign(h, {
    billToCustomerId: d.id, billToCustomerNumber: d.number, billToName: d.displayName,
    billToAddressLine1: d.addressLine1, billToAddressLine2: d.addressLine2, billToCity: d.city,
    billToCountry: d.country, billToState: d.state, billToPostCode: d.postalCode,
  });
}

function resolveCustomer(
  company: Company, id: unknown, number: unknown, notFound: string, mismatch: string,
): Row | undefined {
  let c: Row | undefined;
  if (id !== undefined) {
    c = company.data.customers.find((r) => r.data.id === id);
    if (!c) throw dialog(notFound);
  }
  if (number !== undefined) {
    if (c) {
      if (c.data.number !== number) throw dialog(mismatch);
    } else {
      c = company.data.customers.find((r) => r.data.number === number);
      if (!c) throw dialog(notFound);
    }
  }
  return c;
}

/** Applies validated body fields onto a header (a fresh one on create, a copy on PATCH). */
function applyHeader(company: Company, base: Wire | undefined, f: Wire): Wire {
  const h: Wire = base ? { ...base } : emptyHeader();

  const sellTo = resolveCustomer(
    company, f.customerId, f.customerNumber,
    'The sell-to customer cannot be found.', 'The sell-to customer values do not match to a specific Customer.',
  );
  if (sellTo && sellTo.data.id !== base?.customerId) {
    checkBlocked(sellTo);
    applySellTo(h, sellTo);
  }
  const billTo = resolveCustomer(
    company, f.billToCustomerId, f.billToCustomerNumber,
    'The bill-to customer cannot be found.', 'The bill-to customer values do not match to a specific Customer.',
  );
  if (billTo) applyBillTo(h, billTo);

  for (const k of ['externalDocumentNumber', 'orderDate', 'postingDate', 'shipToName', 'shipToContact'] as const) {
    if (f[k] !== undefined) h[k] = f[k];
  }
  // Sales Header: while Ship-to equals the old Sell-to address, editing Sell-to carries over to Ship-to.
  const shipToWasSellTo = SELL_TO_SHIP_TO.every(([s, t]) => h[s] === h[t]);
  for (const [s, t] of SELL_TO_SHIP_TO) {
    if (f[s] === undefined) continue;
    h[s] = f[s];
    if (shipToWasSellTo) h[t] = f[s];
  }
  for (const [, t] of SELL_TO_SHIP_TO) if (f[t] !== undefined) h[t] = f[t];
  for (const k of ['shortcutDimension1Code', 'shortcutDimension2Code'] as const) if (f[k] !== undefined) h[k] = f[k];

  applyCurrency(company, h, f);

  if (f.pricesIncludeTax !== undefined) h.pricesIncludeTax = f.pricesIncludeTax;
  if (f.paymentTermsId !== undefined) {
    if (f.paymentTermsId !== EMPTY_GUID && !company.data.paymentTerms.some((r) => r.data.id === f.paymentTermsId)) {
      throw dialog('The "paymentTermsId" does not match to a Payment Terms.');
    }
    h.paymentTermsId = f.paymentTermsId;
  }
  if (f.shipmentMethodId !== undefined) {
    if (f.shipmentMethodId !== EMPTY_GUID && !company.data.shipmentMethods.some((r) => r.data.id === f.shipmentMethodId)) {
      throw dialog('The "shipmentMethodId" does not match to a Shipment Method.');
    }
    h.shipmentMethodId = f.shipmentMethodId;
  }
  for (const k of ['salesperson', 'partialShipping', 'requestedDeliveryDate', 'discountAmount', 'phoneNumber', 'email'] as const) {
    if (f[k] !== undefined) h[k] = f[k];
  }
  if (!base && h.customerId === EMPTY_GUID) {
    // OnInsertRecord → CheckSellToCustomerSpecified, after all fields were validated.
    throw dialog('A "customerNumber" or a "customerId" must be provided.');
  }
  h.lastModifiedDateTime = nowIso();
  return h;
}

/** currencyCode equal to the LCY is stored blank with an empty currencyId, and read back as the LCY code (bc-api.md §1.2). */
function applyCurrency(company: Company, h: Wire, f: Wire): void {
  let byId: Row | undefined;
  let idGiven = false;
  if (f.currencyId !== undefined) {
    idGiven = true;
    if (f.currencyId !== EMPTY_GUID) {
      byId = company.data.currencies.find((r) => r.data.id === f.currencyId);
      if (!byId) throw dialog('The "currencyId" does not match to a Currency.');
    }
    h.currencyId = byId ? byId.data.id : EMPTY_GUID;
    h.currencyCode = byId ? byId.data.code : LCY;
  }
  if (f.currencyCode !== undefined) {
    const text = (f.currencyCode as string).toUpperCase();
    const navCode = text === LCY ? '' : text;
    if (idGiven && byId) {
      if (byId.data.code !== navCode) throw dialog('The currency values do not match to a specific Currency.');
      return;
    }
    if (navCode === '') {
      h.currencyId = EMPTY_GUID;
      h.currencyCode = LCY;
      return;
    }
    const c = company.data.currencies.find((r) => r.data.code === navCode);
    if (!c) throw dialog('The "currencyCode" does not match to a Currency.');
    h.currencyId = c.data.id;
    h.currencyCode = c.data.code;
  }
}

export function createOrder(company: Company, body: unknown, tx: Journal | null): OrderRow {
  const { fields, navs } = readBody(body, SALES_ORDER, ['salesOrderLines', 'dimensionSetLines']);
  const header = applyHeader(company, undefined, fields);
  header.id = newGuid();
  header.number = orderNo(company.data.series.salesOrder + 1);
  // The header is inserted before its parts, and OnInsertRecord applies the invoice discount at once
  // (ALX APIV2SalesOrders.UpdateDiscount → Sales - Calc Discount By Type.ApplyInvDiscBasedOnAmt): with no
  // lines yet there is nothing to apply it to. Set it with a PATCH once the lines exist.
  if (typeof fields.discountAmount === 'number' && fields.discountAmount > 0) {
    throw dialog('There is no amount that you can apply an invoice discount to.');
  }
  // Dimensions come before the lines on the page, so lines inherit them (microsoft/ALAppExtensions#11158).
  const headerDims = buildDimensionSet(company, header.id as string, PARENT_TYPE.order, navs.dimensionSetLines);

  const linesIn = navs.salesOrderLines;
  if (linesIn !== undefined && !Array.isArray(linesIn)) throw badRequest('Invalid Request Body');
  const lines: Wire[] = [];
  const lineDims: Wire[][] = [];
  for (const lb of (linesIn as unknown[] | undefined) ?? []) {
    const { rest, value } = takeNav(lb, 'dimensionSetLines');
    const line = buildNewLine({ company, header, siblings: lines }, rest);
    const inherited = headerDims.map((d) => ({ ...d, parentId: line.id, parentType: PARENT_TYPE.line }));
    lineDims.push(buildDimensionSet(company, line.id as string, PARENT_TYPE.line, value, inherited));
    lines.push(line);
  }
  const totals = recalculate(header, lines);

  // Everything validated: only now consume the number and store (deep insert is atomic, §1.4).
  nextNumber(company.data.series, 'salesOrder', 1, tx);
  const row: OrderRow = { data: totals.header, version: 1, lines: totals.lines.map((l) => ({ data: l, version: 1 })) };
  pushRow(company.data.salesOrders, row, tx);
  storeDimensionSet(company, header.id as string, headerDims, tx);
  lines.forEach((l, i) => storeDimensionSet(company, l.id as string, lineDims[i]!, tx));
  return row;
}

/** Recomputes amounts after a change and stores header and lines (new versions → new ETags). */
export function storeTotals(order: OrderRow, header: Wire, lines: Wire[], tx: Journal | null): void {
  const totals = recalculate(header, lines);
  totals.lines.forEach((l, i) => {
    const r = order.lines[i]!;
    if (JSON.stringify(r.data) !== JSON.stringify(l)) writeRow(r, l, tx);
  });
  // A line change also changes the header's ETag (bc-api.md §8, inferred).
  writeRow(order, { ...totals.header, lastModifiedDateTime: nowIso() }, tx);
}

export function patchOrder(company: Company, order: OrderRow, body: unknown, tx: Journal | null): void {
  if (body && typeof body === 'object' && 'salesOrderLines' in body) {
    throw badRequest('Deep update is not supported. Update the salesOrderLines one by one.'); // bc-api.md §1.4
  }
  const { fields } = readBody(body, SALES_ORDER);
  const header = applyHeader(company, order.data, fields);
  let lines = order.lines.map((l) => l.data);
  if (header.pricesIncludeTax !== order.data.pricesIncludeTax) {
    // Switching "Prices Including VAT" converts the unit prices of existing lines.
    lines = lines.map((l) => {
      const factor = D(l.taxPercent as number).div(100).plus(1);
      const p = D(l.unitPrice as number);
      return { ...l, unitPrice: num(round5(header.pricesIncludeTax ? p.mul(factor) : p.div(factor))) };
    });
  }
  storeTotals(order, header, lines, tx);
}

export function deleteOrder(company: Company, order: OrderRow, tx: Journal | null): void {
  assertNothingShippedNotInvoiced(order, order.lines);
  removeRow(company.data.salesOrders, order, tx);
}

// --- lines of an existing order ---

export function addLine(company: Company, order: OrderRow, body: unknown, tx: Journal | null): Row {
  assertLinesChangeable(order);
  const { rest, value } = takeNav(body, 'dimensionSetLines');
  const line = buildNewLine({ company, header: order.data, siblings: order.lines.map((l) => l.data) }, rest);
  const dims = buildDimensionSet(company, line.id as string, PARENT_TYPE.line, value, inheritedSet(company, order.data.id as string, line.id as string));
  const row: Row = { data: line, version: 1 };
  const lines = [...order.lines.map((l) => l.data), line];
  const totals = recalculate(order.data, lines); // validate before storing anything
  pushRow(order.lines, row, tx);
  order.lines.sort((a, b) => (a.data.sequence as number) - (b.data.sequence as number));
  row.data = totals.lines[lines.length - 1]!;
  storeTotals(order, order.data, order.lines.map((l) => l.data), tx);
  storeDimensionSet(company, line.id as string, dims, tx);
  return row;
}

export function updateLine(order: OrderRow, line: Row, body: unknown, tx: Journal | null): void {
  assertLinesChangeable(order);
  const next = patchLine(line.data, body);
  assertQuantityCoversShipped(order, line, next);
  const lines = order.lines.map((l) => (l === line ? next : l.data));
  recalculate(order.data, lines); // throws before anything is stored
  writeRow(line, next, tx);
  storeTotals(order, order.data, order.lines.map((l) => l.data), tx);
}

export function deleteLine(order: OrderRow, line: Row, tx: Journal | null): void {
  assertLinesChangeable(order);
  assertNothingShippedNotInvoiced(order, [line]);
  const lines = order.lines.filter((l) => l !== line).map((l) => l.data);
  recalculate(order.data, lines);
  removeRow(order.lines, line, tx);
  storeTotals(order, order.data, order.lines.map((l) => l.data), tx);
}
