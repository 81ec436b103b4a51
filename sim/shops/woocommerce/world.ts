/**
 * The shop's side of the demo world: people, addresses, payment gateways, shipping methods, tax rates,
 * coupons and fees. Products and customers come from sim/catalog.ts.
 */
import { CUSTOMERS, ITEMS, type CatalogItem } from '../../catalog.js';

export const WC_VERSION = '11.0.1';
export const WP_VERSION = '7.0.4';

/** Tax rates as configured in WooCommerce › Settings › Tax (country '' = all countries). */
export interface TaxRate {
  id: number;
  taxGroupCode: CatalogItem['taxGroupCode'];
  /** WooCommerce tax class slug: '' is "Standard". */
  taxClass: string;
  label: string;
  /** rate_code = COUNTRY-STATE-NAME-PRIORITY upper-cased with empty parts dropped. */
  rateCode: string;
}

export const TAX_RATES: Record<CatalogItem['taxGroupCode'], TaxRate> = {
  STANDARD: { id: 1, taxGroupCode: 'STANDARD', taxClass: '', label: 'MwSt', rateCode: 'MWST-1' },
  REDUCED: { id: 2, taxGroupCode: 'REDUCED', taxClass: 'reduced-rate', label: 'MwSt reduziert', rateCode: 'MWST REDUZIERT-1' },
};

/** Products: WooCommerce product ids are stable per catalog item; variations get their own ids. */
export interface ShopProduct {
  item: CatalogItem;
  productId: number;
  variationId: number;
  sku: string;
  name: string;
  parentName: string | null;
  /** Variation attribute, e.g. pa_size. */
  attribute?: { key: string; slug: string; displayKey: string; displayValue: string };
  image: { id: number | ''; src: string };
}

const VARIANT_NUMBERS = new Set(ITEMS.flatMap((i) => (i.variants ?? []).map((v) => `${i.number}-${v.code}`)));

function imageFor(index: number, number: string, siteUrl: string): ShopProduct['image'] {
  // A few products have no image: the live sample shows id "" and src "" then.
  if (index % 4 === 3) return { id: '', src: '' };
  return { id: 500 + index, src: `${siteUrl}/wp-content/uploads/2026/10/${number.toLowerCase()}.jpg` };
}

/** Everything a customer can put in the cart, blocked items excluded. */
export function sellableProducts(siteUrl: string): ShopProduct[] {
  const out: ShopProduct[] = [];
  ITEMS.forEach((item, index) => {
    if (item.blocked || VARIANT_NUMBERS.has(item.number)) return;
    const productId = 101 + index;
    if (item.variants?.length) {
      item.variants.forEach((v, vi) => {
        out.push({
          item: ITEMS.find((i) => i.number === `${item.number}-${v.code}`) ?? item,
          productId,
          variationId: 201 + index * 10 + vi,
          sku: `${item.number}-${v.code}`,
          name: `${item.name} - ${v.value}`,
          parentName: item.name,
          attribute: { key: v.attribute, slug: v.value.toLowerCase(), displayKey: attributeLabel(v.attribute), displayValue: v.value },
          image: imageFor(index, item.number, siteUrl),
        });
      });
    } else {
      out.push({ item, productId, variationId: 0, sku: item.number, name: item.name, parentName: null, image: imageFor(index, item.number, siteUrl) });
    }
  });
  return out;
}

export function blockedProducts(siteUrl: string): ShopProduct[] {
  return ITEMS.map((item, index) => ({ item, index }))
    .filter(({ item }) => item.blocked)
    .map(({ item, index }) => ({ item, productId: 101 + index, variationId: 0, sku: item.number, name: item.name, parentName: null, image: imageFor(index, item.number, siteUrl) }));
}

/** Products the shop sells but BC does not know (a SKU typo, a new product, a product without SKU). */
export const UNKNOWN_PRODUCTS: { sku: string; name: string; unitPrice: string; taxGroupCode: CatalogItem['taxGroupCode']; productId: number }[] = [
  { sku: 'POSTER-A3', name: 'Coffee Map Poster A3', unitPrice: '14.90', taxGroupCode: 'STANDARD', productId: 901 },
  { sku: 'MUG-99', name: 'Enamel Mug Limited Edition', unitPrice: '15.00', taxGroupCode: 'STANDARD', productId: 902 },
  { sku: 'bean-1kg', name: 'Espresso Beans 1kg (old listing)', unitPrice: '24.95', taxGroupCode: 'REDUCED', productId: 903 },
  { sku: '', name: 'Barista Workshop Voucher', unitPrice: '35.00', taxGroupCode: 'STANDARD', productId: 904 },
];

