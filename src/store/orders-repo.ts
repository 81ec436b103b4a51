import { sql, type Kysely, type Transaction } from 'kysely';
import type { CanonicalOrder } from '../domain/order.js';
import { canTransition, IN_BC_STATES, type Actor, type OrderState } from '../domain/states.js';
import { StoreError } from '../domain/errors.js';
import { BulkInsert, fewSizedChunks } from './bulk-insert.js';
import { intakeVersion, RecentValues, type IntakeVersion } from './recent-values.js';
import type { StoreCapabilities } from './capabilities.js';
import { SetUpdateTexts } from './set-update.js';
import type { Database, OrderEventRow, OrderRow, OrderUpdate, PayloadKind } from './schema.js';
import { applyShopChange, conflictOrigin } from './shop-change.js';

/**
 * A payload exactly as it is stored: passed back in a transition (e.g. `exportedCanonical`), its text is
 * written as it is instead of being parsed and serialized again.
 */
export class StoredJson {
  constructor(readonly text: string) {}
}

/** The totals a BC document says the order is worth (its `expected`), and how many lines it has. */
export interface ExpectedTotals {
  expected: { currency: string; totalNet: string; totalTax: string; total: string };
  lineCount: number;
}

/** Payloads of one order as payloadsMany reads them: parsed on first access. */
export interface StoredPayload {
  readonly canonical: unknown | null;
  readonly document: unknown | null;
  /** The canonical order's stored text (null: not read or not set). */
  readonly canonicalJson: StoredJson | null;
}

/** One downloaded shop order, ready to be stored (intake). */
export interface IntakeOrder {
  shop: string;
  platform: string;
  shopOrderId: string;
  orderNumber: string | null;
  orderKey: string | null;
  modifiedAt: string | null;
  placedAt: string | null;
  customerEmail: string | null;
  currency: string | null;
  total: string | null;
  raw: unknown;
  /** The text the shop sent `raw` as, when the connector kept it (shops/raw-text.ts); stored instead of serializing `raw`. */
  rawText?: string;
  canonical: unknown | null;
  /** Set when the raw document cannot be read as an order: it is stored and held with this reason. */
  malformed?: { code: string; reason: string; hint: string };
}

/** A canonical order intake stored, with the version of the row it was stored in (recent-values.ts). */
interface StagedCanonical {
  id: number;
  /** intakeVersion() of the row as this intake wrote it. */
  version: string;
  value: { canonical: unknown; text: string };
}

/** Orders whose canonical form evaluate may take from memory: a few stage pages' worth (~5 KB each). */
const RECENT_CANONICALS = 2000;
/** Exported orders whose expected totals verify may take from memory (a few hundred bytes each). */
const RECENT_TOTALS = 5000;

/** The canonical order's text as stored; a well-formed order is also staged for evaluate. */
function canonicalText(item: IntakeOrder, id: number, now: string, staged: StagedCanonical[]): string | null {
  if (item.canonical === null) return null;
  const text = JSON.stringify(item.canonical);
  // The row's version as intake writes it: updated_at = now, shop_modified_at = the item's.
  if (!item.malformed) staged.push({ id, version: intakeVersion({ updated_at: now, shop_modified_at: item.modifiedAt }), value: { canonical: item.canonical, text } });
  return text;
}

/** The raw shop document as stored: the shop's own text when the connector kept it. */
function rawJson(item: IntakeOrder): string {
  return item.rawText ?? JSON.stringify(item.raw);
}

export type IntakeOutcome = 'new' | 'updated' | 'unchanged';

export interface TransitionInput {
  id: number;
  from: OrderState;
  to: OrderState;
  actor: Actor | string;
  reason?: string | null;
  /** Extra column changes applied with the transition. */
  set?: OrderUpdate;
  details?: Record<string, unknown>;
  /** Only if the order is still leased by this owner (export workers). */
  leaseOwner?: string;
  /**
   * Only if the order's `updated_at` is still this: the version the transition was decided on (evaluate). A shop
   * change stored meanwhile makes it not apply, and the order is decided again on the new version.
   */
  version?: string;
  /** BC's view of the order, stored with the transition (same transaction) when it applies. */
  bcSnapshot?: unknown;
  /**
   * The BC document the order maps to (evaluate), stored with the transition when it applies; null clears it.
   * Unless `exportedCanonical` is given too, the document is made from the canonical order stored now, which is
   * then also what BC will hold: `exported_canonical` is left unset (see order_payload_parts).
   */
  document?: unknown;
  /** What BC holds now (a conflict re-synced), stored with the transition; see order_payload_parts (exported_canonical). */
  exportedCanonical?: unknown;
  /** The shop version a person accepted (conflicts); null = compare with the exported version again. */
  baselineCanonical?: unknown;
  /**
   * The expected totals of the BC document the export sent (not stored: the document already holds them):
   * kept in memory for verify, under the `exported_at` this transition sets (recent-values.ts).
   */
  expectedTotals?: ExpectedTotals;
}

export interface StatePageOptions {
  limit: number;
  shop?: string;
  /** Only orders whose next_attempt_at has passed (or is not set). */
  dueBy?: string;
  afterId?: number;
}

export interface ClaimOptions {
  owner: string;
  limit: number;
  now: string;
  leaseUntil: string;
  shop?: string;
  actor: string;
}

