import { dec } from '../domain/money.js';
import type { BcSalesOrderDocument, BcSalesOrderLine } from './document.js';
import { CHANGEABLE_HEADER_FIELDS, type BcLineOperation, type BcOrderChange, type BcOrderLineNow, type BcOrderNow } from './order-change.js';

export type ResyncPlan = { kind: 'change'; change: BcOrderChange } | { kind: 'refused'; reason: string };

/** Code fields BC stores upper case (reference/bc-api.md §1.2): compared without case. */
const CODE_FIELDS = new Set<string>(['sellToPostCode', 'sellToCountry', 'shipToPostCode', 'shipToCountry']);

/**
 * What to change in BC so that its sales order matches the shop's new version (pure; issue 9 re-sync).
 *
 * It is planned against BC's lines as they are now, not against what was sent once, so a re-sync that stopped
 * halfway plans only what is left. BC lines that match neither the exported nor the new document (added in BC
 * by hand) are left alone. A line whose item changes is deleted and added again: BC cannot change the
 * `lineObjectNumber` of a line ("The value for "lineObjectNumber" cannot be modified.", bc-api.md §1.2).
 *
 * Refused when BC has shipped or invoiced any of it (a posted document cannot be changed from here), or when
 * the customer, currency or price basis would change (a different order, not a change of this one).
 */
export function planResync(exported: BcSalesOrderDocument, next: BcSalesOrderDocument, now: BcOrderNow): ResyncPlan {
  const shipped = now.lines.filter((l) => dec(l.shippedQuantity).gt(0) || dec(l.invoicedQuantity).gt(0));
  if (shipped.length > 0 || now.fullyShipped) {
    const what = shipped.map((l) => `${dec(l.shippedQuantity).toFixed()} × ${l.lineObjectNumber || l.description}`).join(', ');
    return { kind: 'refused', reason: `BC has already shipped part of sales order ${now.number}${what ? ` (${what})` : ''}; it cannot be changed from bcbridge. Change it in BC (return, credit memo) and accept the shop's version.` };
  }
  if (next.customerNumber.toUpperCase() !== exported.customerNumber.toUpperCase()) {
    return { kind: 'refused', reason: `the shop's new version maps to BC customer ${next.customerNumber}, the BC order is for ${exported.customerNumber}; cancel it in BC and let the order be exported anew, or accept.` };
  }
  if (next.currencyCode.toUpperCase() !== exported.currencyCode.toUpperCase()) {
    return { kind: 'refused', reason: `the currency changed (${exported.currencyCode || 'local'} → ${next.currencyCode || 'local'}); BC cannot change the currency of an order with lines. Cancel it in BC or accept.` };
  }
  if (next.pricesIncludeTax !== exported.pricesIncludeTax) {
    return { kind: 'refused', reason: 'the price basis (prices incl./excl. tax) changed; cancel the order in BC or accept.' };
  }

  // BC lines that came from bcbridge: paired with the exported document's lines.
  const ours = new Set<BcOrderLineNow>();
  for (const d of exported.lines) {
    const hit = pick(now.lines, d, (l) => !ours.has(l));
    if (hit) ours.add(hit);
  }
  const used = new Set<BcOrderLineNow>();
  const ops: BcLineOperation[] = [];
  const adds: BcLineOperation[] = [];
  const patches: BcLineOperation[] = [];
  // Candidates: bcbridge's lines first; a line that matches exactly may also be one an interrupted re-sync
  // already added (or one added in BC by hand that is the same thing): taking it keeps a retry from adding twice.
  const others = now.lines.filter((l) => !ours.has(l));
  for (const d of next.lines) {
    const hit = pick([...ours], d, (l) => !used.has(l)) ?? pick(others, d, (l) => !used.has(l), true);
    if (!hit) {
      adds.push({ op: 'add', line: d, what: `add ${describe(d)}` });
      continue;
    }
    used.add(hit);
    const set = lineChanges(hit, d);
    if (Object.keys(set).length > 0) {
      patches.push({ op: 'patch', id: hit.id, etag: hit.etag, set, what: `line ${hit.sequence} (${hit.lineObjectNumber || hit.description}): ${Object.entries(set).map(([k, v]) => `${k} ${String(v)}`).join(', ')}` });
    }
  }
  for (const l of now.lines) {
    if (ours.has(l) && !used.has(l)) ops.push({ op: 'delete', id: l.id, etag: l.etag, what: `delete line ${l.sequence} (${l.lineObjectNumber || l.description})` });
  }
  ops.push(...patches, ...adds);

  const header: BcOrderChange['header'] = {};
  for (const f of CHANGEABLE_HEADER_FIELDS) {
    const want = (next[f] ?? '').trim();
    const had = (exported[f] ?? '').trim();
    const bc = (now.header[f] ?? '').trim();
    const same = (a: string, b: string) => (CODE_FIELDS.has(f) ? a.toUpperCase() === b.toUpperCase() : a === b);
    // A blank in the document means "BC fills it from the customer card"; only a value the shop removed is cleared.
    if (want !== '' ? !same(want, bc) : had !== '' && bc !== '') header[f] = want;
  }
  const change: BcOrderChange = { lines: ops, header, document: next };
  const shipment = (next.shipmentMethodCode ?? '').trim().toUpperCase();
  if (shipment !== '' && shipment !== (exported.shipmentMethodCode ?? '').trim().toUpperCase()) change.shipmentMethodCode = shipment;
  if (!dec(next.discountAmount ?? '0').eq(dec(now.discountAmount || '0'))) change.discountAmount = next.discountAmount ?? '0';
  return { kind: 'change', change };
}

