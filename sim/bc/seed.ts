import { CURRENCIES, CUSTOMERS, DIMENSIONS, GL_ACCOUNTS, ITEMS, LCY, LOCATIONS, SHIPMENT_METHODS } from '../catalog.js';
import { EMPTY_GUID, stableGuid } from './ids.js';
import type { Company, CompanyData, Environment, Row, Wire } from './types.js';

/**
 * Builds each environment's companies from the shared demo world (sim/catalog.ts). GUIDs are
 * derived from (salt, environment, company, record) so every environment has its own ids
 * (bc-api.md §5: "Company GUIDs differ per environment") and a reset restores the same ids.
 */

/** Sim-only exchange rates (units of currency per 1 LCY), used when BC would convert item prices. */
export const EXCHANGE_RATES: Record<string, string> = { USD: '1.085', GBP: '0.855', CHF: '0.94' };

const CURRENCY_NAMES: Record<string, [string, string]> = {
  EUR: ['Euro', '€'],
  USD: ['US dollar', '$'],
  GBP: ['British pound', '£'],
  CHF: ['Swiss franc', 'CHF'],
};

const SHIPMENT_METHOD_NAMES: Record<string, string> = {
  DHL: 'DHL Parcel',
  UPS: 'UPS Standard',
  PICKUP: 'Pickup at warehouse',
  STD: 'Standard delivery',
};

/** Enum values with spaces/punctuation are XML-escaped on the wire (bc-api.md §1.3). */
const POST_CODE_CITY = 'Post_x0020_Code_x002B_City';
const COUNTRIES: [string, string, string][] = [
  ['AT', 'Austria', POST_CODE_CITY],
  ['BE', 'Belgium', POST_CODE_CITY],
  ['CH', 'Switzerland', POST_CODE_CITY],
  ['DE', 'Germany', POST_CODE_CITY],
  ['DK', 'Denmark', POST_CODE_CITY],
  ['ES', 'Spain', POST_CODE_CITY],
  ['FR', 'France', POST_CODE_CITY],
  ['GB', 'United Kingdom', 'City_x002B_Post_x0020_Code'],
  ['IT', 'Italy', POST_CODE_CITY],
  ['NL', 'Netherlands', POST_CODE_CITY],
  ['PL', 'Poland', POST_CODE_CITY],
  ['SE', 'Sweden', POST_CODE_CITY],
  ['US', 'United States', 'City_x002B_County_x002B_Post_x0020_Code'],
];

/** The catalog has only a country per customer; BC customers have a full address to copy onto orders. */
const ADDRESSES: Record<string, { addressLine1: string; city: string; postalCode: string }> = {
  DE: { addressLine1: 'Hauptstraße 12', city: 'Berlin', postalCode: '10115' },
  AT: { addressLine1: 'Ringstraße 5', city: 'Wien', postalCode: '1010' },
  NL: { addressLine1: 'Damrak 10', city: 'Amsterdam', postalCode: '1012 LG' },
  CH: { addressLine1: 'Bahnhofstrasse 20', city: 'Zürich', postalCode: '8001' },
};

const PAYMENT_TERMS: [string, string, string][] = [
  ['14 DAYS', 'Net 14 days', '14D'],
  ['30 DAYS', 'Net 30 days', '30D'],
  ['COD', 'Cash on delivery', '0D'],
];

export const SYSTEM_VERSION = '26.0.30643.32481';
export const DEFAULT_PAYMENT_TERMS = '14 DAYS';

const byKey = (key: string) => (a: Row, b: Row) => String(a.data[key]).localeCompare(String(b.data[key]), 'en');
const row = (data: Wire): Row => ({ data, version: 1 });

