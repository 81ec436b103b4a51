/**
 * Field metadata of the v2.0 entities the simulator serves (bc-api.md §1.2; lengths from the
 * Sales Header / Sales Line / Customer tables). One table drives: property validation on writes,
 * $select/$filter property checks, literal type checks in $filter, Code-field upper-casing and
 * MaxLength enforcement. Field order = page field order = response property order.
 */
export type FieldType = 'string' | 'code' | 'decimal' | 'int' | 'bool' | 'date' | 'datetime' | 'guid' | 'enum';

export interface FieldDef {
  type: FieldType;
  /** MaxLength of Text/Code fields (EDMX MaxLength); over-length → Application_StringExceededLength. */
  max?: number;
  /** Editable = false on the API page: writing it is rejected (see errors.readOnlyControl). */
  ro?: boolean;
  /** Page control caption, used in "Control 'X' is read-only". */
  caption?: string;
}

export interface EntitySchema {
  /** Singular EDM type name: Microsoft.NAV.<type>. */
  type: string;
  fields: Record<string, FieldDef>;
  /** Navigation properties that may appear in $expand. */
  navigation: string[];
}

const ro = (type: FieldType, caption: string, max?: number): FieldDef => ({ type, ro: true, caption, max });

export const SALES_ORDER: EntitySchema = {
  type: 'salesOrder',
  fields: {
    id: ro('guid', 'Id'),
    number: ro('code', 'No.', 20),
    externalDocumentNumber: { type: 'code', max: 35 },
    orderDate: { type: 'date' },
    postingDate: { type: 'date' },
    customerId: { type: 'guid' },
    customerNumber: { type: 'code', max: 20 },
    customerName: ro('string', 'Customer Name', 100),
    billToName: ro('string', 'Bill-to Name', 100),
    billToCustomerId: { type: 'guid' },
    billToCustomerNumber: { type: 'code', max: 20 },
    shipToName: { type: 'string', max: 100 },
    shipToContact: { type: 'string', max: 100 },
    sellToAddressLine1: { type: 'string', max: 100 },
    sellToAddressLine2: { type: 'string', max: 50 },
    sellToCity: { type: 'string', max: 30 },
    sellToCountry: { type: 'code', max: 10 },
    sellToState: { type: 'string', max: 30 },
    sellToPostCode: { type: 'code', max: 20 },
    billToAddressLine1: ro('string', 'Bill-to Address Line 1', 100),
    billToAddressLine2: ro('string', 'Bill-to Address Line 2', 50),
    billToCity: ro('string', 'Bill-to City', 30),
    billToCountry: ro('code', 'Bill-to Country/Region Code', 10),
    billToState: ro('string', 'BillTo State', 30),
    billToPostCode: ro('code', 'Bill-to Post Code', 20),
    shipToAddressLine1: { type: 'string', max: 100 },
    shipToAddressLine2: { type: 'string', max: 50 },
    shipToCity: { type: 'string', max: 30 },
    shipToCountry: { type: 'code', max: 10 },
    shipToState: { type: 'string', max: 30 },
    shipToPostCode: { type: 'code', max: 20 },
    shortcutDimension1Code: { type: 'code', max: 20 },
    shortcutDimension2Code: { type: 'code', max: 20 },
    currencyId: { type: 'guid' },
    // A Text page variable (CurrencyCodeTxt), translated LCY ⇄ blank (bc-api.md §1.2).
    currencyCode: { type: 'string' },
    pricesIncludeTax: { type: 'bool' },
    paymentTermsId: { type: 'guid' },
    shipmentMethodId: { type: 'guid' },
    salesperson: { type: 'code', max: 20 },
    partialShipping: { type: 'bool' },
    requestedDeliveryDate: { type: 'date' },
    discountAmount: { type: 'decimal' },
    discountAppliedBeforeTax: ro('bool', 'Discount Applied Before Tax'),
    totalAmountExcludingTax: ro('decimal', 'Total Amount Excluding Tax'),
    totalTaxAmount: ro('decimal', 'Total Tax Amount'),
    totalAmountIncludingTax: ro('decimal', 'Total Amount Including Tax'),
    fullyShipped: ro('bool', 'Fully Shipped'),
    status: ro('enum', 'Status'),
    lastModifiedDateTime: ro('datetime', 'Last Modified Date'),
    phoneNumber: { type: 'string', max: 30 },
    email: { type: 'string', max: 80 },
  },
  navigation: ['salesOrderLines', 'customer', 'currency', 'paymentTerm', 'shipmentMethod', 'dimensionSetLines'],
};

