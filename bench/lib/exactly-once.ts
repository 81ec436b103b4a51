import type { Sims } from './sims.js';

export interface ExactlyOnce {
  /** BC sales orders found for these shop orders beyond the first (0 = no duplicates). */
  duplicates: number;
  /** Shop orders without a BC sales order. */
  lost: number;
  /** BC sales orders that belong to no shop order of this run. */
  strays: number;
  bcSalesOrders: number;
  /** A few examples, for the report. */
  examples: { duplicated: string[]; lost: string[] };
}

/**
 * The BC key each shop order must end up under: the shop's prefix + the order number. The WooCommerce
 * simulator numbers orders by id; that is checked on the first and last order instead of assumed.
 */
export async function expectedKeys(sims: Sims, shopIds: number[], prefix: string): Promise<string[]> {
  for (const id of [shopIds[0], shopIds[shopIds.length - 1]]) {
    if (id === undefined) continue;
    const o = await sims.wooOrder(id);
    if (o.number !== String(id)) throw new Error(`shop order ${id} has number ${o.number}; the benchmark expects number = id`);
  }
  return shopIds.map((id) => `${prefix}${id}`.toUpperCase());
}

/**
 * Counts every shop order in BC by externalDocumentNumber, from the BC simulator's own store (its admin
 * route, not the API bcbridge used, so an API bug cannot hide a duplicate).
 */
export async function countInBc(sims: Sims, keys: string[], env = 'sandbox'): Promise<ExactlyOnce> {
  const inBc = new Map<string, number>();
  const orders = await sims.bcSalesOrders(env);
  for (const o of orders) {
    const k = String(o.externalDocumentNumber ?? '').toUpperCase();
    inBc.set(k, (inBc.get(k) ?? 0) + 1);
  }
  const expected = new Set(keys);
  let duplicates = 0;
  let lost = 0;
  const duplicated: string[] = [];
  const missing: string[] = [];
  for (const k of expected) {
    const n = inBc.get(k) ?? 0;
    if (n === 0) {
      lost++;
      if (missing.length < 10) missing.push(k);
    } else if (n > 1) {
      duplicates += n - 1;
      if (duplicated.length < 10) duplicated.push(`${k}×${n}`);
    }
  }
  let strays = 0;
  for (const [k, n] of inBc) if (!expected.has(k)) strays += n;
  return { duplicates, lost, strays, bcSalesOrders: orders.length, examples: { duplicated, lost: missing } };
}
