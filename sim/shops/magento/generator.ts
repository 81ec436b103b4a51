/**
 * Pure order generator: Magento 2.4 orders from the demo catalog, reconciling to the cent with the BC
 * simulator (VAT per row: round2(net × rate); shipping at the standard rate). Simple items, the
 * T-shirt as a configurable (priced parent + price-0 child with the same SKU), and a bundle with
 * dynamic price (parts priced, the parent repeating their sum). Deterministic for a seed.
 *
 * Row arithmetic:
 *  - catalog excluding tax: row_total = price × qty; discount_amount = round2(row_total × %);
 *    tax_amount = round2((row_total − discount) × rate); no discount tax compensation.
 *  - catalog including tax: price_incl_tax (= original_price) is the shelf price G; the row's tax
 *    before discount round2(G·qty × rate/(1+rate)) leaves row_total; the discount comes off the gross;
 *    tax_amount = round2(gross after discount × rate/(1+rate)); discount_tax_compensation_amount is the
 *    part of the discount that was tax, so row_total − (discount − compensation) + tax = gross after discount.
 */
import { Decimal } from 'decimal.js';
import { CURRENCIES, LCY, VAT_PERCENT, type CatalogItem } from '../../catalog.js';
import { createRng, type Rng } from '../common/rng.js';
import { COUNTRY_WEIGHTS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES, type Place } from '../woocommerce/world.js';
import type { GenerateOptions, MgAddress, MgItem, MgOrder, MgOrderSpec } from './types.js';
import { CARRIERS, CATALOG_ACCOUNTS, PAYMENT, REGIONS, simpleProducts, STARTER_KIT, STATE_OF, UNKNOWN_PRODUCTS, ZONES, zoneOf, type MgProduct } from './world.js';

const D = (v: Decimal.Value) => new Decimal(v);
const r2 = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const r4 = (v: Decimal.Value) => new Decimal(v).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
const n = (v: Decimal.Value) => Number(new Decimal(v).toFixed(4));
const FX: Record<string, string> = { EUR: '1', USD: '1.08', GBP: '0.85', CHF: '0.95' };
const convert = (eur: Decimal.Value, currency: string) => r2(D(eur).times(FX[currency] ?? '1'));