function attributeLabel(attribute: string): string {
  const base = attribute.replace(/^pa_/, '');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

export interface Place {
  country: string;
  city: string;
  state: string;
  postcodes: string[];
  streets: string[];
  phonePrefix: string;
}

export const PLACES: Place[] = [
  { country: 'DE', city: 'München', state: 'DE-BY', postcodes: ['80331', '80469', '81667'], streets: ['Hauptstraße', 'Leopoldstraße', 'Schleißheimer Str.'], phonePrefix: '+49 89 ' },
  { country: 'DE', city: 'Nürnberg', state: 'DE-BY', postcodes: ['90402', '90403'], streets: ['Königstraße', 'Äußere Bayreuther Str.'], phonePrefix: '+49 911 ' },
  { country: 'DE', city: 'Berlin', state: 'DE-BE', postcodes: ['10115', '10967', '12043'], streets: ['Torstraße', 'Kottbusser Damm', 'Sonnenallee'], phonePrefix: '+49 30 ' },
  { country: 'DE', city: 'Hamburg', state: 'DE-HH', postcodes: ['20095', '22767'], streets: ['Mönckebergstraße', 'Große Bergstraße'], phonePrefix: '+49 40 ' },
  { country: 'DE', city: 'Köln', state: 'DE-NW', postcodes: ['50667', '50823'], streets: ['Hohe Straße', 'Venloer Str.'], phonePrefix: '+49 221 ' },
  { country: 'DE', city: 'Stuttgart', state: 'DE-BW', postcodes: ['70173'], streets: ['Königstraße', 'Marienstraße'], phonePrefix: '+49 711 ' },
  { country: 'DE', city: 'Leipzig', state: 'DE-SN', postcodes: ['04109'], streets: ['Grimmaische Straße'], phonePrefix: '+49 341 ' },
  { country: 'AT', city: 'Wien', state: '', postcodes: ['1010', '1070', '1160'], streets: ['Ring', 'Mariahilfer Straße', 'Ottakringer Straße'], phonePrefix: '+43 1 ' },
  { country: 'AT', city: 'Graz', state: '', postcodes: ['8010'], streets: ['Herrengasse', 'Annenstraße'], phonePrefix: '+43 316 ' },
  { country: 'AT', city: 'Salzburg', state: '', postcodes: ['5020'], streets: ['Getreidegasse'], phonePrefix: '+43 662 ' },
  { country: 'NL', city: 'Amsterdam', state: '', postcodes: ['1012 AB', '1017 CE'], streets: ['Damrak', 'Prinsengracht'], phonePrefix: '+31 20 ' },
  { country: 'NL', city: 'Utrecht', state: '', postcodes: ['3511 AA'], streets: ['Oudegracht'], phonePrefix: '+31 30 ' },
  { country: 'FR', city: 'Paris', state: '', postcodes: ['75001', '75011'], streets: ['Rue de Rivoli', 'Rue Oberkampf'], phonePrefix: '+33 1 ' },
  { country: 'FR', city: 'Lyon', state: '', postcodes: ['69001', '69002'], streets: ['Rue de la République', 'Quai Saint-Antoine'], phonePrefix: '+33 4 ' },
  { country: 'US', city: 'New York', state: 'NY', postcodes: ['10001', '10013'], streets: ['Broadway', 'W 34th St'], phonePrefix: '+1 212 ' },
  { country: 'US', city: 'San Francisco', state: 'CA', postcodes: ['94103', '94110'], streets: ['Mission St', 'Valencia St'], phonePrefix: '+1 415 ' },
  { country: 'US', city: 'Austin', state: 'TX', postcodes: ['78701'], streets: ['Congress Ave'], phonePrefix: '+1 512 ' },
  { country: 'GB', city: 'London', state: '', postcodes: ['SW1A 1AA', 'EC1V 9HX', 'N1 9GU'], streets: ['Baker Street', 'Old Street', 'Upper Street'], phonePrefix: '+44 20 ' },
  { country: 'GB', city: 'Manchester', state: 'Greater Manchester', postcodes: ['M1 1AE', 'M4 1HN'], streets: ['Deansgate', 'Oldham Street'], phonePrefix: '+44 161 ' },
  { country: 'CH', city: 'Zürich', state: 'ZH', postcodes: ['8001', '8004'], streets: ['Bahnhofstrasse', 'Langstrasse'], phonePrefix: '+41 44 ' },
];

/** Country mix of the shop's buyers (weights). */
export const COUNTRY_WEIGHTS: [string, number][] = [
  ['DE', 50], ['AT', 15], ['NL', 10], ['FR', 8], ['GB', 8], ['US', 9],
];

export const FIRST_NAMES: Record<string, string[]> = {
  DE: ['Jürgen', 'Erika', 'Max', 'Sören', 'Jörg', 'Anna-Lena', 'Björn', 'Ümit', 'Käthe', 'Friedrich'],
  AT: ['Lukas', 'Johanna', 'Günther', 'Theresa', 'Florian'],
  NL: ['Daan', 'Sanne', 'Bram', 'Eline', 'Jeroen'],
  FR: ['François', 'Zoë', 'Hélène', 'Jérôme', 'Anaïs'],
  GB: ['Oliver', 'Siobhán', 'Amelia', 'Niamh', 'George'],
  US: ['José', 'Emily', 'Michael', 'Chloé', 'Wei'],
  CH: ['Reto', 'Séverine', 'Beat'],
  any: ['Łukasz', 'Søren', 'Ævar', 'Dvořák', 'Ólafur', '美咲', 'Дмитрий', 'Αθηνά'],
};

export const LAST_NAMES: Record<string, string[]> = {
  DE: ['Müller', 'Groß', 'Schäfer', 'Weiß', 'Meyer', 'Köhler', 'Straßburger', 'Öztürk'],
  AT: ['Gruber', 'Huber', 'Pöschl', 'Wagner'],
  NL: ['de Vries', 'van den Berg', 'Bakker', "van 't Hof"],
  FR: ['Lefèvre', 'Dubois', 'Garçon', 'Moreau'],
  GB: ['Smith', "O'Brien", 'Jones', 'Taylor-Wood'],
  US: ['Johnson', 'García', 'Nguyen', 'Miller'],
  CH: ['Müller', 'Zürcher', 'Favre'],
  any: ['Kowalski', 'Jørgensen', 'Þórsson', 'Novák', 'Smirnov', '山田', 'Παπαδόπουλος'],
};

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example', 'post.example'];

export const CUSTOMER_NOTES = [
  'Bitte beim Nachbarn abgeben',
  'Please ring twice.',
  'Geschenk – bitte ohne Preisschild 🎁',
  'Lieferung bitte nur werktags.',
  'Rechnung bitte an buchhaltung@example.com',
  'Leave at the back door, thanks!',
  'Livraison après 17h svp',
];

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 19_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0',
  'Mozilla/5.0 (Linux; Android 16; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
];

