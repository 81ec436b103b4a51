import type { CustomerStep } from '../../config/shop-rules.js';
import type { ShopMapping } from '../../config/schema.js';
import type { HoldReason } from '../hold.js';
import type { CanonicalOrder } from '../order.js';
import { phoneKey, samePhone } from './phone.js';
import { reasons } from './reasons.js';

/** A BC customer as the chain needs it (structurally the BcCustomer of src/bc/target.ts). */
export interface CustomerRecord {
  number: string;
  displayName: string;
  /** '' | 'Ship' | 'Invoice' | 'All'. */
  blocked: string;
  email?: string;
  phoneNumber?: string;
}

export type CustomerTemplate = ShopMapping['customerTemplates'][string];

/** How a remembered binding came about; `created` means bcbridge created the BC customer. */
export type BindingOrigin = 'email' | 'phone' | 'created';

/**
 * Where the chain reads from and writes to. The pipeline implements it over BC master data (cached) and the
 * customer_bindings table; `bcbridge map` implements `create` and `remember` as dry runs.
 */
export interface CustomerSources {
  binding(key: string): Promise<{ customerNumber: string; origin: BindingOrigin; template?: string } | undefined>;
  forget(key: string): Promise<void>;
  remember(key: string, customerNumber: string, origin: BindingOrigin, template?: string): Promise<void>;
  byNumber(number: string): Promise<CustomerRecord | undefined>;
  byEmail(email: string): Promise<CustomerRecord[]>;
  /** Candidates whose phone may be this number; the chain compares them with samePhone. */
  byPhone(phone: string): Promise<CustomerRecord[]>;
  create(template: CustomerTemplate, templateKey: string, order: CanonicalOrder, bindingKey: string | undefined): Promise<CustomerRecord>;
}

export interface CustomerMatch {
  customer: CustomerRecord;
  /** The step that decided. */
  step: CustomerStep;
  /** The template (country key) when the customer was created by bcbridge, now or earlier. */
  templateKey?: string;
  /** The customer the order was placed by, when differentCustomerNo booked it on another one. */
  placedBy?: string;
}

export type CustomerDecision = { kind: 'customer'; match: CustomerMatch } | { kind: 'hold'; hold: HoldReason };

/**
 * The key a shop customer is remembered by: the shop's customer id, or for a guest the e-mail address (so a
 * guest who orders again is booked on the customer created the first time).
 */
export function bindingKey(order: CanonicalOrder): string | undefined {
  if (order.customer.shopCustomerId) return `id:${order.customer.shopCustomerId}`;
  const email = orderEmail(order);
  return email ? `email:${email}` : undefined;
}

export function orderEmail(order: CanonicalOrder): string | undefined {
  const e = (order.customer.email ?? order.billing.email)?.trim().toLowerCase();
  return e ? e : undefined;
}

function orderPhone(order: CanonicalOrder): string | undefined {
  return order.customer.phone ?? order.billing.phone;
}

const BLOCKING = new Set(['Ship', 'Invoice', 'All']);

/**
 * The customer matching chain (Tinx: Webshop Customer / Default Customer No. / e-mail / contact relation;
 * Sana: create from the country's template). Steps run in the configured order; the first that finds a
 * customer decides. `at` is the config path of the mapping (for hints).
 */
