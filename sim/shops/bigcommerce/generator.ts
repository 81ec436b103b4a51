/**
 * Pure order generator: BigCommerce v2 orders from the demo catalog, reconciling to the cent with the
 * BC simulator (VAT per line: round2(net × rate), shipping and fees at the standard rate). Deterministic
 * for a seed and a sequence of timestamps.
 *
 * Line arithmetic (what the connector reads back):
 *  - tax-exclusive store: total_ex_tax = unit net × qty (before discount); the coupon discount is a net
 *    amount in applied_discounts; tax = round2((net − discount) × rate); discounted_total_inc_tax =
 *    net − discount + tax; total_tax/total_inc_tax are before the discount.
 *  - tax-inclusive store: the shelf price is gross (round2(net × (1 + rate))); tax is extracted,
 *    round2(gross × rate / (1 + rate)); the discount comes off the gross.
 *  - total_inc_tax = Σ discounted line gross + shipping gross + fee gross; total_tax likewise.
 */
import { Decimal } from 'decimal.js';
import { CURRENCIES, LCY, VAT_PERCENT, type CatalogItem } from '../../catalog.js';
import { createRng, type Rng } from '../common/rng.js';
import { COUNTRY_WEIGHTS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, type Place } from '../woocommerce/world.js';
import { rfc2822 } from './dates.js';
import type { BcAddress, BcCoupon, BcFee, BcOrder, BcOrderRecord, BcOrderSpec, BcProduct, BcShippingAddress, BcTax, GenerateOptions } from './types.js';
import {
  CATALOG_ACCOUNTS, COUNTRY_NAMES, COUPONS, PAYMENT_METHODS, STATE_NAMES, statusBy, STORE_HASH, storeProducts, TAX_CLASS,
  UNKNOWN_PRODUCTS, ZONES, zoneOf, type StoreProduct,
} from './world.js';

const D = (v: Decimal.Value) => new Decimal(v);
const r2 = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const m4 = (v: Decimal.Value) => new Decimal(v).toFixed(4);
const FX: Record<string, string> = { EUR: '1', USD: '1.08', GBP: '0.85', CHF: '0.95' };
const convert = (eur: Decimal.Value, currency: string) => r2(D(eur).times(FX[currency] ?? '1'));
const rateOf = (group: CatalogItem['taxGroupCode']) => D(VAT_PERCENT[group]).div(100);

export const DEFAULT_STATUSES = ['awaiting-fulfillment', 'awaiting-payment', 'pending', 'completed', 'shipped'];

interface Combo { status: string; payment: string; method: keyof typeof PAYMENT_METHODS; paid: boolean; weight: number }

const COMBOS: Combo[] = [
  { status: 'awaiting-fulfillment', payment: 'captured', method: 'card', paid: true, weight: 50 },
  { status: 'awaiting-fulfillment', payment: 'captured', method: 'paypal', paid: true, weight: 15 },
  { status: 'awaiting-shipment', payment: 'captured', method: 'card', paid: true, weight: 4 },
  { status: 'completed', payment: 'captured', method: 'card', paid: true, weight: 8 },
  { status: 'shipped', payment: 'captured', method: 'paypal', paid: true, weight: 6 },
  { status: 'awaiting-payment', payment: 'pending', method: 'bank', paid: false, weight: 40 },
  { status: 'awaiting-payment', payment: 'authorized', method: 'card', paid: false, weight: 10 },
  { status: 'pending', payment: '', method: 'card', paid: false, weight: 15 },
  { status: 'manual-verification-required', payment: 'held for review', method: 'card', paid: false, weight: 3 },
  { status: 'declined', payment: 'declined', method: 'card', paid: false, weight: 3 },
  { status: 'cancelled', payment: 'void', method: 'card', paid: false, weight: 3 },
  { status: 'incomplete', payment: '', method: 'card', paid: false, weight: 2 },
];

export interface Person {
  first: string; last: string; company: string; place: Place; street: string; street2: string; zip: string; email: string; phone: string; customerId: number;
}

export interface Ids { order: number; product: number; address: number; option: number; coupon: number; tax: number; refund: number; fee: number }

