/**
 * How a shop's own record of a write-back names the BC shipment it came from. Platforms without a field for
 * it (BigCommerce shipment comments, Magento shipment comments) keep the BC shipment no. in the text, and a
 * retry looks for it there before creating anything (docs/write-back.md "Idempotency").
 */

/** `text` names `token` as a whole token, ignoring case (S-SHP1001 is not in S-SHP10012 or S-SHP1001-2). */
export function namesToken(text: unknown, token: string): boolean {
  if (typeof text !== 'string' || !token) return false;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9-])${escaped}($|[^A-Za-z0-9-])`, 'i').test(text);
}

/** The stage's rendered note, with "(BC shipment <no>)" added when a custom template left the number out. */
export function withShipmentMark(note: string, shipmentNo: string): string {
  return namesToken(note, shipmentNo) ? note : [note.trim(), `(BC shipment ${shipmentNo})`].filter(Boolean).join(' ');
}
