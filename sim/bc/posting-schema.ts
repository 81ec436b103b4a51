/**
 * Field metadata of the posted documents (bc-api.md §1.2: salesShipment/salesShipmentLine, salesInvoice)
 * and of the custom tracking API page the simulator offers (docs/write-back.md: BC's standard API has no
 * tracking number on shipments, partners add a page like this one). All read-only: posted documents are
 * made by posting, never by POST on these sets.
 */
import type { EntitySchema, FieldDef, FieldType } from './schema.js';

const ro = (type: FieldType, caption: string, max?: number): FieldDef => ({ type, ro: true, caption, max });

export const SALES_SHIPMENT: EntitySchema = {
  type: 'salesShipment',
  fields: {
    id: ro('guid', 'Id'),
    number: ro('code', 'No.', 20),
    externalDocumentNumber: ro('code', 'External Document No.', 35),
    invoiceDate: ro('date', 'Document Date'),
    postingDate: ro('date', 'Posting Date'),
    dueDate: ro('date', 'Due Date'),
    customerPurchaseOrderReference: ro('string', 'Your Reference', 35),
    customerId: ro('guid', 'Customer Id'),
    customerNumber: ro('code', 'Sell-to Customer No.', 20),
    customerName: ro('string', 'Sell-to Customer Name', 100),
    shipToName: ro('string', 'Ship-to Name', 100),
    shipToContact: ro('string', 'Ship-to Contact', 100),
    shipToAddressLine1: ro('string', 'Ship-to Address', 100),
    shipToCity: ro('string', 'Ship-to City', 30),
    shipToCountry: ro('code', 'Ship-to Country/Region Code', 10),
    shipToPostCode: ro('code', 'Ship-to Post Code', 20),
    currencyCode: ro('string', 'Currency Code'),
    orderNumber: ro('code', 'Order No.', 20),
    shipmentMethodCode: ro('code', 'Shipment Method Code', 10),
    pricesIncludeTax: ro('bool', 'Prices Including VAT'),
    lastModifiedDateTime: ro('datetime', 'Last Modified Date'),
    phoneNumber: ro('string', 'Phone No.', 30),
    email: ro('string', 'Email', 80),
  },
  navigation: ['salesShipmentLines'],
};

export const SALES_SHIPMENT_LINE: EntitySchema = {
  type: 'salesShipmentLine',
  fields: {
    id: ro('guid', 'Id'),
    documentId: ro('guid', 'Document Id'),
    documentNo: ro('code', 'Document No.', 20),
    sequence: ro('int', 'Line No.'),
    lineType: ro('enum', 'Type'),
    lineObjectNumber: ro('code', 'No.', 20),
    description: ro('string', 'Description', 100),
    description2: ro('string', 'Description 2', 50),
    unitOfMeasureCode: ro('code', 'Unit of Measure Code', 10),
    unitPrice: ro('decimal', 'Unit Price'),
    quantity: ro('decimal', 'Quantity'),
    discountPercent: ro('decimal', 'Line Discount %'),
    taxPercent: ro('decimal', 'VAT %'),
    shipmentDate: ro('date', 'Shipment Date'),
  },
  navigation: [],
};

export const SALES_INVOICE: EntitySchema = {
  type: 'salesInvoice',
  fields: {
    id: ro('guid', 'Id'),
    number: ro('code', 'No.', 20),
    externalDocumentNumber: ro('code', 'External Document No.', 35),
    invoiceDate: ro('date', 'Document Date'),
    postingDate: ro('date', 'Posting Date'),
    dueDate: ro('date', 'Due Date'),
    customerId: ro('guid', 'Customer Id'),
    customerNumber: ro('code', 'Sell-to Customer No.', 20),
    customerName: ro('string', 'Sell-to Customer Name', 100),
    orderId: ro('guid', 'Order Id'),
    orderNumber: ro('code', 'Order No.', 20),
    currencyId: ro('guid', 'Currency Id'),
    currencyCode: ro('string', 'Currency Code'),
    pricesIncludeTax: ro('bool', 'Prices Including VAT'),
    totalAmountExcludingTax: ro('decimal', 'Total Amount Excluding Tax'),
    totalTaxAmount: ro('decimal', 'Total Tax Amount'),
    totalAmountIncludingTax: ro('decimal', 'Total Amount Including Tax'),
    remainingAmount: ro('decimal', 'Remaining Amount'),
    status: ro('enum', 'Status'),
    lastModifiedDateTime: ro('datetime', 'Last Modified Date'),
  },
  navigation: ['salesInvoiceLines'],
};

export const SALES_INVOICE_LINE: EntitySchema = {
  type: 'salesInvoiceLine',
  fields: {
    id: ro('guid', 'Id'),
    documentId: ro('guid', 'Document Id'),
    sequence: ro('int', 'Line No.'),
    lineType: ro('enum', 'Type'),
    lineObjectNumber: ro('code', 'No.', 20),
    description: ro('string', 'Description', 100),
    quantity: ro('decimal', 'Quantity'),
    unitPrice: ro('decimal', 'Unit Price'),
    amountExcludingTax: ro('decimal', 'Amount Excluding Tax'),
    amountIncludingTax: ro('decimal', 'Amount Including Tax'),
  },
  navigation: [],
};

/** The custom page `api/bcbridge/shipping/v1.0/shipmentTracking` (one row per posted shipment with a package). */
export const SHIPMENT_TRACKING: EntitySchema = {
  type: 'shipmentTracking',
  fields: {
    id: ro('guid', 'Id'),
    shipmentNo: ro('code', 'No.', 20),
    orderNumber: ro('code', 'Order No.', 20),
    packageTrackingNo: ro('string', 'Package Tracking No.', 30),
    shippingAgentCode: ro('code', 'Shipping Agent Code', 10),
    shippingAgentServiceCode: ro('code', 'Shipping Agent Service Code', 10),
  },
  navigation: [],
};
