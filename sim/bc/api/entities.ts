import type { EntitySetDef } from '../odata/query.js';
import * as S from '../schema.js';
import type { Company, OrderRow, Row } from '../types.js';

/** The company-scoped entity sets the simulator serves, with their navigation properties. */

const byId = (rows: Row[], id: unknown) => rows.find((r) => r.data.id === id);

export const customers: EntitySetDef = {
  name: 'customers', schema: S.CUSTOMER, rows: (c) => c.data.customers, key: 'number', table: 'Customer', keyField: 'SystemId',
};
export const itemVariants: EntitySetDef = {
  name: 'itemVariants', schema: S.ITEM_VARIANT, rows: (c) => c.data.itemVariants, table: 'Item Variant', keyField: 'SystemId',
};
export const items: EntitySetDef = {
  name: 'items', schema: S.ITEM, rows: (c) => c.data.items, key: 'number', table: 'Item', keyField: 'SystemId',
  nav: {
    itemVariants: { target: () => itemVariants, many: true, resolve: (c, r) => c.data.itemVariants.filter((v) => v.data.itemId === r.data.id) },
  },
};
export const locations: EntitySetDef = {
  name: 'locations', schema: S.LOCATION, rows: (c) => c.data.locations, key: 'code', table: 'Location', keyField: 'SystemId',
};
export const dimensionValues: EntitySetDef = {
  name: 'dimensionValues', schema: S.DIMENSION_VALUE, rows: (c) => c.data.dimensionValues, table: 'Dimension Value', keyField: 'SystemId',
};
export const dimensions: EntitySetDef = {
  name: 'dimensions', schema: S.DIMENSION, rows: (c) => c.data.dimensions, key: 'code', table: 'Dimension', keyField: 'SystemId',
  nav: {
    dimensionValues: { target: () => dimensionValues, many: true, resolve: (c, r) => c.data.dimensionValues.filter((v) => v.data.dimensionId === r.data.id) },
  },
};
/** Reached only below a parent (the page needs a Parent Id filter, ALX OnFindRecord). */
export const dimensionSetLines: EntitySetDef = {
  name: 'dimensionSetLines', schema: S.DIMENSION_SET_LINE, rows: () => [], table: 'Dimension Set Entry Buffer', keyField: 'Dimension Id',
};
const dimensionSetOf = (c: Company, r: Row) => c.data.dimensionSetLines.get(String(r.data.id)) ?? [];
export const accounts: EntitySetDef = {
  name: 'accounts', schema: S.ACCOUNT, rows: (c) => c.data.accounts, key: 'number', table: 'G/L Account', keyField: 'SystemId',
};
export const currencies: EntitySetDef = {
  name: 'currencies', schema: S.CURRENCY, rows: (c) => c.data.currencies, key: 'code', table: 'Currency', keyField: 'SystemId',
};
export const shipmentMethods: EntitySetDef = {
  name: 'shipmentMethods', schema: S.SHIPMENT_METHOD, rows: (c) => c.data.shipmentMethods, key: 'code',
  table: 'Shipment Method', keyField: 'SystemId',
};
export const countriesRegions: EntitySetDef = {
  name: 'countriesRegions', schema: S.COUNTRY_REGION, rows: (c) => c.data.countriesRegions, key: 'code',
  table: 'Country/Region', keyField: 'SystemId',
};
export const paymentTerms: EntitySetDef = {
  name: 'paymentTerms', schema: S.PAYMENT_TERM, rows: (c) => c.data.paymentTerms, key: 'code',
  table: 'Payment Terms', keyField: 'SystemId',
};

export const salesOrderLines: EntitySetDef = {
  name: 'salesOrderLines', schema: S.SALES_ORDER_LINE,
  rows: (c) => c.data.salesOrders.flatMap((o) => o.lines),
  table: 'Sales Invoice Line Aggregate', keyField: 'SystemId',
  nav: {
    item: { target: () => items, many: false, resolve: (c, r) => byId(c.data.items, r.data.itemId) },
    account: { target: () => accounts, many: false, resolve: (c, r) => byId(c.data.accounts, r.data.accountId) },
    dimensionSetLines: { target: () => dimensionSetLines, many: true, resolve: dimensionSetOf },
    location: { target: () => locations, many: false, resolve: (c, r) => byId(c.data.locations, r.data.locationId) },
  },
};

export const salesOrders: EntitySetDef = {
  name: 'salesOrders', schema: S.SALES_ORDER, rows: (c) => c.data.salesOrders, key: 'number',
  table: 'Sales Order Entity Buffer', keyField: 'Id',
  nav: {
    salesOrderLines: { target: () => salesOrderLines, many: true, resolve: (_c, r) => (r as OrderRow).lines },
    customer: { target: () => customers, many: false, resolve: (c, r) => byId(c.data.customers, r.data.customerId) },
    currency: { target: () => currencies, many: false, resolve: (c, r) => byId(c.data.currencies, r.data.currencyId) },
    paymentTerm: { target: () => paymentTerms, many: false, resolve: (c, r) => byId(c.data.paymentTerms, r.data.paymentTermsId) },
    shipmentMethod: {
      target: () => shipmentMethods, many: false, resolve: (c, r) => byId(c.data.shipmentMethods, r.data.shipmentMethodId),
    },
    dimensionSetLines: { target: () => dimensionSetLines, many: true, resolve: dimensionSetOf },
  },
};

export const companies: EntitySetDef = {
  name: 'companies', schema: S.COMPANY, rows: () => [], key: 'name', table: 'Company', keyField: 'Id', noEtag: true,
};

export const COMPANY_SETS: Record<string, EntitySetDef> = Object.fromEntries(
  [
    customers, items, accounts, currencies, shipmentMethods, countriesRegions, paymentTerms, salesOrders, salesOrderLines,
    itemVariants, locations, dimensions, dimensionValues,
  ].map(
    (d) => [d.name, d],
  ),
);

export function findOrder(c: Company, id: string): OrderRow | undefined {
  return c.data.salesOrders.find((o) => o.data.id === id);
}
