import type { BcCodeRecord, BcCustomer, BcItem, BcNewCustomer, CreateContext } from '../target.js';
import type { BcApiClient } from './client.js';
import { BcApiError } from './errors.js';
import { decodeEnum, odataString } from './odata.js';

/** BC field lengths of the Customer table (reference/bc-api.md §1.2). */
const LEN = { displayName: 100, addressLine1: 100, addressLine2: 50, city: 30, state: 30, country: 10, postalCode: 20, phoneNumber: 30, email: 80 } as const;

const CUSTOMER_FIELDS = 'id,number,displayName,email,phoneNumber,country,blocked';

/**
 * Master data the order rules read from BC API v2.0 (issue 3), one GET per question:
 * customers by e-mail (`tolower(email) eq …`) and by phone (`contains(phoneNumber, …)`), items by GTIN,
 * an item's variant (`items?$filter=number eq …&$expand=itemVariants($filter=code eq …)`), shipment
 * methods, locations and dimension values (`dimensions?…&$expand=dimensionValues(…)`); and creating a
 * customer. Caching is the caller's (pipeline/master-data.ts), except for the codes a create resolves.
 */
export class BcMasterDataApi {
  private readonly paymentTerms = new Map<string, Promise<string>>();

  constructor(private readonly client: BcApiClient) {}

  async findCustomersByEmail(email: string): Promise<BcCustomer[]> {
    const e = email.trim().toLowerCase();
    if (e === '') return [];
    // BC stores the address as typed; tolower() makes the comparison case-insensitive (AL '@' filter).
    const url = await this.client.companyUrl('customers', { $filter: `tolower(email) eq ${odataString(e)}`, $select: CUSTOMER_FIELDS });
    return (await this.client.list(url)).map(toCustomer);
  }

  async findCustomersByPhoneDigits(digits: string): Promise<BcCustomer[]> {
    const d = digits.replace(/\D/g, '');
    if (d === '') return [];
    const url = await this.client.companyUrl('customers', { $filter: `contains(phoneNumber,${odataString(d)})`, $select: CUSTOMER_FIELDS });
    return (await this.client.list(url)).map(toCustomer);
  }

  async findItemsByGtin(gtin: string): Promise<BcItem[]> {
    const g = gtin.trim();
    if (g === '') return [];
    const url = await this.client.companyUrl('items', { $filter: `gtin eq ${odataString(g)}`, $select: 'id,number,displayName,blocked,gtin' });
    return (await this.client.list(url)).map(toItem);
  }

  async getItemVariant(itemNumber: string, variantCode: string): Promise<BcCodeRecord | undefined> {
    const item = itemNumber.trim().toUpperCase();
    const code = variantCode.trim().toUpperCase();
    if (item === '' || code === '') return undefined;
    const url = await this.client.companyUrl('items', {
      $filter: `number eq ${odataString(item)}`,
      $select: 'id,number',
      $expand: `itemVariants($filter=code eq ${odataString(code)})`,
    });
    const [hit] = await this.client.list(url);
    const variants = hit?.itemVariants;
    const v = Array.isArray(variants) ? (variants[0] as Record<string, unknown> | undefined) : undefined;
    return v && typeof v.id === 'string' ? { id: v.id, code: String(v.code ?? code), displayName: optString(v.description) } : undefined;
  }

  getShipmentMethod(code: string): Promise<BcCodeRecord | undefined> {
    return this.byCode('shipmentMethods', code);
  }

  getLocation(code: string): Promise<BcCodeRecord | undefined> {
    return this.byCode('locations', code);
  }

  async getDimensionValue(dimensionCode: string, valueCode: string): Promise<BcCodeRecord | undefined> {
    const dim = dimensionCode.trim().toUpperCase();
    const value = valueCode.trim().toUpperCase();
    if (dim === '' || value === '') return undefined;
    const url = await this.client.companyUrl('dimensions', {
      $filter: `code eq ${odataString(dim)}`,
      $select: 'id,code',
      $expand: `dimensionValues($filter=code eq ${odataString(value)})`,
    });
    const [hit] = await this.client.list(url);
    const values = hit?.dimensionValues;
    const v = Array.isArray(values) ? (values[0] as Record<string, unknown> | undefined) : undefined;
    return v && typeof v.id === 'string' ? { id: v.id, code: String(v.code ?? value), displayName: optString(v.displayName) } : undefined;
  }

