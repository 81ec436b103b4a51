import type { Money } from '../domain/money.js';
import type { BcSalesOrderDocument, BcSalesOrderLine } from './document.js';

/**
 * Changing a sales order that already exists in BC (issue 9, conflicts: re-sync and cancel). API v2.0 has no
 * deep PATCH (reference/bc-api.md §1.4): the header is PATCHed alone and each line on its own
 * (PATCH/POST/DELETE `salesOrderLines`), every PATCH and DELETE with the record's ETag in If-Match (§1.6).
 */

/** Header text fields bcbridge sets on create and may change on re-sync (the same names as the document). */
export const CHANGEABLE_HEADER_FIELDS = [
  'email', 'phoneNumber',
  'sellToAddressLine1', 'sellToAddressLine2', 'sellToCity', 'sellToState', 'sellToPostCode', 'sellToCountry',
  'shipToName', 'shipToContact', 'shipToAddressLine1', 'shipToAddressLine2', 'shipToCity', 'shipToState', 'shipToPostCode', 'shipToCountry',
] as const satisfies ReadonlyArray<keyof BcSalesOrderDocument>;

export type ChangeableHeaderField = (typeof CHANGEABLE_HEADER_FIELDS)[number];

/** One line of a sales order as BC has it now. Amounts and quantities as decimal strings. */
export interface BcOrderLineNow {
  id: string;
  etag: string;
  /** BC's Line No. */
  sequence: number;
  lineType: string;
  lineObjectNumber: string;
  description: string;
  description2: string;
  quantity: string;
  unitPrice: Money;
  discountAmount: Money;
  shippedQuantity: string;
  invoicedQuantity: string;
}

/** A sales order as BC has it now, with the ETags a change needs. */
export interface BcOrderNow {
  id: string;
  number: string;
  etag: string;
  /** Draft / In Review / Open (= released), decoded. */
  status: string;
  fullyShipped: boolean;
  header: Record<ChangeableHeaderField, string>;
  /** The order (invoice) discount. */
  discountAmount: Money;
  lines: BcOrderLineNow[];
}

export type BcLineOperation =
  | { op: 'delete'; id: string; etag: string; what: string }
  | { op: 'patch'; id: string; etag: string; what: string; set: Partial<Pick<BcSalesOrderLine, 'quantity' | 'unitPrice' | 'discountAmount' | 'description' | 'description2'>> }
  | { op: 'add'; line: BcSalesOrderLine; what: string };

/** What a re-sync sends: line operations first, then the header (a line change renews the header's ETag). */
export interface BcOrderChange {
  lines: BcLineOperation[];
  header: Partial<Record<ChangeableHeaderField, string>>;
  /** Absent: unchanged. The API sets it by id (shipmentMethodId). */
  shipmentMethodCode?: string;
  /** Absent: unchanged. Applied last, once the lines are in place (BC applies it to the lines it has). */
  discountAmount?: Money;
  /** The document the order should match afterwards: where new lines take their location from. */
  document: BcSalesOrderDocument;
}

export function isEmptyChange(c: BcOrderChange): boolean {
  return c.lines.length === 0 && Object.keys(c.header).length === 0 && c.shipmentMethodCode === undefined && c.discountAmount === undefined;
}
