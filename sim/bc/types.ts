/** A JSON object as it travels on the wire (v2.0 property names). */
export type Wire = Record<string, unknown>;

/** One stored record: its wire fields plus a write counter that feeds the ETag (bc-api.md §1.6). */
export interface Row {
  data: Wire;
  version: number;
}

export interface OrderRow extends Row {
  lines: Row[];
}

export interface CompanyData {
  customers: Row[];
  items: Row[];
  accounts: Row[];
  currencies: Row[];
  shipmentMethods: Row[];
  countriesRegions: Row[];
  paymentTerms: Row[];
  salesOrders: OrderRow[];
  itemVariants: Row[];
  locations: Row[];
  dimensions: Row[];
  dimensionValues: Row[];
  /** Dimension set lines per parent (sales order or sales order line id), as the dimensionSetLines page shows them. */
  dimensionSetLines: Map<string, Row[]>;
  /** G/L account no. → tax group (the v2.0 `accounts` entity does not expose it). */
  accountTaxGroup: Map<string, string>;
  /** Last numbers handed out by the number series. */
  series: { salesOrder: number; customer: number };
}

export interface Company {
  row: Row;
  data: CompanyData;
}

export interface Environment {
  name: string;
  companies: Company[];
}

/** What `BcSim.salesOrders()` returns: the header as BC would serve it, with its lines. */
export type SimSalesOrderLine = Wire & {
  id: string;
  documentId: string;
  sequence: number;
  lineType: string;
  lineObjectNumber: string;
  quantity: number;
  unitPrice: number;
  amountIncludingTax: number;
  /** The line's dimension set (inherited header dimensions included). */
  dimensionSetLines?: Wire[];
};

export type SimSalesOrder = Wire & {
  id: string;
  number: string;
  externalDocumentNumber: string;
  customerNumber: string;
  currencyCode: string;
  totalAmountExcludingTax: number;
  totalTaxAmount: number;
  totalAmountIncludingTax: number;
  salesOrderLines: SimSalesOrderLine[];
  dimensionSetLines?: Wire[];
};

export interface ApiResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}