  /**
   * POST customers. With a number, a customer that an earlier, ambiguous attempt created is found by that
   * number instead of being created twice; BC's number series cannot offer that, so an ambiguous failure
   * there is resolved by e-mail and name, and otherwise reported (the order waits and is evaluated again).
   */
  async createCustomer(c: BcNewCustomer, shipmentMethodId: (code: string) => Promise<string>, ctx: CreateContext = {}): Promise<BcCustomer> {
    const number = c.number?.trim().toUpperCase();
    if (number) {
      const existing = await this.customerByNumber(number);
      if (existing) return existing;
    }
    const body: Record<string, unknown> = { displayName: cut(c.displayName, LEN.displayName) ?? 'Webshop customer', type: c.type };
    if (number) body.number = number;
    for (const k of ['addressLine1', 'addressLine2', 'city', 'state', 'country', 'postalCode', 'phoneNumber', 'email'] as const) {
      const v = cut(c[k], LEN[k]);
      if (v !== undefined) body[k] = v;
    }
    if (c.currencyCode?.trim()) body.currencyCode = c.currencyCode.trim().toUpperCase();
    if (c.paymentTermsCode?.trim()) body.paymentTermsId = await this.paymentTermsId(c.paymentTermsCode);
    if (c.shipmentMethodCode?.trim()) body.shipmentMethodId = await shipmentMethodId(c.shipmentMethodCode);
    if (c.taxLiable !== undefined) body.taxLiable = c.taxLiable;
    if (c.taxAreaId) body.taxAreaId = c.taxAreaId;
    if (c.salespersonCode?.trim()) body.salespersonCode = c.salespersonCode.trim().toUpperCase();
    const url = await this.client.companyUrl('customers');
    try {
      const res = await this.client.post(url, body, ctx);
      const created = res.json() as Record<string, unknown> | undefined;
      if (created && typeof created.number === 'string') return toCustomer(created);
      throw new BcApiError('BC_PROTOCOL', `BC accepted the new customer (HTTP ${res.status}) but returned no number`, { retryable: true, ambiguous: true });
    } catch (err) {
      if (!(err instanceof BcApiError)) throw err;
      // Another worker created the same numbered customer first, or our earlier attempt did.
      if (number && (err.ambiguous || err.bcCode === 'Internal_EntityWithSameKeyExists')) {
        const existing = await this.customerByNumber(number);
        if (existing) return existing;
      }
      if (!number && err.ambiguous && c.email) {
        const same = (await this.findCustomersByEmail(c.email)).filter((x) => x.displayName === body.displayName);
        if (same.length === 1) return same[0];
      }
      throw err;
    }
  }

  private async customerByNumber(number: string): Promise<BcCustomer | undefined> {
    const url = await this.client.companyUrl('customers', { $filter: `number eq ${odataString(number)}`, $select: CUSTOMER_FIELDS });
    const [hit] = await this.client.list(url, { consistent: true });
    return hit ? toCustomer(hit) : undefined;
  }

  private paymentTermsId(code: string): Promise<string> {
    const c = code.trim().toUpperCase();
    let p = this.paymentTerms.get(c);
    if (!p) {
      p = this.byCode('paymentTerms', c).then((hit) => {
        if (!hit) throw new BcApiError('BC_REFERENCE_NOT_FOUND', `Payment terms ${c} do not exist in BC; create them in BC (Payment Terms) or change the customer template`, { retryable: false });
        return hit.id;
      });
      this.paymentTerms.set(c, p);
      // Misses are not remembered: the payment terms may be added in BC any minute.
      p.catch(() => this.paymentTerms.delete(c));
    }
    return p;
  }

  private async byCode(entitySet: string, code: string): Promise<BcCodeRecord | undefined> {
    const c = code.trim().toUpperCase();
    if (c === '') return undefined;
    const url = await this.client.companyUrl(entitySet, { $filter: `code eq ${odataString(c)}` });
    const [hit] = await this.client.list(url);
    return hit && typeof hit.id === 'string' ? { id: hit.id, code: String(hit.code ?? c), displayName: optString(hit.displayName) } : undefined;
  }
}

export function toCustomer(c: Record<string, unknown>): BcCustomer {
  const email = optString(c.email);
  const phoneNumber = optString(c.phoneNumber);
  const country = optString(c.country);
  return {
    id: String(c.id ?? ''),
    number: String(c.number),
    displayName: String(c.displayName ?? ''),
    ...(email && { email }),
    ...(phoneNumber && { phoneNumber }),
    ...(country && { country }),
    // BC sends the blank option as `_x0020_` (reference/bc-api.md §1.3); the contract wants ''.
    blocked: decodeEnum(String(c.blocked ?? '')).trim(),
  };
}

function toItem(i: Record<string, unknown>): BcItem {
  const gtin = optString(i.gtin);
  return {
    id: String(i.id ?? ''),
    number: String(i.number),
    displayName: String(i.displayName ?? ''),
    blocked: i.blocked === true || i.blocked === 'true',
    ...(gtin && { gtin }),
  };
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function cut(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return v === '' ? undefined : [...v].slice(0, max).join('');
}