/** What the export reads of a claimed order's row (the rest stays in the database; see inState). */
export const CLAIM_COLUMNS = ['id', 'shop', 'order_key', 'order_number', 'bc_attempt_at', 'bc_env', 'attempts'] as const satisfies readonly (keyof OrderRow)[];
export type ClaimedRow = Pick<OrderRow, (typeof CLAIM_COLUMNS)[number]>;

export interface ClaimedOrder {
  row: ClaimedRow;
  /** The state it was claimed from: `exporting` means a previous lease expired (a crash or a stuck worker). */
  claimedFrom: OrderState;
}

export interface OrderFilter {
  state?: OrderState | OrderState[];
  shop?: string;
  reasonCode?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

/** The orders table is the work queue; every state change is a guarded update plus one timeline event. */
export class OrdersRepo {
  /** The hot path's multi-row inserts, compiled once per row count (src/store/bulk-insert.ts). */
  private readonly newOrders = new BulkInsert<{ id: number; shop_order_id: string }>(
    'orders', NEW_ORDER_COLUMNS, 100,
    // A webhook and a poll may insert the same order at once (PostgreSQL): the loser updates instead.
    sql`on conflict (shop, shop_order_id) do nothing returning id, shop_order_id`,
  );
  private readonly newEvents = new BulkInsert('order_events', ['order_id', 'at', 'from_state', 'to_state', 'actor', 'reason', 'details'], EVENT_CHUNK);
  private readonly newParts = new BulkInsert('order_payload_parts', ['order_id', 'kind', 'body'], PART_CHUNK);
  /** The guarded UPDATEs of transitionMany, compiled once per shape (src/store/set-update.ts). */
  private readonly setUpdates = new SetUpdateTexts();
  private readonly putParts = new BulkInsert('order_payload_parts', ['order_id', 'kind', 'body'], PART_CHUNK, sql`on conflict (order_id, kind) do update set body = excluded.body`);
  /** Canonical orders intake just stored, for evaluate (recent-values.ts). */
  private readonly recentCanonicals = new RecentValues<{ canonical: unknown; text: string }>(RECENT_CANONICALS);
  /** Expected totals of the BC documents the export just created, for verify (recent-values.ts). */
  private readonly recentTotals = new RecentValues<ExpectedTotals>(RECENT_TOTALS);

  constructor(
    private readonly db: Kysely<Database>,
    private readonly caps: StoreCapabilities,
  ) {}

