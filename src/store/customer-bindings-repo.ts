import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

export interface CustomerBindingsTable {
  shop: string;
  customer_key: string;
  bc_scope: string;
  /** '' while the row is a claim (`creating`). */
  bc_customer_no: string;
  origin: string;
  template: string | null;
  created_at: string;
  updated_at: string;
  /** `bound` (a binding) or `creating` (a worker's claim to create the BC customer: migration 007). */
  state: string;
  claim_owner: string | null;
  claim_expires_at: string | null;
  /** Set before the create request is sent: while set on a claim, BC may already have the customer. */
  create_sent_at: string | null;
}

export type CustomerBindingRow = Selectable<CustomerBindingsTable>;

export interface BindingKey {
  shop: string;
  /** BC environment name + company. */
  bcScope: string;
  customerKey: string;
}

/** What claiming the creation of a shop customer's BC customer found. */
export type CustomerClaim =
  /** This worker holds the claim. `mayExist`: an earlier attempt (a crashed worker's, or this one's) may have reached BC. */
  | { kind: 'claimed'; mayExist: boolean }
  /** Another worker finished: the customer exists. */
  | { kind: 'bound'; customerNo: string }
  /** Another worker is creating it now (its lease runs until `expiresAt`). */
  | { kind: 'busy'; owner: string; expiresAt: string };

/**
 * Shop customer ↔ BC customer no., remembered after a customer was matched by e-mail/phone or created, so the
 * next order of that customer needs no search (and never creates a second customer). The same row is first
 * the claim that makes one worker of all the one that creates the customer (`claimCreate` … `bindClaim`).
 */
