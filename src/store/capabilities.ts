/**
 * What the database can do. Storage code branches on these, never on the dialect's name
 * (DESIGN.md conventions).
 */
export interface StoreCapabilities {
  /** `FOR UPDATE SKIP LOCKED`: several workers claim disjoint rows without waiting on each other. */
  skipLocked: boolean;
  /** `INSERT/UPDATE … RETURNING`. */
  returning: boolean;
  /** Column type of a generated integer key. */
  autoIncrementType: 'integer' | 'serial';
  /** Several processes may write at once (a server database), so claims need row locks. */
  concurrentWriters: boolean;
}

export const SQLITE_CAPABILITIES: StoreCapabilities = {
  skipLocked: false,
  returning: true,
  autoIncrementType: 'integer',
  concurrentWriters: false,
};

export const POSTGRES_CAPABILITIES: StoreCapabilities = {
  skipLocked: true,
  returning: true,
  autoIncrementType: 'serial',
  concurrentWriters: true,
};