  /**
   * Stores downloaded orders in one transaction. New orders start `received` (or `held` when malformed);
   * a newer shop version replaces the stored one (newest modification wins, an older one is ignored) and
   * sends a not-yet-exported order back to `received`.
   */
  async intake(items: IntakeOrder[], actor: string, now: string): Promise<IntakeOutcome[]> {
    if (items.length === 0) return [];
    // What this intake stored, handed to evaluate once the transaction has committed.
    const staged: StagedCanonical[] = [];
    const outcomes = await this.db.transaction().execute(async (trx) => {
      const shop = items[0].shop;
      const existing = new Map<string, OrderRow>();
      // Lookups in chunks keep the statement within SQLite's parameter limit.
      for (let i = 0; i < items.length; i += 500) {
        const ids = items.slice(i, i + 500).filter((it) => it.shop === shop).map((it) => it.shopOrderId);
        if (ids.length === 0) continue;
        const rows = await trx.selectFrom('orders').selectAll().where('shop', '=', shop).where('shop_order_id', 'in', ids).execute();
        for (const r of rows) existing.set(r.shop_order_id, r);
      }
      // The page's new orders (first occurrence of an id not stored yet) are inserted together; the others
      // (a newer version, an id repeated in the page, another shop, an insert that lost a race) one by one.
      const fresh: number[] = [];
      const seen = new Set<string>();
      items.forEach((it, i) => {
        if (it.shop !== shop || existing.has(it.shopOrderId) || seen.has(it.shopOrderId)) return;
        seen.add(it.shopOrderId);
        fresh.push(i);
      });
      const inserted = await this.intakeInsertMany(trx, fresh.map((i) => items[i]!), actor, now, staged);
      const isNew = new Set(fresh.filter((_, k) => inserted[k]));
      const touched = new Set<string>();
      const outcomes: IntakeOutcome[] = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i]!;
        if (isNew.has(i)) {
          outcomes.push('new');
          continue;
        }
        // An order already written in this page is read again: its version guard must see that write.
        const key = `${item.shop}\u0000${item.shopOrderId}`;
        const prior = (item.shop === shop && !touched.has(key) ? existing.get(item.shopOrderId) : undefined) ?? (await this.findByShopId(trx, item.shop, item.shopOrderId));
        touched.add(key);
        outcomes.push(prior ? await this.intakeUpdate(trx, prior, item, actor, now, staged) : await this.intakeInsertOne(trx, item, actor, now, staged));
      }
      return outcomes;
    });
    for (const c of staged) this.recentCanonicals.put(c.id, c.version, c.value);
    return outcomes;
  }

  private async findByShopId(trx: Transaction<Database>, shop: string, shopOrderId: string): Promise<OrderRow | undefined> {
    return trx.selectFrom('orders').selectAll().where('shop', '=', shop).where('shop_order_id', '=', shopOrderId).executeTakeFirst();
  }

  /**
   * Inserts new orders (one shop, distinct ids) with their raw and canonical payloads and one event each, in
   * multi-row statements. Returns, per item, whether it was inserted (false: another writer stored that
   * order meanwhile, PostgreSQL).
   */
  private async intakeInsertMany(trx: Transaction<Database>, items: IntakeOrder[], actor: string, now: string, staged: StagedCanonical[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    const returned = await this.newOrders.run(trx, items.map((item) => newOrderRow(item, now)));
    const idOf = new Map(returned.map((r) => [r.shop_order_id, Number(r.id)]));
    const parts: PartRow[] = [];
    const events: NewEvent[] = [];
    for (const item of items) {
      const id = idOf.get(item.shopOrderId);
      if (id === undefined) continue;
      parts.push([id, 'raw', rawJson(item)], [id, 'canonical', canonicalText(item, id, now, staged)]);
      events.push({
        orderId: id, from: null, to: item.malformed ? 'held' : 'received', actor, reason: item.malformed?.reason ?? 'downloaded from the shop', at: now,
        details: item.malformed ? { code: item.malformed.code } : undefined,
      });
    }
    await this.newParts.run(trx, parts);
    await this.appendEvents(trx, events);
    return items.map((item) => idOf.has(item.shopOrderId));
  }

  private async intakeInsertOne(trx: Transaction<Database>, item: IntakeOrder, actor: string, now: string, staged: StagedCanonical[]): Promise<IntakeOutcome> {
    const [inserted] = await this.intakeInsertMany(trx, [item], actor, now, staged);
    if (inserted) return 'new';
    const prior = await this.findByShopId(trx, item.shop, item.shopOrderId);
    if (!prior) throw new StoreError('STORE_INTAKE', `order ${item.shop}/${item.shopOrderId} vanished during intake`);
    return this.intakeUpdate(trx, prior, item, actor, now, staged);
  }

  private async intakeUpdate(trx: Transaction<Database>, prior: OrderRow, item: IntakeOrder, actor: string, now: string, staged: StagedCanonical[]): Promise<IntakeOutcome> {
    // Newest wins: equal or older versions (overlap window, duplicate or out-of-order deliveries) change nothing.
    if (prior.shop_modified_at && item.modifiedAt && item.modifiedAt <= prior.shop_modified_at) return 'unchanged';
    if (prior.shop_modified_at && !item.modifiedAt) return 'unchanged';
    const guard = prior.shop_modified_at;
    const res = await trx
      .updateTable('orders')
      .set({
        shop_modified_at: item.modifiedAt,
        order_number: item.orderNumber ?? prior.order_number,
        order_key: IN_BC_STATES.includes(prior.state as OrderState) ? prior.order_key : (item.orderKey ?? prior.order_key),
        customer_email: item.customerEmail,
        currency: item.currency,
        total: item.total,
        updated_at: now,
      })
      .where('id', '=', prior.id)
      .where((eb) => (guard === null ? eb('shop_modified_at', 'is', null) : eb('shop_modified_at', '=', guard)))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return 'unchanged';
    const from = prior.state as OrderState;
    const inBc = IN_BC_STATES.includes(from);
    // The new version replaces `canonical` only; what BC holds (or will hold) stays for the conflict check.
    const kept = await this.partsOf(trx, prior.id, ['canonical', 'exported_canonical', 'baseline_canonical', 'document']);
    // An order in BC is not evaluated again (a change goes to the conflict check): nothing to hand over.
    const handOver = inBc ? [] : staged;
    const parts: PartRow[] = [[prior.id, 'raw', rawJson(item)], [prior.id, 'canonical', canonicalText(item, prior.id, now, handOver)]];
    // A BC document made from the version stored until now (no exported_canonical: that version itself) keeps
    // that version: the order is in BC, or may be on its way there (an export can claim it while this runs on
    // PostgreSQL). An order evaluated again drops it (storePayloads).
    if (kept.exported_canonical === null && kept.document !== null && kept.canonical !== null) parts.push([prior.id, 'exported_canonical', kept.canonical]);
    await this.writeParts(trx, parts);
    if (inBc) {
      await applyShopChange(
        trx,
        {
          id: prior.id,
          state: from,
          orderRef: prior.order_number ?? prior.shop_order_id,
          canonical: item.malformed ? null : (item.canonical as CanonicalOrder | null),
          baseline: kept.baseline_canonical ?? kept.exported_canonical ?? kept.canonical,
          modifiedAt: item.modifiedAt,
        },
        actor,
        now,
        (f, t, reason, details) => this.appendEvent(trx, prior.id, f, t, actor, reason, now, details),
      );
      return 'updated';
    }
    const to: OrderState = item.malformed ? 'held' : 'received';
    if (!canTransition(from, to)) return 'updated';
    await trx
      .updateTable('orders')
      .set({
        state: to,
        reason_code: item.malformed?.code ?? null,
        reason: item.malformed?.reason ?? null,
        hint: item.malformed?.hint ?? null,
        next_attempt_at: null,
      })
      .where('id', '=', prior.id)
      .where('state', '=', from)
      .execute();
    await this.appendEvent(trx, prior.id, from, to, actor, item.malformed?.reason ?? 'the shop changed the order', now, { modifiedAt: item.modifiedAt });
    return 'updated';
  }

  /** Applies one guarded transition with its event; false when the order was no longer in `from` (someone else moved it). */
  async transition(t: TransitionInput, now: string): Promise<boolean> {
    return this.db.transaction().execute((trx) => this.transitionIn(trx, t, now));
  }

  async transitionIn(trx: Kysely<Database>, t: TransitionInput, now: string): Promise<boolean> {
    if (!canTransition(t.from, t.to)) {
      throw new StoreError('STORE_BAD_TRANSITION', `order ${t.id}: ${t.from} → ${t.to} is not an allowed transition`);
    }
    let q = trx
      .updateTable('orders')
      .set({ ...t.set, state: t.to, updated_at: now })
      .where('id', '=', t.id)
      .where('state', '=', t.from);
    if (t.leaseOwner) q = q.where('lease_owner', '=', t.leaseOwner);
    if (t.version !== undefined) q = q.where('updated_at', '=', t.version);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return false;
    await this.appendEvent(trx, t.id, t.from, t.to, t.actor, t.reason ?? null, now, t.details);
    await this.storePayloads(trx, [t]);
    return true;
  }

  /**
   * The payloads applied transitions carry (BC's snapshot, the BC document, the exported and accepted
   * versions): one row per order and kind, written in multi-row upserts; nothing else of the order is rewritten.
   */
  private async storePayloads(trx: Kysely<Database>, list: TransitionInput[]): Promise<void> {
    const parts: PartRow[] = [];
    const fromCurrent: number[] = [];
    const json = (v: unknown) => (v === null ? null : v instanceof StoredJson ? v.text : JSON.stringify(v));
    for (const t of list) {
      if (t.bcSnapshot !== undefined) parts.push([t.id, 'bc_snapshot', json(t.bcSnapshot)]);
      if (t.document !== undefined) parts.push([t.id, 'document', json(t.document)]);
      if (t.exportedCanonical !== undefined) parts.push([t.id, 'exported_canonical', json(t.exportedCanonical)]);
      if (t.baselineCanonical !== undefined) parts.push([t.id, 'baseline_canonical', json(t.baselineCanonical)]);
      if (t.document !== undefined && t.document !== null && t.exportedCanonical === undefined) fromCurrent.push(t.id);
    }
    await this.writeParts(trx, parts);
    // A new document is made from the canonical order stored now, so that is what BC will hold: no copy of it is
    // kept (an absent exported_canonical means "the canonical order"; intake keeps the old version before it
    // replaces the canonical order of an order that has a document). One made from an earlier version is dropped.
    await this.dropExportedCanonical(trx, fromCurrent);
  }

  /** Sets payload parts (insert or replace); the same order and kind twice: the last one wins. */
  private async writeParts(trx: Kysely<Database>, parts: PartRow[]): Promise<void> {
    if (parts.length === 0) return;
    const unique = new Map<string, PartRow>();
    for (const p of parts) unique.set(`${p[0]}:${p[1]}`, p);
    await this.putParts.run(trx, unique.size === parts.length ? parts : [...unique.values()]);
  }

  /** Removes the exported_canonical part of these orders (usually there is none: a lookup per order, no write). */
  private async dropExportedCanonical(trx: Kysely<Database>, ids: number[]): Promise<void> {
    for (const [start, end] of fewSizedChunks(ids.length, SET_CHUNK)) {
      await trx.deleteFrom('order_payload_parts').where('kind', '=', 'exported_canonical').where('order_id', 'in', ids.slice(start, end)).execute();
    }
  }

  /** Some payload parts of one order as stored text (null: not set). */
  private async partsOf<K extends PayloadKind>(db: Kysely<Database>, id: number, kinds: K[]): Promise<Record<K, string | null>> {
    const rows = await db.selectFrom('order_payload_parts').select(['kind', 'body']).where('order_id', '=', id).where('kind', 'in', kinds).execute();
    const out = Object.fromEntries(kinds.map((k) => [k, null])) as Record<K, string | null>;
    for (const r of rows) out[r.kind as K] = r.body;
    return out;
  }

  /**
   * Several transitions in one transaction (one commit for a whole round), set-based: transitions with the
   * same `from`, `to`, lease owner, version guard and column changes are one guarded `UPDATE … WHERE id IN (…)`, and the
   * events of all applied ones one multi-row insert. Still one event per order that moved, and an order
   * no longer in `from` (or no longer leased by the owner) is left alone. Returns which applied.
   */
  async transitionMany(list: TransitionInput[], now: string): Promise<boolean[]> {
    if (list.length === 0) return [];
    for (const t of list) {
      if (!canTransition(t.from, t.to)) {
        throw new StoreError('STORE_BAD_TRANSITION', `order ${t.id}: ${t.from} → ${t.to} is not an allowed transition`);
      }
    }
    const result = await this.db.transaction().execute(async (trx) => {
      // The same order twice (a → b, then b → c) needs the first applied before the second: one by one.
      if (new Set(list.map((t) => t.id)).size < list.length) {
        const out: boolean[] = [];
        for (const t of list) out.push(await this.transitionIn(trx, t, now));
        return out;
      }
      // One guarded UPDATE per outcome (same from, to, lease owner and changed columns); a column whose value
      // differs between the orders (BC's number, a retry time) is set per row with CASE id WHEN … THEN ….
      const groups = new Map<string, TransitionInput[]>();
      for (const t of list) {
        const key = JSON.stringify([t.from, t.to, t.leaseOwner ?? null, t.version !== undefined, Object.keys(t.set ?? {}).sort()]);
        const group = groups.get(key);
        if (group) group.push(t);
        else groups.set(key, [t]);
      }
      const applied = new Set<number>();
      for (const group of groups.values()) {
        const { from, to, leaseOwner } = group[0];
        const versioned = group[0].version !== undefined;
        // A few statement sizes only (src/store/bulk-insert.ts): each row count is another prepared statement.
        for (const [start, end] of fewSizedChunks(group.length, CASE_CHUNK)) {
          const part = group.slice(start, end);
          const rows = part.map((t) => ({ id: t.id, set: t.set ?? {}, version: t.version }));
          for (const id of await this.setUpdates.run(trx, { rows, state: to, now, fromState: from, leaseOwner, versioned })) applied.add(id);
        }
      }
      const moved = list.filter((t) => applied.has(t.id));
      await this.appendEvents(trx, moved.map((t) => ({ orderId: t.id, from: t.from, to: t.to, actor: t.actor, reason: t.reason ?? null, at: now, details: t.details })));
      await this.storePayloads(trx, moved);
      return list.map((t) => applied.has(t.id));
    });
    list.forEach((t, i) => {
      if (result[i] && t.expectedTotals && typeof t.set?.exported_at === 'string') this.recentTotals.put(t.id, t.set.exported_at, t.expectedTotals);
    });
    return result;
  }

  private async appendEvent(
    trx: Kysely<Database>,
    orderId: number,
    from: string | null,
    to: string,
    actor: string,
    reason: string | null,
    at: string,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.appendEvents(trx, [{ orderId, from, to, actor, reason, at, details }]);
  }

  /** Many events in multi-row inserts (chunks keep each statement within SQLite's parameter limit). */
  private async appendEvents(trx: Kysely<Database>, events: NewEvent[]): Promise<void> {
    await this.newEvents.run(
      trx,
      events.map((e) => [e.orderId, e.at, e.from, e.to, e.actor, e.reason, e.details ? JSON.stringify(e.details) : null]),
    );
  }

  /** Records an event without a state change (e.g. an attempt that will be retried). */
  async note(orderId: number, state: OrderState, actor: string, reason: string, now: string, details?: Record<string, unknown>): Promise<void> {
    await this.appendEvent(this.db, orderId, state, state, actor, reason, now, details);
  }

  /**
   * Claims orders for export under a lease: `ready` ones whose retry time has come, and `exporting` ones
   * whose lease expired (their worker died). On PostgreSQL the rows are locked with SKIP LOCKED so
   * concurrent workers take disjoint sets; on SQLite the single writer serialises claims.
   */
  async claimForExport(opts: ClaimOptions): Promise<ClaimedOrder[]> {
    return this.db.transaction().execute(async (trx) => {
      // Due `ready` orders and expired `exporting` ones, each read as a range of the (state, id) index.
      const candidates = (state: 'ready' | 'exporting') => {
        let q = trx
          .selectFrom('orders')
          .select(['id', 'state'])
          .where('state', '=', state)
          .where((eb) =>
            state === 'ready'
              ? eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', opts.now)])
              : eb('lease_expires_at', '<', opts.now),
          )
          .orderBy('id')
          .limit(opts.limit);
        if (opts.shop) q = q.where('shop', '=', opts.shop);
        if (this.caps.skipLocked) q = q.forUpdate().skipLocked();
        return q.execute();
      };
      const picked = mergeById([await candidates('ready'), await candidates('exporting')], opts.limit);
      if (picked.length === 0) return [];
      const fromById = new Map(picked.map((p) => [Number(p.id), p.state as OrderState]));
      const claimed = await trx
        .updateTable('orders')
        .set({ state: 'exporting', lease_owner: opts.owner, lease_expires_at: opts.leaseUntil, updated_at: opts.now })
        .where('id', 'in', [...fromById.keys()])
        .where((eb) =>
          eb.or([eb('state', '=', 'ready'), eb.and([eb('state', '=', 'exporting'), eb('lease_expires_at', '<', opts.now)])]),
        )
        .returning(CLAIM_COLUMNS)
        .execute();
      // Oldest first (PostgreSQL's RETURNING keeps no order).
      claimed.sort((a, b) => Number(a.id) - Number(b.id));
      const out: ClaimedOrder[] = claimed.map((row) => ({ row, claimedFrom: fromById.get(Number(row.id)) ?? 'ready' }));
      await this.appendEvents(
        trx,
        out.map(({ row, claimedFrom: from }) => ({
          orderId: row.id,
          from,
          to: 'exporting',
          actor: opts.actor,
          reason: from === 'exporting' ? 'claimed again: the previous lease expired' : 'claimed for export',
          at: opts.now,
          details: { lease: opts.owner },
        })),
      );
      return out;
    });
  }

  /**
   * Records, before sending, that a create for these orders is about to reach BC (guarantee 1). Only orders
   * `owner` still holds under an unexpired lease are marked; their ids are returned, and only those may be sent.
   */
  async recordAttempts(ids: number[], owner: string, env: string, envName: string, now: string): Promise<number[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .updateTable('orders')
      .set((eb) => ({ bc_attempt_at: now, attempts: eb('attempts', '+', 1), bc_env: env, bc_environment_name: envName, updated_at: now }))
      .where('id', 'in', ids)
      .where('lease_owner', '=', owner)
      .where('state', '=', 'exporting')
      .where('lease_expires_at', '>', now)
      .returning('id')
      .execute();
    return rows.map((r) => Number(r.id));
  }

  /**
   * Orders in a state, oldest first, optionally due (next_attempt_at passed). With `columns`, only those (and
   * the id) are read: a stage page reads a few of an order's ~35 columns, and reading all of them cost 4× the
   * time and 8× the garbage per row (docs/performance.md, seventh pass).
   */
  async inState(state: OrderState | OrderState[], opts: StatePageOptions): Promise<OrderRow[]>;
  async inState<K extends keyof OrderRow>(state: OrderState | OrderState[], opts: StatePageOptions & { columns: readonly K[] }): Promise<Pick<OrderRow, K | 'id'>[]>;
  async inState(state: OrderState | OrderState[], opts: StatePageOptions & { columns?: readonly (keyof OrderRow)[] }): Promise<Partial<OrderRow>[]> {
    const states = Array.isArray(state) ? state : [state];
    // One query per state: each is a range of the (state, id) index, already in id order. `state in (…)`
    // would make the database collect and sort every order of those states for each page.
    const pages = await Promise.all(states.map((s) => this.inOneState(s, opts)));
    return pages.length === 1 ? pages[0]! : mergeById(pages, opts.limit);
  }

  private inOneState(state: OrderState, opts: StatePageOptions & { columns?: readonly (keyof OrderRow)[] }): Promise<Pick<OrderRow, 'id'>[]> {
    const base = this.db.selectFrom('orders');
    let q = (opts.columns ? base.select(withId(opts.columns)) : base.selectAll()).where('state', '=', state);
    if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
    if (opts.shop) q = q.where('shop', '=', opts.shop);
    if (opts.dueBy) q = q.where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', opts.dueBy!)]));
    return q.orderBy('id').limit(opts.limit).execute();
  }

  /**
   * Orders verified since `since` whose create was sent more than once (`attempts` ≥ minAttempts): the only
   * ones BC can hold twice (docs/architecture.md "Duplicates"), re-read by verify's duplicate sweep.
   */
  async verifiedSince(since: string, opts: { minAttempts: number; limit: number; afterId?: number }): Promise<OrderRow[]> {
    let q = this.db
      .selectFrom('orders')
      .selectAll()
      .where('state', '=', 'verified')
      .where('verified_at', '>=', since)
      .where('attempts', '>=', opts.minAttempts);
    if (opts.afterId !== undefined) q = q.where('id', '>', opts.afterId);
    return q.orderBy('id').limit(opts.limit).execute();
  }

  async get(id: number): Promise<OrderRow | undefined> {
    return this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Finds by bcbridge id, shop order number/id, order key or BC number. */
  async find(ref: string, shop?: string): Promise<OrderRow | undefined> {
    if (/^\d+$/.test(ref) && !shop) {
      const byId = await this.get(Number(ref));
      if (byId) return byId;
    }
    let q = this.db
      .selectFrom('orders')
      .selectAll()
      .where((eb) => eb.or([eb('order_number', '=', ref), eb('shop_order_id', '=', ref), eb('order_key', '=', ref.toUpperCase()), eb('bc_number', '=', ref)]));
    if (shop) q = q.where('shop', '=', shop);
    return q.orderBy('id').executeTakeFirst();
  }

  async payloads(id: number): Promise<
    { raw: unknown; canonical: unknown | null; document: unknown | null; bcSnapshot: unknown | null; exportedCanonical: unknown | null; baselineCanonical: unknown | null } | undefined
  > {
    // Every stored order has its `raw` part: no rows at all means no such order.
    const rows = await this.db.selectFrom('order_payload_parts').select(['kind', 'body']).where('order_id', '=', id).execute();
    if (rows.length === 0) return undefined;
    const text = new Map(rows.map((r) => [r.kind, r.body]));
    const parse = (kind: PayloadKind) => {
      const s = text.get(kind);
      return s === undefined || s === null ? null : JSON.parse(s);
    };
    const canonical = parse('canonical');
    const document = parse('document');
    return {
      raw: parse('raw'),
      canonical,
      document,
      bcSnapshot: parse('bc_snapshot'),
      // Not kept while it is the canonical order itself (storePayloads): the version the document was made from.
      exportedCanonical: parse('exported_canonical') ?? (document !== null ? canonical : null),
      baselineCanonical: parse('baseline_canonical'),
    };
  }

  /**
   * The conflict check for orders whose export has just finished (issue 9): an order the shop changed while
   * it was being exported moves to `conflict` now. One query finds the few whose shop version differs from
   * what BC got; the common case reads nothing more.
   */
  async checkAfterExport(ids: number[], actor: string, now: string): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.transaction().execute(async (trx) => {
      let moved = 0;
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await trx
          .selectFrom('orders')
          .innerJoin('order_payload_parts as c', (j) => j.onRef('c.order_id', '=', 'orders.id').on('c.kind', '=', 'canonical'))
          .innerJoin('order_payload_parts as e', (j) => j.onRef('e.order_id', '=', 'orders.id').on('e.kind', '=', 'exported_canonical'))
          .leftJoin('order_payload_parts as b', (j) => j.onRef('b.order_id', '=', 'orders.id').on('b.kind', '=', 'baseline_canonical'))
          .select(['orders.id', 'orders.state', 'orders.order_number', 'orders.shop_order_id', 'orders.shop_modified_at', 'c.body as canonical', 'e.body as exported_canonical', 'b.body as baseline_canonical'])
          .where('orders.id', 'in', ids.slice(i, i + 500))
          .where('orders.state', 'in', ['exported', 'verified'])
          .where('e.body', 'is not', null)
          .where('c.body', 'is not', null)
          .where((eb) => eb('c.body', '<>', eb.fn.coalesce('b.body', 'e.body')))
          .execute();
        for (const r of rows) {
          const state = r.state as OrderState;
          await applyShopChange(
            trx,
            { id: r.id, state, orderRef: r.order_number ?? r.shop_order_id, canonical: JSON.parse(r.canonical!) as CanonicalOrder, baseline: r.baseline_canonical ?? r.exported_canonical, modifiedAt: r.shop_modified_at },
            actor,
            now,
            async (f, t, reason, details) => {
              if (t === 'conflict') moved++;
              await this.appendEvent(trx, r.id, f, t, actor, reason, now, details);
            },
          );
        }
      }
      return moved;
    });
  }

  /** Replaces the reason of an order that stays in `state` (a conflict a person must now decide), with an event. */
  async updateReason(id: number, state: OrderState, r: { code: string; reason: string; hint: string }, actor: string, now: string, details?: Record<string, unknown>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('orders').set({ reason_code: r.code, reason: r.reason, hint: r.hint, updated_at: now }).where('id', '=', id).where('state', '=', state).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) return false;
      await this.appendEvent(trx, id, state, state, actor, r.reason, now, details);
      return true;
    });
  }

  /** The state an order in `conflict` came from (where accepting it returns it). */
  conflictOrigin(id: number): Promise<OrderState | undefined> {
    return conflictOrigin(this.db, id);
  }

  /**
   * The canonical order and BC document of many orders. `columns` reads only what the caller needs (the
   * other is null); each is parsed on first access, so a caller that reads one field parses only that one.
   */
  async payloadsMany(
    ids: number[],
    columns: readonly ('canonical' | 'document')[] = ['canonical', 'document'],
    opts: { canonical?: 'current' | 'exported' } = {},
  ): Promise<Map<number, StoredPayload>> {
    // From `orders`, so that every stored order gets an entry (null when the part is not set), as before.
    const withCanonical = columns.includes('canonical');
    const withDocument = columns.includes('document');
    // `exported`: the version the BC document was made from (what BC holds; write-back matches BC's shipment
    // lines with it), the current one for orders stored before that was kept.
    const exported = withCanonical && opts.canonical === 'exported';
    const out = new Map<number, StoredPayload>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('orders')
        .select('orders.id')
        .$if(withCanonical && !exported, (q) => q.leftJoin('order_payload_parts as c', (j) => j.onRef('c.order_id', '=', 'orders.id').on('c.kind', '=', 'canonical')).select('c.body as canonical'))
        .$if(exported, (q) =>
          q
            .leftJoin('order_payload_parts as e', (j) => j.onRef('e.order_id', '=', 'orders.id').on('e.kind', '=', 'exported_canonical'))
            .leftJoin('order_payload_parts as c', (j) => j.onRef('c.order_id', '=', 'orders.id').on('c.kind', '=', 'canonical'))
            .select((eb) => eb.fn.coalesce('e.body', 'c.body').as('canonical')),
        )
        .$if(withDocument, (q) => q.leftJoin('order_payload_parts as d', (j) => j.onRef('d.order_id', '=', 'orders.id').on('d.kind', '=', 'document')).select('d.body as document'))
        .where('orders.id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(Number(r.id), lazyPayload(r.canonical ?? null, r.document ?? null));
    }
    return out;
  }

  /**
   * The canonical orders of these rows (as payloadsMany reads them): those this process just stored at intake,
   * in that very version, come from memory; the others from the database.
   */
  async canonicalsOf(rows: readonly (IntakeVersion & { id: number })[]): Promise<Map<number, StoredPayload>> {
    const out = new Map<number, StoredPayload>();
    const unread: number[] = [];
    for (const row of rows) {
      const recent = this.recentCanonicals.take(row.id, intakeVersion(row));
      if (recent) out.set(row.id, { canonical: recent.canonical, document: null, canonicalJson: new StoredJson(recent.text) });
      else unread.push(row.id);
    }
    if (unread.length > 0) for (const [id, p] of await this.payloadsMany(unread, ['canonical'])) out.set(id, p);
    return out;
  }

  /**
   * What verify compares BC's totals with: the BC document's `expected` totals and its number of lines, picked
   * out inside the database, so the whole document is neither sent to the process nor parsed there. Orders
   * without a document are absent from the map.
   */
  async expectedTotals(rows: readonly { id: number; exported_at: string | null }[]): Promise<Map<number, ExpectedTotals>> {
    const out = new Map<number, ExpectedTotals>();
    // Orders this process exported (in that very export) come from memory; the others from the database.
    const ids: number[] = [];
    for (const row of rows) {
      const recent = row.exported_at === null ? undefined : this.recentTotals.take(row.id, row.exported_at);
      if (recent) out.set(row.id, recent);
      else ids.push(row.id);
    }
    for (let i = 0; i < ids.length; i += SET_CHUNK) {
      const rows = await this.db
        .selectFrom('order_payload_parts')
        .select(['order_id', this.caps.jsonMember('body', 'expected').as('expected'), this.caps.jsonArrayLength('body', 'lines').as('line_count')])
        .where('kind', '=', 'document')
        .where('order_id', 'in', ids.slice(i, i + SET_CHUNK))
        .where('body', 'is not', null)
        .execute();
      for (const r of rows) {
        if (r.expected === null) continue;
        out.set(Number(r.order_id), { expected: JSON.parse(r.expected) as ExpectedTotals['expected'], lineCount: Number(r.line_count ?? 0) });
      }
    }
    return out;
  }

  async savePayload(id: number, patch: { document?: unknown; bcSnapshot?: unknown }): Promise<void> {
    const text = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    const parts: PartRow[] = [];
    if ('document' in patch) parts.push([id, 'document', text(patch.document)]);
    if ('bcSnapshot' in patch) parts.push([id, 'bc_snapshot', text(patch.bcSnapshot)]);
    await this.db.transaction().execute(async (trx) => {
      // Like an UPDATE of a missing row: nothing for an order that is not stored.
      if (!(await trx.selectFrom('orders').select('id').where('id', '=', id).executeTakeFirst())) return;
      await this.writeParts(trx, parts);
      // A new document is made from the canonical order stored now, which is what BC will hold (storePayloads).
      if (parts.some((p) => p[1] === 'document' && p[2] !== null)) await this.dropExportedCanonical(trx, [id]);
    });
  }

  async events(id: number): Promise<OrderEventRow[]> {
    return this.db.selectFrom('order_events').selectAll().where('order_id', '=', id).orderBy('id').execute();
  }

  async list(filter: OrderFilter): Promise<OrderRow[]> {
    let q = this.db.selectFrom('orders').selectAll();
    if (filter.state) q = q.where('state', 'in', Array.isArray(filter.state) ? filter.state : [filter.state]);
    if (filter.shop) q = q.where('shop', '=', filter.shop);
    if (filter.reasonCode) q = q.where('reason_code', '=', filter.reasonCode);
    if (filter.search) {
      const s = filter.search;
      q = q.where((eb) =>
        eb.or([eb('order_number', '=', s), eb('order_key', '=', s.toUpperCase()), eb('bc_number', '=', s), eb('customer_email', '=', s.toLowerCase())]),
      );
    }
    return q.orderBy('id', 'desc').limit(filter.limit ?? 50).offset(filter.offset ?? 0).execute();
  }

  /** Counts per shop and state. */
  async counts(): Promise<{ shop: string; state: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('orders')
      .select(['shop', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['shop', 'state'])
      .orderBy('shop')
      .orderBy('state')
      .execute();
    return rows.map((r) => ({ shop: r.shop, state: r.state, n: Number(r.n) }));
  }
}