export const PAYMENT_TITLES: Record<string, string> = {
  stripe: 'Credit Card (Stripe)',
  'ppcp-gateway': 'PayPal',
  bacs: 'Direct bank transfer',
  cod: 'Cash on delivery',
};

export interface Coupon {
  id: number;
  code: string;
  type: 'percent' | 'fixed_cart';
  /** Percent, or an amount in the order currency. */
  amount: number;
}

export const COUPONS: Coupon[] = [
  { id: 41, code: 'summer10', type: 'percent', amount: 10 },
  { id: 42, code: 'welcome15', type: 'percent', amount: 15 },
  { id: 43, code: '5euro', type: 'fixed_cart', amount: 5 },
  { id: 44, code: 'newsletter-2026', type: 'fixed_cart', amount: 7.5 },
];

/** Fees are entered net and taxed at the standard rate. Amounts in EUR. */
export const FEES = {
  cod: { name: 'Nachnahmegebühr', amount: '2.00' },
  giftWrap: { name: 'Geschenkverpackung', amount: '3.50' },
  express: { name: 'Express surcharge', amount: '5.00' },
};

/** Shipping zones: flat rate per zone (net, EUR), free shipping above a net threshold. */
export const SHIPPING = {
  domestic: { flatRate: '4.90', flatInstance: '1', freeInstance: '2', freeAbove: '50.00' },
  eu: { flatRate: '9.90', flatInstance: '3', freeInstance: '4', freeAbove: '100.00' },
  world: { flatRate: '19.90', flatInstance: '5', freeInstance: '', freeAbove: '' },
};

export function shippingZone(country: string): keyof typeof SHIPPING {
  if (country === 'DE') return 'domestic';
  if (['AT', 'NL', 'FR'].includes(country)) return 'eu';
  return 'world';
}

/** Catalog customers with an email are registered WooCommerce users with fixed ids. */
export const CATALOG_ACCOUNTS = CUSTOMERS.filter((c) => c.email).map((c, i) => ({ customer: c, userId: 5 + i }));
