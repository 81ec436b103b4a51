import type { ShopMapping } from '../../config/schema.js';
import type { CanonicalOrder } from '../order.js';
import type { CustomerTemplate } from './customer-chain.js';

/** The BC customer to create for an order (structurally the BcNewCustomer of src/bc/target.ts). */
export interface NewCustomer {
  number?: string;
  displayName: string;
  type: 'Person' | 'Company';
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  state?: string;
  country?: string;
  postalCode?: string;
  phoneNumber?: string;
  email?: string;
  currencyCode?: string;
  paymentTermsCode?: string;
  shipmentMethodCode?: string;
  taxLiable?: boolean;
  taxAreaId?: string;
  salespersonCode?: string;
  /** The template's code: the SOAP transport copies the BC customer template of that code onto the card. */
  templateCode?: string;
}

/**
 * The customer card fields for an order's buyer: name and address from the billing address (Sana: the
 * customer is saved first, then the order), the rest from the country's template. With
 * `newCustomerNumbers.mode: shopCustomerId` the number is prefix + shop customer id (BC Code[20]); a guest,
 * or an id that would not fit, gets BC's number series.
 */
export function newCustomerFor(order: CanonicalOrder, template: CustomerTemplate, numbering: ShopMapping['newCustomerNumbers']): NewCustomer {
  const b = order.billing;
  const person = b.name ?? [b.firstName, b.lastName].filter(Boolean).join(' ');
  const email = order.customer.email ?? b.email;
  const displayName = (template.type === 'Company' ? b.company || person : person || b.company) || email || `Web customer ${order.customer.shopCustomerId ?? order.orderNumber}`;
  const id = order.customer.shopCustomerId;
  const number = numbering.mode === 'shopCustomerId' && id ? `${numbering.prefix}${id}`.toUpperCase() : undefined;
  const c: NewCustomer = { displayName, type: template.type };
  if (number && number.length <= 20) c.number = number;
  const set = <K extends keyof NewCustomer>(k: K, v: NewCustomer[K] | undefined) => {
    if (v !== undefined && v !== '') c[k] = v;
  };
  set('addressLine1', b.line1);
  set('addressLine2', b.line2);
  set('city', b.city);
  set('state', b.state);
  set('country', b.country);
  set('postalCode', b.postalCode);
  set('phoneNumber', order.customer.phone ?? b.phone);
  set('email', email);
  set('currencyCode', template.currencyCode?.trim() || undefined);
  set('paymentTermsCode', template.paymentTermsCode);
  set('shipmentMethodCode', template.shipmentMethodCode);
  set('taxLiable', template.taxLiable);
  set('taxAreaId', template.taxAreaId);
  set('salespersonCode', template.salespersonCode);
  set('templateCode', template.template);
  return c;
}