export const SALES_ORDER_LINE: EntitySchema = {
  type: 'salesOrderLine',
  fields: {
    id: ro('guid', 'Id'),
    documentId: { type: 'guid' },
    sequence: { type: 'int' },
    itemId: { type: 'guid' },
    accountId: { type: 'guid' },
    lineType: { type: 'enum' },
    lineObjectNumber: { type: 'code', max: 20 },
    description: { type: 'string', max: 100 },
    description2: { type: 'string', max: 50 },
    unitOfMeasureId: { type: 'guid' },
    unitOfMeasureCode: { type: 'code', max: 10 },
    quantity: { type: 'decimal' },
    unitPrice: { type: 'decimal' },
    discountAmount: { type: 'decimal' },
    discountPercent: { type: 'decimal' },
    discountAppliedBeforeTax: ro('bool', 'Discount Applied Before Tax'),
    amountExcludingTax: ro('decimal', 'Amount Excluding Tax'),
    taxCode: { type: 'code', max: 20 },
    taxPercent: ro('decimal', 'Tax Percent'),
    totalTaxAmount: ro('decimal', 'Total Tax Amount'),
    amountIncludingTax: ro('decimal', 'Amount Including Tax'),
    invoiceDiscountAllocation: ro('decimal', 'Invoice Discount Allocation'),
    netAmount: ro('decimal', 'Net Amount'),
    netTaxAmount: ro('decimal', 'Net Tax Amount'),
    netAmountIncludingTax: ro('decimal', 'Net Amount Including Tax'),
    shipmentDate: { type: 'date' },
    shippedQuantity: ro('decimal', 'Shipped Quantity'),
    invoicedQuantity: ro('decimal', 'Invoiced Quantity'),
    invoiceQuantity: { type: 'decimal' },
    shipQuantity: { type: 'decimal' },
    itemVariantId: { type: 'guid' },
    locationId: { type: 'guid' },
  },
  navigation: ['item', 'account', 'dimensionSetLines', 'location'],
};

