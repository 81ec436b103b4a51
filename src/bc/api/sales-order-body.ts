import type { BcSalesOrderDocument, BcSalesOrderLine } from '../document.js';
import { dec } from '../../domain/money.js';
import { jsonDecimal } from './json.js';
import { encodeEnum } from './odata.js';

/** Ids BC API v2.0 wants where the document carries codes (resolved by lookups.ts). */
export interface ResolvedRefs {
  shipmentMethodId?: string;
  /** Per document line, same order. */
  lines: Array<{ itemVariantId?: string; locationId?: string }>;
}

/** Header fields copied as they are; blank ones are left out so BC fills them from the customer card. */
const HEADER_TEXT_FIELDS = [
  'email', 'phoneNumber',
  'sellToAddressLine1', 'sellToAddressLine2', 'sellToCity', 'sellToState', 'sellToPostCode', 'sellToCountry',
  'shipToName', 'shipToContact', 'shipToAddressLine1', 'shipToAddressLine2', 'shipToCity', 'shipToState', 'shipToPostCode', 'shipToCountry',
  'salesperson',
] as const satisfies ReadonlyArray<keyof BcSalesOrderDocument>;

/**
 * The `salesOrders` deep-insert body (reference/bc-api.md §1.4): header plus `salesOrderLines`, amounts as
 * JSON number literals (json.ts). Not sent: `shipmentMethodCode` and `locationCode` (no such v2.0 fields;
 * they travel as ids), `expected` and `sourceLineId` (bcbridge's own).
 */
export function salesOrderBody(doc: BcSalesOrderDocument, refs: ResolvedRefs): Record<string, unknown> {
  const body: Record<string, unknown> = {
    externalDocumentNumber: doc.externalDocumentNumber,
    customerNumber: doc.customerNumber,
    orderDate: doc.orderDate,
  };
  // Blank = the company's local currency; BC stores LCY as blank and sending it blank would be rejected.
  if (doc.currencyCode.trim() !== '') body.currencyCode = doc.currencyCode;
  body.pricesIncludeTax = doc.pricesIncludeTax;
  for (const field of HEADER_TEXT_FIELDS) {
    const v = doc[field];
    if (typeof v === 'string' && v.trim() !== '') body[field] = v;
  }
  if (refs.shipmentMethodId) body.shipmentMethodId = refs.shipmentMethodId;
  // Before the lines: BC inserts parts in body order, and lines inherit the header's dimensions only if these
  // exist by then (microsoft/ALAppExtensions#11158). `discountAmount` is not sent here: see ApiTarget.create.
  if (doc.dimensions?.length) body.dimensionSetLines = dimensionSetLines(doc.dimensions);
  body.salesOrderLines = doc.lines.map((line, i) => salesOrderLineBody(line, refs.lines[i] ?? {}));
  return body;
}

export function salesOrderLineBody(line: BcSalesOrderLine, refs: { itemVariantId?: string; locationId?: string }): Record<string, unknown> {
  // Enum members travel escaped (`Fixed Asset` → `Fixed_x0020_Asset`, reference/bc-api.md §1.3). Always
  // sent: BC's API default line type is Comment.
  const out: Record<string, unknown> = { lineType: encodeEnum(line.lineType) };
  if (line.lineType !== 'Comment' && line.lineObjectNumber) out.lineObjectNumber = line.lineObjectNumber;
  if (line.description) out.description = line.description;
  if (line.description2) out.description2 = line.description2;
  if (line.lineType === 'Comment') return out;
  out.quantity = jsonDecimal(line.quantity);
  out.unitPrice = jsonDecimal(line.unitPrice);
  if (line.discountAmount !== undefined && line.discountAmount !== '' && !dec(line.discountAmount).isZero()) {
    out.discountAmount = jsonDecimal(line.discountAmount);
  }
  if (line.unitOfMeasureCode) out.unitOfMeasureCode = line.unitOfMeasureCode;
  if (refs.itemVariantId) out.itemVariantId = refs.itemVariantId;
  if (refs.locationId) out.locationId = refs.locationId;
  if (line.dimensions?.length) out.dimensionSetLines = dimensionSetLines(line.dimensions);
  return out;
}

/** Deep-inserted dimension set lines: by code and value code (API v2.0 `dimensionSetLines`). */
function dimensionSetLines(dims: NonNullable<BcSalesOrderDocument['dimensions']>): Record<string, unknown>[] {
  return dims.map((d) => ({ code: d.code, valueCode: d.valueCode }));
}
