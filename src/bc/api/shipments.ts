import type { BcPostedInvoice, BcPostedShipment, BcTrackingSource } from '../target.js';
import type { BcApiClient } from './client.js';
import { findByKey } from './find-by-key.js';
import { decimalString } from './json.js';
import { decodeEnum } from './odata.js';
import { compareDocumentNumbers } from '../document-numbers.js';

/**
 * Posted shipments and invoices of sales orders (bc-api.md §1.2, §6): `salesShipments?$filter=orderNumber in
 * (…)&$expand=salesShipmentLines`, as few requests as the URL length allows. The standard API has no
 * tracking no. on a shipment, so tracking comes from the configured source (docs/write-back.md).
 */
export async function listPostedShipments(
  client: BcApiClient,
  orderNumbers: string[],
  tracking: BcTrackingSource,
  dialect: { inRejected: boolean },
): Promise<BcPostedShipment[]> {
  const numbers = normalise(orderNumbers);
  if (numbers.length === 0) return [];
  const rows = await findByKey(client, numbers, { entitySet: 'salesShipments', field: 'orderNumber', expand: 'salesShipmentLines', dialect });
  const shipments = rows.map(toShipment);
  if (tracking.source === 'shipmentField') {
    rows.forEach((row, i) => {
      const value = String(row[tracking.field] ?? '').trim();
      if (value) shipments[i]!.tracking = { number: value };
    });
  } else if (tracking.source === 'customPage' && shipments.length > 0) {
    const byNo = await readTrackingPage(client, shipments.map((s) => s.number), tracking, dialect);
    for (const s of shipments) {
      const t = byNo.get(s.number);
      if (t) s.tracking = t;
    }
  }
  // Oldest first: write-back then reports shipments in the order the warehouse posted them.
  return shipments.sort((a, b) => compareDocumentNumbers(a.number, b.number));
}

export async function listPostedInvoices(client: BcApiClient, orderNumbers: string[], dialect: { inRejected: boolean }): Promise<BcPostedInvoice[]> {
  const numbers = normalise(orderNumbers);
  if (numbers.length === 0) return [];
  const rows = await findByKey(client, numbers, { entitySet: 'salesInvoices', field: 'orderNumber', dialect });
  return rows.map((r) => ({
    id: String(r.id ?? ''),
    number: String(r.number ?? ''),
    orderNumber: String(r.orderNumber ?? ''),
    externalDocumentNumber: String(r.externalDocumentNumber ?? ''),
    status: decodeEnum(String(r.status ?? '')),
  }));
}

function normalise(numbers: string[]): string[] {
  // Order numbers are Code[20]: BC stores them upper-case.
  return [...new Set(numbers.map((n) => n.trim().toUpperCase()).filter(Boolean))];
}

function toShipment(row: Record<string, unknown>): BcPostedShipment {
  const lines = Array.isArray(row.salesShipmentLines) ? (row.salesShipmentLines as Record<string, unknown>[]) : [];
  return {
    id: String(row.id ?? ''),
    number: String(row.number ?? ''),
    orderNumber: String(row.orderNumber ?? ''),
    externalDocumentNumber: String(row.externalDocumentNumber ?? ''),
    postingDate: String(row.postingDate ?? ''),
    lines: lines.map((l) => ({
      sequence: Number(decimalString(l.sequence)),
      lineType: decodeEnum(String(l.lineType ?? '')),
      lineObjectNumber: String(l.lineObjectNumber ?? ''),
      description: String(l.description ?? ''),
      quantity: decimalString(l.quantity),
    })),
  };
}

/**
 * Reads the partner's tracking page for these shipment numbers. The page lives in its own API group
 * (`api/{publisher}/{group}/{version}`) beside `api/v2.0`, in the same company.
 */
async function readTrackingPage(
  client: BcApiClient,
  shipmentNos: string[],
  t: Extract<BcTrackingSource, { source: 'customPage' }>,
  dialect: { inRejected: boolean },
): Promise<Map<string, { number: string; agentCode?: string }>> {
  const customRoot = client.apiUrl.replace(/\/api\/v2\.0$/, `/api/${t.apiPath.replace(/^\/+|\/+$/g, '')}`);
  if (customRoot === client.apiUrl) {
    throw new Error(`cannot derive the custom API address for "${t.apiPath}" from ${client.apiUrl} (it must end in /api/v2.0)`);
  }
  const company = await client.resolveCompany();
  // findByKey builds URLs through companyUrl (api/v2.0); a thin view of the client points it at the custom root.
  const view = Object.create(client) as BcApiClient;
  view.companyUrl = async (path, query = {}) => (await client.companyUrl(path, query)).replace(`${client.apiUrl}/companies(${company.id})`, `${customRoot}/companies(${company.id})`);
  const rows = await findByKey(view, shipmentNos, { entitySet: t.entitySet, field: t.shipmentNoField, dialect });
  const out = new Map<string, { number: string; agentCode?: string }>();
  for (const r of rows) {
    const no = String(r[t.shipmentNoField] ?? '');
    const tracking = String(r[t.trackingField] ?? '').trim();
    if (!no || !tracking) continue;
    const agent = t.agentField ? String(r[t.agentField] ?? '').trim() : '';
    out.set(no, { number: tracking, ...(agent && { agentCode: agent }) });
  }
  return out;
}
