import type { BcCodeRecord, BcCustomer, BcItem, BcNewCustomer, BcTarget } from '../bc/target.js';
import type { Clock } from '../domain/clock.js';
import { phoneSearchDigits } from '../domain/rules/phone.js';

/** The rules asked for master data the BC transport in use cannot provide (e.g. a customer search over SOAP). */
export class LookupNotSupportedError extends Error {
  constructor(readonly what: string) {
    super(`the BC transport cannot ${what}`);
  }
}

type Entry<T> = { at: number; value: Promise<T> };

/** The caches, shared by a MasterData and its fresh views. */
class Caches {
  readonly maps = new Map<string, Map<string, Entry<unknown>>>();
  /** Customer creations in flight in this process, by shop customer: not a cache, never cleared. */
  readonly creating = new Map<string, Promise<BcCustomer>>();
  map<T>(name: string): Map<string, Entry<T>> {
    let m = this.maps.get(name);
    if (!m) {
      m = new Map();
      this.maps.set(name, m);
    }
    return m as Map<string, Entry<T>>;
  }
  clear(): void {
    this.maps.clear();
  }
}

/**
 * BC master data as the order rules need it: customers (by no., e-mail, phone), items (by no., GTIN), item
 * variants, shipment methods, locations, dimension values. Cached with a TTL so evaluating a backlog costs
 * one BC request per distinct question, not per order; concurrent questions share one request; a failed
 * lookup is not remembered. `clear()` runs before a person's retry in this process, and `fresh(since)` gives
 * a view that asks BC again for anything cached before `since` (a retry made by another process).
 */
export class MasterData {
  private readonly caches: Caches;

  constructor(
    private readonly target: BcTarget,
    private readonly clock: Clock,
    private readonly ttlMs = 10 * 60_000,
    caches?: Caches,
    private readonly sinceMs = 0,
  ) {
    this.caches = caches ?? new Caches();
  }

  /** A view that reloads whatever was cached before `since` and shares everything loaded after it. */
  fresh(since: Date): MasterData {
    return new MasterData(this.target, this.clock, this.ttlMs, this.caches, since.getTime());
  }

  clear(): void {
    this.caches.clear();
  }

  /** True when the transport can answer `method` (the optional master-data methods of BcTarget). */
  can(method: keyof BcTarget): boolean {
    return typeof this.target[method] === 'function';
  }

  customer(number: string): Promise<BcCustomer | undefined> {
    return this.cached('customer', number.trim().toUpperCase(), () => this.target.getCustomer(number));
  }

  /** A customer as BC has it now, not as cached before this moment (the answer is cached for the others). */
  customerNow(number: string): Promise<BcCustomer | undefined> {
    return this.fresh(this.clock.now()).customer(number);
  }

  customersByEmail(email: string): Promise<BcCustomer[]> {
    const find = this.target.findCustomersByEmail?.bind(this.target);
    if (!find) return Promise.reject(new LookupNotSupportedError('search customers by e-mail'));
    return this.cached('customerEmail', email.trim().toLowerCase(), () => find(email));
  }

  /** Customers whose phone may be this number (the last 4 digits match; callers compare normalised numbers). */
  customersByPhone(phone: string): Promise<BcCustomer[]> {
    const find = this.target.findCustomersByPhoneDigits?.bind(this.target);
    if (!find) return Promise.reject(new LookupNotSupportedError('search customers by phone'));
    const digits = phoneSearchDigits(phone);
    if (!digits) return Promise.resolve([]);
    return this.cached('customerPhone', digits, () => find(digits));
  }

  item(number: string): Promise<BcItem | undefined> {
    return this.cached('item', number.trim().toUpperCase(), () => this.target.getItem(number));
  }

  itemsByGtin(gtin: string): Promise<BcItem[]> {
    const find = this.target.findItemsByGtin?.bind(this.target);
    if (!find) return Promise.reject(new LookupNotSupportedError('search items by GTIN'));
    return this.cached('gtin', gtin.trim(), () => find(gtin));
  }

