/**
 * Canonical orders this process just stored at intake, kept for the evaluate stage: it takes them from here
 * instead of reading their text back from the database and parsing it again (docs/performance.md, overhead:
 * that read and parse were about a twentieth of an order's cost).
 *
 * An entry is only used for the exact version it was stored as: the order row's `updated_at` and
 * `shop_modified_at` as intake wrote them. Anything that changed the order since (another process's intake of a
 * newer shop version, a retry, a transition) changes `updated_at`, and the order is read from the database as
 * before. Entries are published only after the intake transaction committed, each is taken once, and the
 * oldest go first when more than `capacity` wait (evaluate then reads those from the database).
 */
export class RecentCanonicals {
  private readonly entries = new Map<number, { version: string; canonical: unknown; text: string }>();

  constructor(private readonly capacity: number) {}

  put(orderId: number, version: OrderVersion, canonical: unknown, text: string): void {
    this.entries.delete(orderId);
    this.entries.set(orderId, { version: versionKey(version), canonical, text });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** The canonical order stored for this version of the order, once; undefined when this process does not have it. */
  take(orderId: number, version: OrderVersion): { canonical: unknown; text: string } | undefined {
    const e = this.entries.get(orderId);
    if (!e) return undefined;
    this.entries.delete(orderId);
    return e.version === versionKey(version) ? e : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The columns of an order row that identify what intake stored. */
export interface OrderVersion {
  updated_at: string;
  shop_modified_at: string | null;
}

function versionKey(v: OrderVersion): string {
  return `${v.updated_at}|${v.shop_modified_at ?? ''}`;
}
