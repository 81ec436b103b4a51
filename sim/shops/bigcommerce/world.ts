/**
 * The BigCommerce store's side of the demo world: products from sim/catalog.ts with BigCommerce ids,
 * statuses, payment methods, places with state names (BigCommerce stores names, not codes), shipping
 * zones. People's names come from the WooCommerce simulator's world (same demo customers).
 */
import { CUSTOMERS, ITEMS, type CatalogItem } from '../../catalog.js';

export const STORE_HASH = 'demo1234';
export const STORE_ID = '1001234';

export const STATUSES: { id: number; slug: string; name: string; description: string; sort: number }[] = [
  { id: 0, slug: 'incomplete', name: 'Incomplete', description: 'An incomplete order happens when a shopper reached the payment page, but did not complete the transaction.', sort: 0 },
  { id: 1, slug: 'pending', name: 'Pending', description: 'Customer started the checkout process, but did not complete it.', sort: 1 },
  { id: 2, slug: 'shipped', name: 'Shipped', description: 'Order has been shipped, but receipt has not been confirmed; seller has used the Ship Items action.', sort: 8 },
  { id: 3, slug: 'partially-shipped', name: 'Partially Shipped', description: 'Only some items in the order have been shipped.', sort: 6 },
  { id: 4, slug: 'refunded', name: 'Refunded', description: 'Seller has used the Refund action.', sort: 11 },
  { id: 5, slug: 'cancelled', name: 'Cancelled', description: 'Seller has cancelled an order, due to a stock inconsistency or other reasons.', sort: 9 },
  { id: 6, slug: 'declined', name: 'Declined', description: 'Seller has marked the order as declined for lack of manual payment, or other reasons.', sort: 10 },
  { id: 7, slug: 'awaiting-payment', name: 'Awaiting Payment', description: 'Customer has completed checkout process, but payment has yet to be confirmed.', sort: 2 },
  { id: 8, slug: 'awaiting-pickup', name: 'Awaiting Pickup', description: 'Order has been pulled, and is awaiting customer pickup from a seller-specified location.', sort: 5 },
  { id: 9, slug: 'awaiting-shipment', name: 'Awaiting Shipment', description: 'Order has been pulled and packaged, and is awaiting collection from a shipping provider.', sort: 4 },
  { id: 10, slug: 'completed', name: 'Completed', description: 'Client has paid for their digital product and their file(s) are available for download.', sort: 7 },
  { id: 11, slug: 'awaiting-fulfillment', name: 'Awaiting Fulfillment', description: 'Customer has completed the checkout process and payment has been confirmed.', sort: 3 },
  { id: 12, slug: 'manual-verification-required', name: 'Manual Verification Required', description: 'Order is on hold while some aspect needs to be manually confirmed.', sort: 13 },
  { id: 13, slug: 'disputed', name: 'Disputed', description: 'Customer has initiated a dispute resolution process for the PayPal transaction that paid for the order.', sort: 12 },
  { id: 14, slug: 'partially-refunded', name: 'Partially Refunded', description: 'Seller has partially refunded the order.', sort: 14 },
];

export function statusBy(idOrSlug: string | number): (typeof STATUSES)[number] {
  const s = STATUSES.find((x) => x.id === Number(idOrSlug) && String(idOrSlug).trim() !== '' && !Number.isNaN(Number(idOrSlug)))
    ?? STATUSES.find((x) => x.slug === String(idOrSlug).toLowerCase() || x.name.toLowerCase() === String(idOrSlug).toLowerCase());
  if (!s) throw new Error(`unknown BigCommerce status ${String(idOrSlug)}`);
  return s;
}

export interface StoreProduct {
  item: CatalogItem;
  productId: number;
  variantId: number;
  sku: string;
  name: string;
  option?: { name: string; value: string };
}

const VARIANT_NUMBERS = new Set(ITEMS.flatMap((i) => (i.variants ?? []).map((v) => `${i.number}-${v.code}`)));

