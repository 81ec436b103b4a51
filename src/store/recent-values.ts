/**
 * Values this process has just stored for an order, kept for the next stage in the same process, which takes
 * them from here instead of reading them back from the database and parsing them again (docs/performance.md,
 * eighth pass): the canonical orders intake stored, for evaluate; the expected totals of the BC documents the
 * export created, for verify.
 *
 * An entry is only used for the exact version of the order row it was stored with (e.g. the row's
 * `updated_at` and `shop_modified_at` as intake wrote them, or the `exported_at` the export wrote). Anything that
 * changed the order since (another process's intake of a newer shop version, a retry, a transition) changes
 * that version, and the caller reads the database as before. Callers publish entries only after their
 * transaction committed, and each entry is taken once.
 *
 * The next stage takes orders oldest first, so when `capacity` entries wait, a new one is dropped rather than
 * an old one (evicting the oldest would throw away exactly the entries taken next, and a backlog larger than the
 * capacity would then never hit). Entries not taken within `maxAgeMs` (the order went another way: held,
 * retried elsewhere) make room again.
 */
export class RecentValues<T> {
  private readonly entries = new Map<number, { version: string; value: T; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  put(orderId: number, version: string, value: T): void {
    this.entries.delete(orderId);
    const at = this.now();
    if (this.entries.size >= this.capacity) {
      // A Map iterates in insertion order: the first entries are the oldest.
      for (const [id, e] of this.entries) {
        if (at - e.at < this.maxAgeMs) break;
        this.entries.delete(id);
      }
      if (this.entries.size >= this.capacity) return;
    }
    this.entries.set(orderId, { version, value, at });
  }

  /** The value stored for this version of the order, once; undefined when this process does not have it. */
  take(orderId: number, version: string): T | undefined {
    const e = this.entries.get(orderId);
    if (!e) return undefined;
    this.entries.delete(orderId);
    return e.version === version ? e.value : undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The columns of an order row that identify what intake stored. */
export interface IntakeVersion {
  updated_at: string;
  shop_modified_at: string | null;
}

export function intakeVersion(v: IntakeVersion): string {
  return `${v.updated_at}|${v.shop_modified_at ?? ''}`;
}