export interface BigCommerceGenerator {
  ids: Ids;
  rng: Rng;
  /** A new order created and last modified at the given epoch seconds. */
  next(opts: GenerateOptions, createdSec: number, modifiedSec: number, spec?: BcOrderSpec): BcOrderRecord;
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function createGenerator(seed: number, apiBase: string): BigCommerceGenerator {
  const rng = createRng(seed);
  const ids: Ids = { order: 99, product: 64, address: 130, option: 44, coupon: 2, tax: 12, refund: 11, fee: 0 };
  const products = storeProducts();
  const blocked = storeProducts(true).filter((p) => p.item.blocked);

  function person(country: string, customerId: number): Person {
    const place = rng.pick(PLACES.filter((p) => p.country === country));
    const first = rng.chance(0.1) ? rng.pick(FIRST_NAMES.any!) : rng.pick(FIRST_NAMES[country] ?? FIRST_NAMES.any!);
    const last = rng.chance(0.1) ? rng.pick(LAST_NAMES.any!) : rng.pick(LAST_NAMES[country] ?? LAST_NAMES.any!);
    const local = `${ascii(first)}.${ascii(last)}`.replace(/^\.|\.$/g, '') || `kunde${rng.int(100, 9999)}`;
    return {
      first, last, company: rng.chance(0.08) ? `${last} GmbH` : '', place,
      street: `${rng.pick(place.streets)} ${rng.int(1, 120)}`, street2: rng.chance(0.1) ? rng.pick(['2. OG', 'c/o Büro', 'Apt 4B']) : '',
      zip: rng.pick(place.postcodes), email: `${local.length >= 3 ? local : `kunde${rng.int(100, 9999)}`}@${rng.pick(EMAIL_DOMAINS)}`,
      phone: rng.chance(0.1) ? '' : `${place.phonePrefix}${rng.int(100000, 9999999)}`, customerId,
    };
  }

  const accounts: Person[] = CATALOG_ACCOUNTS.map(({ customer, customerId }) => ({ ...person(customer.country, customerId), company: customer.displayName, email: customer.email! }));
  const pool: Person[] = [];
  for (let i = 0; i < 30; i++) pool.push(person(rng.weighted(COUNTRY_WEIGHTS), 40 + i));

  function address(p: Person, over: Partial<BcAddress> = {}): BcAddress {
    return {
      first_name: p.first, last_name: p.last, company: p.company, street_1: p.street, street_2: p.street2, city: p.place.city,
      state: STATE_NAMES[p.place.state] ?? p.place.state, zip: p.zip, country: COUNTRY_NAMES[p.place.country] ?? p.place.country,
      country_iso2: p.place.country, phone: p.phone, email: p.email, ...over,
    };
  }

  function pickCombo(opts: GenerateOptions, forced?: string | number): Combo {
    if (forced !== undefined) {
      const slug = statusBy(forced).slug;
      return COMBOS.find((c) => c.status === slug) ?? { status: slug, payment: 'captured', method: 'card', paid: true, weight: 1 };
    }
    const statuses = (opts.statuses?.length ? opts.statuses : DEFAULT_STATUSES).map((s) => statusBy(s).slug);
    const unpaid = rng.chance(opts.unpaidShare ?? 0.25);
    let candidates = COMBOS.filter((c) => statuses.includes(c.status) && c.paid === !unpaid);
    if (!candidates.length) candidates = COMBOS.filter((c) => statuses.includes(c.status));
    if (!candidates.length) return { status: rng.pick(statuses), payment: 'captured', method: 'card', paid: true, weight: 1 };
    return rng.weighted(candidates.map((c) => [c, c.weight] as const));
  }

  interface Cart { sku: string; name: string; productId: number; variantId: number; qty: number; unitNet: Decimal; group: CatalogItem['taxGroupCode']; gtin: string; option?: StoreProduct['option']; parent?: number; free?: boolean; address?: number }

  function cartFromCatalog(p: StoreProduct, qty: number, currency: string): Cart {
    return { sku: p.sku, name: p.name, productId: p.productId, variantId: p.variantId, qty, unitNet: convert(p.item.unitPrice, currency), group: p.item.taxGroupCode, gtin: p.item.gtin ?? '', option: p.option };
  }

  function next(opts: GenerateOptions, createdSec: number, modifiedSec: number, spec: BcOrderSpec = {}): BcOrderRecord {
    const id = ++ids.order;
    const guest = spec.customer === 'guest' || (spec.customer === undefined && rng.chance(opts.guestShare ?? 0.4));
    let buyer: Person;
    if (typeof spec.customer === 'number') buyer = accounts.find((a) => a.customerId === spec.customer) ?? pool.find((a) => a.customerId === spec.customer) ?? { ...person('DE', spec.customer) };
    else if (guest) buyer = person(rng.weighted(COUNTRY_WEIGHTS), 0);
    else buyer = rng.chance(0.3) ? rng.pick(accounts) : rng.pick(pool);
    const billing = address(buyer, spec.billing);
    const country = billing.country_iso2;
    const currency = spec.currency ?? opts.currency ?? (country === 'US' && rng.chance(0.4) ? 'USD' : country === 'GB' && rng.chance(0.4) ? 'GBP' : rng.chance(0.02) ? rng.pick(CURRENCIES.filter((c) => c !== LCY)) : LCY);
    const combo = pickCombo(opts, spec.status);
    const inclusive = spec.pricesIncludeTax ?? rng.chance(opts.pricesIncludeTaxShare ?? 0.5);
    const firstShipTo = spec.shippingAddresses?.[0] ?? spec.shipping;
    const shipTo = firstShipTo ? address(buyer, { ...firstShipTo }) : rng.chance(0.15) ? address(person(country, 0)) : { ...billing };

    // Cart.
    let cart: Cart[];
    if (spec.lines?.length) {
      cart = spec.lines.map((l) => {
        const p = storeProducts(true).find((x) => x.sku === l.sku);
        const base = p ? cartFromCatalog(p, l.quantity ?? 1, currency) : { sku: l.sku, name: l.name ?? l.sku, productId: 999, variantId: 0, qty: l.quantity ?? 1, unitNet: D(0), group: 'STANDARD' as const, gtin: '' };
        if (l.address !== undefined && !(Number.isInteger(l.address) && l.address >= 0 && l.address < Math.max(1, spec.shippingAddresses?.length ?? 0))) {
          throw new Error(`line ${l.sku}: address ${l.address} is not one of the order's shipping addresses`);
        }
        return { ...base, ...(l.unitPrice !== undefined && { unitNet: D(l.unitPrice) }), ...(l.name !== undefined && { name: l.name }), ...(l.address !== undefined && { address: l.address }) };
      });
    } else {
      const count = rng.weighted([[1, 40], [2, 30], [3, 18], [4, 8], [5, 4]] as const);
      const chosen = new Set<StoreProduct>();
      while (chosen.size < Math.min(count, products.length)) chosen.add(rng.pick(products));
      cart = [...chosen].map((p) => cartFromCatalog(p, rng.weighted([[1, 60], [2, 25], [3, 10], [rng.int(4, 10), 5]] as const), currency));
      if (rng.chance(opts.blockedItemShare ?? 0) && blocked.length) cart.push(cartFromCatalog(rng.pick(blocked), 1, currency));
      if (rng.chance(opts.unknownSkuShare ?? 0)) {
        const u = rng.pick(UNKNOWN_PRODUCTS);
        cart.push({ sku: u.sku, name: u.name, productId: 950, variantId: 0, qty: 1, unitNet: convert(u.unitPrice, currency), group: u.taxGroupCode, gtin: '' });
      }
      // A mug sometimes comes with a gift box chosen from a pick list: a bundled line at price 0.
      const mugIndex = cart.findIndex((c) => c.sku.startsWith('MUG-'));
      if (mugIndex >= 0 && rng.chance(0.15)) {
        const box = products.find((p) => p.sku === 'GIFT-BOX')!;
        cart.push({ ...cartFromCatalog(box, cart[mugIndex]!.qty, currency), unitNet: D(0), parent: mugIndex, free: true });
      }
    }

    const coupon = spec.couponPercent ? { id: 9, code: 'CUSTOM', percent: spec.couponPercent } : spec.couponPercent === 0 ? undefined : rng.chance(0.15) ? rng.pick(COUPONS) : undefined;
    // One consignment unless the spec asks for several; the first one carries the shipping cost.
    const addressIds = Array.from({ length: Math.max(1, spec.shippingAddresses?.length ?? 0) }, () => ++ids.address);
    const addressId = addressIds[0]!;
    const bcProducts: BcProduct[] = [];
    const taxes = new Map<CatalogItem['taxGroupCode'], Decimal>();
    let subEx = D(0), subInc = D(0), subTax = D(0), postNetSum = D(0), postTaxSum = D(0), discountSum = D(0);
    cart.forEach((c) => {
      const rate = rateOf(c.group);
      const productId = ++ids.product;
      let unitEx: Decimal, unitTax: Decimal, basePrice: Decimal, preNet: Decimal, preTax: Decimal, discount: Decimal, postNet: Decimal, postTax: Decimal;
      if (!inclusive) {
        unitEx = c.unitNet;
        unitTax = unitEx.times(rate).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
        basePrice = unitEx;
        preNet = c.unitNet.times(c.qty);
        preTax = r2(preNet.times(rate));
        discount = coupon && !c.free ? r2(preNet.times(coupon.percent).div(100)) : D(0);
        postNet = preNet.minus(discount);
        postTax = r2(postNet.times(rate));
      } else {
        const gross = r2(c.unitNet.times(rate.plus(1)));
        basePrice = gross;
        unitTax = gross.times(rate).div(rate.plus(1)).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
        unitEx = gross.minus(unitTax);
        const lineGross = gross.times(c.qty);
        preTax = r2(lineGross.times(rate).div(rate.plus(1)));
        preNet = lineGross.minus(preTax);
        discount = coupon && !c.free ? r2(lineGross.times(coupon.percent).div(100)) : D(0);
        const postGross = lineGross.minus(discount);
        postTax = r2(postGross.times(rate).div(rate.plus(1)));
        postNet = postGross.minus(postTax);
      }
      subEx = subEx.plus(preNet); subTax = subTax.plus(preTax); subInc = subInc.plus(preNet.plus(preTax));
      postNetSum = postNetSum.plus(postNet); postTaxSum = postTaxSum.plus(postTax); discountSum = discountSum.plus(discount);
      taxes.set(c.group, (taxes.get(c.group) ?? D(0)).plus(postTax));
      const options = c.option ? [{
        id: ++ids.option, option_id: 18, order_product_id: productId, product_option_id: 120, display_name: c.option.name, display_name_customer: c.option.name,
        display_name_merchant: c.option.name, display_value: c.option.value, display_value_customer: c.option.value, display_value_merchant: c.option.value,
        value: String(60 + c.option.value.length), type: 'Multiple choice', name: 'Sizes', display_style: 'Rectangle',
      }] : [];
      bcProducts.push({
        id: productId, order_id: id, product_id: c.productId, variant_id: c.variantId, order_address_id: addressIds[c.address ?? 0]!,
        name: c.name, name_customer: c.name, name_merchant: c.name, sku: c.sku, upc: c.gtin, type: 'physical',
        base_price: m4(basePrice), price_ex_tax: m4(unitEx), price_inc_tax: m4(unitEx.plus(unitTax)), price_tax: m4(unitTax),
        base_total: m4(basePrice.times(c.qty)), total_ex_tax: m4(preNet), total_inc_tax: m4(preNet.plus(preTax)), total_tax: m4(preTax),
        weight: '0.5000', quantity: c.qty, base_cost_price: '0.0000', cost_price_inc_tax: '0.0000', cost_price_ex_tax: '0.0000', cost_price_tax: '0.0000',
        is_refunded: false, quantity_refunded: 0, refund_amount: '0.0000', return_id: 0, wrapping_id: 0, wrapping_name: '', base_wrapping_cost: '0.0000',
        wrapping_cost_ex_tax: '0.0000', wrapping_cost_inc_tax: '0.0000', wrapping_cost_tax: '0.0000', wrapping_message: '', quantity_shipped: 0,
        fixed_shipping_cost: '0.0000', ebay_item_id: '', ebay_transaction_id: '', option_set_id: c.option ? 19 : null,
        parent_order_product_id: c.parent !== undefined ? bcProducts[c.parent]!.id : null, is_bundled_product: c.parent !== undefined,
        bin_picking_number: '', external_id: null, brand: 'Demo Roasters',
        applied_discounts: discount.isZero() ? [] : [{ id: String(coupon!.id), amount: m4(discount), name: 'Coupon', code: coupon!.code, target: 'product' }],
        product_options: options, configurable_fields: [], gift_certificate_id: null, discounted_total_inc_tax: m4(postNet.plus(postTax)),
      });
    });

    // Shipping: flat per zone, free above the threshold (and always when asked for '0').
    const zone = ZONES[zoneOf(shipTo.country_iso2)];
    const goods = cart.reduce((s, c) => s.plus(c.unitNet.times(c.qty)), D(0));
    const free = spec.shippingCost !== undefined ? D(spec.shippingCost).isZero() : zone.freeAbove !== '' && goods.gte(convert(zone.freeAbove, currency)) && rng.chance(0.85);
    const shipNet = spec.shippingCost !== undefined ? D(spec.shippingCost) : free ? D(0) : convert(zone.flat, currency);
    const shipTax = r2(shipNet.times(rateOf('STANDARD')));
    taxes.set('STANDARD', (taxes.get('STANDARD') ?? D(0)).plus(shipTax));
    const shippingAddress: BcShippingAddress = {
      id: addressId, order_id: id, ...shipTo, items_total: cart.filter((c) => (c.address ?? 0) === 0).reduce((s, c) => s + c.qty, 0), items_shipped: 0,
      shipping_method: free ? 'Free Shipping' : zone.method, base_cost: m4(inclusive ? shipNet.plus(shipTax) : shipNet), cost_ex_tax: m4(shipNet),
      cost_inc_tax: m4(shipNet.plus(shipTax)), cost_tax: m4(shipTax), cost_tax_class_id: 0, base_handling_cost: '0.0000', handling_cost_ex_tax: '0.0000',
      handling_cost_inc_tax: '0.0000', handling_cost_tax: '0.0000', handling_cost_tax_class_id: 0, shipping_zone_id: zone.id, shipping_zone_name: zone.name,
      shipping_quotes: { url: `${apiBase}/stores/${STORE_HASH}/v2/orders/${id}/shipping_addresses/${addressId}/shippingquotes`, resource: `/orders/${id}/shipping_addresses/${addressId}/shippingquotes` },
      form_fields: [],
    };

    // Fees: cash on delivery costs a fee, taxed at the standard rate.
    const fees: BcFee[] = [];
    if (combo.method === 'cod' || (!spec.lines && rng.chance(0.05))) {
      const net = convert('2.00', currency);
      const tax = r2(net.times(rateOf('STANDARD')));
      taxes.set('STANDARD', (taxes.get('STANDARD') ?? D(0)).plus(tax));
      fees.push({ id: ++ids.fee, type: 'custom_fee', display_name_customer: 'Cash on delivery fee', display_name_merchant: 'COD fee', source: 'app', base_cost: m4(net), cost_ex_tax: m4(net), cost_inc_tax: m4(net.plus(tax)), cost_tax: m4(tax), tax_class_id: 0 });
    }
    const feeNet = fees.reduce((s, f) => s.plus(f.cost_ex_tax), D(0));
    const feeTax = fees.reduce((s, f) => s.plus(f.cost_tax), D(0));

    const totalEx = postNetSum.plus(shipNet).plus(feeNet);
    const totalTax = postTaxSum.plus(shipTax).plus(feeTax);
    const coupons: BcCoupon[] = coupon && !discountSum.isZero()
      ? [{ id: ++ids.coupon, coupon_id: coupon.id, order_id: id, code: coupon.code, amount: coupon.percent, type: 1, discount: Number(discountSum.toFixed(2)) }]
      : [];
    const taxRows: BcTax[] = [...taxes.entries()].filter(([, amount]) => !amount.isZero()).map(([group, amount]) => ({
      id: ++ids.tax, order_id: id, order_address_id: addressId, tax_rate_id: TAX_CLASS[group].rateId, sales_tax_id: '', tax_class_id: TAX_CLASS[group].id,
      name: group === 'STANDARD' ? 'VAT' : 'VAT reduced', class: TAX_CLASS[group].name, rate: m4(VAT_PERCENT[group]), priority: 0,
      priority_amount: m4(amount), line_amount: m4(amount), order_pickup_method_id: 0,
    }));
    const status = statusBy(combo.status);
    const pay = PAYMENT_METHODS[combo.method];
    const link = (name: string) => ({ url: `${apiBase}/stores/${STORE_HASH}/v2/orders/${id}/${name}`, resource: `/orders/${id}/${name}` });
    const order: BcOrder = {
      id, customer_id: guest ? 0 : buyer.customerId, date_created: rfc2822(createdSec), date_modified: rfc2822(modifiedSec),
      date_shipped: status.slug === 'shipped' || status.slug === 'completed' ? rfc2822(modifiedSec) : '', status_id: status.id, status: status.name,
      subtotal_ex_tax: m4(subEx), subtotal_inc_tax: m4(subInc), subtotal_tax: m4(subTax),
      base_shipping_cost: shippingAddress.base_cost, shipping_cost_ex_tax: m4(shipNet), shipping_cost_inc_tax: m4(shipNet.plus(shipTax)), shipping_cost_tax: m4(shipTax), shipping_cost_tax_class_id: 0,
      base_handling_cost: '0.0000', handling_cost_ex_tax: '0.0000', handling_cost_inc_tax: '0.0000', handling_cost_tax: '0.0000', handling_cost_tax_class_id: 0,
      base_wrapping_cost: '0.0000', wrapping_cost_ex_tax: '0.0000', wrapping_cost_inc_tax: '0.0000', wrapping_cost_tax: '0.0000', wrapping_cost_tax_class_id: 0,
      total_ex_tax: m4(totalEx), total_inc_tax: m4(totalEx.plus(totalTax)), total_tax: m4(totalTax), is_tax_inclusive_pricing: inclusive,
      items_total: cart.reduce((s, c) => s + c.qty, 0), items_shipped: 0, payment_method: pay.title, payment_provider_id: pay.provider,
      payment_status: combo.payment, refunded_amount: '0.0000', order_is_digital: false, store_credit_amount: '0.0000', gift_certificate_amount: '0.0000',
      ip_address: `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, ip_address_v6: '', geoip_country: COUNTRY_NAMES[country] ?? '', geoip_country_iso2: country,
      currency_id: 1 + Math.max(0, CURRENCIES.indexOf(currency)), currency_code: currency, currency_exchange_rate: new Decimal(FX[currency] ?? '1').toFixed(10),
      default_currency_id: 1 + Math.max(0, CURRENCIES.indexOf(currency)), default_currency_code: currency, staff_notes: '',
      customer_message: spec.customerMessage ?? (rng.chance(0.1) ? rng.pick(['Bitte beim Nachbarn abgeben', 'Please ring twice.', 'Geschenk – bitte ohne Preisschild 🎁']) : ''),
      discount_amount: '0.0000', coupon_discount: m4(discountSum), shipping_address_count: addressIds.length, ebay_order_id: '0',
      cart_id: `${rng.chars(8, '0123456789abcdef')}-${rng.chars(4, '0123456789abcdef')}-4${rng.chars(3, '0123456789abcdef')}-a${rng.chars(3, '0123456789abcdef')}-${rng.chars(12, '0123456789abcdef')}`,
      billing_address: { ...billing, form_fields: [] }, is_email_opt_in: rng.chance(0.3), credit_card_type: pay.cardType, order_source: 'www', channel_id: 1, external_source: null,
      products: link('products'), shipping_addresses: link('shipping_addresses'), coupons: link('coupons'),
      external_id: null, external_merchant_id: null, tax_provider_id: 'BasicTaxProvider', store_default_currency_code: LCY,
      store_default_to_transactional_exchange_rate: new Decimal(FX[currency] ?? '1').toFixed(10), custom_status: status.name, customer_locale: 'de', external_order_id: '', fees,
    };
    const more: BcShippingAddress[] = addressIds.slice(1).map((aid, i) => ({
      ...shippingAddress, ...address(buyer, { ...spec.shippingAddresses![i + 1] }), id: aid,
      items_total: cart.filter((c) => c.address === i + 1).reduce((s, c) => s + c.qty, 0),
      base_cost: '0.0000', cost_ex_tax: '0.0000', cost_inc_tax: '0.0000', cost_tax: '0.0000',
      shipping_quotes: { url: `${apiBase}/stores/${STORE_HASH}/v2/orders/${id}/shipping_addresses/${aid}/shippingquotes`, resource: `/orders/${id}/shipping_addresses/${aid}/shippingquotes` },
    }));
    const record: BcOrderRecord = { order, products: bcProducts, shippingAddresses: [shippingAddress, ...more], coupons, taxes: taxRows, refunds: [], shipments: [], modifiedSec, deleted: false };
    return record;
  }

  return { ids, rng, next };
}

export { r2, m4, D };
