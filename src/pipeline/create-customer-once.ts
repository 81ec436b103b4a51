import { setTimeout as sleep } from 'node:timers/promises';
import type { BcCustomer, BcNewCustomer } from '../bc/target.js';
import { BcError } from '../domain/errors.js';
import type { CustomerClaim } from '../store/customer-bindings-repo.js';
import type { MasterData } from './master-data.js';

/** The claims of one shop in one BC company, for this worker (evaluate.ts `bindingStore`). */
export interface CustomerClaims {
  claim(key: string): Promise<CustomerClaim>;
  markSent(key: string): Promise<boolean>;
  bind(key: string, customerNo: string, template: string): Promise<boolean>;
  release(key: string): Promise<void>;
  /** Forgets a binding whose BC customer is gone. */
  forget(key: string): Promise<void>;
  /** The BC customer no. the shop customer is bound to now. */
  boundNo(key: string): Promise<string | undefined>;
  /** The other shop customer this BC customer no. is bound to, if any. */
  boundElsewhere(customerNo: string, key: string): Promise<string | undefined>;
}

/** Another worker is creating this shop customer's BC customer: the order waits for it (never creates). */
export class CustomerBeingCreated extends Error {
  constructor(
    readonly key: string,
    readonly owner: string,
    /** When that worker's claim expires (a dead worker's is taken over then). */
    readonly until?: Date,
  ) {
    super(`the BC customer for shop customer ${key} is being created by worker ${owner}`);
  }
}

/**
 * An earlier create may have reached BC and the card cannot be recognised (BC's number series and no e-mail,
 * or several cards that fit): a person decides, since a guess is a duplicate customer or a wrong one.
 */
export class CustomerCreateUncertain extends Error {
  constructor(
    readonly key: string,
    readonly candidates: string[],
  ) {
    super(
      candidates.length > 1
        ? `an interrupted attempt may have created the BC customer for shop customer ${key}, and several BC customers fit: ${candidates.join(', ')}`
        : `an interrupted attempt may have created the BC customer for shop customer ${key}, and BC's number series leaves nothing to recognise it by (no e-mail)`,
    );
  }
}

export interface CreateOnce {
  md: MasterData;
  claims: CustomerClaims;
  input: BcNewCustomer;
  /** The binding key (`id:…`, `email:…`, or `order:…` for a buyer with neither). */
  key: string;
  /** The template (country key) the customer is created from, kept on the binding. */
  template: string;
  /** How long to wait for another worker's create before the order waits instead. */
  pollMs?: number;
}

const POLL_STEP_MS = 250;

/**
 * Exactly one BC customer per shop customer across workers and crashes (issue 3):
 * 1. claim the shop customer in `customer_bindings` (one worker of all wins; the others wait for its
 *    binding a moment, then the order waits — `CustomerBeingCreated`);
 * 2. when an earlier attempt may have reached BC (a claim taken over after its lease expired, or this worker's
 *    own claim after a failure without a definite answer), find that card in BC instead of creating another:
 *    a card with the given number is found by the transport's create itself (it reads the number first); with
 *    BC's number series, by e-mail and name (`MasterData.customersCreatedAs`), skipping cards bound to another
 *    shop customer;
 * 3. record that the create is sent, send it (`create`), and turn the claim into the binding.
 * A definite rejection releases the claim (nothing was created); any other failure keeps it, marked as sent.
 */
export async function createCustomerOnce(o: CreateOnce, create: () => Promise<BcCustomer>): Promise<BcCustomer> {
  const { claims, key } = o;
  for (let round = 0; round < 3; round++) {
    const claim = await claims.claim(key);
    if (claim.kind === 'bound') {
      const c = await existing(o, claim.customerNo);
      if (c) return c;
      // Bound to a card BC no longer has (deleted since): forget it and claim afresh.
      await claims.forget(key);
      continue;
    }
    if (claim.kind === 'busy') {
      const c = await waitForBinding(o, o.pollMs ?? 2_000);
      if (c) return c;
      throw new CustomerBeingCreated(key, claim.owner, new Date(claim.expiresAt));
    }
    if (claim.mayExist && !o.input.number) {
      const found = await recognise(o);
      if (found) return bindOrDefer(o, found);
    }
    if (!(await claims.markSent(key))) continue;
    let created: BcCustomer;
    try {
      created = await create();
    } catch (err) {
      // BC refused the card (a 4xx that is not a conflict): nothing was created, the next try starts afresh.
      if (err instanceof BcError && !err.retryable && !err.ambiguous) await claims.release(key);
      throw err;
    }
    return bindOrDefer(o, created);
  }
  throw new Error(`shop customer ${key}: the customer claim kept changing; try again`);
}

/** A card an interrupted attempt made, or undefined when there is none (then the create goes ahead). */
async function recognise(o: CreateOnce): Promise<BcCustomer | undefined> {
  const candidates = await o.md.customersCreatedAs(o.input);
  if (candidates === undefined) {
    await o.claims.release(o.key);
    throw new CustomerCreateUncertain(o.key, []);
  }
  const ours: BcCustomer[] = [];
  for (const c of candidates) if (!(await o.claims.boundElsewhere(c.number, o.key))) ours.push(c);
  if (ours.length > 1) {
    await o.claims.release(o.key);
    throw new CustomerCreateUncertain(o.key, ours.map((c) => c.number));
  }
  return ours[0];
}

/** The claim becomes the binding; if another worker took the claim over meanwhile, its binding wins. */
async function bindOrDefer(o: CreateOnce, customer: BcCustomer): Promise<BcCustomer> {
  if (await o.claims.bind(o.key, customer.number, o.template)) return customer;
  const no = await o.claims.boundNo(o.key);
  if (no) return (await existing(o, no)) ?? customer;
  // Still a claim, someone else's: it will find this card by the rules above; this order waits for it.
  throw new CustomerBeingCreated(o.key, 'another worker');
}

/** The bound customer, read fresh (this process may have cached "no such number" before it existed). */
function existing(o: CreateOnce, customerNo: string): Promise<BcCustomer | undefined> {
  return o.md.customerNow(customerNo);
}

async function waitForBinding(o: CreateOnce, totalMs: number): Promise<BcCustomer | undefined> {
  for (let waited = 0; waited < totalMs; waited += POLL_STEP_MS) {
    await sleep(POLL_STEP_MS);
    const no = await o.claims.boundNo(o.key);
    if (no) return existing(o, no);
  }
  return undefined;
}
