import type { BcCodeRecord, BcCustomer, BcItem, BcNewCustomer, CreateContext } from '../target.js';
import type { SoapPageName } from './config.js';
import { BcSoapError, isAlreadyExists } from './errors.js';
import { filterLiteral, type PageClient, type PageRecord } from './page-client.js';
import type { XmlFields } from './xml.js';

/** Customer table field lengths (reference/bc-api.md §1.2): longer values would fail the Create. */
const LEN = { Name: 100, Address: 100, Address_2: 50, City: 30, County: 30, Post_Code: 20, Country_Region_Code: 10, Phone_No: 30, E_Mail: 80 } as const;

/**
 * Customer Templ. fields that have the same name on the Customer Card and are copied onto a new customer, in
 * the card's field order. Posting groups are why the template is read at all: a card without them takes
 * orders but cannot be posted.
 */
const TEMPLATE_FIELDS = [
  'Gen_Bus_Posting_Group', 'VAT_Bus_Posting_Group', 'Customer_Posting_Group', 'Customer_Price_Group', 'Customer_Disc_Group',
  'Allow_Line_Disc', 'Prices_Including_VAT', 'Payment_Terms_Code', 'Payment_Method_Code', 'Reminder_Terms_Code',
  'Fin_Charge_Terms_Code', 'Location_Code', 'Shipment_Method_Code', 'Currency_Code', 'Language_Code',
] as const;