export const CUSTOMER: EntitySchema = {
  type: 'customer',
  fields: {
    id: ro('guid', 'Id'),
    number: { type: 'code', max: 20 },
    displayName: { type: 'string', max: 100 },
    type: { type: 'enum' },
    addressLine1: { type: 'string', max: 100 },
    addressLine2: { type: 'string', max: 50 },
    city: { type: 'string', max: 30 },
    state: { type: 'string', max: 30 },
    country: { type: 'code', max: 10 },
    postalCode: { type: 'code', max: 20 },
    phoneNumber: { type: 'string', max: 30 },
    email: { type: 'string', max: 80 },
    website: { type: 'string', max: 80 },
    salespersonCode: { type: 'code', max: 20 },
    balanceDue: ro('decimal', 'Balance Due'),
    creditLimit: { type: 'decimal' },
    taxLiable: { type: 'bool' },
    taxAreaId: { type: 'guid' },
    taxAreaDisplayName: ro('string', 'Tax Area Display Name', 100),
    taxRegistrationNumber: { type: 'string', max: 20 },
    currencyId: { type: 'guid' },
    currencyCode: { type: 'string' },
    paymentTermsId: { type: 'guid' },
    shipmentMethodId: { type: 'guid' },
    paymentMethodId: { type: 'guid' },
    blocked: { type: 'enum' },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const ITEM: EntitySchema = {
  type: 'item',
  fields: {
    id: ro('guid', 'Id'),
    number: { type: 'code', max: 20 },
    displayName: { type: 'string', max: 100 },
    displayName2: { type: 'string', max: 50 },
    type: { type: 'enum' },
    itemCategoryId: { type: 'guid' },
    itemCategoryCode: { type: 'code', max: 20 },
    blocked: { type: 'bool' },
    gtin: { type: 'code', max: 14 },
    inventory: { type: 'decimal' },
    unitPrice: { type: 'decimal' },
    priceIncludesTax: { type: 'bool' },
    unitCost: { type: 'decimal' },
    taxGroupId: { type: 'guid' },
    taxGroupCode: { type: 'code', max: 20 },
    baseUnitOfMeasureId: { type: 'guid' },
    baseUnitOfMeasureCode: { type: 'code', max: 10 },
    generalProductPostingGroupId: { type: 'guid' },
    generalProductPostingGroupCode: { type: 'code', max: 20 },
    inventoryPostingGroupId: { type: 'guid' },
    inventoryPostingGroupCode: { type: 'code', max: 20 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: ['itemVariants'],
};

export const ACCOUNT: EntitySchema = {
  type: 'account',
  fields: {
    id: ro('guid', 'Id'),
    number: { type: 'code', max: 20 },
    displayName: { type: 'string', max: 100 },
    category: { type: 'enum' },
    subCategory: { type: 'string', max: 80 },
    blocked: { type: 'bool' },
    accountType: { type: 'enum' },
    directPosting: { type: 'bool' },
    netChange: ro('decimal', 'Net Change'),
    consolidationTranslationMethod: { type: 'enum' },
    consolidationDebitAccount: { type: 'string', max: 20 },
    consolidationCreditAccount: { type: 'string', max: 20 },
    excludeFromConsolidation: { type: 'bool' },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const CURRENCY: EntitySchema = {
  type: 'currency',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 10 },
    displayName: { type: 'string', max: 30 },
    symbol: { type: 'string', max: 10 },
    amountDecimalPlaces: { type: 'string', max: 5 },
    amountRoundingPrecision: { type: 'decimal' },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const SHIPMENT_METHOD: EntitySchema = {
  type: 'shipmentMethod',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 10 },
    displayName: { type: 'string', max: 100 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const COUNTRY_REGION: EntitySchema = {
  type: 'countryRegion',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 10 },
    displayName: { type: 'string', max: 50 },
    addressFormat: { type: 'enum' },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const PAYMENT_TERM: EntitySchema = {
  type: 'paymentTerm',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 10 },
    displayName: { type: 'string', max: 100 },
    dueDateCalculation: { type: 'string' },
    discountDateCalculation: { type: 'string' },
    discountPercent: { type: 'decimal' },
    calculateDiscountOnCreditMemos: { type: 'bool' },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const COMPANY: EntitySchema = {
  type: 'company',
  fields: {
    id: ro('guid', 'Id'),
    systemVersion: ro('string', 'System Version'),
    timestamp: ro('int', 'Timestamp'),
    name: ro('string', 'Name', 30),
    displayName: ro('string', 'Display Name', 250),
    businessProfileId: ro('string', 'Business Profile Id', 250),
    systemCreatedAt: ro('datetime', 'SystemCreatedAt'),
    systemCreatedBy: ro('guid', 'SystemCreatedBy'),
    systemModifiedAt: ro('datetime', 'SystemModifiedAt'),
    systemModifiedBy: ro('guid', 'SystemModifiedBy'),
  },
  navigation: [],
};

/** `itemVariants` (page "APIV2 - Item Variants"): variant codes are Code[10]. */
export const ITEM_VARIANT: EntitySchema = {
  type: 'itemVariant',
  fields: {
    id: ro('guid', 'Id'),
    itemId: { type: 'guid' },
    itemNumber: { type: 'code', max: 20 },
    code: { type: 'code', max: 10 },
    description: { type: 'string', max: 100 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const LOCATION: EntitySchema = {
  type: 'location',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 10 },
    displayName: { type: 'string', max: 100 },
    contact: { type: 'string', max: 100 },
    addressLine1: { type: 'string', max: 100 },
    addressLine2: { type: 'string', max: 50 },
    city: { type: 'string', max: 30 },
    state: { type: 'string', max: 30 },
    country: { type: 'code', max: 10 },
    postalCode: { type: 'code', max: 20 },
    phoneNumber: { type: 'string', max: 30 },
    email: { type: 'string', max: 80 },
    website: { type: 'string', max: 80 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

export const DIMENSION: EntitySchema = {
  type: 'dimension',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 20 },
    displayName: { type: 'string', max: 30 },
    consolidationCode: { type: 'code', max: 20 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: ['dimensionValues'],
};

export const DIMENSION_VALUE: EntitySchema = {
  type: 'dimensionValue',
  fields: {
    id: ro('guid', 'Id'),
    code: { type: 'code', max: 20 },
    dimensionId: { type: 'guid' },
    displayName: { type: 'string', max: 50 },
    consolidationCode: { type: 'code', max: 20 },
    lastModifiedDateTime: ro('datetime', 'Last Modified Date Time'),
  },
  navigation: [],
};

/**
 * `dimensionSetLines` (page 30022 "APIV2 - Dimension Set Lines", ALX): keyed by the dimension id; written by
 * code/id and valueCode/valueId, the rest is calculated (bc-api.md §1.2).
 */
export const DIMENSION_SET_LINE: EntitySchema = {
  type: 'dimensionSetLine',
  fields: {
    id: { type: 'guid' },
    code: { type: 'code', max: 20 },
    consolidationCode: ro('code', 'Consolidation Code', 20),
    parentId: ro('guid', 'Parent Id'),
    parentType: ro('enum', 'Parent Type'),
    displayName: { type: 'string', max: 30 },
    valueId: { type: 'guid' },
    valueCode: { type: 'code', max: 20 },
    valueConsolidationCode: ro('code', 'Dimension Value Consolidation Code', 20),
    valueDisplayName: { type: 'string', max: 50 },
  },
  navigation: [],
};
