import { BcError } from '../errors.js';
import type { OrderRow, Row, Wire } from '../types.js';

/**
 * What BC refuses on an order that has been shipped (Sales Line / Sales Header validation; bc-api.md §1.2):
 * posting a shipment releases the order, and a released order's lines cannot be changed, added or deleted
 * (TestStatusOpen); a line cannot go below what was shipped; a shipped, not invoiced line cannot be deleted,
 * nor the order holding it. The messages are BC's TestField/FieldError forms.
 */
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
const fieldError = (message: string) => new BcError(400, 'Application_FieldValidationException', message);

function docNo(order: OrderRow): string {
  return String(order.data.number ?? '');
}

/** Adding, changing or deleting a line of a released (shipped) order. */
export function assertLinesChangeable(order: OrderRow): void {
  if (order.data.status === 'Released') {
    throw fieldError(`Status must be equal to 'Open'  in Sales Header: Document Type=Order, No.=${docNo(order)}. Current value is 'Released'.`);
  }
}

/** A PATCH that would set the quantity below what was shipped. */
export function assertQuantityCoversShipped(order: OrderRow, line: Row, next: Wire): void {
  const shipped = num(line.data.shippedQuantity);
  if (shipped > 0 && num(next.quantity) < shipped) {
    throw fieldError(`Quantity must not be less than Quantity Shipped in Sales Line Document Type='Order',Document No.='${docNo(order)}',Line No.='${String(line.data.sequence)}'.`);
  }
}

/** Deleting a line (or the order) while shipped quantities are not invoiced yet. */
export function assertNothingShippedNotInvoiced(order: OrderRow, lines: Row[]): void {
  for (const l of lines) {
    const open = num(l.data.shippedQuantity) - num(l.data.invoicedQuantity);
    if (open > 0) {
      throw fieldError(`Qty. Shipped Not Invoiced must be equal to '0'  in Sales Line: Document Type=Order, Document No.=${docNo(order)}, Line No.=${String(l.data.sequence)}. Current value is '${open}'.`);
    }
  }
}
