import { nullRequestLog } from '../../src/http/request-log.js';
import { systemClock } from '../../src/domain/clock.js';
import { dec, sum } from '../../src/domain/money.js';
import type { CanonicalOrder } from '../../src/domain/order.js';
import { shopSchema, type ShopConfig } from '../../src/config/schema.js';
import { createConnector } from '../../src/shops/registry.js';
import type { ShopConnector } from '../../src/shops/connector.js';

/** The shop config as bcbridge would load it (schema defaults applied), or the schema's complaint. */
export function parseShop(raw: Record<string, unknown>): ShopConfig {
  return shopSchema.parse(raw);
}

export function connectorFor(raw: Record<string, unknown>): ShopConnector {
  return createConnector(parseShop(raw), { clock: systemClock, requestLog: nullRequestLog });
}

/** Every raw order of a listing, in the order yielded (pages flattened). */
export async function listAll(connector: ShopConnector, since?: string, onPage?: (page: unknown[], index: number) => Promise<void>): Promise<unknown[]> {
  const out: unknown[] = [];
  let i = 0;
  for await (const page of connector.listChangedOrders(since)) {
    out.push(...page);
    if (onPage) await onPage(page, i);
    i++;
  }
  return out;
}

/** The canonical order's parts add up to its grand total, to the cent. */
export function reconciles(o: CanonicalOrder): boolean {
  const parts = sum([...o.lines, ...o.shippingLines, ...o.fees].flatMap((l) => [l.totalNet, l.totalTax]));
  return parts.minus(dec(o.totals.total)).abs().lte(dec('0.01'));
}

export function idOf(connector: ShopConnector, raw: unknown): string {
  const id = connector.identify(raw)?.shopOrderId;
  if (!id) throw new Error('a listed document has no id');
  return id;
}
