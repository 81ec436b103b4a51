import { sql, type RawBuilder } from 'kysely';

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
  /** SQL for the JSON text of the member `key` of a text column holding a JSON object (null when absent). */
  jsonMember(column: string, key: string): RawBuilder<string | null>;
  /** SQL for the length of the JSON array in member `key` of a text column holding a JSON object. */
  jsonArrayLength(column: string, key: string): RawBuilder<number | null>;
}

export const SQLITE_CAPABILITIES: StoreCapabilities = {
  skipLocked: false,
  returning: true,
  autoIncrementType: 'integer',
  concurrentWriters: false,
  // JSON1, built into SQLite: json_extract returns an object or array member as its JSON text.
  jsonMember: (column, key) => sql<string | null>`json_extract(${sql.ref(column)}, ${`$.${key}`})`,
  jsonArrayLength: (column, key) => sql<number | null>`json_array_length(${sql.ref(column)}, ${`$.${key}`})`,
};

export const POSTGRES_CAPABILITIES: StoreCapabilities = {
  skipLocked: true,
  returning: true,
  autoIncrementType: 'serial',
  concurrentWriters: true,
  jsonMember: (column, key) => sql<string | null>`(${sql.ref(column)}::json -> ${key})::text`,
  jsonArrayLength: (column, key) => sql<number | null>`json_array_length(${sql.ref(column)}::json -> ${key})`,
};
