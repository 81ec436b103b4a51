/**
 * Pure, seeded generator of realistic Shopify orders over sim/catalog.ts. Every amount is computed per
 * currency (shop and presentment) the way Shopify does it: unit prices in the shop's tax mode, discount
 * allocations per line (percentage rounded per line, fixed amounts split by weight cent by cent), tax per
 * line on the discounted amount. So an order reconciles to the cent in either currency, and a BC order
 * built from it reconciles with BC's per-line tax (sim/bc/tax.ts).
 */
import { D, Decimal, FX, fmt, round2, type Money2 } from './money.js';
import { createRng, type Rng } from '../common/rng.js';
import type { FinancialStatus, GenerateOptions, SimAddress, SimAllocation, SimDiscountApplication, SimLine, SimOrder, SimShippingLine, SimTaxLine } from './types.js';
import {
  COMPANIES, CURRENCY_BY_COUNTRY, DISCOUNT_CODES, FIRST_NAMES, FREE_SHIPPING_FROM, GATEWAYS, LAST_NAMES, PLACES, SHIPPING_RATE, SHIPPING_RATES,
  UNKNOWN_SKUS, VARIANTS, type Place,
} from './world.js';

export interface ShopSettings {
  currency: string;
  taxesIncluded: boolean;
}

export interface IdSequences {
  order: number;
  line: number;
  shipping: number;
  customer: number;
}

export interface OrderGenerator {
  next(opts: GenerateOptions, atSec: number): SimOrder;
  readonly ids: IdSequences;
  readonly rng: Rng;
}

const DEFAULT_PAID_MIX: [FinancialStatus, number][] = [['paid', 80], ['pending', 10], ['authorized', 6], ['partially_paid', 2], ['voided', 2]];

