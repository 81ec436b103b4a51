/**
 * The demo world shared by the simulators (and only by them: code in src/ never imports sim/).
 * The WooCommerce simulator sells these products; the BC simulator knows them as items and
 * customers. Tax: every shop and BC agree on the VAT rate of a tax group, so a correctly mapped
 * order reconciles to the cent.
 */

export interface CatalogItem {
  /** BC item no. = shop SKU (the default matching rule). */
  number: string;
  name: string;
  /** Net unit price in the company's currency, decimal string. */
  unitPrice: string;
  taxGroupCode: 'STANDARD' | 'REDUCED';
  gtin?: string;
  /** Blocked in BC: selling it must fail with BC's message. */
  blocked?: boolean;
  /** Shop-side variations: SKU suffixes sold as their own BC items (number + '-' + code). */
  variants?: { code: string; attribute: string; value: string }[];
}

export const VAT_PERCENT: Record<CatalogItem['taxGroupCode'], string> = {
  STANDARD: '20',
  REDUCED: '10',
};

export const ITEMS: CatalogItem[] = [
  { number: 'MUG-01', name: 'Enamel Mug Blue', unitPrice: '12.50', taxGroupCode: 'STANDARD', gtin: '5701234567001' },
  { number: 'MUG-02', name: 'Enamel Mug Red', unitPrice: '12.50', taxGroupCode: 'STANDARD', gtin: '5701234567002' },
  { number: 'TEE-01', name: 'Organic T-Shirt', unitPrice: '19.90', taxGroupCode: 'STANDARD',
    variants: [
      { code: 'S', attribute: 'pa_size', value: 'S' },
      { code: 'M', attribute: 'pa_size', value: 'M' },
      { code: 'L', attribute: 'pa_size', value: 'L' },
    ] },
  { number: 'TEE-01-S', name: 'Organic T-Shirt S', unitPrice: '19.90', taxGroupCode: 'STANDARD' },
  { number: 'TEE-01-M', name: 'Organic T-Shirt M', unitPrice: '19.90', taxGroupCode: 'STANDARD' },
  { number: 'TEE-01-L', name: 'Organic T-Shirt L', unitPrice: '19.90', taxGroupCode: 'STANDARD' },
  { number: 'BEAN-1KG', name: 'Espresso Beans 1kg', unitPrice: '24.95', taxGroupCode: 'REDUCED', gtin: '4012345678901' },
  { number: 'BEAN-250', name: 'Espresso Beans 250g', unitPrice: '7.49', taxGroupCode: 'REDUCED' },
  { number: 'TEA-GRN', name: 'Green Tea Sencha 100g', unitPrice: '6.95', taxGroupCode: 'REDUCED' },
  { number: 'GRIND-M', name: 'Manual Coffee Grinder', unitPrice: '49.00', taxGroupCode: 'STANDARD', gtin: '4012345678918' },
  { number: 'KETTLE-GN', name: 'Gooseneck Kettle 1L', unitPrice: '64.90', taxGroupCode: 'STANDARD' },
  { number: 'FILTER-100', name: 'Paper Filters (100)', unitPrice: '3.99', taxGroupCode: 'STANDARD' },
  { number: 'DRIPPER-V60', name: 'Ceramic Dripper V60', unitPrice: '22.00', taxGroupCode: 'STANDARD' },
  { number: 'SCALE-01', name: 'Brewing Scale with Timer', unitPrice: '39.95', taxGroupCode: 'STANDARD' },
  { number: 'CHOC-70', name: 'Dark Chocolate 70% 100g', unitPrice: '3.29', taxGroupCode: 'REDUCED' },
  { number: 'GIFT-BOX', name: 'Gift Box', unitPrice: '4.50', taxGroupCode: 'STANDARD' },
  { number: 'OLD-MUG', name: 'Discontinued Mug', unitPrice: '9.00', taxGroupCode: 'STANDARD', blocked: true },
];