/** The first candidate for a document line: same type, no. and texts; else same type and no. (texts are patched). */
function pick(lines: BcOrderLineNow[], d: BcSalesOrderLine, free: (l: BcOrderLineNow) => boolean, exactOnly = false): BcOrderLineNow | undefined {
  const sameObject = (l: BcOrderLineNow) => typeName(l.lineType) === typeName(d.lineType) && l.lineObjectNumber.toUpperCase() === (d.lineObjectNumber ?? '').toUpperCase();
  const sameText = (l: BcOrderLineNow) => l.description === (d.description ?? '') && l.description2 === (d.description2 ?? '');
  const exact = lines.find((l) => free(l) && sameObject(l) && sameText(l));
  if (exact || exactOnly || d.lineType === 'Comment') return exact;
  return lines.find((l) => free(l) && sameObject(l));
}

function lineChanges(l: BcOrderLineNow, d: BcSalesOrderLine): Extract<BcLineOperation, { op: 'patch' }>['set'] {
  const set: Extract<BcLineOperation, { op: 'patch' }>['set'] = {};
  if ((d.description ?? '') !== l.description && d.description !== undefined) set.description = d.description;
  if ((d.description2 ?? '') !== l.description2) set.description2 = d.description2 ?? '';
  if (d.lineType === 'Comment') return set;
  if (!dec(d.quantity).eq(dec(l.quantity))) set.quantity = d.quantity;
  if (!dec(d.unitPrice).eq(dec(l.unitPrice))) set.unitPrice = d.unitPrice;
  if (!dec(d.discountAmount ?? '0').eq(dec(l.discountAmount || '0'))) set.discountAmount = d.discountAmount ?? '0';
  return set;
}

function typeName(t: string): string {
  // BC sends enum members escaped (`Fixed_x0020_Asset`, bc-api.md §1.3).
  return t.replace(/_x0020_/g, ' ').toLowerCase();
}

function describe(d: BcSalesOrderLine): string {
  return d.lineType === 'Comment' ? `comment "${d.description ?? ''}"` : `${d.quantity} × ${d.lineObjectNumber ?? ''}${d.description ? ` "${d.description}"` : ''}`;
}
