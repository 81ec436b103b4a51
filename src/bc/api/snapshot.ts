import type { BcSalesOrderSnapshot } from '../target.js';
import { decimalString } from './json.js';
import { decodeEnum } from './odata.js';

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * A sales order (or, for an order BC already invoiced and deleted, its posted invoice) as the pipeline
 * stores it. `header` comes from the lossless JSON parse, so amounts are decimal strings already.
 */
export function toSnapshot(header: Record<string, unknown>, lineCount: number): BcSalesOrderSnapshot {
  // BC reports the local currency with an empty currencyId (its code may still be filled in): blank = LCY.
  const lcy = header.currencyId === EMPTY_GUID || header.currencyId === undefined && !header.currencyCode;
  return {
    id: String(header.id ?? ''),
    number: String(header.number ?? ''),
    externalDocumentNumber: String(header.externalDocumentNumber ?? ''),
    currencyCode: lcy ? '' : String(header.currencyCode ?? ''),
    totalAmountExcludingTax: decimalString(header.totalAmountExcludingTax),
    totalTaxAmount: decimalString(header.totalTaxAmount),
    totalAmountIncludingTax: decimalString(header.totalAmountIncludingTax),
    status: decodeEnum(String(header.status ?? '')),
    lineCount,
    complete: true,
  };
}

/** Number of lines in an entity read with `$expand=<nav>`; undefined when BC did not expand. */
export function expandedCount(entity: Record<string, unknown>, nav: string): number | undefined {
  const v = entity[nav];
  return Array.isArray(v) ? v.length : undefined;
}