export function createGenerator(seed: number, shop: ShopSettings): OrderGenerator {
  const rng = createRng(seed);
  const ids: IdSequences = { order: 0, line: 0, shipping: 0, customer: 0 };

  const person = (place: Place) => {
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    const local = `${firstName}.${lastName}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z.]/g, '');
    const address: SimAddress = {
      firstName,
      lastName,
      company: rng.pick(COMPANIES),
      address1: `${rng.pick(place.streets)} ${rng.int(1, 120)}`,
      address2: rng.chance(0.15) ? `${rng.int(1, 5)}. OG` : null,
      city: place.city,
      province: place.province?.[1] ?? null,
      provinceCode: place.province?.[0] ?? null,
      zip: rng.pick(place.zip),
      country: place.country,
      countryCode: place.countryCode,
      phone: rng.chance(0.7) ? `${place.phone}${rng.int(100000, 9999999)}` : null,
    };
    return { firstName, lastName, email: `${local}${rng.int(1, 99)}@example.com`, address };
  };

  function next(opts: GenerateOptions, atSec: number): SimOrder {
    const seq = ++ids.order;
    const place = rng.pick(PLACES);
    const buyer = person(place);
    const foreign = CURRENCY_BY_COUNTRY[place.countryCode];
    const presentment = foreign && rng.chance(opts.foreignCurrencyShare ?? 0.2) ? foreign : shop.currency;
    const fx = D(FX[presentment] ?? '1').div(FX[shop.currency] ?? '1');
    const inCurrencies = (shopAmount: Decimal): Money2 => ({ shop: fmt(shopAmount), presentment: fmt(round2(shopAmount.times(fx))) });

    // Lines: 1–4 distinct variants, sometimes one the BC catalog does not know.
    const count = rng.weighted([[1, 40], [2, 30], [3, 20], [4, 10]] as const);
    const picked = new Set<number>();
    const lines: SimLine[] = [];
    const unknown = rng.chance(opts.unknownSkuShare ?? 0);
    for (let i = 0; i < count; i++) {
      let k = rng.int(0, VARIANTS.length - 1);
      while (picked.has(k)) k = (k + 1) % VARIANTS.length;
      picked.add(k);
      const v = VARIANTS[k]!;
      const net = D(v.item.unitPrice);
      const shelf = shop.taxesIncluded ? round2(net.times(D(v.rate).plus(1))) : net;
      const unknownSku = unknown && i === 0 ? rng.pick(UNKNOWN_SKUS) : undefined;
      lines.push({
        id: 14_100_000_000_000 + ++ids.line,
        productId: v.productId,
        variantId: v.variantId,
        sku: unknownSku ?? v.sku,
        title: unknownSku ? 'Poster "Morning Brew"' : v.title,
        variantTitle: v.variantTitle,
        vendor: 'Demo Roasters',
        quantity: rng.weighted([[1, 60], [2, 25], [3, 15]] as const),
        price: inCurrencies(shelf),
        allocations: [],
        taxLines: [{ title: v.taxTitle, rate: Number(v.rate), price: { shop: '0.00', presentment: '0.00' } }],
        properties: rng.chance(0.1) ? [{ name: 'Gift message', value: 'Alles Gute!' }] : [],
        grams: rng.int(100, 1500),
        barcode: v.item.gtin ?? null,
      });
    }

    // One discount code on a quarter of the orders, allocated across the lines per currency.
    const discountApplications: SimDiscountApplication[] = [];
    const discountCodes: SimOrder['discountCodes'] = [];
    if (rng.chance(0.25)) {
      const dc = rng.pick(DISCOUNT_CODES);
      discountApplications.push({ type: 'discount_code', code: dc.code, value: dc.value, valueType: dc.valueType, allocationMethod: 'across', targetSelection: 'all', targetType: 'line_item' });
      const perCurrency = (key: keyof Money2): Decimal[] => {
        const bases = lines.map((l) => D(l.price[key]).times(l.quantity));
        if (dc.valueType === 'percentage') return bases.map((b) => round2(b.times(dc.value).div(100)));
        const amount = key === 'shop' ? D(dc.value) : round2(D(dc.value).times(fx));
        return splitCents(bases, amount);
      };
      const shopAllocs = perCurrency('shop');
      const presAllocs = perCurrency('presentment');
      lines.forEach((l, i) => {
        const alloc: SimAllocation = { amount: { shop: fmt(shopAllocs[i]!), presentment: fmt(presAllocs[i]!) }, index: 0 };
        if (!D(alloc.amount.shop).isZero() || !D(alloc.amount.presentment).isZero()) l.allocations.push(alloc);
      });
      discountCodes.push({ code: dc.code, amount: fmt(shopAllocs.reduce((a, b) => a.plus(b), D(0))), type: dc.valueType });
    }
    for (const l of lines) {
      const tax = l.taxLines[0]!;
      tax.price = {
        shop: fmt(lineTax(lineAfter(l, 'shop'), tax.rate, shop.taxesIncluded)),
        presentment: fmt(lineTax(lineAfter(l, 'presentment'), tax.rate, shop.taxesIncluded)),
      };
    }

    // Shipping: free from a net merchandise value, else the chosen rate (entered net, taxed at standard).
    const merchNet = lines.reduce((s, l) => s.plus(shop.taxesIncluded ? lineAfter(l, 'shop').minus(l.taxLines[0]!.price.shop) : lineAfter(l, 'shop')), D(0));
    const rate = rng.weighted(SHIPPING_RATES.map((r) => [r, r.weight] as const));
    const free = rate.code === 'STANDARD' && merchNet.gte(FREE_SHIPPING_FROM);
    const shipNet = free ? D(0) : D(rate.net);
    const shipShelf = shop.taxesIncluded ? round2(shipNet.times(D(SHIPPING_RATE).plus(1))) : shipNet;
    const shipPrice = inCurrencies(shipShelf);
    const shipTax: SimTaxLine = {
      title: 'MwSt',
      rate: Number(SHIPPING_RATE),
      price: { shop: fmt(lineTax(D(shipPrice.shop), Number(SHIPPING_RATE), shop.taxesIncluded)), presentment: fmt(lineTax(D(shipPrice.presentment), Number(SHIPPING_RATE), shop.taxesIncluded)) },
    };
    const shippingLines: SimShippingLine[] = [{
      id: 4_800_000_000_000 + ++ids.shipping,
      title: free ? 'Free Shipping' : rate.title,
      code: free ? 'FREE' : rate.code,
      source: 'shopify',
      price: shipPrice,
      discountedPrice: shipPrice,
      allocations: [],
      taxLines: D(shipPrice.shop).isZero() ? [] : [shipTax],
    }];

    const mix: [FinancialStatus, number][] = opts.financialStatuses?.length
      ? opts.financialStatuses.map((st) => [st, 1])
      : opts.unpaidShare !== undefined
        ? [['paid', 1 - opts.unpaidShare], ['pending', opts.unpaidShare / 2], ['authorized', opts.unpaidShare / 2]]
        : DEFAULT_PAID_MIX;
    const financialStatus = rng.weighted(mix.filter(([, w]) => w > 0));
    // Bank transfer ("manual") orders stay pending until the merchant marks them paid; cards capture at once.
    const gateway = financialStatus === 'pending'
      ? rng.pick(GATEWAYS.filter((g) => !g.paid))
      : rng.weighted(GATEWAYS.filter((g) => g.paid).map((g) => [g, g.weight] as const));
    const guest = rng.chance(opts.guestShare ?? 0.3);
    const created = atSec;
    const shipTo = rng.chance(0.15) ? person(place).address : buyer.address;
    const order: SimOrder = {
      id: 5_900_000_000_000 + seq,
      name: `#${1000 + seq}`,
      orderNumber: 1000 + seq,
      createdAt: created,
      updatedAt: created,
      processedAt: created,
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      email: buyer.email,
      phone: buyer.address.phone,
      note: rng.chance(0.1) ? 'Bitte beim Nachbarn abgeben' : null,
      tags: '',
      currency: shop.currency,
      presentmentCurrency: presentment,
      taxesIncluded: shop.taxesIncluded,
      financialStatus,
      fulfillmentStatus: null,
      fulfillments: [],
      metafields: [],
      customer: guest ? null : { id: 7_600_000_000 + ++ids.customer, email: buyer.email, firstName: buyer.firstName, lastName: buyer.lastName, phone: buyer.address.phone, createdAt: created },
      billing: buyer.address,
      shipping: shipTo,
      lines,
      shippingLines,
      discountApplications,
      discountCodes,
      refunds: [],
      gateway: gateway.name,
      sourceName: 'web',
      token: rng.hex(32),
      test: false,
    };
    return order;
  }

  return { next, ids, rng };
}