export function storeProducts(includeBlocked = false): StoreProduct[] {
  const out: StoreProduct[] = [];
  ITEMS.forEach((item, index) => {
    if ((item.blocked && !includeBlocked) || VARIANT_NUMBERS.has(item.number)) return;
    const productId = 111 + index;
    if (item.variants?.length) {
      item.variants.forEach((v, vi) => {
        out.push({
          item: ITEMS.find((i) => i.number === `${item.number}-${v.code}`) ?? item,
          productId,
          variantId: 300 + index * 10 + vi,
          sku: `${item.number}-${v.code}`,
          name: item.name,
          option: { name: 'Size', value: v.value },
        });
      });
    } else {
      out.push({ item, productId, variantId: 200 + index, sku: item.number, name: item.name });
    }
  });
  return out;
}

export const UNKNOWN_PRODUCTS = [
  { sku: 'POSTER-A3', name: 'Coffee Map Poster A3', unitPrice: '14.90', taxGroupCode: 'STANDARD' as const },
  { sku: 'MUG-99', name: 'Enamel Mug Limited Edition', unitPrice: '15.00', taxGroupCode: 'STANDARD' as const },
  { sku: '', name: 'Barista Workshop Voucher', unitPrice: '35.00', taxGroupCode: 'STANDARD' as const },
];

/** Tax classes: BigCommerce "Default Tax Class" (0) = standard VAT, a "Reduced" class (2). */
export const TAX_CLASS: Record<CatalogItem['taxGroupCode'], { id: number; name: string; rateId: number }> = {
  STANDARD: { id: 0, name: 'Default Tax Class', rateId: 1 },
  REDUCED: { id: 2, name: 'Reduced Rate', rateId: 2 },
};

export const COUNTRY_NAMES: Record<string, string> = {
  DE: 'Germany', AT: 'Austria', NL: 'Netherlands', FR: 'France', US: 'United States', GB: 'United Kingdom', CH: 'Switzerland',
};

/** WooCommerce-style state codes of the shared places → the names BigCommerce stores. */
export const STATE_NAMES: Record<string, string> = {
  'DE-BY': 'Bayern', 'DE-BE': 'Berlin', 'DE-HH': 'Hamburg', 'DE-NW': 'Nordrhein-Westfalen', 'DE-BW': 'Baden-Württemberg', 'DE-SN': 'Sachsen',
  NY: 'New York', CA: 'California', TX: 'Texas', ZH: 'Zürich',
};

export const PAYMENT_METHODS = {
  card: { title: 'Credit Card', provider: 'braintree', cardType: 'Visa' },
  paypal: { title: 'PayPal', provider: 'paypalcommerce', cardType: null },
  bank: { title: 'Bank Deposit', provider: '', cardType: null },
  cod: { title: 'Cash on Delivery', provider: '', cardType: null },
} as const;

export const COUPONS = [
  { id: 1, code: 'SUMMER10', percent: 10 },
  { id: 2, code: 'WELCOME15', percent: 15 },
];

/** Flat rate per zone (net, EUR) and the free-shipping threshold. */
export const ZONES = {
  domestic: { id: 1, name: 'Germany', method: 'Flat Rate', flat: '4.90', freeAbove: '50.00' },
  eu: { id: 2, name: 'European Union', method: 'Flat Rate', flat: '9.90', freeAbove: '100.00' },
  world: { id: 3, name: 'Rest of the World', method: 'International Shipping', flat: '19.90', freeAbove: '' },
};

export function zoneOf(country: string): keyof typeof ZONES {
  if (country === 'DE') return 'domestic';
  if (['AT', 'NL', 'FR'].includes(country)) return 'eu';
  return 'world';
}

/** Catalog customers with an e-mail are registered BigCommerce customers with fixed ids. */
export const CATALOG_ACCOUNTS = CUSTOMERS.filter((c) => c.email).map((c, i) => ({ customer: c, customerId: 11 + i }));
