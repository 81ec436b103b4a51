import { ShopError } from '../../domain/errors.js';
import { headerText } from '../http-headers.js';
import { versionKey } from '../seen-orders.js';
import { parseLinkHeader } from './link-header.js';
import { parseWooDate, toWooGmt } from './woo-dates.js';

/**
 * How the order listing walks WooCommerce's pages (see WooClient.listOrders for why it restarts
 * from the last modification time instead of only counting pages).
 */
export interface PageResponse {
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * WooCommerce compares `modified_after` with its GMT column when `dates_are_gmt=true`, but only if
 * the value has no zone: WordPress converts a value with `Z` or an offset into the site's time zone
 * first (WP_Date_Query), which shifts the filter by the site's offset. It compares with `>`, and its
 * resolution is one second, so "at or after `since`" is sent as the second before, zone-less.
 */
export function modifiedAfterParam(sinceIso: string): string {
  // A zone-less value (a hand-written startDate) is UTC here, not the host's local time as Date.parse would have it.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(sinceIso) ? `${sinceIso}T00:00:00` : sinceIso;
  let ms: number | undefined;
  try {
    ms = parseWooDate(dateOnly, 'since');
  } catch {
    ms = undefined;
  }
  if (ms === undefined) {
    throw new ShopError('SHOP_BAD_CURSOR', `The cursor "${sinceIso}" is not an ISO 8601 date; the WooCommerce listing cannot start from it.`);
  }
  return toWooGmt(Math.floor(ms / 1000) * 1000 - 1000);
}

export function seenKey(order: unknown): string | undefined {
  return versionKey(order, 'id', ['date_modified_gmt', 'date_modified']);
}

/** The page after `page`: from Link rel="next", else X-WP-TotalPages, else a full page means maybe more. */
export function nextPage(res: PageResponse, page: number, perPage: number): number | undefined {
  const link = res.headers.link;
  if (link !== undefined) {
    const next = parseLinkHeader(link).get('next');
    if (next === undefined) return undefined;
    // Only the page number is taken from the link: it echoes the previous request's OAuth nonce and
    // signature, and carries whatever scheme the server believes it is on (http behind a TLS proxy).
    let linked = Number.NaN;
    try {
      linked = Number(new URL(next, 'http://link.invalid').searchParams.get('page'));
    } catch {
      // unreadable link: count pages ourselves
    }
    return Number.isInteger(linked) && linked > page ? linked : page + 1;
  }
  const totalPages = Number(headerText(res.headers['x-wp-totalpages']));
  if (Number.isFinite(totalPages) && headerText(res.headers['x-wp-totalpages']) !== undefined) {
    return page < totalPages ? page + 1 : undefined;
  }
  return Array.isArray(res.body) && res.body.length >= perPage ? page + 1 : undefined;
}

/** The keyset restart point after a page: one second before its last order's modification (GMT). */
export function keysetAfter(orders: unknown[]): string | undefined {
  const last = orders[orders.length - 1];
  if (typeof last !== 'object' || last === null) return undefined;
  try {
    const ms = parseWooDate((last as Record<string, unknown>).date_modified_gmt, 'date_modified_gmt');
    return ms === undefined ? undefined : toWooGmt(Math.floor(ms / 1000) * 1000 - 1000);
  } catch {
    return undefined;
  }
}