/** Line amount after its discount allocations, in the shop's tax mode. */
export function lineAfter(l: SimLine, key: keyof Money2): Decimal {
  const base = D(l.price[key]).times(l.quantity);
  return l.allocations.reduce((s, a) => s.minus(a.amount[key]), base);
}

/** Per-line tax: on the net amount, or contained in the gross amount when prices include tax. */
export function lineTax(amount: Decimal, rate: number, taxesIncluded: boolean): Decimal {
  const r = D(rate);
  return taxesIncluded ? round2(amount.times(r).div(r.plus(1))) : round2(amount.times(r));
}

/** A fixed amount split over bases by weight in whole cents; the remainder goes cent by cent from the first. */
function splitCents(bases: Decimal[], amount: Decimal): Decimal[] {
  const total = bases.reduce((s, b) => s.plus(b), D(0));
  if (total.isZero()) return bases.map(() => D(0));
  const cents = Decimal.min(amount, total).times(100).toDecimalPlaces(0);
  const parts = bases.map((b) => b.times(cents).div(total).floor());
  let rest = cents.minus(parts.reduce((s, c) => s.plus(c), D(0)));
  for (let i = 0; rest.gt(0); i = (i + 1) % parts.length) {
    if (parts[i]!.lt(bases[i]!.times(100))) {
      parts[i] = parts[i]!.plus(1);
      rest = rest.minus(1);
    }
  }
  return parts.map((c) => c.div(100));
}
