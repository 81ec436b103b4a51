import type { BcDimension, BcLineType, BcSalesOrderDocument } from '../document.js';
import type { BcSalesOrderSnapshot } from '../target.js';
import { dec } from '../../domain/money.js';
import { BcSoapError } from './errors.js';
import type { PageRecord } from './page-client.js';
import type { XmlFields } from './xml.js';

/**
 * The AutoShoppingCartImport contract (docs/bc-soap-page.md): one staging record per document line, keyed
 * by (External_Document_No, Line_No). Every record carries the order header too, and Line_Count, so BC
 * knows when the set is complete and can process it without a separate header record.
 */

/** Line_No of the n-th line (0-based): 10000, 20000, … as BC numbers lines. */
export const lineNo = (index: number): number => (index + 1) * 10000;

/** BcLineType → the page's Type option as SOAP writes it (spaces and punctuation → `_`, blank → `_blank_`). */
const LINE_TYPE: Record<BcLineType, string> = {
  Comment: '_blank_',
  Account: 'G_L_Account',
  Item: 'Item',
  Resource: 'Resource',
  'Fixed Asset': 'Fixed_Asset',
  Charge: 'Charge_Item',
};

/** The records to Create for a document, in Line_No order; fields in the page's (WSDL sequence) order. */
export function stagingRecords(doc: BcSalesOrderDocument): XmlFields[] {
  const key = doc.externalDocumentNumber.trim().toUpperCase();
  const header: XmlFields = [];
  const opt = (fields: XmlFields, name: string, value: string | undefined) => {
    // Omitted elements keep BC's default (minOccurs=0); an empty element would blank the field.
    if (value !== undefined && value !== '') fields.push([name, value]);
  };
  opt(header, 'Customer_No', doc.customerNumber);
  opt(header, 'Order_Date', doc.orderDate);
  opt(header, 'Currency_Code', doc.currencyCode);
  header.push(['Prices_Including_VAT', doc.pricesIncludeTax ? 'true' : 'false']);
  opt(header, 'E_Mail', doc.email);
  opt(header, 'Phone_No', doc.phoneNumber);
  opt(header, 'Sell_to_Address', doc.sellToAddressLine1);
  opt(header, 'Sell_to_Address_2', doc.sellToAddressLine2);
  opt(header, 'Sell_to_City', doc.sellToCity);
  opt(header, 'Sell_to_County', doc.sellToState);
  opt(header, 'Sell_to_Post_Code', doc.sellToPostCode);
  opt(header, 'Sell_to_Country_Region_Code', doc.sellToCountry);
  opt(header, 'Ship_to_Name', doc.shipToName);
  opt(header, 'Ship_to_Contact', doc.shipToContact);
  opt(header, 'Ship_to_Address', doc.shipToAddressLine1);
  opt(header, 'Ship_to_Address_2', doc.shipToAddressLine2);
  opt(header, 'Ship_to_City', doc.shipToCity);
  opt(header, 'Ship_to_County', doc.shipToState);
  opt(header, 'Ship_to_Post_Code', doc.shipToPostCode);
  opt(header, 'Ship_to_Country_Region_Code', doc.shipToCountry);
  opt(header, 'Salesperson_Code', doc.salesperson);
  opt(header, 'Shipment_Method_Code', doc.shipmentMethodCode);
  opt(header, 'Location_Code', doc.locationCode);
  opt(header, 'Header_Dimensions', dimensionText(doc.dimensions, key, 'header'));
  // The order (invoice) discount: the job applies it once the lines exist, as BC's API does (docs/bc-soap-page.md).
  if (doc.discountAmount !== undefined && !dec(doc.discountAmount).isZero()) header.push(['Invoice_Discount_Amount', doc.discountAmount]);

  return doc.lines.map((line, i) => {
    const rec: XmlFields = [
      ['External_Document_No', key],
      ['Line_No', String(lineNo(i))],
      ['Line_Count', String(doc.lines.length)],
      ...header,
      ['Type', LINE_TYPE[line.lineType]],
    ];
    opt(rec, 'No', line.lineObjectNumber);
    opt(rec, 'Description', line.description);
    opt(rec, 'Description_2', line.description2);
    opt(rec, 'Variant_Code', line.itemVariantCode);
    opt(rec, 'Unit_of_Measure_Code', line.unitOfMeasureCode);
    rec.push(['Quantity', line.quantity]);
    rec.push(['Unit_Price', line.unitPrice]);
    opt(rec, 'Line_Discount_Amount', line.discountAmount);
    // A line's own location wins over the header's (BC copies the header's onto lines without one).
    if (line.locationCode && line.locationCode !== doc.locationCode) opt(rec, 'Line_Location_Code', line.locationCode);
    opt(rec, 'Line_Dimensions', dimensionText(line.dimensions, key, `line ${lineNo(i)}`));
    return rec;
  });
}