  itemVariant(itemNumber: string, code: string): Promise<BcCodeRecord | undefined> {
    const get = this.target.getItemVariant?.bind(this.target);
    if (!get) return Promise.reject(new LookupNotSupportedError('read item variants'));
    return this.cached('variant', `${itemNumber.trim().toUpperCase()}/${code.trim().toUpperCase()}`, () => get(itemNumber, code));
  }

  /** Undefined also when the transport cannot check: BC then checks the code itself when the order is created. */
  shipmentMethod(code: string): Promise<BcCodeRecord | undefined | 'unchecked'> {
    const get = this.target.getShipmentMethod?.bind(this.target);
    if (!get) return Promise.resolve('unchecked');
    return this.cached('shipmentMethod', code.trim().toUpperCase(), () => get(code));
  }

  location(code: string): Promise<BcCodeRecord | undefined | 'unchecked'> {
    const get = this.target.getLocation?.bind(this.target);
    if (!get) return Promise.resolve('unchecked');
    return this.cached('location', code.trim().toUpperCase(), () => get(code));
  }

  dimensionValue(dimension: string, value: string): Promise<BcCodeRecord | undefined | 'unchecked'> {
    const get = this.target.getDimensionValue?.bind(this.target);
    if (!get) return Promise.resolve('unchecked');
    return this.cached('dimensionValue', `${dimension.trim().toUpperCase()}/${value.trim().toUpperCase()}`, () => get(dimension, value));
  }

  /**
   * Creates a customer. Orders of one shop customer evaluated at the same time in this process share one
   * creation (`key`), including the `guard` around it (pipeline/create-customer-once.ts: the database claim
   * that makes it one creation across workers too). The new customer is cached, so the next lookup by its
   * number costs nothing.
   */
  createCustomer(input: BcNewCustomer, key: string, guard?: (create: () => Promise<BcCustomer>) => Promise<BcCustomer>): Promise<BcCustomer> {
    const create = this.target.createCustomer?.bind(this.target);
    if (!create) return Promise.reject(new LookupNotSupportedError('create customers'));
    const creating = this.caches.creating;
    let p = creating.get(key);
    if (!p) {
      const once = () => create(input);
      p = (guard ? guard(once) : once()).then((c) => {
        const now = this.clock.now().getTime();
        this.caches.map<BcCustomer | undefined>('customer').set(c.number.toUpperCase(), { at: now, value: Promise.resolve(c) });
        // Searches cached before the customer existed are stale now.
        if (c.email) this.caches.map('customerEmail').delete(c.email.trim().toLowerCase());
        this.caches.map('customerPhone').clear();
        return c;
      });
      creating.set(key, p);
      const forget = () => creating.delete(key);
      p.then(forget, forget);
    }
    return p;
  }

  /**
   * Customers an earlier create of `input` may have made, asked of BC now (never from the cache): with BC's
   * number series, those with the e-mail and the name bcbridge gave the card (the rule in
   * docs/configuration.md "Creating customers"). Undefined when the card cannot be recognised: no e-mail, or
   * a transport that cannot search customers by e-mail.
   */
  async customersCreatedAs(input: BcNewCustomer): Promise<BcCustomer[] | undefined> {
    const find = this.target.findCustomersByEmail?.bind(this.target);
    const email = input.email?.trim().toLowerCase();
    if (!find || !email) return undefined;
    // Both transports cut the name to BC's Text[100] before sending it.
    const name = [...input.displayName.trim()].slice(0, 100).join('');
    return (await find(email)).filter((c) => c.email?.trim().toLowerCase() === email && c.displayName.trim() === name);
  }

  private cached<T>(name: string, key: string, load: () => Promise<T>): Promise<T> {
    const map = this.caches.map<T>(name);
    const now = this.clock.now().getTime();
    const hit = map.get(key);
    if (hit && now - hit.at < this.ttlMs && hit.at >= this.sinceMs) return hit.value;
    const value = load();
    const entry = { at: now, value };
    map.set(key, entry);
    // A failed lookup is not remembered: the next order tries again.
    value.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
    return value;
  }
}
