/**
 * Pure order generator: realistic WooCommerce 11 orders from the demo catalog. Deterministic for a seed
 * and a sequence of timestamps; no I/O. The server owns one generator and feeds it the sim clock.
 */
import { createHash } from 'node:crypto';
import { LCY, CURRENCIES } from '../../catalog.js';
import { fmtGmt } from './dates.js';
import { finalizeOrder, type SiteInfo } from './document.js';
import { convert, D, Decimal, money, rawDecimal } from './money.js';
import { createRng, type Rng } from '../common/rng.js';
import { buildTaxLines, netTax, orderTotals, priceLines, type CouponInput, type PricedLineInput } from './totals.js';
import type {
  GenerateOptions, WooBilling, WooCouponLine, WooFeeLine, WooItemMeta, WooLineItem, WooMeta, WooOrder,
  WooRefundSummary, WooShipping, WooShippingLine,
} from './types.js';
import {
  blockedProducts, CATALOG_ACCOUNTS, COUNTRY_WEIGHTS, COUPONS, CUSTOMER_NOTES, EMAIL_DOMAINS, FEES, FIRST_NAMES,
  LAST_NAMES, PAYMENT_TITLES, PLACES, sellableProducts, SHIPPING, shippingZone, TAX_RATES, UNKNOWN_PRODUCTS,
  USER_AGENTS, WC_VERSION, type Place, type ShopProduct,
} from './world.js';

export const DEFAULT_STATUSES = ['processing', 'on-hold', 'pending', 'completed'];

export interface IdCounters {
  /** Last order id used. Refunds take ids from the same sequence, as in WooCommerce. */
  order: number;
  /** Order items (lines, shipping, fees, coupons, taxes) share one sequence. */
  item: number;
  orderMeta: number;
  itemMeta: number;
}

export interface OrderGenerator {
  readonly ids: IdCounters;
  /**
   * A new order last modified at `modifiedSec` (epoch seconds). Created a few seconds earlier, never
   * before the previous order's creation.
   */
  next(opts: GenerateOptions, modifiedSec: number): WooOrder;
  /** Id sequences, shared with the store for orders it assembles itself. */
  allocateOrderId(): number;
  nextItemId(): number;
  nextItemMetaId(): number;
  nextOrderMetaId(): number;
  rng: Rng;
}

interface Person {
  first: string;
  last: string;
  company: string;
  place: Place;
  street: string;
  address2: string;
  postcode: string;
  email: string;
  phone: string;
  userId: number;
  vatId?: string;
}

interface Combo {
  method: string;
  status: string;
  paid: boolean;
  weight: number;
}

/** Payment gateway × status, with date_paid as the live shop sets it (woocommerce-live-facts.md). */
const COMBOS: Combo[] = [
  { method: 'stripe', status: 'processing', paid: true, weight: 40 },
  { method: 'ppcp-gateway', status: 'processing', paid: true, weight: 15 },
  { method: 'stripe', status: 'completed', paid: true, weight: 12 },
  { method: 'ppcp-gateway', status: 'completed', paid: true, weight: 4 },
  { method: 'bacs', status: 'processing', paid: true, weight: 5 },
  { method: 'bacs', status: 'completed', paid: true, weight: 4 },
  { method: 'cod', status: 'completed', paid: true, weight: 3 },
  { method: 'bacs', status: 'on-hold', paid: false, weight: 40 },
  { method: 'cod', status: 'processing', paid: false, weight: 30 },
  { method: 'stripe', status: 'pending', paid: false, weight: 15 },
  { method: 'ppcp-gateway', status: 'pending', paid: false, weight: 5 },
  { method: 'stripe', status: 'failed', paid: false, weight: 5 },
  { method: 'bacs', status: 'cancelled', paid: false, weight: 5 },
  { method: 'stripe', status: 'refunded', paid: true, weight: 3 },
];