export function seedCompany(salt: string, env: string, name: string, seededAt: string): Company {
  const g = (kind: string, key: string) => stableGuid(salt, `${env}/${name}/${kind}/${key}`);
  const base = { lastModifiedDateTime: seededAt };
  const pcsId = g('uom', 'PCS');

  const paymentTerms = PAYMENT_TERMS.map(([code, displayName, due]) =>
    row({
      id: g('paymentTerm', code), code, displayName, dueDateCalculation: due, discountDateCalculation: '',
      discountPercent: 0, calculateDiscountOnCreditMemos: false, ...base,
    }),
  );
  const defaultTermsId = paymentTerms.find((p) => p.data.code === DEFAULT_PAYMENT_TERMS)!.data.id;

  const customers = CUSTOMERS.map((c) => {
    const addr = ADDRESSES[c.country] ?? { addressLine1: 'Main Street 1', city: 'Capital', postalCode: '1000' };
    return row({
      id: g('customer', c.number), number: c.number, displayName: c.displayName, type: 'Company',
      addressLine1: addr.addressLine1, addressLine2: '', city: addr.city, state: '', country: c.country,
      postalCode: addr.postalCode, phoneNumber: '', email: c.email ?? '', website: '', salespersonCode: '',
      balanceDue: 0, creditLimit: 0, taxLiable: false, taxAreaId: EMPTY_GUID, taxAreaDisplayName: '',
      taxRegistrationNumber: '',
      // Blank currency = LCY: shown as the LCY code with an empty currencyId (sample api-customer-get).
      currencyId: EMPTY_GUID, currencyCode: LCY,
      paymentTermsId: defaultTermsId, shipmentMethodId: EMPTY_GUID, paymentMethodId: EMPTY_GUID,
      blocked: !c.blocked || c.blocked === ' ' ? '_x0020_' : c.blocked, ...base,
    });
  }).sort(byKey('number'));

  const items = ITEMS.map((i) =>
    row({
      id: g('item', i.number), number: i.number, displayName: i.name, displayName2: '', type: 'Inventory',
      itemCategoryId: EMPTY_GUID, itemCategoryCode: '', blocked: i.blocked === true, gtin: i.gtin ?? '',
      inventory: 100, unitPrice: Number(i.unitPrice), priceIncludesTax: false, unitCost: 0,
      taxGroupId: g('taxGroup', i.taxGroupCode), taxGroupCode: i.taxGroupCode,
      baseUnitOfMeasureId: pcsId, baseUnitOfMeasureCode: 'PCS',
      generalProductPostingGroupId: g('genProdPostingGroup', 'RETAIL'), generalProductPostingGroupCode: 'RETAIL',
      inventoryPostingGroupId: g('invPostingGroup', 'RESALE'), inventoryPostingGroupCode: 'RESALE', ...base,
    }),
  ).sort(byKey('number'));

  const accounts = GL_ACCOUNTS.map((a) =>
    row({
      id: g('account', a.number), number: a.number, displayName: a.displayName, category: 'Income',
      subCategory: 'Income, Services', blocked: false, accountType: 'Posting', directPosting: true, netChange: 0,
      consolidationTranslationMethod: 'Average_x0020_Rate_x0020__x0028_Manual_x0029_',
      consolidationDebitAccount: '', consolidationCreditAccount: '', excludeFromConsolidation: false, ...base,
    }),
  ).sort(byKey('number'));

  // The LCY is not a Currency record in BC (it lives in General Ledger Setup), so it is not listed.
  const currencies = CURRENCIES.filter((c) => c !== LCY).map((code) =>
    row({
      id: g('currency', code), code, displayName: CURRENCY_NAMES[code]?.[0] ?? code,
      symbol: CURRENCY_NAMES[code]?.[1] ?? '', amountDecimalPlaces: '2:2', amountRoundingPrecision: 0.01, ...base,
    }),
  ).sort(byKey('code'));

  const shipmentMethods = SHIPMENT_METHODS.map((code) =>
    row({ id: g('shipmentMethod', code), code, displayName: SHIPMENT_METHOD_NAMES[code] ?? code, ...base }),
  ).sort(byKey('code'));

  const countriesRegions = COUNTRIES.map(([code, displayName, addressFormat]) =>
    row({ id: g('country', code), code, displayName, addressFormat, ...base }),
  );

  // Catalog variants are BC item variants of their item (codes S, M, L …).
  const itemVariants = ITEMS.flatMap((i) =>
    (i.variants ?? []).map((v) =>
      row({
        id: g('itemVariant', `${i.number}/${v.code}`), itemId: g('item', i.number), itemNumber: i.number, code: v.code,
        description: `${i.name} ${v.value}`, ...base,
      }),
    ),
  );
  const locations = LOCATIONS.map((l) =>
    row({
      id: g('location', l.code), code: l.code, displayName: l.displayName, contact: '', addressLine1: '', addressLine2: '',
      city: '', state: '', country: 'DE', postalCode: '', phoneNumber: '', email: '', website: '', ...base,
    }),
  ).sort(byKey('code'));
  const dimensions = DIMENSIONS.map((d) =>
    row({ id: g('dimension', d.code), code: d.code, displayName: d.displayName, consolidationCode: '', ...base }),
  ).sort(byKey('code'));
  const dimensionValues = DIMENSIONS.flatMap((d) =>
    d.values.map((v) =>
      row({ id: g('dimensionValue', `${d.code}/${v}`), code: v, dimensionId: g('dimension', d.code), displayName: v, consolidationCode: '', ...base }),
    ),
  );

  const data: CompanyData = {
    customers, items, accounts, currencies, shipmentMethods, countriesRegions, paymentTerms,
    salesOrders: [],
    itemVariants, locations, dimensions, dimensionValues,
    dimensionSetLines: new Map(),
    accountTaxGroup: new Map(GL_ACCOUNTS.map((a) => [a.number, a.taxGroupCode])),
    series: { salesOrder: 101000, customer: 0 },
  };
  const companyRow = row({
    id: g('company', name), systemVersion: SYSTEM_VERSION, timestamp: 50516, name, displayName: name,
    businessProfileId: '', systemCreatedAt: seededAt, systemCreatedBy: EMPTY_GUID, systemModifiedAt: seededAt,
    systemModifiedBy: EMPTY_GUID,
  });
  return { row: companyRow, data };
}

export function seedEnvironment(salt: string, env: string, companyNames: string[], seededAt: string): Environment {
  return { name: env, companies: companyNames.map((n) => seedCompany(salt, env, n, seededAt)) };
}