export function mgDate(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

export const DEFAULT_STATUSES = ['processing', 'pending', 'complete'];

interface Combo { status: string; method: keyof typeof PAYMENT; paid: boolean; weight: number }
const COMBOS: Combo[] = [
  { status: 'processing', method: 'braintree', paid: true, weight: 60 },
  { status: 'processing', method: 'paypal_express', paid: true, weight: 15 },
  { status: 'complete', method: 'braintree', paid: true, weight: 10 },
  { status: 'pending', method: 'checkmo', paid: false, weight: 30 },
  { status: 'pending', method: 'banktransfer', paid: false, weight: 15 },
  { status: 'holded', method: 'banktransfer', paid: false, weight: 3 },
  { status: 'canceled', method: 'checkmo', paid: false, weight: 3 },
];

interface Person { first: string; last: string; company: string; place: Place; street: string[]; zip: string; email: string; phone: string; customerId: number }

interface Row {
  product: { sku: string; name: string; productId: number; group: CatalogItem['taxGroupCode'] };
  qty: number;
  unitNet: Decimal;
  kind: 'simple' | 'configurable' | 'bundle-part';
  child?: MgProduct;
}

export interface MagentoGenerator {
  rng: Rng;
  next(opts: GenerateOptions, createdSec: number, modifiedSec: number, spec?: MgOrderSpec): MgOrder;
}

function ascii(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export function createGenerator(seed: number): MagentoGenerator {
  const rng = createRng(seed);
  const ids = { order: 100, item: 200, address: 300, quote: 400, payment: 100 };
  const simples = simpleProducts();
  const blocked = simpleProducts(true).filter((p) => p.item.blocked);

  function person(country: string, customerId: number): Person {
    const place = rng.pick(PLACES.filter((p) => p.country === country));
    const first = rng.chance(0.1) ? rng.pick(FIRST_NAMES.any!) : rng.pick(FIRST_NAMES[country] ?? FIRST_NAMES.any!);
    const last = rng.chance(0.1) ? rng.pick(LAST_NAMES.any!) : rng.pick(LAST_NAMES[country] ?? LAST_NAMES.any!);
    const local = `${ascii(first)}.${ascii(last)}`.replace(/^\.|\.$/g, '');
    const street = [`${rng.pick(place.streets)} ${rng.int(1, 120)}`];
    if (rng.chance(0.1)) street.push(rng.pick(['2. OG', 'c/o Büro', 'Apt 4B']));
    return {
      first, last, company: rng.chance(0.08) ? `${last} GmbH` : '', place, street, zip: rng.pick(place.postcodes),
      email: `${local.length >= 3 ? local : `kunde${rng.int(100, 9999)}`}@${rng.pick(EMAIL_DOMAINS)}`, phone: `${place.phonePrefix}${rng.int(100000, 9999999)}`, customerId,
    };
  }
  const accounts = CATALOG_ACCOUNTS.map(({ customer, customerId }) => ({ ...person(customer.country, customerId), company: customer.displayName, email: customer.email! }));
  const pool: Person[] = [];
  for (let i = 0; i < 30; i++) pool.push(person(rng.weighted(COUNTRY_WEIGHTS), 30 + i));

  function address(p: Person, type: MgAddress['address_type'], orderId: number, over: MgOrderSpec['billing'] = {}): MgAddress {
    const region = REGIONS[p.place.state] ?? { region: p.place.state, code: p.place.state, id: 0 };
    return {
      address_type: type, city: p.place.city, ...(p.company && { company: p.company }), country_id: p.place.country, email: p.email, entity_id: ++ids.address,
      firstname: p.first, lastname: p.last, parent_id: orderId, postcode: p.zip, region: region.region, region_code: region.code, region_id: region.id,
      street: p.street, telephone: p.phone, ...over,
    };
  }

  function pickCombo(opts: GenerateOptions, forced?: string): Combo {
    if (forced) return COMBOS.find((c) => c.status === forced) ?? { status: forced, method: 'braintree', paid: true, weight: 1 };
    const statuses = opts.statuses?.length ? opts.statuses : DEFAULT_STATUSES;
    const unpaid = rng.chance(opts.unpaidShare ?? 0.25);
    let candidates = COMBOS.filter((c) => statuses.includes(c.status) && c.paid === !unpaid);
    if (!candidates.length) candidates = COMBOS.filter((c) => statuses.includes(c.status));
    if (!candidates.length) return { status: rng.pick(statuses), method: 'braintree', paid: true, weight: 1 };
    return rng.weighted(candidates.map((c) => [c, c.weight] as const));
  }

  function next(opts: GenerateOptions, createdSec: number, modifiedSec: number, spec: MgOrderSpec = {}): MgOrder {
    const id = ++ids.order;
    const guest = spec.customer === 'guest' || (spec.customer === undefined && rng.chance(opts.guestShare ?? 0.4));
    const buyer = typeof spec.customer === 'number'
      ? (accounts.find((a) => a.customerId === spec.customer) ?? pool.find((a) => a.customerId === spec.customer) ?? person('DE', spec.customer))
      : guest ? person(rng.weighted(COUNTRY_WEIGHTS), 0) : rng.chance(0.3) ? rng.pick(accounts) : rng.pick(pool);
    const billing = address(buyer, 'billing', id, spec.billing);
    const shippingAddress = spec.shipping ? address(buyer, 'shipping', id, spec.shipping) : rng.chance(0.15) ? address(person(buyer.place.country, 0), 'shipping', id) : { ...billing, address_type: 'shipping' as const, entity_id: ++ids.address };
    const country = billing.country_id;
    const currency = spec.currency ?? opts.currency ?? (country === 'US' && rng.chance(0.4) ? 'USD' : country === 'GB' && rng.chance(0.4) ? 'GBP' : rng.chance(0.02) ? rng.pick(CURRENCIES.filter((c) => c !== LCY)) : LCY);
    const combo = pickCombo(opts, spec.status);
    const inclusive = spec.pricesIncludeTax ?? rng.chance(opts.pricesIncludeTaxShare ?? 0.3);
    const coupon = spec.couponPercent ? { code: 'CUSTOM', pct: spec.couponPercent } : spec.couponPercent === 0 ? undefined : rng.chance(0.15) ? rng.pick([{ code: 'H20', pct: 10 }, { code: 'WELCOME15', pct: 15 }]) : undefined;

    // Rows: what the customer bought.
    const rows: Row[] = [];
    const bundleParts: Row[] = [];
    if (spec.lines?.length) {
      for (const l of spec.lines) {
        const p = simpleProducts(true).find((x) => x.sku === l.sku);
        rows.push({ product: { sku: l.sku, name: l.name ?? p?.name ?? l.sku, productId: p?.productId ?? 999, group: p?.item.taxGroupCode ?? 'STANDARD' }, qty: l.quantity ?? 1, unitNet: l.unitPrice !== undefined ? D(l.unitPrice) : convert(p?.item.unitPrice ?? '0', currency), kind: 'simple' });
      }
    } else {
      const count = rng.weighted([[1, 40], [2, 30], [3, 18], [4, 8], [5, 4]] as const);
      const chosen = new Set<MgProduct>();
      while (chosen.size < Math.min(count, simples.length)) chosen.add(rng.pick(simples));
      for (const p of chosen) {
        rows.push({ product: { sku: p.sku, name: p.configurable?.name ?? p.name, productId: p.configurable?.productId ?? p.productId, group: p.item.taxGroupCode }, qty: rng.weighted([[1, 60], [2, 25], [3, 10], [rng.int(4, 10), 5]] as const), unitNet: convert(p.item.unitPrice, currency), kind: p.configurable ? 'configurable' : 'simple', child: p.configurable ? p : undefined });
      }
      if (rng.chance(opts.blockedItemShare ?? 0) && blocked[0]) rows.push({ product: { sku: blocked[0].sku, name: blocked[0].name, productId: blocked[0].productId, group: blocked[0].item.taxGroupCode }, qty: 1, unitNet: convert(blocked[0].item.unitPrice, currency), kind: 'simple' });
      if (rng.chance(opts.unknownSkuShare ?? 0)) {
        const u = rng.pick(UNKNOWN_PRODUCTS);
        rows.push({ product: { sku: u.sku, name: u.name, productId: 990, group: u.taxGroupCode }, qty: 1, unitNet: convert(u.unitPrice, currency), kind: 'simple' });
      }
    }
    if (spec.withTrees || (!spec.lines && rng.chance(0.1))) {
      const tee = simples.find((p) => p.configurable)!;
      if (spec.withTrees && !rows.some((r) => r.kind === 'configurable')) rows.push({ product: { sku: tee.sku, name: tee.configurable!.name, productId: tee.configurable!.productId, group: tee.item.taxGroupCode }, qty: 1, unitNet: convert(tee.item.unitPrice, currency), kind: 'configurable', child: tee });
      for (const sku of STARTER_KIT.parts) {
        const p = simples.find((x) => x.sku === sku)!;
        bundleParts.push({ product: { sku: p.sku, name: p.name, productId: p.productId, group: p.item.taxGroupCode }, qty: 1, unitNet: convert(p.item.unitPrice, currency), kind: 'bundle-part' });
      }
    }

    const items: MgItem[] = [];
    const appliedTaxes = new Map<string, Decimal>();
    const totals = { subtotal: D(0), subtotalIncl: D(0), discount: D(0), comp: D(0), tax: D(0), net: D(0), gross: D(0), qty: 0 };
    const itemMoney = (r: Row) => {
      const rate = D(VAT_PERCENT[r.product.group]).div(100);
      const pct = coupon ? D(coupon.pct) : D(0);
      if (!inclusive) {
        const rowTotal = r.unitNet.times(r.qty);
        const discount = r2(rowTotal.times(pct).div(100));
        const tax = r2(rowTotal.minus(discount).times(rate));
        return { price: r.unitNet, original: r.unitNet, priceIncl: r2(r.unitNet.times(rate.plus(1))), rowTotal, rowIncl: rowTotal.plus(r2(rowTotal.times(rate))), discount, comp: D(0), tax, rate };
      }
      const g = r2(r.unitNet.times(rate.plus(1)));
      const rowGross = g.times(r.qty);
      const preTax = r2(rowGross.times(rate).div(rate.plus(1)));
      const rowTotal = rowGross.minus(preTax);
      const discount = r2(rowGross.times(pct).div(100));
      const tax = r2(rowGross.minus(discount).times(rate).div(rate.plus(1)));
      return { price: r4(rowTotal.div(r.qty)), original: g, priceIncl: g, rowTotal, rowIncl: rowGross, discount, comp: preTax.minus(tax), tax, rate };
    };
    const makeItem = (r: Row, money: ReturnType<typeof itemMoney> | undefined, type: string, extra: Record<string, unknown> = {}): MgItem => {
      const zero = money === undefined;
      const itemId = ++ids.item;
      const m = money ?? { price: D(0), original: D(0), priceIncl: D(0), rowTotal: D(0), rowIncl: D(0), discount: D(0), comp: D(0), tax: D(0), rate: D(0) };
      const item: MgItem = {
        amount_refunded: 0, applied_rule_ids: coupon && !zero ? '1' : undefined, base_amount_refunded: 0, base_discount_amount: n(m.discount), base_discount_invoiced: 0,
        base_discount_tax_compensation_amount: n(m.comp), base_original_price: n(m.original), base_price: n(m.price), base_price_incl_tax: n(m.priceIncl),
        base_row_invoiced: 0, base_row_total: n(m.rowTotal), base_row_total_incl_tax: n(m.rowIncl), base_tax_amount: n(m.tax), base_tax_invoiced: 0,
        created_at: '', discount_amount: n(m.discount), discount_invoiced: 0, discount_percent: coupon && !zero ? coupon.pct : 0, free_shipping: 0,
        discount_tax_compensation_amount: n(m.comp), is_qty_decimal: 0, is_virtual: 0, item_id: itemId, name: r.product.name, no_discount: 0, order_id: id,
        original_price: n(m.original), price: n(m.price), price_incl_tax: n(m.priceIncl), product_id: r.product.productId, product_type: type,
        qty_canceled: 0, qty_invoiced: combo.paid ? r.qty : 0, qty_ordered: r.qty, qty_refunded: 0, qty_shipped: combo.status === 'complete' ? r.qty : 0,
        quote_item_id: itemId + 1000, row_invoiced: combo.paid ? n(m.rowTotal) : 0, row_total: n(m.rowTotal), row_total_incl_tax: n(m.rowIncl), row_weight: r.qty * 0.5,
        sku: r.product.sku, store_id: 1, tax_amount: n(m.tax), tax_invoiced: combo.paid ? n(m.tax) : 0, tax_percent: n(m.rate.times(100)), updated_at: '', weight: 0.5, ...extra,
      };
      if (item.applied_rule_ids === undefined) delete item.applied_rule_ids;
      if (!zero) {
        totals.subtotal = totals.subtotal.plus(m.rowTotal);
        totals.subtotalIncl = totals.subtotalIncl.plus(m.rowIncl);
        totals.discount = totals.discount.plus(m.discount);
        totals.comp = totals.comp.plus(m.comp);
        totals.tax = totals.tax.plus(m.tax);
        totals.net = totals.net.plus(m.rowTotal.minus(m.discount.minus(m.comp)));
        totals.gross = totals.gross.plus(m.rowTotal.minus(m.discount.minus(m.comp)).plus(m.tax));
        const code = r.product.group === 'STANDARD' ? 'VAT 20%' : 'VAT 10%';
        appliedTaxes.set(code, (appliedTaxes.get(code) ?? D(0)).plus(m.tax));
      }
      return item;
    };
    for (const r of rows) {
      totals.qty += r.qty;
      if (r.kind === 'configurable') {
        const parent = makeItem(r, itemMoney(r), 'configurable');
        items.push(parent);
        const c = r.child!;
        items.push(makeItem({ ...r, product: { sku: c.sku, name: c.name, productId: c.productId, group: r.product.group } }, undefined, 'simple', { parent_item_id: parent.item_id, parent_item: { ...parent } }));
      } else {
        items.push(makeItem(r, itemMoney(r), 'simple'));
      }
    }
    if (bundleParts.length) {
      const parentRow: Row = { product: { sku: `${STARTER_KIT.sku}-${STARTER_KIT.parts.join('-')}`, name: STARTER_KIT.name, productId: STARTER_KIT.productId, group: 'STANDARD' }, qty: 1, unitNet: D(0), kind: 'simple' };
      const partMoney = bundleParts.map(itemMoney);
      const parentId = ids.item + 1;
      const parent = makeItem(parentRow, undefined, 'bundle');
      // Dynamic price: the parent shows the sum of its parts, which carry the money.
      const sum = (f: (x: ReturnType<typeof itemMoney>) => Decimal) => partMoney.reduce((s, x) => s.plus(f(x)), D(0));
      Object.assign(parent, { price: n(sum((x) => x.rowTotal)), base_price: n(sum((x) => x.rowTotal)), original_price: n(sum((x) => x.rowTotal)), row_total: n(sum((x) => x.rowTotal)), base_row_total: n(sum((x) => x.rowTotal)), tax_amount: n(sum((x) => x.tax)), discount_amount: n(sum((x) => x.discount)), row_total_incl_tax: n(sum((x) => x.rowIncl)), price_incl_tax: n(sum((x) => x.rowIncl)), tax_percent: 0 });
      items.push(parent);
      totals.qty += 1;
      bundleParts.forEach((r, i) => items.push(makeItem(r, partMoney[i], 'simple', { parent_item_id: parentId, parent_item: { ...parent } })));
    }

    // Shipping: flat rate per zone, free above the threshold.
    const zone = ZONES[zoneOf(shippingAddress.country_id)];
    const goods = rows.reduce((s, r) => s.plus(r.unitNet.times(r.qty)), D(0));
    const free = spec.shippingCost !== undefined ? D(spec.shippingCost).isZero() : zone.freeAbove !== '' && goods.gte(convert(zone.freeAbove, currency)) && rng.chance(0.85);
    const shipNet = spec.shippingCost !== undefined ? D(spec.shippingCost) : free ? D(0) : convert(zone.flat, currency);
    const shipTax = r2(shipNet.times(VAT_PERCENT.STANDARD).div(100));
    if (!shipTax.isZero()) appliedTaxes.set('VAT 20%', (appliedTaxes.get('VAT 20%') ?? D(0)).plus(shipTax));
    const carrier = free ? CARRIERS.free : zoneOf(shippingAddress.country_id) === 'world' ? CARRIERS.table : CARRIERS.flat;
    const grand = totals.gross.plus(shipNet).plus(shipTax);
    const pay = PAYMENT[combo.method];
    const state = STATE_OF[combo.status] ?? combo.status;
    const created = mgDate(createdSec);
    const updated = mgDate(modifiedSec);
    for (const it of items) {
      it.created_at = created;
      it.updated_at = updated;
      if (it.parent_item) Object.assign(it.parent_item, { created_at: created, updated_at: updated });
    }
    const paid = combo.paid;
    const totalTax = totals.tax.plus(shipTax);
    const money: Record<string, number> = {
      subtotal: n(totals.subtotal), subtotal_incl_tax: n(totals.subtotalIncl), discount_amount: n(totals.discount.negated()), discount_tax_compensation_amount: n(totals.comp),
      shipping_amount: n(shipNet), shipping_incl_tax: n(shipNet.plus(shipTax)), shipping_tax_amount: n(shipTax), shipping_discount_amount: 0, shipping_discount_tax_compensation_amount: 0,
      tax_amount: n(totalTax), grand_total: n(grand),
    };
    const base = Object.fromEntries(Object.entries(money).map(([k, v]) => [`base_${k}`, currency === LCY ? v : n(D(v).div(FX[currency] ?? '1'))]));
    const order: MgOrder = {
      applied_rule_ids: coupon ? '1' : undefined, base_currency_code: LCY, ...base, base_to_global_rate: 1, base_to_order_rate: n(FX[currency] ?? '1'),
      billing_address_id: billing.entity_id, created_at: created, customer_email: billing.email, customer_firstname: billing.firstname, customer_lastname: billing.lastname,
      customer_group_id: guest ? 0 : 1, ...(guest ? {} : { customer_id: buyer.customerId }), customer_is_guest: guest ? 1 : 0, customer_note_notify: 1,
      ...(coupon ? { coupon_code: coupon.code, discount_description: coupon.code } : {}), email_sent: 1, entity_id: id, global_currency_code: LCY, ...money,
      grand_total: n(grand), increment_id: String(id).padStart(9, '0'), is_virtual: 0, order_currency_code: currency, protect_code: rng.chars(6, '0123456789abcdef'), quote_id: ++ids.quote,
      remote_ip: `${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, shipping_description: carrier.label, state, status: combo.status,
      store_currency_code: LCY, store_id: 1, store_name: 'Main Website\nMain Website Store\nDefault Store View', store_to_base_rate: 0, store_to_order_rate: 0,
      total_due: paid ? 0 : n(grand), base_total_due: paid ? 0 : base.base_grand_total, ...(paid ? { total_paid: n(grand), base_total_paid: base.base_grand_total, total_invoiced: n(grand), base_total_invoiced: base.base_grand_total } : {}),
      total_item_count: items.length, total_qty_ordered: totals.qty, updated_at: updated, weight: totals.qty * 0.5, items,
      billing_address: billing,
      payment: { account_status: null, additional_information: [pay.title, ''], amount_ordered: n(grand), base_amount_ordered: base.base_grand_total, ...(paid ? { amount_paid: n(grand), base_amount_paid: base.base_grand_total } : {}), base_shipping_amount: base.base_shipping_amount, cc_last4: combo.method === 'braintree' ? String(rng.int(1000, 9999)) : null, entity_id: ++ids.payment, method: combo.method, parent_id: id, shipping_amount: n(shipNet) },
      status_histories: [],
      extension_attributes: {
        shipping_assignments: [{ shipping: { address: shippingAddress, method: carrier.code, total: { base_shipping_amount: base.base_shipping_amount, base_shipping_discount_amount: 0, base_shipping_incl_tax: base.base_shipping_incl_tax, base_shipping_tax_amount: base.base_shipping_tax_amount, shipping_amount: n(shipNet), shipping_discount_amount: 0, shipping_discount_tax_compensation_amount: 0, shipping_incl_tax: n(shipNet.plus(shipTax)), shipping_tax_amount: n(shipTax) } }, items: items.map((i) => ({ ...i })) }],
        payment_additional_info: [{ key: 'method_title', value: pay.title }],
        applied_taxes: [...appliedTaxes.entries()].map(([code, amount]) => ({ code, title: code, percent: code === 'VAT 20%' ? 20 : 10, amount: n(amount), base_amount: n(amount) })),
      },
    };
    if (order.applied_rule_ids === undefined) delete order.applied_rule_ids;
    if (spec.billing?.email) order.customer_email = spec.billing.email;
    return order;
  }

  return { rng, next };
}

export { D, r2, n };