/** Text[250] fields of the page: Header_Dimensions, Line_Dimensions. */
const DIMENSION_TEXT_MAX = 250;

/**
 * Dimensions as the page carries them: `CODE=VALUE;CODE=VALUE` (docs/bc-soap-page.md, parsed by the job's
 * AL). A code or value that holds a separator could not be parsed back, and BC would not accept it as a
 * dimension (value) code either; a text longer than the field would fail the Create: both are refused here.
 */
export function dimensionText(dims: BcDimension[] | undefined, key: string, where: string): string | undefined {
  if (!dims?.length) return undefined;
  const parts = dims.map((d) => {
    const code = d.code.trim().toUpperCase();
    const value = d.valueCode.trim().toUpperCase();
    if (code === '' || value === '' || /[=;]/.test(code + value)) {
      throw new BcSoapError('BC_INVALID_DOCUMENT', `order ${key}, ${where}: dimension "${d.code}" = "${d.valueCode}" cannot be sent to the staging page (empty, or contains "=" or ";")`);
    }
    return `${code}=${value}`;
  });
  const text = parts.join(';');
  if (text.length > DIMENSION_TEXT_MAX) {
    throw new BcSoapError('BC_INVALID_DOCUMENT', `order ${key}, ${where}: the dimensions "${text}" are ${text.length} characters; the staging page's field holds ${DIMENSION_TEXT_MAX}`);
  }
  return text;
}

/** True when a stored staging record holds what `wanted` would create (the fields that decide the sales line). */
export function sameLine(stored: PageRecord, wanted: XmlFields): boolean {
  const w = Object.fromEntries(wanted.filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const eqText = (k: string) => (stored[k] ?? '').toUpperCase() === (w[k] ?? '').toUpperCase();
  const eqNum = (k: string) => dec(stored[k] || '0').eq(dec(w[k] || '0'));
  return (
    eqText('Type') && eqText('No') && eqText('Customer_No') && eqText('Currency_Code') &&
    eqNum('Quantity') && eqNum('Unit_Price') && eqNum('Line_Discount_Amount') && eqNum('Line_Count') &&
    eqText('Header_Dimensions') && eqText('Line_Dimensions') && eqNum('Invoice_Discount_Amount') &&
    (stored.Prices_Including_VAT ?? 'false') === (w.Prices_Including_VAT ?? 'false')
  );
}

export interface StagingSet {
  key: string;
  records: PageRecord[];
  /** Every line 1..Line_Count is there: BC will (or did) process the set. */
  whole: boolean;
  snapshot: BcSalesOrderSnapshot;
}

/** One order's staging records as BC reports them → what the pipeline sees. */
export function summarize(key: string, records: PageRecord[]): StagingSet {
  const sorted = [...records].sort((a, b) => Number(a.Line_No) - Number(b.Line_No));
  const first = sorted[0] ?? {};
  const expected = Math.max(0, ...sorted.map((r) => Number(r.Line_Count) || 0));
  const have = new Set(sorted.map((r) => Number(r.Line_No)));
  let whole = expected > 0;
  for (let i = 0; i < expected && whole; i++) whole = have.has(lineNo(i));
  const done = sorted.find((r) => r.Completed === 'true' && (r.Sales_Order_No ?? '') !== '');
  const error = sorted.map((r) => (r.Error_Message ?? '').trim()).find((m) => m !== '');
  const net = dec((done ?? first).Order_Amount || '0');
  const gross = dec((done ?? first).Order_Amount_Incl_VAT || '0');
  return {
    key,
    records: sorted,
    // A processed set counts as there even if BC's clean-up already removed some lines.
    whole: whole || done !== undefined,
    snapshot: {
      id: key,
      number: done?.Sales_Order_No ?? first.Sales_Order_No ?? '',
      externalDocumentNumber: first.External_Document_No ?? key,
      currencyCode: first.Currency_Code ?? '',
      totalAmountExcludingTax: net.toFixed(),
      totalTaxAmount: gross.minus(net).toFixed(),
      totalAmountIncludingTax: gross.toFixed(),
      // verify reads "Error: …" as BC's verdict on the set; "Processing" as not yet.
      status: done ? 'Completed' : error ? `Error: ${error}` : whole ? 'Processing' : `Incomplete (${have.size} of ${expected} lines)`,
      lineCount: sorted.length,
      complete: done !== undefined,
    },
  };
}