export async function matchCustomer(order: CanonicalOrder, mapping: ShopMapping, src: CustomerSources, at: string): Promise<CustomerDecision> {
  const key = bindingKey(order);
  const shopId = order.customer.shopCustomerId;
  const country = order.billing.country?.toUpperCase();
  const exists = async (number: string, setting: string): Promise<CustomerDecision | CustomerRecord> => {
    const c = await src.byNumber(number);
    return c ?? { kind: 'hold', hold: reasons.customerNotInBc(number, setting) };
  };
  let found: CustomerMatch | undefined;

  for (const step of mapping.customerChain) {
    if (found) break;
    switch (step) {
      case 'binding': {
        if (!key) break;
        const b = await src.binding(key);
        if (!b) break;
        const c = await src.byNumber(b.customerNumber);
        // The BC customer was deleted or renumbered since: forget it and let the rest of the chain decide.
        if (!c) {
          await src.forget(key);
          break;
        }
        found = { customer: c, step, templateKey: b.origin === 'created' ? b.template : undefined };
        break;
      }
      case 'map': {
        const no = shopId ? mapping.customerMap[shopId] : undefined;
        if (!no) break;
        const r = await exists(no, `${at}.customerMap["${shopId}"]`);
        if ('kind' in r) return r;
        found = { customer: r, step };
        break;
      }
      case 'email': {
        const email = orderEmail(order);
        if (!email) break;
        const hits = unique(await src.byEmail(email)).filter((c) => c.email?.trim().toLowerCase() === email);
        if (hits.length > 1) return { kind: 'hold', hold: reasons.customerAmbiguous('e-mail', email, hits.map((c) => c.number), at) };
        if (hits.length === 1) {
          found = { customer: hits[0], step };
          if (key) await src.remember(key, hits[0].number, 'email');
        }
        break;
      }
      case 'phone': {
        const phone = orderPhone(order);
        if (!phone || !phoneKey(phone)) break;
        const hits = unique(await src.byPhone(phone)).filter((c) => samePhone(c.phoneNumber, phone));
        if (hits.length > 1) return { kind: 'hold', hold: reasons.customerAmbiguous('phone', phone, hits.map((c) => c.number), at) };
        if (hits.length === 1) {
          found = { customer: hits[0], step };
          if (key) await src.remember(key, hits[0].number, 'phone');
        }
        break;
      }
      case 'guest': {
        if (!order.customer.guest || !mapping.guestCustomerNo) break;
        const r = await exists(mapping.guestCustomerNo, `${at}.guestCustomerNo`);
        if ('kind' in r) return r;
        found = { customer: r, step };
        break;
      }
      case 'country': {
        const no = (country && mapping.countryCustomers[country]) || mapping.countryCustomers['*'];
        if (!no) break;
        const setting = `${at}.countryCustomers["${country && mapping.countryCustomers[country] ? country : '*'}"]`;
        const r = await exists(no, setting);
        if ('kind' in r) return r;
        found = { customer: r, step };
        break;
      }
      case 'default': {
        if (!mapping.defaultCustomerNo) break;
        const r = await exists(mapping.defaultCustomerNo, `${at}.defaultCustomerNo`);
        if ('kind' in r) return r;
        found = { customer: r, step };
        break;
      }
      case 'create': {
        const templateKey = country && mapping.customerTemplates[country] ? country : mapping.customerTemplates['*'] ? '*' : undefined;
        if (!templateKey) return { kind: 'hold', hold: reasons.noCustomerTemplate(country, at) };
        const created = await src.create(mapping.customerTemplates[templateKey], templateKey, order, key);
        if (key) await src.remember(key, created.number, 'created', templateKey);
        found = { customer: created, step, templateKey };
        break;
      }
    }
  }

  if (!found) {
    const who = `${shopId ?? 'guest'} (${orderEmail(order) ?? 'no e-mail'})`;
    return { kind: 'hold', hold: order.customer.guest ? reasons.noGuestCustomer(order.orderNumber, at) : reasons.noCustomerMatch(who, at) };
  }

  // Tinx "Different Customer No.": the order placed by A is booked on B.
  const redirects = new Map(Object.entries(mapping.differentCustomerNo).map(([a, b]) => [a.trim().toUpperCase(), b]));
  const bookOn = redirects.get(found.customer.number.toUpperCase());
  if (bookOn && bookOn.toUpperCase() !== found.customer.number.toUpperCase()) {
    const r = await exists(bookOn, `${at}.differentCustomerNo["${found.customer.number}"]`);
    if ('kind' in r) return r;
    found = { ...found, customer: r, placedBy: found.customer.number };
  }

  const c = found.customer;
  if (BLOCKING.has(c.blocked)) {
    const via = found.placedBy ? `; the order was placed by ${found.placedBy} and is booked on ${c.number}` : '';
    return { kind: 'hold', hold: reasons.customerBlocked(c.number, c.displayName, c.blocked, via) };
  }
  return { kind: 'customer', match: found };
}

function unique(list: CustomerRecord[]): CustomerRecord[] {
  const seen = new Map<string, CustomerRecord>();
  for (const c of list) if (!seen.has(c.number)) seen.set(c.number, c);
  return [...seen.values()];
}
