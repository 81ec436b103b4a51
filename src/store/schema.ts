import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CustomerBindingsTable } from './customer-bindings-repo.js';
import type { WebhookEventsTable } from './webhook-events-repo.js';

/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings (`toISOString()`), which sort correctly as
 * text on both SQLite and PostgreSQL; JSON payloads are text.
 */
export interface OrdersTable {
  id: Generated<number>;
  shop: string;
  platform: string;
  shop_order_id: string;
  order_number: string | null;
  /** BC externalDocumentNumber: the shop order key, upper case. */
  order_key: string | null;
  state: string;
  reason_code: string | null;
  reason: string | null;
  hint: string | null;
  /** Export attempts made (each recorded before its request was sent). */
  attempts: number;
  /** Eligibility checks made while waiting. */
  checks: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  /** Set when a create may have reached BC: the next attempt looks the order up first. */
  bc_attempt_at: string | null;
  bc_env: string | null;
  bc_environment_name: string | null;
  bc_id: string | null;
  bc_number: string | null;
  shop_modified_at: string | null;
  placed_at: string | null;
  customer_email: string | null;
  currency: string | null;
  total: string | null;
  exported_at: string | null;
  verified_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * An order's payloads, one row per kind, so a stage writes only what it changes (migration 006). `raw` and
 * `canonical` exist for every order (intake); the others once set. Kinds:
 * - `raw`: the shop's document as downloaded; `canonical`: the canonical order (null when malformed);
 * - `document`: the BC document the order maps to, once evaluated; `bc_snapshot`: BC's view after export;
 * - `exported_canonical`: the canonical order the BC document was made from; once exported, what BC holds
 *   (conflicts, issue 9). Absent while that is the current `canonical`: evaluate stores no copy, and intake
 *   writes it before it replaces the canonical order of an order that has a document;
 * - `baseline_canonical`: the shop version a person accepted after a conflict (null = compare with
 *   exported_canonical).
 */
export interface OrderPayloadPartsTable {
  order_id: number;
  kind: PayloadKind;
  /** JSON text; null = not set. */
  body: string | null;
}

export type PayloadKind = 'raw' | 'canonical' | 'document' | 'bc_snapshot' | 'exported_canonical' | 'baseline_canonical';

export interface OrderEventsTable {
  id: Generated<number>;
  order_id: number;
  at: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  reason: string | null;
  details: string | null;
}

export interface CursorsTable {
  shop: string;
  value: string;
  updated_at: string;
}

export interface RequestLogTable {
  id: Generated<number>;
  at: string;
  system: string;
  target: string;
  method: string;
  url: string;
  status: number | null;
  duration_ms: number;
  correlation_id: string | null;
  error: string | null;
  order_id: number | null;
  request_body: string | null;
  response_body: string | null;
}

export interface RunsTable {
  id: Generated<number>;
  stage: string;
  shop: string | null;
  actor: string;
  started_at: string;
  finished_at: string | null;
  ok: number | null;
  summary: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface Database {
  orders: OrdersTable;
  order_payload_parts: OrderPayloadPartsTable;
  order_events: OrderEventsTable;
  cursors: CursorsTable;
  request_log: RequestLogTable;
  runs: RunsTable;
  settings: SettingsTable;
  customer_bindings: CustomerBindingsTable;
  webhook_events: WebhookEventsTable;
}

export type OrderRow = Selectable<OrdersTable>;
export type NewOrderRow = Insertable<OrdersTable>;
export type OrderUpdate = Updateable<OrdersTable>;
export type OrderEventRow = Selectable<OrderEventsTable>;
export type RequestLogRow = Selectable<RequestLogTable>;
export type RunRow = Selectable<RunsTable>;
