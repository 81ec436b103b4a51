/**
 * The Magento store's side of the demo world: catalog products (simple; the T-shirt as a configurable
 * with size children; a dynamic-price bundle made of catalog items), regions, payment methods,
 * carriers. Names and places come from the WooCommerce simulator's world.
 */
import { CUSTOMERS, ITEMS, type CatalogItem } from '../../catalog.js';

export interface MgProduct {
  item: CatalogItem;
  productId: number;
  sku: string;
  name: string;
  /** Configurable parent, for size variants. */
  configurable?: { productId: number; name: string };
}

const VARIANT_NUMBERS = new Set(ITEMS.flatMap((i) => (i.variants ?? []).map((v) => `${i.number}-${v.code}`)));

export function simpleProducts(includeBlocked = false): MgProduct[] {
  const out: MgProduct[] = [];
  ITEMS.forEach((item, index) => {
    if ((item.blocked && !includeBlocked) || VARIANT_NUMBERS.has(item.number)) return;
    if (item.variants?.length) {
      item.variants.forEach((v, vi) => {
        out.push({
          item: ITEMS.find((i) => i.number === `${item.number}-${v.code}`) ?? item,
          productId: 1500 + index * 10 + vi,
          sku: `${item.number}-${v.code}`,
          name: `${item.name}-${v.value}`,
          configurable: { productId: 60 + index, name: item.name },
        });
      });
    } else {
      out.push({ item, productId: 20 + index, sku: item.number, name: item.name });
    }
  });
  return out;
}

/** A bundle with dynamic price and dynamic SKU: the order item SKU is the bundle SKU plus the parts'. */
export const STARTER_KIT = { productId: 51, sku: 'KIT-START', name: 'Pour-Over Starter Kit', parts: ['DRIPPER-V60', 'FILTER-100', 'SCALE-01'] };

export const UNKNOWN_PRODUCTS = [
  { sku: 'POSTER-A3', name: 'Coffee Map Poster A3', unitPrice: '14.90', taxGroupCode: 'STANDARD' as const },
  { sku: 'MUG-99', name: 'Enamel Mug Limited Edition', unitPrice: '15.00', taxGroupCode: 'STANDARD' as const },
];

export const REGIONS: Record<string, { region: string; code: string; id: number }> = {
  'DE-BY': { region: 'Bayern', code: 'BAY', id: 81 }, 'DE-BE': { region: 'Berlin', code: 'BER', id: 82 }, 'DE-HH': { region: 'Hamburg', code: 'HH', id: 84 },
  'DE-NW': { region: 'Nordrhein-Westfalen', code: 'NRW', id: 88 }, 'DE-BW': { region: 'Baden-Württemberg', code: 'BAW', id: 80 }, 'DE-SN': { region: 'Sachsen', code: 'SAS', id: 91 },
  NY: { region: 'New York', code: 'NY', id: 43 }, CA: { region: 'California', code: 'CA', id: 12 }, TX: { region: 'Texas', code: 'TX', id: 57 },
  ZH: { region: 'Zürich', code: 'ZH', id: 120 },
};

export const PAYMENT = {
  checkmo: { title: 'Check / Money order', paid: false },
  banktransfer: { title: 'Bank Transfer Payment', paid: false },
  braintree: { title: 'Credit Card (Braintree)', paid: true },
  paypal_express: { title: 'PayPal Express Checkout', paid: true },
} as const;

export const STATE_OF: Record<string, string> = {
  pending: 'new', processing: 'processing', complete: 'complete', canceled: 'canceled', holded: 'holded', closed: 'closed',
  fraud: 'payment_review', payment_review: 'payment_review', pending_payment: 'pending_payment',
};

export const CARRIERS = {
  flat: { code: 'flatrate_flatrate', label: 'Flat Rate - Fixed' },
  free: { code: 'freeshipping_freeshipping', label: 'Free Shipping - Free' },
  table: { code: 'tablerate_bestway', label: 'Best Way - Table Rate' },
};

/** Net flat rate per zone (EUR) and the free-shipping threshold. */
export const ZONES = { domestic: { flat: '4.90', freeAbove: '50.00' }, eu: { flat: '9.90', freeAbove: '100.00' }, world: { flat: '19.90', freeAbove: '' } };

export function zoneOf(country: string): keyof typeof ZONES {
  if (country === 'DE') return 'domestic';
  if (['AT', 'NL', 'FR'].includes(country)) return 'eu';
  return 'world';
}

export const CATALOG_ACCOUNTS = CUSTOMERS.filter((c) => c.email).map((c, i) => ({ customer: c, customerId: 3 + i }));
