/**
 * Posting in the simulated BC (bc-api.md §1.2, §8): shipping a sales order (fully or partially) makes a
 * posted `salesShipment` with `orderNumber` and grows the lines' `shippedQuantity`; full invoicing
 * (`Microsoft.NAV.shipAndInvoice`) makes a `salesInvoice` with `orderId`/`orderNumber` and deletes the sales
 * order, as BC does. Posted documents live beside the company data (a fresh world starts without any).
 */
import { badRequest, dialog } from '../errors.js';
import { newGuid, nowIso, today } from '../ids.js';
import type { EntitySetDef } from '../odata/query.js';
import { SALES_INVOICE, SALES_INVOICE_LINE, SALES_SHIPMENT, SALES_SHIPMENT_LINE, SHIPMENT_TRACKING } from '../posting-schema.js';
import { type Journal, pushRow, removeRow, writeRow } from '../store.js';
import type { Company, OrderRow, Row } from '../types.js';

export interface ShipmentRow extends Row {
  lines: Row[];
}

/** A posted invoice with its lines (salesInvoiceLines). */
export type InvoiceRow = ShipmentRow;

interface Posted {
  shipments: ShipmentRow[];
  invoices: InvoiceRow[];
  tracking: Row[];
  series: { shipment: number; invoice: number };
}

const POSTED = new WeakMap<Company, Posted>();

export function posted(c: Company): Posted {
  let p = POSTED.get(c);
  if (!p) {
    // CRONUS-like number series: posted shipments 102001…, posted invoices 103001….
    p = { shipments: [], invoices: [], tracking: [], series: { shipment: 102000, invoice: 103000 } };
    POSTED.set(c, p);
  }
  return p;
}

export const salesShipmentLines: EntitySetDef = {
  name: 'salesShipmentLines', schema: SALES_SHIPMENT_LINE,
  rows: (c) => posted(c).shipments.flatMap((s) => s.lines),
  table: 'Sales Shipment Line', keyField: 'SystemId',
};
export const salesShipments: EntitySetDef = {
  name: 'salesShipments', schema: SALES_SHIPMENT, rows: (c) => posted(c).shipments, key: 'number',
  table: 'Sales Shipment Header', keyField: 'SystemId',
  nav: { salesShipmentLines: { target: () => salesShipmentLines, many: true, resolve: (_c, r) => (r as ShipmentRow).lines } },
};
export const salesInvoiceLines: EntitySetDef = {
  name: 'salesInvoiceLines', schema: SALES_INVOICE_LINE, rows: (c) => posted(c).invoices.flatMap((i) => i.lines),
  table: 'Sales Invoice Line Aggregate', keyField: 'SystemId',
};
export const salesInvoices: EntitySetDef = {
  name: 'salesInvoices', schema: SALES_INVOICE, rows: (c) => posted(c).invoices, key: 'number',
  table: 'Sales Invoice Entity Aggregate', keyField: 'Id',
  nav: { salesInvoiceLines: { target: () => salesInvoiceLines, many: true, resolve: (_c, r) => (r as InvoiceRow).lines } },
};
/** Custom API page (not in api/v2.0): served only below `api/bcbridge/shipping/v1.0`. */
export const shipmentTracking: EntitySetDef = {
  name: 'shipmentTracking', schema: SHIPMENT_TRACKING, rows: (c) => posted(c).tracking, key: 'shipmentNo',
  table: 'Sales Shipment Header', keyField: 'SystemId',
};

export interface ShipRequest {
  /** Partial shipment: quantities per order line, by `sequence` or by `lineObjectNumber`. Absent: ship everything left. */
  lines?: { sequence?: number; lineObjectNumber?: string; quantity: number }[];
  trackingNo?: string;
  shippingAgentCode?: string;
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));

