import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

export interface WebhookEventsTable {
  id: Generated<number>;
  shop: string;
  delivery_id: string;
  topic: string;
  shop_order_id: string | null;
  body: string;
  state: string;
  attempts: number;
  next_attempt_at: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  duplicates: number;
  received_at: string;
  processed_at: string | null;
  outcome: string | null;
  error: string | null;
}

export type WebhookEventRow = Selectable<WebhookEventsTable>;

export type WebhookEventState = 'pending' | 'processing' | 'done' | 'failed';

export interface NewWebhookEvent {
  shop: string;
  deliveryId: string;
  topic: string;
  shopOrderId?: string;
  body: string;
  receivedAt: string;
}

/**
 * Received webhook deliveries, a small queue of their own: stored (deduplicated on the delivery id)
 * before the shop is answered, claimed by one processor at a time, finished or retried with backoff.
 * A claim left by a crashed process is taken over once it is older than the lease.
 */
export class WebhookEventsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** 'stored' the first time a delivery arrives, 'duplicate' every later time (nothing new is stored). */
  async record(e: NewWebhookEvent): Promise<'stored' | 'duplicate'> {
    const inserted = await this.db
      .insertInto('webhook_events')
      .values({
        shop: e.shop,
        delivery_id: e.deliveryId,
        topic: e.topic,
        shop_order_id: e.shopOrderId ?? null,
        body: e.body,
        state: 'pending',
        attempts: 0,
        next_attempt_at: null,
        claimed_by: null,
        claimed_at: null,
        duplicates: 0,
        received_at: e.receivedAt,
        processed_at: null,
        outcome: null,
        error: null,
      })
      .onConflict((oc) => oc.columns(['shop', 'delivery_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return 'stored';
    await this.db
      .updateTable('webhook_events')
      .set((eb) => ({ duplicates: eb('duplicates', '+', 1) }))
      .where('shop', '=', e.shop)
      .where('delivery_id', '=', e.deliveryId)
      .execute();
    return 'duplicate';
  }

  /**
   * Takes up to `limit` events that are due, oldest first: pending ones whose retry time has come, and
   * ones claimed before `staleBefore` (their processor died). The guarded update lets only one of several
   * processes win each event.
   */
  async claim(opts: { owner: string; now: string; staleBefore: string; limit: number }): Promise<WebhookEventRow[]> {
    const due = this.db
      .selectFrom('webhook_events')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'pending'), eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', opts.now)])]),
          eb.and([eb('state', '=', 'processing'), eb('claimed_at', '<', opts.staleBefore)]),
        ]),
      )
      .orderBy('id')
      .limit(opts.limit);
    const rows = await this.db
      .updateTable('webhook_events')
      .set({ state: 'processing', claimed_by: opts.owner, claimed_at: opts.now })
      .where('id', 'in', due)
      .where((eb) => eb.or([eb('state', '=', 'pending'), eb.and([eb('state', '=', 'processing'), eb('claimed_at', '<', opts.staleBefore)])]))
      .returningAll()
      .execute();
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  }

  async finish(id: number, owner: string, outcome: string, now: string): Promise<void> {
    await this.db
      .updateTable('webhook_events')
      .set((eb) => ({ state: 'done', processed_at: now, outcome, error: null, claimed_by: null, claimed_at: null, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .execute();
  }

  /** A failed attempt: back to pending until `nextAttemptAt`, or `failed` for good when `giveUp`. */
  async retryLater(id: number, owner: string, error: string, nextAttemptAt: string, giveUp: boolean, now: string): Promise<void> {
    await this.db
      .updateTable('webhook_events')
      .set((eb) => ({
        state: giveUp ? 'failed' : 'pending',
        next_attempt_at: giveUp ? null : nextAttemptAt,
        processed_at: giveUp ? now : null,
        error: error.slice(0, 2000),
        claimed_by: null,
        claimed_at: null,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('claimed_by', '=', owner)
      .execute();
  }

  async get(shop: string, deliveryId: string): Promise<WebhookEventRow | undefined> {
    return this.db.selectFrom('webhook_events').selectAll().where('shop', '=', shop).where('delivery_id', '=', deliveryId).executeTakeFirst();
  }

  async list(opts: { shop?: string; state?: WebhookEventState; limit?: number } = {}): Promise<WebhookEventRow[]> {
    let q = this.db.selectFrom('webhook_events').selectAll();
    if (opts.shop) q = q.where('shop', '=', opts.shop);
    if (opts.state) q = q.where('state', '=', opts.state);
    return q.orderBy('id', 'desc').limit(opts.limit ?? 50).execute();
  }

  /** Events per shop and state (status, panel). */
  async counts(): Promise<{ shop: string; state: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('webhook_events')
      .select(['shop', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['shop', 'state'])
      .orderBy('shop')
      .orderBy('state')
      .execute();
    return rows.map((r) => ({ shop: r.shop, state: r.state, n: Number(r.n) }));
  }

  /** Whether anything is waiting (pending, or claimed and not finished). */
  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', ['pending', 'processing'])
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Deletes finished events received before `before`; failed ones stay for a person to look at. */
  async prune(before: string): Promise<number> {
    const res = await this.db.deleteFrom('webhook_events').where('state', '=', 'done').where('received_at', '<', before).executeTakeFirst();
    return Number(res.numDeletedRows);
  }
}