interface NewEvent {
  orderId: number;
  from: string | null;
  to: string;
  actor: string;
  reason: string | null;
  at: string;
  details?: Record<string, unknown>;
}

/** Rows per set-based UPDATE (a CASE branch is 2 parameters), events (7 each) and payload parts (3) per multi-row INSERT: within SQLite's limits. */
const CASE_CHUNK = 200;
const EVENT_CHUNK = 200;
const PART_CHUNK = 400;

/** One payload part to write: order id, kind, JSON text (null = not set). */
type PartRow = [number, PayloadKind, string | null];

/** The columns of a new order (intake), in the order of `newOrderRow`. */
const NEW_ORDER_COLUMNS = [
  'shop', 'platform', 'shop_order_id', 'order_number', 'order_key', 'state', 'reason_code', 'reason', 'hint', 'attempts', 'checks',
  'next_attempt_at', 'lease_owner', 'lease_expires_at', 'bc_attempt_at', 'bc_env', 'bc_environment_name', 'bc_id', 'bc_number',
  'shop_modified_at', 'placed_at', 'customer_email', 'currency', 'total', 'exported_at', 'verified_at', 'created_at', 'updated_at',
] as const;

/** A downloaded order as a new `orders` row: `received`, or `held` with its reason when it cannot be read. */
function newOrderRow(item: IntakeOrder, now: string): unknown[] {
  const m = item.malformed;
  return [
    item.shop, item.platform, item.shopOrderId, item.orderNumber, item.orderKey, m ? 'held' : 'received', m?.code ?? null, m?.reason ?? null, m?.hint ?? null, 0, 0,
    null, null, null, null, null, null, null, null,
    item.modifiedAt, item.placedAt, item.customerEmail, item.currency, item.total, null, null, now, now,
  ];
}
/** Ids per `in (…)` list. */
const SET_CHUNK = 500;

/** Stored JSON text, parsed on first access (and then kept). */
function lazyPayload(canonicalText: string | null, documentText: string | null): StoredPayload {
  let canonical: unknown;
  let document: unknown;
  return {
    get canonical() {
      if (canonical === undefined) canonical = canonicalText ? JSON.parse(canonicalText) : null;
      return canonical;
    },
    get document() {
      if (document === undefined) document = documentText ? JSON.parse(documentText) : null;
      return document;
    },
    canonicalJson: canonicalText === null ? null : new StoredJson(canonicalText),
  };
}

/** The first `limit` rows of pages that are each in id order, in id order. */
/** A column list that includes the id (pages continue after their last id). */
function withId(columns: readonly (keyof OrderRow)[]): (keyof OrderRow)[] {
  return columns.includes('id') ? [...columns] : ['id', ...columns];
}

function mergeById<T extends { id: number | string }>(pages: T[][], limit: number): T[] {
  return pages
    .flat()
    .sort((a, b) => Number(a.id) - Number(b.id))
    .slice(0, limit);
}