/** Posts a shipment of the order (Sales-Post with Ship). Returns the posted shipment. */
export function shipOrder(company: Company, order: OrderRow, req: ShipRequest, tx: Journal | null): ShipmentRow {
  const p = posted(company);
  const toShip = new Map<Row, number>();
  for (const line of order.lines) {
    const outstanding = num(line.data.quantity) - num(line.data.shippedQuantity);
    if (outstanding <= 0) continue;
    if (!req.lines) {
      toShip.set(line, outstanding);
      continue;
    }
    const asked = req.lines.find((l) => (l.sequence !== undefined ? l.sequence === line.data.sequence : l.lineObjectNumber === line.data.lineObjectNumber));
    if (!asked) continue;
    if (!(asked.quantity > 0) || asked.quantity > outstanding) {
      throw dialog(`Qty. to Ship must not be greater than ${outstanding} on line ${String(line.data.sequence)}.`);
    }
    toShip.set(line, asked.quantity);
  }
  if (toShip.size === 0) throw dialog('There is nothing to post.');
  if (req.trackingNo !== undefined && (typeof req.trackingNo !== 'string' || req.trackingNo.length > 30)) {
    throw badRequest('trackingNo must be text of at most 30 characters (Package Tracking No.).');
  }
  const h = order.data;
  const before = p.series.shipment;
  p.series.shipment += 1;
  tx?.record(() => {
    p.series.shipment = before;
  });
  const number = String(p.series.shipment);
  const id = newGuid();
  const date = today();
  const shipment: ShipmentRow = {
    version: 1,
    data: {
      id, number, externalDocumentNumber: h.externalDocumentNumber, invoiceDate: h.orderDate ?? date, postingDate: date, dueDate: date,
      customerPurchaseOrderReference: '', customerId: h.customerId, customerNumber: h.customerNumber, customerName: h.customerName,
      shipToName: h.shipToName ?? '', shipToContact: h.shipToContact ?? '', shipToAddressLine1: h.shipToAddressLine1 ?? '',
      shipToCity: h.shipToCity ?? '', shipToCountry: h.shipToCountry ?? '', shipToPostCode: h.shipToPostCode ?? '',
      currencyCode: h.currencyCode, orderNumber: h.number, shipmentMethodCode: '', pricesIncludeTax: h.pricesIncludeTax,
      lastModifiedDateTime: nowIso(), phoneNumber: h.phoneNumber ?? '', email: h.email ?? '',
    },
    lines: [],
  };
  for (const [line, qty] of toShip) {
    const l = line.data;
    // BC copies the order line's Line No. to the shipment line: it is how a shipment line is traced back.
    shipment.lines.push({
      version: 1,
      data: {
        id: newGuid(), documentId: id, documentNo: number, sequence: l.sequence, lineType: l.lineType, lineObjectNumber: l.lineObjectNumber,
        description: l.description ?? '', description2: l.description2 ?? '', unitOfMeasureCode: l.unitOfMeasureCode ?? '',
        unitPrice: l.unitPrice, quantity: qty, discountPercent: l.discountPercent ?? 0, taxPercent: l.taxPercent ?? 0, shipmentDate: date,
      },
    });
    writeRow(line, { ...l, shippedQuantity: num(l.shippedQuantity) + qty }, tx);
  }
  pushRow(p.shipments, shipment, tx);
  const fullyShipped = order.lines.every((l) => num(l.data.shippedQuantity) >= num(l.data.quantity));
  writeRow(order, { ...h, fullyShipped, status: 'Released', lastModifiedDateTime: nowIso() }, tx);
  if (req.trackingNo) {
    pushRow(p.tracking, {
      version: 1,
      data: { id, shipmentNo: number, orderNumber: h.number, packageTrackingNo: req.trackingNo, shippingAgentCode: (req.shippingAgentCode ?? '').toUpperCase(), shippingAgentServiceCode: '' },
    }, tx);
  }
  return shipment;
}

/**
 * `Microsoft.NAV.shipAndInvoice`: ships what is left, invoices the whole order, and deletes it (the AL action
 * sets result code Deleted). The posted invoice carries orderId/orderNumber.
 */
export function shipAndInvoice(company: Company, order: OrderRow, tx: Journal | null): Row {
  const p = posted(company);
  if (order.lines.some((l) => num(l.data.shippedQuantity) < num(l.data.quantity))) shipOrder(company, order, {}, tx);
  const h = order.data;
  const before = p.series.invoice;
  p.series.invoice += 1;
  tx?.record(() => {
    p.series.invoice = before;
  });
  const date = today();
  const invoiceId = newGuid();
  const invoice: InvoiceRow = {
    version: 1,
    lines: order.lines.map((l) => ({
      version: 1,
      data: {
        id: newGuid(), documentId: invoiceId, sequence: l.data.sequence, lineType: l.data.lineType, lineObjectNumber: l.data.lineObjectNumber,
        description: l.data.description ?? '', quantity: l.data.quantity, unitPrice: l.data.unitPrice,
        amountExcludingTax: l.data.amountExcludingTax, amountIncludingTax: l.data.amountIncludingTax,
      },
    })),
    data: {
      id: invoiceId, number: String(p.series.invoice), externalDocumentNumber: h.externalDocumentNumber, invoiceDate: date, postingDate: date,
      dueDate: date, customerId: h.customerId, customerNumber: h.customerNumber, customerName: h.customerName, orderId: h.id, orderNumber: h.number,
      currencyId: h.currencyId, currencyCode: h.currencyCode, pricesIncludeTax: h.pricesIncludeTax, totalAmountExcludingTax: h.totalAmountExcludingTax,
      totalTaxAmount: h.totalTaxAmount, totalAmountIncludingTax: h.totalAmountIncludingTax, remainingAmount: h.totalAmountIncludingTax,
      status: 'Open', lastModifiedDateTime: nowIso(),
    },
  };
  pushRow(p.invoices, invoice, tx);
  removeRow(company.data.salesOrders, order, tx);
  return invoice;
}
