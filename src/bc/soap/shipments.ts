import { dec } from '../../domain/money.js';
import type { BcPostedShipment } from '../target.js';
import type { PageRecord } from './page-client.js';
import { compareDocumentNumbers } from '../document-numbers.js';

/** The page's Type option (SOAP spelling) → the line type names the API uses. */
const TYPE_TO_API: Record<string, string> = {
  _blank_: 'Comment', G_L_Account: 'Account', Item: 'Item', Resource: 'Resource', Fixed_Asset: 'Fixed Asset', Charge_Item: 'Charge',
};

/**
 * AutoShoppingCartShipments records (docs/bc-soap-page.md: one per posted shipment line, with its header's
 * External Document No., Posting Date, Package Tracking No. and Shipping Agent Code) → posted shipments, oldest
 * first, as the write-back stage reads them from any transport. A line's `sequence` is the sales order line
 * it shipped (Order Line No.), which is what traces it back to the document bcbridge sent. On SOAP installs the
 * page is the tracking source (`writeBack.tracking.source` is about API pages): an empty Package Tracking No.
 * means the shipment has none.
 */
export function shipmentsFromRecords(records: PageRecord[]): BcPostedShipment[] {
  const byNo = new Map<string, BcPostedShipment>();
  for (const r of records) {
    const no = (r.Document_No ?? '').trim();
    if (!no) continue;
    let s = byNo.get(no);
    if (!s) {
      s = { id: no, number: no, orderNumber: r.Order_No ?? '', externalDocumentNumber: r.External_Document_No ?? '', postingDate: r.Posting_Date ?? '', lines: [] };
      byNo.set(no, s);
    }
    const trackingNo = (r.Package_Tracking_No ?? '').trim();
    if (trackingNo && !s.tracking) {
      const agent = (r.Shipping_Agent_Code ?? '').trim();
      s.tracking = { number: trackingNo, ...(agent && { agentCode: agent }) };
    }
    const sequence = Number(r.Order_Line_No || r.Line_No);
    const quantity = r.Quantity && /^-?\d+(\.\d+)?$/.test(r.Quantity.trim()) ? dec(r.Quantity.trim()).toFixed() : '0';
    s.lines.push({
      sequence: Number.isFinite(sequence) ? sequence : 0,
      lineType: TYPE_TO_API[r.Type ?? ''] ?? (r.Type ?? ''),
      lineObjectNumber: r.No ?? '',
      description: r.Description ?? '',
      quantity,
    });
  }
  return [...byNo.values()].sort((a, b) => compareDocumentNumbers(a.number, b.number));
}
