import { ShopError } from '../../domain/errors.js';
import { versionKey } from '../seen-orders.js';
import { parseMagentoDate, toMagentoDate } from './magento-dates.js';

/**
 * GET /V1/orders?searchCriteria[…] for "orders changed since": one filter group with updated_at gteq
 * (filters in a group are OR, groups are AND), sorted by updated_at then entity_id ascending (a stable
 * order for paging), pageSize and 1-based currentPage (reference/webshop-api.md §4).
 */
export function ordersQuery(opts: { updatedFrom?: string; pageSize: number; currentPage: number }): [string, string][] {
  const q: [string, string][] = [];
  if (opts.updatedFrom !== undefined) {
    const f = 'searchCriteria[filter_groups][0][filters][0]';
    q.push([`${f}[field]`, 'updated_at'], [`${f}[value]`, opts.updatedFrom], [`${f}[condition_type]`, 'gteq']);
  }
  q.push(
    ['searchCriteria[sortOrders][0][field]', 'updated_at'],
    ['searchCriteria[sortOrders][0][direction]', 'ASC'],
    ['searchCriteria[sortOrders][1][field]', 'entity_id'],
    ['searchCriteria[sortOrders][1][direction]', 'ASC'],
    ['searchCriteria[pageSize]', String(opts.pageSize)],
    ['searchCriteria[currentPage]', String(opts.currentPage)],
  );
  return q;
}

/** The filter value for a cursor: UTC `YYYY-MM-DD HH:MM:SS`, floored to the second (gteq stays true). */
export function updatedFromParam(sinceIso: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(sinceIso) ? Date.UTC(Number(sinceIso.slice(0, 4)), Number(sinceIso.slice(5, 7)) - 1, Number(sinceIso.slice(8, 10))) : parseMagentoDate(sinceIso);
  if (ms === undefined || Number.isNaN(ms)) {
    throw new ShopError('SHOP_BAD_CURSOR', `The cursor "${sinceIso}" is not an ISO 8601 date; the Magento listing cannot start from it.`);
  }
  return toMagentoDate(Math.floor(ms / 1000) * 1000);
}

export function seenKey(order: unknown): string | undefined {
  return versionKey(order, 'entity_id', ['updated_at']);
}

/** The restart point after a page: its last order's updated_at, when readable. */
export function keysetAfter(orders: unknown[]): string | undefined {
  const last = orders[orders.length - 1];
  if (typeof last !== 'object' || last === null) return undefined;
  const value = (last as Record<string, unknown>).updated_at;
  if (typeof value !== 'string') return undefined;
  const ms = parseMagentoDate(value);
  return ms === undefined ? undefined : toMagentoDate(ms);
}
