import { ShopError } from '../../domain/errors.js';
import { versionKey } from '../seen-orders.js';
import { formatRfc2822, parseBigCommerceDate } from './rfc2822.js';

/**
 * How the order listing walks BigCommerce's pages. /v2/orders pages by number with no totals and no
 * links; an order modified during the listing jumps to the end of `sort=date_modified:asc`, shifting
 * every later order one place back, so a page-number walk would skip one order for good. After each
 * page the walk therefore restarts from one second before that page's last modification time (the
 * docs call the filter a minimum, but do not say whether it is inclusive; a second earlier is right
 * either way), paging by number only while the restart point does not move. Restarts re-read a few
 * orders; they are de-duplicated by id and modification time.
 */
export function sinceSecond(sinceIso: string): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(sinceIso) ? `${sinceIso}T00:00:00Z` : sinceIso;
  const ms = parseBigCommerceDate(dateOnly);
  if (ms === undefined) {
    throw new ShopError('SHOP_BAD_CURSOR', `The cursor "${sinceIso}" is not an ISO 8601 date with a zone; the BigCommerce listing cannot start from it.`);
  }
  // Whole seconds: BigCommerce keeps no finer time, and flooring keeps "at or after" true.
  return Math.floor(ms / 1000) * 1000;
}

/** min_date_modified for a cursor: RFC 2822 in UTC, as BigCommerce writes its own dates. */
export function minDateParam(sinceIso: string): string {
  return formatRfc2822(sinceSecond(sinceIso));
}

export function seenKey(order: unknown): string | undefined {
  return versionKey(order, 'id', ['date_modified']);
}

/** The restart point after a page: a second before its last order's modification, or undefined when unreadable. */
export function keysetAfter(orders: unknown[]): number | undefined {
  const last = orders[orders.length - 1];
  if (typeof last !== 'object' || last === null) return undefined;
  const value = (last as Record<string, unknown>).date_modified;
  const ms = typeof value === 'string' ? parseBigCommerceDate(value) : undefined;
  return ms === undefined ? undefined : Math.floor(ms / 1000) * 1000 - 1000;
}
