/**
 * The page web services the simulator publishes (bc-api.md §4): the custom staging page
 * AutoShoppingCartImport as docs/bc-soap-page.md specifies it, and read views of the standard Customer
 * and Item cards. Field names are the SOAP names (spaces and punctuation → `_`); types follow the WSDL
 * (xsd:string / decimal / int / boolean / date / dateTime, options as enumerations).
 */
export type FieldType = 'code' | 'text' | 'decimal' | 'int' | 'boolean' | 'date' | 'datetime' | 'option';

export interface FieldDef {
  name: string;
  type: FieldType;
  /** Code/Text length (Code fields are stored upper-case). */
  length?: number;
  /** Option values as SOAP spells them (`_blank_` for the blank option). */
  options?: string[];
  /** Filled by BC, not editable through the page. */
  readOnly?: boolean;
  /** Caption as AL error messages print it. */
  caption: string;
}

export interface PageDef {
  service: string;
  /** Table caption, as fault messages name the record. */
  table: string;
  fields: FieldDef[];
  /** Primary key fields (Read's parameters), in key order. */
  key: string[];
  writable: boolean;
  /** Operations the page offers when they are not the staging page's full set (writable) or read-only's. */
  operations?: string[];
}

const f = (name: string, type: FieldType, caption: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type, caption, ...extra });

export const LINE_TYPES = ['_blank_', 'G_L_Account', 'Item', 'Resource', 'Fixed_Asset', 'Charge_Item'];

export const STAGING: PageDef = {
  service: 'AutoShoppingCartImport',
  table: 'Auto Shopping Cart Import',
  key: ['External_Document_No', 'Line_No'],
  writable: true,
  fields: [
    f('External_Document_No', 'code', 'External Document No.', { length: 35 }),
    f('Line_No', 'int', 'Line No.'),
    f('Line_Count', 'int', 'Line Count'),
    f('Customer_No', 'code', 'Customer No.', { length: 20 }),
    f('Order_Date', 'date', 'Order Date'),
    f('Currency_Code', 'code', 'Currency Code', { length: 10 }),
    f('Prices_Including_VAT', 'boolean', 'Prices Including VAT'),
    f('E_Mail', 'text', 'E-Mail', { length: 80 }),
    f('Phone_No', 'text', 'Phone No.', { length: 30 }),
    f('Sell_to_Address', 'text', 'Sell-to Address', { length: 100 }),
    f('Sell_to_Address_2', 'text', 'Sell-to Address 2', { length: 50 }),
    f('Sell_to_City', 'text', 'Sell-to City', { length: 30 }),
    f('Sell_to_County', 'text', 'Sell-to County', { length: 30 }),
    f('Sell_to_Post_Code', 'code', 'Sell-to Post Code', { length: 20 }),
    f('Sell_to_Country_Region_Code', 'code', 'Sell-to Country/Region Code', { length: 10 }),
    f('Ship_to_Name', 'text', 'Ship-to Name', { length: 100 }),
    f('Ship_to_Contact', 'text', 'Ship-to Contact', { length: 100 }),
    f('Ship_to_Address', 'text', 'Ship-to Address', { length: 100 }),
    f('Ship_to_Address_2', 'text', 'Ship-to Address 2', { length: 50 }),
    f('Ship_to_City', 'text', 'Ship-to City', { length: 30 }),
    f('Ship_to_County', 'text', 'Ship-to County', { length: 30 }),
    f('Ship_to_Post_Code', 'code', 'Ship-to Post Code', { length: 20 }),
    f('Ship_to_Country_Region_Code', 'code', 'Ship-to Country/Region Code', { length: 10 }),
    f('Salesperson_Code', 'code', 'Salesperson Code', { length: 20 }),
    f('Shipment_Method_Code', 'code', 'Shipment Method Code', { length: 10 }),
    f('Location_Code', 'code', 'Location Code', { length: 10 }),
    // `CODE=VALUE;CODE=VALUE`: the order's dimensions (every record) and the line's own (docs/bc-soap-page.md).
    f('Header_Dimensions', 'text', 'Header Dimensions', { length: 250 }),
    f('Invoice_Discount_Amount', 'decimal', 'Invoice Discount Amount'),
    f('Type', 'option', 'Type', { options: LINE_TYPES }),
    f('No', 'code', 'No.', { length: 20 }),
    f('Description', 'text', 'Description', { length: 100 }),
    f('Description_2', 'text', 'Description 2', { length: 50 }),
    f('Variant_Code', 'code', 'Variant Code', { length: 10 }),
    f('Unit_of_Measure_Code', 'code', 'Unit of Measure Code', { length: 10 }),
    f('Quantity', 'decimal', 'Quantity'),
    f('Unit_Price', 'decimal', 'Unit Price'),
    f('Line_Discount_Amount', 'decimal', 'Line Discount Amount'),
    f('Line_Location_Code', 'code', 'Line Location Code', { length: 10 }),
    f('Line_Dimensions', 'text', 'Line Dimensions', { length: 250 }),
    // Filled in by BC's processing (read-only on the page).
    f('Completed', 'boolean', 'Completed', { readOnly: true }),
    f('Sales_Order_No', 'code', 'Sales Order No.', { length: 20, readOnly: true }),
    f('Sales_Line_No', 'int', 'Sales Line No.', { readOnly: true }),
    f('Error_Message', 'text', 'Error Message', { length: 250, readOnly: true }),
    f('Processed_At', 'datetime', 'Processed At', { readOnly: true }),
    f('Order_Amount', 'decimal', 'Order Amount', { readOnly: true }),
    f('Order_Amount_Incl_VAT', 'decimal', 'Order Amount Incl. VAT', { readOnly: true }),
    f('Shipped_Quantity', 'decimal', 'Shipped Quantity', { readOnly: true }),
    f('Shipment_No', 'code', 'Shipment No.', { length: 20, readOnly: true }),
    f('Shipping_Agent_Code', 'code', 'Shipping Agent Code', { length: 10, readOnly: true }),
    f('Package_Tracking_No', 'text', 'Package Tracking No.', { length: 50, readOnly: true }),
  ],
};