export interface CatalogCustomer {
  number: string;
  displayName: string;
  email?: string;
  country: string;
  blocked?: ' ' | 'Ship' | 'Invoice' | 'All';
}

export const CUSTOMERS: CatalogCustomer[] = [
  { number: 'WEB-GUEST', displayName: 'Webshop Guest Orders', country: 'DE' },
  { number: 'C10000', displayName: 'Adatum Corporation', email: 'orders@adatum.example', country: 'DE' },
  { number: 'C20000', displayName: 'Trey Research', email: 'buy@trey.example', country: 'AT' },
  { number: 'C30000', displayName: 'School of Fine Art', email: 'office@fineart.example', country: 'NL' },
  { number: 'C40000', displayName: 'Alpine Ski House', email: 'shop@alpine.example', country: 'CH', blocked: 'All' },
];

/** G/L accounts the demo posts shipping and fees to. */
export const GL_ACCOUNTS = [
  { number: '6810', displayName: 'Freight Income', taxGroupCode: 'STANDARD' as const },
  { number: '6820', displayName: 'Payment Fees', taxGroupCode: 'STANDARD' as const },
];

/** The company's local currency: sent blank to BC, as BC stores LCY as blank. */
export const LCY = 'EUR';
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];
export const SHIPMENT_METHODS = ['DHL', 'UPS', 'PICKUP', 'STD'];

/** Warehouse locations (BC Locations); orders may name one per line. */
export const LOCATIONS = [
  { code: 'MAIN', displayName: 'Main warehouse' },
  { code: 'WEB', displayName: 'Webshop fulfilment' },
  { code: 'EAST', displayName: 'Warehouse East' },
];

/** Dimensions and their values (BC Dimensions / Dimension Values) for sales channel and product options. */
export const DIMENSIONS = [
  { code: 'SALESCHANNEL', displayName: 'Sales channel', values: ['WEB', 'RETAIL', 'MARKETPLACE'] },
  { code: 'COLOR', displayName: 'Color', values: ['BLACK', 'BLUE', 'RED', 'GREEN', 'WHITE'] },
  { code: 'ENGRAVING', displayName: 'Engraving', values: ['NONE', 'NAME', 'LOGO'] },
];

/**
 * BC customer templates (Customer Templ., page 1382 "Customer Templ. Card"): what a new customer's card gets
 * when it is created from one. The SOAP Customer Templates page serves these; the posting groups must be ones
 * the company knows (POSTING_GROUPS).
 */
export interface CatalogCustomerTemplate {
  code: string;
  description: string;
  genBusPostingGroup: string;
  vatBusPostingGroup: string;
  customerPostingGroup: string;
  paymentTermsCode?: string;
  shipmentMethodCode?: string;
  locationCode?: string;
  pricesIncludingVat?: boolean;
}

export const CUSTOMER_TEMPLATES: CatalogCustomerTemplate[] = [
  { code: 'B2C', description: 'Web shop consumers (domestic)', genBusPostingGroup: 'DOMESTIC', vatBusPostingGroup: 'DOMESTIC', customerPostingGroup: 'DOMESTIC', paymentTermsCode: '14 DAYS', pricesIncludingVat: true },
  { code: 'B2C-EU', description: 'Web shop consumers (EU)', genBusPostingGroup: 'EU', vatBusPostingGroup: 'EU', customerPostingGroup: 'FOREIGN', paymentTermsCode: 'COD', shipmentMethodCode: 'UPS', pricesIncludingVat: true },
  { code: 'B2B', description: 'Business customers', genBusPostingGroup: 'DOMESTIC', vatBusPostingGroup: 'DOMESTIC', customerPostingGroup: 'DOMESTIC', paymentTermsCode: '30 DAYS' },
];

/** Posting groups of the demo company (Gen. Business / VAT Business / Customer Posting Groups). */
export const POSTING_GROUPS = {
  genBus: ['DOMESTIC', 'EU', 'EXPORT'],
  vatBus: ['DOMESTIC', 'EU', 'EXPORT'],
  customer: ['DOMESTIC', 'FOREIGN'],
};