/** Characters BC's filter syntax gives a meaning (`..` counts through the dot). */
const FILTER_SPECIAL = /[&|()<>=.*?@'"%\s]/;

/**
 * The order rules' master data read from standard pages published as SOAP web services (docs/bc-soap-page.md
 * "Master data"): Customer Card, Item Card, Item Variants, Shipment Methods, Locations, Dimension Values and
 * Customer Templates. One Read or ReadMultiple per question; caching is the caller's
 * (pipeline/master-data.ts), except for templates, which a create reads.
 */
export class SoapMasterData {
  private readonly templates = new Map<string, Promise<PageRecord>>();

  constructor(
    private readonly pages: Partial<Record<SoapPageName, PageClient>>,
  ) {}

  async getCustomer(number: string): Promise<BcCustomer | undefined> {
    const no = number.trim().toUpperCase();
    if (no === '') return undefined;
    const c = await this.ask('customer', (p) => p.read([['No', no]]));
    return c ? toCustomer(c) : undefined;
  }

  /**
   * `E_Mail` filtered case-insensitively (`@`) with every filter character of the address as the `?` wildcard,
   * so no address can break or widen the filter beyond one character per position; the candidates are then
   * compared exactly, as the API target's `tolower(email) eq …` would.
   */
  async findCustomersByEmail(email: string): Promise<BcCustomer[]> {
    const e = email.trim().toLowerCase();
    if (e === '') return [];
    const criteria = `@${[...e].map((ch) => (FILTER_SPECIAL.test(ch) ? '?' : ch)).join('')}`;
    const records = await this.ask('customer', (p) => p.readMultiple([{ field: 'E_Mail', criteria }]));
    return records.map(toCustomer).filter((c) => (c.email ?? '').trim().toLowerCase() === e);
  }

  /** `Phone_No` containing these digits (`*4567*`); the chain compares the candidates' normalised numbers. */
  async findCustomersByPhoneDigits(digits: string): Promise<BcCustomer[]> {
    const d = digits.replace(/\D/g, '');
    if (d === '') return [];
    return (await this.ask('customer', (p) => p.readMultiple([{ field: 'Phone_No', criteria: `*${d}*` }]))).map(toCustomer);
  }

  async getItem(number: string): Promise<BcItem | undefined> {
    const no = number.trim().toUpperCase();
    if (no === '') return undefined;
    const i = await this.ask('item', (p) => p.read([['No', no]]));
    return i ? toItem(i) : undefined;
  }

  async findItemsByGtin(gtin: string): Promise<BcItem[]> {
    const g = gtin.trim();
    if (g === '') return [];
    const records = await this.ask('item', (p) => p.readMultiple([{ field: 'GTIN', criteria: filterLiteral(g) }]));
    return records.map(toItem).filter((i) => i.gtin === g);
  }

  /** Item Variants has a two-field key whose order differs between versions: filtered, not Read. */
  async getItemVariant(itemNumber: string, variantCode: string): Promise<BcCodeRecord | undefined> {
    const item = itemNumber.trim().toUpperCase();
    const code = variantCode.trim().toUpperCase();
    if (item === '' || code === '') return undefined;
    const [v] = await this.ask('itemVariant', (p) =>
      p.readMultiple([{ field: 'Item_No', criteria: filterLiteral(item) }, { field: 'Code', criteria: filterLiteral(code) }], { setSize: 1 }),
    );
    return v ? codeRecord(v, code, v.Description) : undefined;
  }

  async getShipmentMethod(code: string): Promise<BcCodeRecord | undefined> {
    const c = code.trim().toUpperCase();
    if (c === '') return undefined;
    const r = await this.ask('shipmentMethod', (p) => p.read([['Code', c]]));
    return r ? codeRecord(r, c, r.Description) : undefined;
  }

  async getLocation(code: string): Promise<BcCodeRecord | undefined> {
    const c = code.trim().toUpperCase();
    if (c === '') return undefined;
    const r = await this.ask('location', (p) => p.read([['Code', c]]));
    return r ? codeRecord(r, c, r.Name) : undefined;
  }

  async getDimensionValue(dimensionCode: string, valueCode: string): Promise<BcCodeRecord | undefined> {
    const dim = dimensionCode.trim().toUpperCase();
    const value = valueCode.trim().toUpperCase();
    if (dim === '' || value === '') return undefined;
    const [v] = await this.ask('dimensionValue', (p) =>
      p.readMultiple([{ field: 'Dimension_Code', criteria: filterLiteral(dim) }, { field: 'Code', criteria: filterLiteral(value) }], { setSize: 1 }),
    );
    return v ? codeRecord(v, value, v.Name) : undefined;
  }

  /**
   * Create on the Customer Card. The BC customer template named by the config (`templateCode`) is read first
   * from the Customer Templates page and its posting groups and defaults go onto the card in the same Create;
   * the config's template fields win over BC's. With a number, an earlier attempt that reached BC is found
   * by that number instead of being created twice; with BC's number series an ambiguous failure is resolved by
   * e-mail and name, as the API target does.
   */
  async createCustomer(c: BcNewCustomer, ctx: CreateContext = {}): Promise<BcCustomer> {
    const number = c.number?.trim().toUpperCase() || undefined;
    if (number) {
      const existing = await this.getCustomer(number);
      if (existing) return existing;
    }
    const template = c.templateCode?.trim() && this.pages.customerTemplate ? await this.template(c.templateCode.trim().toUpperCase()) : {};
    const card = customerCard(c, number, template);
    try {
      const created = await this.ask('customer', (p) => p.create(card, ctx.orderId));
      if (created.No) return toCustomer(created);
      throw new BcSoapError('BC_PROTOCOL', 'BC accepted the new customer but returned no number', { retryable: true, ambiguous: true });
    } catch (err) {
      if (!(err instanceof BcSoapError)) throw err;
      // Another worker created the same numbered customer first, or our earlier attempt did.
      if (number && (err.ambiguous || isAlreadyExists(err))) {
        const existing = await this.getCustomer(number);
        if (existing) return existing;
      }
      if (!number && err.ambiguous && c.email) {
        const name = card.find(([k]) => k === 'Name')?.[1];
        const same = (await this.findCustomersByEmail(c.email)).filter((x) => x.displayName === name);
        if (same.length === 1) return same[0]!;
      }
      throw err;
    }
  }

  /** A BC customer template by code; misses are not remembered (the template may be added any minute). */
  private template(code: string): Promise<PageRecord> {
    let p = this.templates.get(code);
    if (!p) {
      p = this.ask('customerTemplate', (page) => page.read([['Code', code]])).then((t) => {
        if (!t) {
          throw new BcSoapError('BC_REFERENCE_NOT_FOUND', `Customer template ${code} does not exist in BC; create it in BC (Customer Templates) or change the template code in the config`, { retryable: false });
        }
        return t;
      });
      this.templates.set(code, p);
      p.catch(() => this.templates.delete(code));
    }
    return p;
  }

  /** One question to a page; "not published" names the setting, since the page is one the operator publishes. */
  private async ask<T>(name: SoapPageName, call: (page: PageClient) => Promise<T>): Promise<T> {
    const page = this.pages[name];
    if (!page) throw new BcSoapError('BC_NOT_PUBLISHED', `no ${name} page is configured (soapPages.${name} is "")`, { retryable: false });
    try {
      return await call(page);
    } catch (err) {
      if (err instanceof BcSoapError && err.code === 'BC_NOT_PUBLISHED') {
        throw new BcSoapError('BC_NOT_PUBLISHED', `${err.message} — bcbridge reads it as soapPages.${name} ("${page.service}"); publish that page on BC's Web Services page or set soapPages.${name} to ""`, {
          status: err.status,
          retryable: false,
          cause: err,
        });
      }
      throw err;
    }
  }
}

/** The Customer Card record to Create, in the card's field order; omitted fields keep BC's defaults. */
export function customerCard(c: BcNewCustomer, number: string | undefined, template: PageRecord): XmlFields {
  const out: XmlFields = [];
  const put = (name: string, value: string | undefined, max?: number) => {
    const v = value?.trim();
    if (v) out.push([name, max ? [...v].slice(0, max).join('') : v]);
  };
  const fromTemplate = (name: (typeof TEMPLATE_FIELDS)[number]) => {
    const v = template[name];
    // The card's own default wins over an empty template field (and `_blank_` options stay unset).
    return v && v !== '_blank_' ? v : undefined;
  };
  put('No', number);
  put('Name', c.displayName || 'Webshop customer', LEN.Name);
  put('Address', c.addressLine1, LEN.Address);
  put('Address_2', c.addressLine2, LEN.Address_2);
  put('Post_Code', c.postalCode, LEN.Post_Code);
  put('City', c.city, LEN.City);
  put('County', c.state, LEN.County);
  put('Country_Region_Code', c.country?.toUpperCase(), LEN.Country_Region_Code);
  put('Phone_No', c.phoneNumber, LEN.Phone_No);
  put('E_Mail', c.email, LEN.E_Mail);
  put('Salesperson_Code', c.salespersonCode?.toUpperCase());
  const overrides: Partial<Record<(typeof TEMPLATE_FIELDS)[number], string | undefined>> = {
    Payment_Terms_Code: c.paymentTermsCode?.toUpperCase(),
    Shipment_Method_Code: c.shipmentMethodCode?.toUpperCase(),
    Currency_Code: c.currencyCode?.toUpperCase(),
  };
  for (const f of TEMPLATE_FIELDS) put(f, overrides[f]?.trim() ? overrides[f] : fromTemplate(f));
  return out;
}

export function toCustomer(c: PageRecord): BcCustomer {
  const blocked = (c.Blocked ?? '').trim();
  const number = c.No ?? '';
  return {
    // The page's Key changes with every modification; the number is the customer's identity over SOAP.
    id: number,
    number,
    displayName: c.Name ?? '',
    ...(c.E_Mail && { email: c.E_Mail }),
    ...(c.Phone_No && { phoneNumber: c.Phone_No }),
    ...(c.Country_Region_Code && { country: c.Country_Region_Code }),
    // The blank option travels as `_blank_` (reference/bc-api.md §4); the contract wants ''.
    blocked: blocked === '_blank_' ? '' : blocked,
  };
}

export function toItem(i: PageRecord): BcItem {
  const number = i.No ?? '';
  return {
    id: number,
    number,
    displayName: i.Description ?? '',
    // Item Card: Blocked, and since BC 2019 also Sales Blocked; either stops a sale.
    blocked: i.Blocked === 'true' || i.Sales_Blocked === 'true',
    ...(i.GTIN && { gtin: i.GTIN }),
  };
}

function codeRecord(r: PageRecord, code: string, displayName: string | undefined): BcCodeRecord {
  return { id: r.Key ?? code, code: r.Code ?? code, ...(displayName && { displayName }) };
}