function ascii(s: string): string {
  return s
    .replace(/ß/g, 'ss').replace(/[øØ]/g, 'o').replace(/[æÆ]/g, 'ae').replace(/[þÞ]/g, 'th').replace(/[łŁ]/g, 'l')
    .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

const EMPTY_HASH = md5('a:0:{}'); // what WooCommerce stores for an empty cart part: d751713988987e9331980363e24189ce

export function createGenerator(seed: number, site: SiteInfo, start: Partial<IdCounters> = {}): OrderGenerator {
  const rng = createRng(seed);
  const ids: IdCounters = { order: 1000, item: 1, orderMeta: 1, itemMeta: 1, ...start };
  const products = sellableProducts(site.homeUrl);
  const blocked = blockedProducts(site.homeUrl);
  let lastCreated = 0;

  const nextItemId = () => ++ids.item;
  const nextItemMetaId = () => ++ids.itemMeta;
  const nextOrderMetaId = () => ++ids.orderMeta;
  const allocateOrderId = () => ++ids.order;

  const placeIn = (country: string) => rng.pick(PLACES.filter((p) => p.country === country));

  function newPerson(country: string, userId: number): Person {
    const place = placeIn(country);
    const first = rng.chance(0.1) ? rng.pick(FIRST_NAMES.any) : rng.pick(FIRST_NAMES[country] ?? FIRST_NAMES.any);
    const last = rng.chance(0.1) ? rng.pick(LAST_NAMES.any) : rng.pick(LAST_NAMES[country] ?? LAST_NAMES.any);
    let local = `${ascii(first)}.${ascii(last)}`.replace(/^\.|\.$/g, '');
    if (local.length < 3 || local.startsWith('.') || local.endsWith('.')) local = `kunde${rng.int(100, 9999)}`;
    let email = `${local}${rng.chance(0.3) ? rng.int(1, 99) : ''}@${rng.pick(EMAIL_DOMAINS)}`;
    if (rng.chance(0.05)) email = email.charAt(0).toUpperCase() + email.slice(1); // people type capitals
    return {
      first,
      last,
      company: rng.chance(0.08) ? `${last} ${rng.pick(['GmbH', 'KG', 'B.V.', 'SARL', 'Ltd'])}` : '',
      place,
      street: `${rng.pick(place.streets)} ${rng.int(1, 120)}${rng.chance(0.1) ? rng.pick(['a', 'b']) : ''}`,
      address2: rng.chance(0.1) ? rng.pick(['2. OG', 'c/o Büro', 'Apt 4B', 'Hinterhaus']) : '',
      postcode: rng.pick(place.postcodes),
      email,
      phone: rng.chance(0.1) ? '' : `${place.phonePrefix}${rng.int(100000, 9999999)}`,
      userId,
    };
  }

  // Registered customers: catalog accounts (fixed ids, catalog emails) and a pool of repeat buyers.
  const accounts: Person[] = CATALOG_ACCOUNTS.map(({ customer, userId }) => {
    const p = newPerson(customer.country, userId);
    const vat: Record<string, string> = { DE: 'DE123456789', AT: 'ATU12345678', NL: 'NL123456789B01', CH: 'CHE-123.456.789 MWST' };
    return { ...p, company: customer.displayName, email: customer.email!, vatId: vat[customer.country] };
  });
  const pool: Person[] = [];
  for (let i = 0; i < 40; i++) pool.push(newPerson(rng.weighted(COUNTRY_WEIGHTS), 20 + i));

  function pickCustomer(opts: GenerateOptions): Person {
    if (rng.chance(opts.guestShare ?? 0.4)) return newPerson(rng.weighted(COUNTRY_WEIGHTS), 0);
    if (rng.chance(0.3)) {
      // The blocked catalog customer (CH) buys rarely.
      return rng.weighted(accounts.map((a) => [a, a.place.country === 'CH' ? 1 : 6] as const));
    }
    return rng.pick(pool);
  }

  function billingOf(p: Person): WooBilling {
    return {
      first_name: p.first, last_name: p.last, company: p.company, address_1: p.street, address_2: p.address2,
      city: p.place.city, state: p.place.state, postcode: p.postcode, country: p.place.country, email: p.email, phone: p.phone,
    };
  }

  function shippingOf(p: Person): WooShipping {
    if (rng.chance(0.15)) {
      // Ships to someone else in the same country (a gift, the office).
      const o = newPerson(p.place.country, 0);
      return {
        first_name: o.first, last_name: o.last, company: o.company, address_1: o.street, address_2: o.address2,
        city: o.place.city, state: o.place.state, postcode: o.postcode, country: o.place.country, phone: rng.chance(0.5) ? o.phone : '',
      };
    }
    const { email: _email, ...rest } = billingOf(p);
    return { ...rest, phone: rng.chance(0.7) ? p.phone : '' };
  }

  function pickCurrency(opts: GenerateOptions, country: string): string {
    if (opts.currency) return opts.currency;
    const local: Record<string, string> = { US: 'USD', GB: 'GBP', CH: 'CHF' };
    if (local[country] && CURRENCIES.includes(local[country]) && rng.chance(0.4)) return local[country];
    if (rng.chance(0.02)) return rng.pick(CURRENCIES.filter((c) => c !== LCY));
    return LCY;
  }

  function pickCombo(opts: GenerateOptions): Combo {
    const statuses = opts.statuses?.length ? opts.statuses : DEFAULT_STATUSES;
    const unpaid = rng.chance(opts.unpaidShare ?? 0.25);
    let candidates = COMBOS.filter((c) => statuses.includes(c.status) && c.paid === !unpaid);
    if (!candidates.length) candidates = COMBOS.filter((c) => statuses.includes(c.status));
    if (!candidates.length) {
      // A status only a plugin knows (e.g. "wc-shipped-partial"): treat it as paid by card.
      return { method: 'stripe', status: rng.pick(statuses), paid: true, weight: 1 };
    }
    return rng.weighted(candidates.map((c) => [c, c.weight] as const));
  }

  interface CartLine {
    name: string; productId: number; variationId: number; sku: string; gtin: string; parentName: string | null;
    image: WooLineItem['image']; attribute?: ShopProduct['attribute']; input: PricedLineInput;
  }

  function cartLine(p: ShopProduct, qty: number, currency: string): CartLine {
    return {
      name: p.name, productId: p.productId, variationId: p.variationId, sku: p.sku, gtin: p.item.gtin ?? '',
      parentName: p.parentName, image: p.image, attribute: p.attribute,
      input: { unitNet: convert(p.item.unitPrice, currency), quantity: qty, taxGroup: p.item.taxGroupCode },
    };
  }

  function pickLines(opts: GenerateOptions, currency: string): CartLine[] {
    const count = rng.weighted([[1, 40], [2, 30], [3, 18], [4, 8], [5, 4]] as const);
    const qty = () => rng.weighted([[1, 60], [2, 25], [3, 10], [rng.int(4, 10), 5]] as const);
    const chosen = new Set<ShopProduct>();
    while (chosen.size < Math.min(count, products.length)) chosen.add(rng.pick(products));
    const lines = [...chosen].map((p) => cartLine(p, qty(), currency));
    if (rng.chance(opts.blockedItemShare ?? 0) && blocked.length) lines.push(cartLine(rng.pick(blocked), 1, currency));
    if (rng.chance(opts.unknownSkuShare ?? 0)) {
      const u = rng.pick(UNKNOWN_PRODUCTS);
      lines.push({
        name: u.name, productId: u.productId, variationId: 0, sku: u.sku, gtin: '', parentName: null, image: { id: '', src: '' },
        input: { unitNet: convert(u.unitPrice, currency), quantity: qty(), taxGroup: u.taxGroupCode },
      });
    }
    return lines;
  }

  function itemMeta(key: string, value: unknown, displayKey = key, displayValue: unknown = value): WooItemMeta {
    return { id: nextItemMetaId(), key, value, display_key: displayKey, display_value: displayValue };
  }

  function next(opts: GenerateOptions, modifiedSec: number): WooOrder {
    const id = allocateOrderId();
    const customer = pickCustomer(opts);
    const country = customer.place.country;
    const currency = pickCurrency(opts, country);
    const combo = pickCombo(opts);
    const pricesIncludeTax = rng.chance(opts.pricesIncludeTaxShare ?? 0.5);
    const createdVia = rng.weighted([['checkout', 55], ['store-api', 35], ['admin', 5], ['rest-api', 5]] as const);
    const fromBrowser = createdVia === 'checkout' || createdVia === 'store-api';
    const stockReduced = ['processing', 'on-hold', 'completed', 'refunded'].includes(combo.status);

    const createdSec = Math.max(lastCreated, modifiedSec - rng.int(0, 3));
    lastCreated = createdSec;
    const paidSec = combo.paid ? Math.max(createdSec, modifiedSec - rng.int(0, 1)) : null;
    const completedSec = combo.status === 'completed' ? modifiedSec : null;

    // Line items.
    const cart = pickLines(opts, currency);
    const couponDef = rng.chance(0.15) ? rng.pick(COUPONS) : undefined;
    const coupon: CouponInput | undefined = couponDef ? { type: couponDef.type, amount: couponDef.amount } : undefined;
    const priced = priceLines(cart.map((c) => c.input), pricesIncludeTax, coupon);
    const lineItems: WooLineItem[] = cart.map((c, i) => {
      const p = priced[i];
      const rate = TAX_RATES[c.input.taxGroup];
      const meta: WooItemMeta[] = [];
      if (c.attribute) meta.push(itemMeta(c.attribute.key, c.attribute.slug, c.attribute.displayKey, c.attribute.displayValue));
      if (stockReduced) meta.push(itemMeta('_reduced_stock', String(c.input.quantity)));
      return {
        id: nextItemId(), name: c.name, product_id: c.productId, variation_id: c.variationId, quantity: c.input.quantity,
        tax_class: rate.taxClass, subtotal: money(p.subtotal), subtotal_tax: money(p.subtotalTax), total: money(p.total),
        total_tax: money(p.totalTax), taxes: [{ id: rate.id, total: money(p.totalTax), subtotal: money(p.subtotalTax) }],
        meta_data: meta, sku: c.sku, global_unique_id: c.gtin, price: p.price, image: c.image, parent_name: c.parentName,
      };
    });

    // Fees: entered net, taxed at the standard rate.
    const feeLines: WooFeeLine[] = [];
    const addFee = (name: string, amountLcy: string) => {
      const net = convert(amountLcy, currency);
      const tax = netTax(net);
      feeLines.push({
        id: nextItemId(), name, tax_class: '', tax_status: 'taxable', amount: rawDecimal(net), total: money(net),
        total_tax: money(tax), taxes: [{ id: TAX_RATES.STANDARD.id, total: money(tax), subtotal: '' }], meta_data: [],
      });
    };
    if (combo.method === 'cod' && rng.chance(0.6)) addFee(FEES.cod.name, FEES.cod.amount);
    if (rng.chance(0.05)) addFee(FEES.giftWrap.name, FEES.giftWrap.amount);
    if (rng.chance(0.03)) addFee(FEES.express.name, FEES.express.amount);

    // Shipping: flat rate per zone, free above a threshold, sometimes local pickup in Germany.
    const zone = SHIPPING[shippingZone(country)];
    const goodsNet = cart.reduce((s, c) => s.plus(D(c.input.unitNet).times(c.input.quantity)), D(0));
    const shippingLines: WooShippingLine[] = [];
    const itemsMeta = fromBrowser
      ? [itemMeta('Items', cart.map((c) => `${c.name} &times; ${c.input.quantity}`).join(', '))]
      : [];
    if (country === 'DE' && rng.chance(0.03)) {
      shippingLines.push({ id: nextItemId(), method_title: 'Local pickup', method_id: 'local_pickup', instance_id: '6', total: '0.00', total_tax: '0.00', taxes: [], tax_status: 'taxable', meta_data: itemsMeta });
    } else if (zone.freeAbove && goodsNet.gte(convert(zone.freeAbove, currency)) && rng.chance(0.85)) {
      shippingLines.push({ id: nextItemId(), method_title: 'Free shipping', method_id: 'free_shipping', instance_id: zone.freeInstance, total: '0.00', total_tax: '0.00', taxes: [], tax_status: 'taxable', meta_data: itemsMeta });
    } else {
      const net = convert(zone.flatRate, currency);
      const tax = netTax(net);
      shippingLines.push({
        id: nextItemId(), method_title: shippingZone(country) === 'domestic' ? 'Flat rate' : 'International shipping', method_id: 'flat_rate',
        instance_id: zone.flatInstance, total: money(net), total_tax: money(tax),
        taxes: [{ id: TAX_RATES.STANDARD.id, total: money(tax), subtotal: '' }], tax_status: 'taxable', meta_data: itemsMeta,
      });
    }

    const couponLines: WooCouponLine[] = [];
    const totals = orderTotals({ line_items: lineItems, fee_lines: feeLines, shipping_lines: shippingLines });
    if (couponDef) {
      couponLines.push({
        id: nextItemId(), code: couponDef.code, discount: totals.discount_total, discount_tax: rawDecimal(totals.discount_tax),
        meta_data: [itemMeta('coupon_info', JSON.stringify([couponDef.id, couponDef.code, couponDef.type, couponDef.amount]))],
        discount_type: couponDef.type, nominal_amount: couponDef.amount, free_shipping: false,
      });
    }
    const taxLines = buildTaxLines({ line_items: lineItems, fee_lines: feeLines, shipping_lines: shippingLines }, nextItemId);

    // Order meta as a live shop shows it.
    const meta: WooMeta[] = [];
    const om = (key: string, value: unknown) => meta.push({ id: nextOrderMetaId(), key, value });
    if (fromBrowser) {
      om('_shipping_hash', md5(JSON.stringify(shippingLines.map((s) => [s.method_id, s.instance_id, s.total]))));
      om('_coupons_hash', couponDef ? md5(couponDef.code) : EMPTY_HASH);
      om('_fees_hash', feeLines.length ? md5(JSON.stringify(feeLines.map((f) => [f.name, f.total]))) : EMPTY_HASH);
      om('_taxes_hash', md5(JSON.stringify(taxLines.map((t) => [t.rate_id, t.tax_total, t.shipping_tax_total]))));
      om('is_vat_exempt', 'no');
      if (createdVia === 'checkout' && rng.chance(0.7)) {
        om('_wc_order_attribution_source_type', rng.pick(['typein', 'organic', 'referral', 'utm']));
        om('_wc_order_attribution_utm_source', rng.pick(['(direct)', 'google', 'newsletter', 'instagram']));
        om('_wc_order_attribution_session_pages', String(rng.int(1, 12)));
        om('_wc_order_attribution_device_type', rng.pick(['Desktop', 'Mobile', 'Tablet']));
      }
    }
    if (customer.vatId) om('_billing_vat_id', customer.vatId);
    let transactionId = '';
    if (combo.paid && combo.method === 'stripe') {
      transactionId = `ch_3${rng.chars(23)}`;
      om('_stripe_intent_id', `pi_3${rng.chars(23)}`);
      om('_stripe_charge_captured', 'yes');
      om('_stripe_currency', currency);
    } else if (combo.paid && combo.method === 'ppcp-gateway') {
      transactionId = rng.chars(17, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789');
      om('_ppcp_paypal_order_id', rng.chars(17, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'));
      om('_ppcp_paypal_intent', 'CAPTURE');
    }

    // Refunds: WooCommerce keeps the order total and lists refunds as negative amounts.
    const refunds: WooRefundSummary[] = [];
    if (combo.status === 'refunded') {
      refunds.push({ id: allocateOrderId(), reason: 'Order fully refunded', total: `-${totals.total}`, total_tax: '0.00' });
    } else if (combo.paid && rng.chance(opts.refundShare ?? 0.03)) {
      const line = rng.pick(lineItems);
      const unitGross = D(line.total).plus(line.total_tax).div(line.quantity);
      const amount = rng.chance(0.5) ? unitGross : Decimal.min(D(5), D(totals.total));
      refunds.push({ id: allocateOrderId(), reason: rng.pick(['Mug broken', 'Kulanz', '', 'Item missing from parcel']), total: `-${money(amount)}`, total_tax: '0.00' });
    }

    const order: WooOrder = {
      id, parent_id: 0, status: combo.status, currency, version: WC_VERSION, prices_include_tax: pricesIncludeTax,
      date_created: '', date_modified: '', ...totals,
      customer_id: customer.userId, order_key: `wc_order_${rng.chars(13)}`, billing: billingOf(customer), shipping: shippingOf(customer),
      payment_method: combo.method, payment_method_title: PAYMENT_TITLES[combo.method] ?? combo.method, transaction_id: transactionId,
      customer_ip_address: fromBrowser ? (rng.chance(0.8) ? `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` : `2a02:8108:${rng.chars(4, '0123456789abcdef')}::${rng.chars(4, '0123456789abcdef')}`) : '',
      customer_user_agent: fromBrowser ? rng.pick(USER_AGENTS) : '',
      created_via: createdVia, customer_note: rng.chance(0.15) ? rng.pick(CUSTOMER_NOTES) : '',
      date_completed: null, date_paid: null, cart_hash: fromBrowser ? md5(JSON.stringify(cart.map((c) => [c.sku, c.input.quantity]))) : '',
      number: String(id), meta_data: meta, line_items: lineItems, tax_lines: taxLines, shipping_lines: shippingLines,
      fee_lines: feeLines, coupon_lines: couponLines, refunds, payment_url: '', is_editable: false, needs_payment: false,
      needs_processing: true, date_created_gmt: fmtGmt(createdSec), date_modified_gmt: fmtGmt(modifiedSec),
      date_completed_gmt: completedSec === null ? null : fmtGmt(completedSec), date_paid_gmt: paidSec === null ? null : fmtGmt(paidSec),
      currency_symbol: '', _links: {},
    };
    return finalizeOrder(order, site);
  }

  return { ids, next, allocateOrderId, nextItemId, nextItemMetaId, nextOrderMetaId, rng };
}