export class CustomerBindingsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** The binding; a claim is not one (its customer may not exist yet). */
  async get(k: BindingKey): Promise<CustomerBindingRow | undefined> {
    return this.row(k, 'bound');
  }

  /** The bindings of several shop customers of one shop in one BC company, by customer key (absent: none). */
  async getMany(shop: string, bcScope: string, customerKeys: readonly string[]): Promise<Map<string, CustomerBindingRow>> {
    const out = new Map<string, CustomerBindingRow>();
    for (let i = 0; i < customerKeys.length; i += 500) {
      const rows = await this.db
        .selectFrom('customer_bindings')
        .selectAll()
        .where('shop', '=', shop)
        .where('bc_scope', '=', bcScope)
        .where('customer_key', 'in', customerKeys.slice(i, i + 500))
        .where('state', '=', 'bound')
        .execute();
      for (const r of rows) out.set(r.customer_key, r);
    }
    return out;
  }

  /**
   * Insert or replace: the newest decision wins (a customer re-matched after a fix in BC). A claim is left to
   * its worker, which binds the customer it creates or finds (the one an e-mail search just found, too).
   */
  async put(k: BindingKey, value: { customerNo: string; origin: string; template?: string }, now: string): Promise<void> {
    const set = { bc_customer_no: value.customerNo, origin: value.origin, template: value.template ?? null, updated_at: now, ...BOUND };
    await this.db
      .insertInto('customer_bindings')
      .values({ shop: k.shop, bc_scope: k.bcScope, customer_key: k.customerKey, ...set, created_at: now })
      .onConflict((oc) => oc.columns(['shop', 'bc_scope', 'customer_key']).doUpdateSet(set).where('customer_bindings.state', '=', 'bound'))
      .execute();
  }

  /** Forgets a binding (its BC customer is gone); a claim stays with its worker. */
  async remove(k: BindingKey): Promise<void> {
    await this.where(this.db.deleteFrom('customer_bindings'), k).where('state', '=', 'bound').execute();
  }

  /**
   * Claims the creation of this shop customer's BC customer for `owner` until `expiresAt`. The row is
   * inserted with `on conflict do nothing`, so of several workers exactly one inserts it; the others see
   * the binding, a live claim (`busy`), or a claim whose lease expired, which they take over. A worker
   * re-claims its own claim at once (its earlier attempt failed without a definite answer).
   */
  async claimCreate(k: BindingKey, owner: string, now: string, expiresAt: string): Promise<CustomerClaim> {
    // Three tries: a claim released or a binding forgotten between two statements just means "again".
    for (let i = 0; i < 3; i++) {
      const inserted = await this.db
        .insertInto('customer_bindings')
        .values({
          shop: k.shop, bc_scope: k.bcScope, customer_key: k.customerKey, bc_customer_no: '', origin: 'created', template: null,
          created_at: now, updated_at: now, state: 'creating', claim_owner: owner, claim_expires_at: expiresAt, create_sent_at: null,
        })
        .onConflict((oc) => oc.columns(['shop', 'bc_scope', 'customer_key']).doNothing())
        .returning('customer_key')
        .execute();
      if (inserted.length > 0) return { kind: 'claimed', mayExist: false };
      const taken = await this.where(this.db.updateTable('customer_bindings'), k)
        .set({ claim_owner: owner, claim_expires_at: expiresAt, updated_at: now })
        .where('state', '=', 'creating')
        .where((eb) => eb.or([eb('claim_owner', '=', owner), eb('claim_expires_at', '<=', now)]))
        .returning('create_sent_at')
        .execute();
      if (taken.length > 0) return { kind: 'claimed', mayExist: taken[0].create_sent_at !== null };
      const row = await this.row(k);
      if (row?.state === 'bound') return { kind: 'bound', customerNo: row.bc_customer_no };
      if (row) return { kind: 'busy', owner: row.claim_owner ?? '', expiresAt: row.claim_expires_at ?? now };
    }
    throw new Error(`customer ${k.customerKey}: the claim kept changing under this worker`);
  }

  /** Records that the create request is about to be sent. False: the claim is no longer this worker's. */
  async markCreateSent(k: BindingKey, owner: string, now: string): Promise<boolean> {
    const r = await this.claimed(this.db.updateTable('customer_bindings'), k, owner).set({ create_sent_at: now, updated_at: now }).returning('customer_key').execute();
    return r.length > 0;
  }

  /** The claim becomes the binding. False: the claim is no longer this worker's (see `get` for what won). */
  async bindClaim(k: BindingKey, owner: string, value: { customerNo: string; template?: string }, now: string): Promise<boolean> {
    const r = await this.claimed(this.db.updateTable('customer_bindings'), k, owner)
      .set({ bc_customer_no: value.customerNo, origin: 'created', template: value.template ?? null, updated_at: now, ...BOUND })
      .returning('customer_key')
      .execute();
    return r.length > 0;
  }

  /** Gives a claim up (BC definitely did not create the customer, or a person must decide). */
  async releaseClaim(k: BindingKey, owner: string): Promise<void> {
    await this.claimed(this.db.deleteFrom('customer_bindings'), k, owner).execute();
  }

  /** The shop customer bound to this BC customer no. in a BC company, other than `exceptKey`. */
  async boundTo(shop: string, bcScope: string, customerNo: string, exceptKey: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('customer_bindings')
      .select('customer_key')
      .where('bc_scope', '=', bcScope)
      .where('bc_customer_no', '=', customerNo)
      .where('shop', '=', shop)
      .where('customer_key', '!=', exceptKey)
      .where('state', '=', 'bound')
      .executeTakeFirst();
    return r?.customer_key;
  }

  async list(opts: { shop?: string; bcScope?: string; limit?: number } = {}): Promise<CustomerBindingRow[]> {
    let q = this.db.selectFrom('customer_bindings').selectAll();
    if (opts.shop) q = q.where('shop', '=', opts.shop);
    if (opts.bcScope) q = q.where('bc_scope', '=', opts.bcScope);
    return q.orderBy('shop').orderBy('customer_key').limit(opts.limit ?? 1000).execute();
  }

  private row(k: BindingKey, state?: 'bound'): Promise<CustomerBindingRow | undefined> {
    let q = this.where(this.db.selectFrom('customer_bindings').selectAll(), k);
    if (state) q = q.where('state', '=', state);
    return q.executeTakeFirst();
  }

  private where<Q extends KeyFilterable<Q>>(q: Q, k: BindingKey): Q {
    return q.where('shop', '=', k.shop).where('bc_scope', '=', k.bcScope).where('customer_key', '=', k.customerKey);
  }

  private claimed<Q extends KeyFilterable<Q>>(q: Q, k: BindingKey, owner: string): Q {
    return this.where(q, k).where('state', '=', 'creating').where('claim_owner', '=', owner);
  }
}

const BOUND = { state: 'bound', claim_owner: null, claim_expires_at: null, create_sent_at: null } as const;

/** A Kysely select/update/delete builder over customer_bindings (they all have `where`). */
interface KeyFilterable<Q> {
  where(column: 'shop' | 'bc_scope' | 'customer_key' | 'state' | 'claim_owner', op: '=', value: string): Q;
}
