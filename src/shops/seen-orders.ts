/**
 * Order versions a listing walk has already yielded. The walks restart from the last modification time
 * of a page (keyset), so they re-read a few orders; an order counts as seen by id and modification time,
 * so a re-read version is dropped while a newer version of the same order is not.
 */
export class SeenOrders {
  private readonly seen = new Set<string>();

  /** `keyOf` gives an order's version key; an order without one is always fresh. */
  constructor(private readonly keyOf: (order: unknown) => string | undefined) {}

  /** The orders of `page` not yielded before, in page order; remembers them. */
  fresh(page: unknown[]): unknown[] {
    return page.filter((order) => {
      const key = this.keyOf(order);
      if (key === undefined) return true;
      if (this.seen.has(key)) return false;
      this.seen.add(key);
      return true;
    });
  }
}

/** `id|modified` from an order object; `modified` is the first of `modifiedKeys` that is set. Undefined without an id. */
export function versionKey(order: unknown, idKey: string, modifiedKeys: string[]): string | undefined {
  if (typeof order !== 'object' || order === null) return undefined;
  const o = order as Record<string, unknown>;
  if (o[idKey] === undefined || o[idKey] === null) return undefined;
  const modified = modifiedKeys.map((k) => o[k]).find((v) => v !== undefined && v !== null);
  return `${String(o[idKey])}|${String(modified ?? '')}`;
}