/**
 * AutoShoppingCartShipments (docs/bc-soap-page.md): a read-only list page over Sales Shipment Line (table 111)
 * with the header's External Document No., Posting Date, Package Tracking No. and Shipping Agent Code. One
 * record per posted shipment line; filtered by Order_No. Posted shipments stay after the order is invoiced
 * and deleted, unlike the staging records' view of the sales order.
 */
export const SHIPMENTS: PageDef = {
  service: 'AutoShoppingCartShipments',
  table: 'Sales Shipment Line',
  key: ['Document_No', 'Line_No'],
  writable: false,
  fields: [
    f('Document_No', 'code', 'Document No.', { length: 20 }),
    f('Line_No', 'int', 'Line No.'),
    f('Order_No', 'code', 'Order No.', { length: 20 }),
    f('Order_Line_No', 'int', 'Order Line No.'),
    f('External_Document_No', 'code', 'External Document No.', { length: 35 }),
    f('Posting_Date', 'date', 'Posting Date'),
    f('Type', 'option', 'Type', { options: LINE_TYPES }),
    f('No', 'code', 'No.', { length: 20 }),
    f('Description', 'text', 'Description', { length: 100 }),
    f('Quantity', 'decimal', 'Quantity'),
    f('Package_Tracking_No', 'text', 'Package Tracking No.', { length: 50 }),
    f('Shipping_Agent_Code', 'code', 'Shipping Agent Code', { length: 10 }),
  ],
};

/**
 * Customer Card (page 21) as published on Web Services, with the fields the order rules read and a new
 * customer's Create writes (names as samples/bc/soap-page-Customer.wsdl spells them, in its order). Create
 * only: bcbridge never changes or deletes a customer.
 */
export const CUSTOMER: PageDef = {
  service: 'Customer',
  table: 'Customer',
  key: ['No'],
  writable: false,
  operations: ['Read', 'ReadMultiple', 'IsUpdated', 'Create'],
  fields: [
    f('No', 'code', 'No.', { length: 20 }),
    f('Name', 'text', 'Name', { length: 100 }),
    f('Address', 'text', 'Address', { length: 100 }),
    f('Address_2', 'text', 'Address 2', { length: 50 }),
    f('Post_Code', 'code', 'Post Code', { length: 20 }),
    f('City', 'text', 'City', { length: 30 }),
    f('County', 'text', 'County', { length: 30 }),
    f('Country_Region_Code', 'code', 'Country/Region Code', { length: 10 }),
    f('Phone_No', 'text', 'Phone No.', { length: 30 }),
    f('Blocked', 'option', 'Blocked', { options: ['_blank_', 'Ship', 'Invoice', 'All'] }),
    f('E_Mail', 'text', 'E-Mail', { length: 80 }),
    f('Salesperson_Code', 'code', 'Salesperson Code', { length: 20 }),
    f('Gen_Bus_Posting_Group', 'code', 'Gen. Bus. Posting Group', { length: 20 }),
    f('VAT_Bus_Posting_Group', 'code', 'VAT Bus. Posting Group', { length: 20 }),
    f('Customer_Posting_Group', 'code', 'Customer Posting Group', { length: 20 }),
    f('Customer_Price_Group', 'code', 'Customer Price Group', { length: 10 }),
    f('Customer_Disc_Group', 'code', 'Customer Disc. Group', { length: 20 }),
    f('Allow_Line_Disc', 'boolean', 'Allow Line Disc.'),
    f('Prices_Including_VAT', 'boolean', 'Prices Including VAT'),
    f('Payment_Terms_Code', 'code', 'Payment Terms Code', { length: 10 }),
    f('Payment_Method_Code', 'code', 'Payment Method Code', { length: 10 }),
    f('Reminder_Terms_Code', 'code', 'Reminder Terms Code', { length: 10 }),
    f('Fin_Charge_Terms_Code', 'code', 'Fin. Charge Terms Code', { length: 10 }),
    f('Location_Code', 'code', 'Location Code', { length: 10 }),
    f('Shipment_Method_Code', 'code', 'Shipment Method Code', { length: 10 }),
    f('Currency_Code', 'code', 'Currency Code', { length: 10 }),
    f('Language_Code', 'code', 'Language Code', { length: 10 }),
  ],
};

