import type { Money } from '../domain/money.js';

/**
 * The BC sales order bcbridge wants to exist: what `bcbridge map` prints and what a BC target creates.
 * Field names follow BC API v2.0 `salesOrders` / `salesOrderLines` (reference/bc-api.md §1.2); the SOAP
 * transport translates from this same document. Amounts are decimal strings; the API client writes them
 * as JSON number literals without passing through binary floats.
 */
export type BcLineType = 'Item' | 'Account' | 'Resource' | 'Fixed Asset' | 'Charge' | 'Comment';

/** One dimension set line: BC dimension code and dimension value code (API v2.0 `dimensionSetLines`). */
export interface BcDimension {
  code: string;
  valueCode: string;
}

export interface BcSalesOrderLine {
  lineType: BcLineType;
  /** Item no. / G/L account no. / resource no. … (absent for Comment). */
  lineObjectNumber?: string;
  description?: string;
  description2?: string;
  quantity: string;
  /** Excluding tax when the header's pricesIncludeTax is false. Up to 5 decimals. */
  unitPrice: Money;
  discountAmount?: Money;
  unitOfMeasureCode?: string;
  itemVariantCode?: string;
  locationCode?: string;
  /** Dimension set lines of this line (deep-inserted with it); the header's dimensions are inherited by BC. */
  dimensions?: BcDimension[];
  /** Which shop line this came from (not sent to BC). */
  sourceLineId?: string;
}

export interface BcSalesOrderDocument {
  externalDocumentNumber: string;
  customerNumber: string;
  /** YYYY-MM-DD (BC "Document Date"). */
  orderDate: string;
  /** Blank for the company's local currency (BC stores LCY as blank). */
  currencyCode: string;
  pricesIncludeTax: boolean;
  email?: string;
  phoneNumber?: string;
  sellToAddressLine1?: string;
  sellToAddressLine2?: string;
  sellToCity?: string;
  sellToState?: string;
  sellToPostCode?: string;
  sellToCountry?: string;
  shipToName?: string;
  shipToContact?: string;
  shipToAddressLine1?: string;
  shipToAddressLine2?: string;
  shipToCity?: string;
  shipToState?: string;
  shipToPostCode?: string;
  shipToCountry?: string;
  salesperson?: string;
  shipmentMethodCode?: string;
  locationCode?: string;
  /** Dimension set lines of the header; BC copies them to the lines. */
  dimensions?: BcDimension[];
  /**
   * Order (invoice) discount, in the price basis of the order (incl. tax when pricesIncludeTax). BC applies it
   * only to an order that already has lines, so the API target sets it right after creating the order.
   */
  discountAmount?: Money;
  lines: BcSalesOrderLine[];
  /** What the shop says the order is worth; verify compares BC's totals with these. Not sent to BC. */
  expected: { currency: string; totalNet: Money; totalTax: Money; total: Money };
}
