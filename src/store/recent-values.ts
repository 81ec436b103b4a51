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
 * transaction committed; each is taken once, and the oldest go first when more than `capacity` wait.
 */
export class RecentValues<T> {
  private readonly entries = new Map<number, { version: string; value: T }>();

  constructor(private readonly capacity: number) {}

  put(orderId: number, version: string, value: T): void {
    this.entries.delete(orderId);
    this.entries.set(orderId, { version, value });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
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
