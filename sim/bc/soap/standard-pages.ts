import { CUSTOMER_TEMPLATES as TEMPLATES, LCY, POSTING_GROUPS } from '../../catalog.js';
import { createCustomer } from '../api/customers.js';
import { BcError } from '../errors.js';
import type { Company, Row, Wire } from '../types.js';
import type { Children } from './envelope.js';
import { normalize, PageFault } from './fields.js';
import { CUSTOMER, CUSTOMER_TEMPLATES, DIMENSION_VALUES, ITEM, ITEM_VARIANTS, LOCATIONS, type PageDef, SHIPMENT_METHODS } from './pages.js';

/**
 * The standard pages an on-premises BC publishes as SOAP web services (docs/bc-soap-page.md "Master data"),
 * as views of the same company data the API serves: a customer created on the Customer Card is a customer of
 * `customers` too, and one created or blocked through the API shows on the page. Card fields API v2.0 does not
 * carry (posting groups, price groups, location …) are kept beside the API's record.
 */
export interface ViewRow {
  key: string;
  values: Record<string, string>;
}

/** Customer Card fields that the v2.0 customer entity has no property for. */
const CARD_ONLY = [
  'Gen_Bus_Posting_Group', 'VAT_Bus_Posting_Group', 'Customer_Posting_Group', 'Customer_Price_Group', 'Customer_Disc_Group',
  'Allow_Line_Disc', 'Prices_Including_VAT', 'Payment_Method_Code', 'Reminder_Terms_Code', 'Fin_Charge_Terms_Code',
  'Location_Code', 'Language_Code',
] as const;
const cardOnly = new WeakMap<Row, Record<string, string>>();

