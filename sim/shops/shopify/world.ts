/**
 * The Shopify shop's side of the demo world: products and variants (from sim/catalog.ts, SKU = BC item
 * no.), people, places, shipping rates, discount codes, payment gateways.
 */
import { ITEMS, VAT_PERCENT, type CatalogItem } from '../../catalog.js';

export interface ShopVariant {
  item: CatalogItem;
  productId: number;
  variantId: number;
  sku: string;
  title: string;
  /** null for a product's only ("Default Title") variant. */
  variantTitle: string | null;
  /** VAT as a fraction string ("0.2"). */
  rate: string;
  taxTitle: string;
}

const VARIANT_NUMBERS = new Set(ITEMS.flatMap((i) => (i.variants ?? []).map((v) => `${i.number}-${v.code}`)));

/** Everything a customer can buy; blocked items are not for sale in the shop. */
export const VARIANTS: ShopVariant[] = ITEMS.flatMap((item, index): ShopVariant[] => {
  if (item.blocked || VARIANT_NUMBERS.has(item.number)) return [];
  const productId = 8_100_000_000 + index * 1000;
  const rate = String(Number(VAT_PERCENT[item.taxGroupCode]) / 100);
  const taxTitle = item.taxGroupCode === 'STANDARD' ? 'MwSt' : 'MwSt ermäßigt';
  if (!item.variants?.length) {
    return [{ item, productId, variantId: 45_000_000_000 + index * 1000, sku: item.number, title: item.name, variantTitle: null, rate, taxTitle }];
  }
  return item.variants.map((v, vi) => ({
    item: ITEMS.find((i) => i.number === `${item.number}-${v.code}`) ?? item,
    productId,
    variantId: 45_000_000_000 + index * 1000 + vi + 1,
    sku: `${item.number}-${v.code}`,
    title: item.name,
    variantTitle: v.value,
    rate,
    taxTitle,
  }));
});

export interface Place {
  countryCode: string;
  country: string;
  city: string;
  zip: string[];
  streets: string[];
  province?: [code: string, name: string];
  phone: string;
}

export const PLACES: Place[] = [
  { countryCode: 'DE', country: 'Germany', city: 'München', zip: ['80331', '80469'], streets: ['Hauptstraße', 'Leopoldstraße'], phone: '+49 89 ' },
  { countryCode: 'DE', country: 'Germany', city: 'Berlin', zip: ['10115', '10967'], streets: ['Torstraße', 'Sonnenallee'], phone: '+49 30 ' },
  { countryCode: 'DE', country: 'Germany', city: 'Hamburg', zip: ['20095'], streets: ['Mönckebergstraße'], phone: '+49 40 ' },
  { countryCode: 'AT', country: 'Austria', city: 'Wien', zip: ['1010', '1070'], streets: ['Mariahilfer Straße', 'Ring'], phone: '+43 1 ' },
  { countryCode: 'NL', country: 'Netherlands', city: 'Amsterdam', zip: ['1012 AB'], streets: ['Damrak', 'Prinsengracht'], phone: '+31 20 ' },
  { countryCode: 'FR', country: 'France', city: 'Lyon', zip: ['69001'], streets: ['Rue de la République'], phone: '+33 4 ' },
  { countryCode: 'CH', country: 'Switzerland', city: 'Zürich', zip: ['8001'], streets: ['Bahnhofstrasse'], phone: '+41 44 ' },
  { countryCode: 'GB', country: 'United Kingdom', city: 'London', zip: ['EC1V 9HX'], streets: ['Old Street'], phone: '+44 20 ' },
  { countryCode: 'US', country: 'United States', city: 'Austin', zip: ['78701'], streets: ['Congress Ave'], province: ['TX', 'Texas'], phone: '+1 512 ' },
];

/** Presentment currency by country, for orders in a foreign currency. */
export const CURRENCY_BY_COUNTRY: Record<string, string> = { CH: 'CHF', GB: 'GBP', US: 'USD' };

export const FIRST_NAMES = ['Anna', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Felix', 'Emma', 'Noah', 'Léa', 'Chloé', 'Sven', 'Jeanne', 'Oliver', 'Mia'];
export const LAST_NAMES = ['Müller', 'Schmidt', 'Gruber', 'de Vries', 'Bakker', 'Martin', 'Dubois', 'Keller', 'Huber', 'Smith', 'Jansen', 'Weber'];
export const COMPANIES = [null, null, null, 'Kaffeerösterei Nord GmbH', 'Studio Acht', null];

/** Shipping rates entered net of tax (taxed at the standard rate), in the shop currency. */
export const SHIPPING_RATES = [
  { title: 'Standard', code: 'STANDARD', net: '4.90', weight: 70 },
  { title: 'Express', code: 'EXPRESS', net: '9.90', weight: 20 },
];
/** Free standard shipping from this net merchandise value (shop currency). */
export const FREE_SHIPPING_FROM = '75.00';
export const SHIPPING_RATE = '0.2';

export const DISCOUNT_CODES = [
  { code: 'WELCOME10', valueType: 'percentage' as const, value: '10.0' },
  { code: 'SAVE5', valueType: 'fixed_amount' as const, value: '5.00' },
];

export const GATEWAYS = [
  { name: 'shopify_payments', paid: true, weight: 60 },
  { name: 'paypal', paid: true, weight: 25 },
  { name: 'manual', paid: false, weight: 15 },
];

export const UNKNOWN_SKUS = ['MUG-99', 'POSTER-A2'];