export const ITEM: PageDef = {
  service: 'Item',
  table: 'Item',
  key: ['No'],
  writable: false,
  fields: [
    f('No', 'code', 'No.', { length: 20 }),
    f('Description', 'text', 'Description', { length: 100 }),
    f('Blocked', 'boolean', 'Blocked'),
    f('Sales_Blocked', 'boolean', 'Sales Blocked'),
    f('GTIN', 'code', 'GTIN', { length: 14 }),
    f('Unit_Price', 'decimal', 'Unit Price'),
  ],
};

/** Item Variants (page 5401), key Item No., Code. */
export const ITEM_VARIANTS: PageDef = {
  service: 'ItemVariants',
  table: 'Item Variant',
  key: ['Item_No', 'Code'],
  writable: false,
  fields: [f('Item_No', 'code', 'Item No.', { length: 20 }), f('Code', 'code', 'Code', { length: 10 }), f('Description', 'text', 'Description', { length: 100 })],
};

/** Shipment Methods (page 11). */
export const SHIPMENT_METHODS: PageDef = {
  service: 'ShipmentMethods',
  table: 'Shipment Method',
  key: ['Code'],
  writable: false,
  fields: [f('Code', 'code', 'Code', { length: 10 }), f('Description', 'text', 'Description', { length: 100 })],
};

/** Location List (page 15). */
export const LOCATIONS: PageDef = {
  service: 'Locations',
  table: 'Location',
  key: ['Code'],
  writable: false,
  fields: [f('Code', 'code', 'Code', { length: 10 }), f('Name', 'text', 'Name', { length: 100 })],
};

/** Dimension Values (page 537), key Dimension Code, Code. */
export const DIMENSION_VALUES: PageDef = {
  service: 'DimensionValues',
  table: 'Dimension Value',
  key: ['Dimension_Code', 'Code'],
  writable: false,
  fields: [
    f('Dimension_Code', 'code', 'Dimension Code', { length: 20 }),
    f('Code', 'code', 'Code', { length: 20 }),
    f('Name', 'text', 'Name', { length: 50 }),
    f('Blocked', 'boolean', 'Blocked'),
  ],
};

/** Customer Templ. Card (page 1382): the template fields a new customer's card copies. */
export const CUSTOMER_TEMPLATES: PageDef = {
  service: 'CustomerTemplates',
  table: 'Customer Templ.',
  key: ['Code'],
  writable: false,
  fields: [
    f('Code', 'code', 'Code', { length: 20 }),
    f('Description', 'text', 'Description', { length: 100 }),
    f('Gen_Bus_Posting_Group', 'code', 'Gen. Bus. Posting Group', { length: 20 }),
    f('VAT_Bus_Posting_Group', 'code', 'VAT Bus. Posting Group', { length: 20 }),
    f('Customer_Posting_Group', 'code', 'Customer Posting Group', { length: 20 }),
    f('Prices_Including_VAT', 'boolean', 'Prices Including VAT'),
    f('Payment_Terms_Code', 'code', 'Payment Terms Code', { length: 10 }),
    f('Shipment_Method_Code', 'code', 'Shipment Method Code', { length: 10 }),
    f('Location_Code', 'code', 'Location Code', { length: 10 }),
  ],
};

export const PAGES: PageDef[] = [STAGING, SHIPMENTS, CUSTOMER, ITEM, ITEM_VARIANTS, SHIPMENT_METHODS, LOCATIONS, DIMENSION_VALUES, CUSTOMER_TEMPLATES];

export function pageByService(name: string): PageDef | undefined {
  // Service names in URLs are matched as BC matches them: without regard to case.
  return PAGES.find((p) => p.service.toLowerCase() === name.toLowerCase());
}

export const pageNs = (p: PageDef) => `urn:microsoft-dynamics-schemas/page/${p.service.toLowerCase()}`;