/** A page Key in BC's shape (`{table no};{base64 record id};{version};`), opaque to the client. */
function key(table: number, id: string, version: number): string {
  return `${table};${Buffer.from(id, 'utf8').toString('base64')};${version};`;
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function standardRows(company: Company, page: PageDef): ViewRow[] | undefined {
  const d = company.data;
  switch (page) {
    case CUSTOMER:
      return d.customers.map((r) => ({ key: key(18, s(r.data.number), r.version), values: customerView(company, r) }));
    case ITEM:
      return d.items.map((r) => ({
        key: key(27, s(r.data.number), r.version),
        values: {
          No: s(r.data.number),
          Description: s(r.data.displayName),
          Blocked: String(r.data.blocked === true),
          Sales_Blocked: 'false',
          GTIN: s(r.data.gtin),
          Unit_Price: s(r.data.unitPrice),
        },
      }));
    case ITEM_VARIANTS:
      return d.itemVariants.map((r) => ({
        key: key(5401, `${s(r.data.itemNumber)}/${s(r.data.code)}`, r.version),
        values: { Item_No: s(r.data.itemNumber), Code: s(r.data.code), Description: s(r.data.description) },
      }));
    case SHIPMENT_METHODS:
      return d.shipmentMethods.map((r) => ({ key: key(10, s(r.data.code), r.version), values: { Code: s(r.data.code), Description: s(r.data.displayName) } }));
    case LOCATIONS:
      return d.locations.map((r) => ({ key: key(14, s(r.data.code), r.version), values: { Code: s(r.data.code), Name: s(r.data.displayName) } }));
    case DIMENSION_VALUES:
      return d.dimensionValues.map((r) => {
        const dim = d.dimensions.find((x) => x.data.id === r.data.dimensionId);
        return {
          key: key(349, `${s(dim?.data.code)}/${s(r.data.code)}`, r.version),
          values: { Dimension_Code: s(dim?.data.code), Code: s(r.data.code), Name: s(r.data.displayName), Blocked: 'false' },
        };
      });
    case CUSTOMER_TEMPLATES:
      return TEMPLATES.map((t) => ({
        key: key(1381, t.code, 1),
        values: {
          Code: t.code,
          Description: t.description,
          Gen_Bus_Posting_Group: t.genBusPostingGroup,
          VAT_Bus_Posting_Group: t.vatBusPostingGroup,
          Customer_Posting_Group: t.customerPostingGroup,
          Prices_Including_VAT: String(t.pricesIncludingVat === true),
          Payment_Terms_Code: t.paymentTermsCode ?? '',
          Shipment_Method_Code: t.shipmentMethodCode ?? '',
          Location_Code: t.locationCode ?? '',
        },
      }));
    default:
      return undefined;
  }
}

function customerView(company: Company, r: Row): Record<string, string> {
  const c = r.data;
  const codeOf = (rows: Row[], id: unknown) => s(rows.find((x) => x.data.id === id)?.data.code);
  const blocked = s(c.blocked);
  return {
    No: s(c.number),
    Name: s(c.displayName),
    Address: s(c.addressLine1),
    Address_2: s(c.addressLine2),
    Post_Code: s(c.postalCode),
    City: s(c.city),
    County: s(c.state),
    Country_Region_Code: s(c.country),
    Phone_No: s(c.phoneNumber),
    Blocked: blocked === '_x0020_' || blocked.trim() === '' ? '_blank_' : blocked,
    E_Mail: s(c.email),
    Salesperson_Code: s(c.salespersonCode),
    Payment_Terms_Code: codeOf(company.data.paymentTerms, c.paymentTermsId),
    Shipment_Method_Code: codeOf(company.data.shipmentMethods, c.shipmentMethodId),
    // The card shows the LCY as blank; the API reads it back as the LCY's code (bc-api.md §1.2).
    Currency_Code: s(c.currencyCode) === LCY ? '' : s(c.currencyCode),
    Allow_Line_Disc: 'true',
    Prices_Including_VAT: 'false',
    ...cardOnly.get(r),
  };
}

/** Card field → the API's customer property, for the fields both have. */
const TO_API: Record<string, string> = {
  No: 'number', Name: 'displayName', Address: 'addressLine1', Address_2: 'addressLine2', Post_Code: 'postalCode', City: 'city',
  County: 'state', Country_Region_Code: 'country', Phone_No: 'phoneNumber', E_Mail: 'email', Salesperson_Code: 'salespersonCode',
  Currency_Code: 'currencyCode', Blocked: 'blocked',
};

/**
 * Create on the Customer Card: the record is inserted (a blank No. takes the customer number series), then
 * each field is validated as the card's OnValidate triggers do: a code that names no record is BC's
 * "The … does not exist." fault, and nothing is stored.
 */
export function createCustomerCard(company: Company, rec: Children): ViewRow {
  const values: Record<string, string> = {};
  for (const [name, list] of rec) {
    if (name === 'Key') continue;
    const def = CUSTOMER.fields.find((f) => f.name === name);
    if (!def) throw new PageFault(`The element '${name}' is not a field of page ${CUSTOMER.service}.`, 'System.ServiceModel.CommunicationException');
    const v = list[0];
    if (typeof v !== 'string') throw new PageFault(`The field '${name}' must be a value.`, 'System.ServiceModel.CommunicationException');
    values[name] = normalize(def, v);
  }
  const exists = (table: string, code: string, ok: boolean) => {
    if (!ok) throw new PageFault(`The ${table} does not exist. Identification fields and values: Code='${code}'`, 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideRecordNotFoundException');
  };
  const body: Wire = {};
  for (const [field, prop] of Object.entries(TO_API)) {
    const v = values[field];
    if (v === undefined || v === '') continue;
    body[prop] = field === 'Blocked' && v === '_blank_' ? ' ' : v;
  }
  if (body.displayName === undefined) body.displayName = '';
  const d = company.data;
  if (values.Payment_Terms_Code) {
    const t = d.paymentTerms.find((r) => r.data.code === values.Payment_Terms_Code);
    exists('Payment Terms', values.Payment_Terms_Code, !!t);
    body.paymentTermsId = t!.data.id;
  }
  if (values.Shipment_Method_Code) {
    const m = d.shipmentMethods.find((r) => r.data.code === values.Shipment_Method_Code);
    exists('Shipment Method', values.Shipment_Method_Code, !!m);
    body.shipmentMethodId = m!.data.id;
  }
  if (values.Location_Code) exists('Location', values.Location_Code, d.locations.some((r) => r.data.code === values.Location_Code));
  if (values.Gen_Bus_Posting_Group) exists('Gen. Business Posting Group', values.Gen_Bus_Posting_Group, POSTING_GROUPS.genBus.includes(values.Gen_Bus_Posting_Group));
  if (values.VAT_Bus_Posting_Group) exists('VAT Business Posting Group', values.VAT_Bus_Posting_Group, POSTING_GROUPS.vatBus.includes(values.VAT_Bus_Posting_Group));
  if (values.Customer_Posting_Group) exists('Customer Posting Group', values.Customer_Posting_Group, POSTING_GROUPS.customer.includes(values.Customer_Posting_Group));
  let row: Row;
  try {
    row = createCustomer(company, body, null);
  } catch (e) {
    if (!(e instanceof BcError)) throw e;
    const message = e.message.replace(/^The record in table Customer already exists/, 'The Customer already exists');
    throw new PageFault(message, /already exists/.test(message) ? 'Microsoft.Dynamics.Nav.Types.Exceptions.NavCSideRecordAlreadyExistsException' : undefined);
  }
  const extra: Record<string, string> = {};
  for (const f of CARD_ONLY) if (values[f] !== undefined) extra[f] = values[f]!;
  cardOnly.set(row, extra);
  return { key: key(18, s(row.data.number), row.version), values: customerView(company, row) };
}
