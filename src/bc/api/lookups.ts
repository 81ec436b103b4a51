import type { BcSalesOrderDocument } from '../document.js';
import type { BcApiClient, CallContext } from './client.js';
import { BcApiError } from './errors.js';
import { odataString } from './odata.js';
import type { ResolvedRefs } from './sales-order-body.js';

/**
 * Codes in the document that API v2.0 only accepts as ids (shipment method, location, item variant),
 * resolved with one GET each and cached for the life of the target: these change rarely, and an order
 * costing an extra request per code would spend the scarce BC budget (DESIGN.md §1 guarantee 1).
 * Misses are not cached, so adding the record in BC fixes the next attempt.
 */
export class BcLookups {
  private readonly client: BcApiClient;
  private readonly cache = new Map<string, Promise<string>>();

  constructor(client: BcApiClient) {
    this.client = client;
  }

  async resolve(doc: BcSalesOrderDocument, ctx: CallContext = {}): Promise<ResolvedRefs> {
    const shipmentMethodId = doc.shipmentMethodCode?.trim()
      ? await this.shipmentMethodId(doc.shipmentMethodCode, ctx)
      : undefined;
    const lines: ResolvedRefs['lines'] = [];
    for (const line of doc.lines) {
      // The header location has no v2.0 salesOrder field; BC would default it onto item lines, so we do.
      const locationCode = line.locationCode?.trim() || (line.lineType === 'Item' ? doc.locationCode?.trim() : undefined);
      const refs: ResolvedRefs['lines'][number] = {};
      if (locationCode) refs.locationId = await this.locationId(locationCode, ctx);
      if (line.itemVariantCode?.trim()) {
        if (line.lineType !== 'Item' || !line.lineObjectNumber) {
          throw notFound(`Line "${line.description ?? line.lineObjectNumber ?? ''}" has variant ${line.itemVariantCode} but is not an item line`);
        }
        refs.itemVariantId = await this.itemVariantId(line.lineObjectNumber, line.itemVariantCode, ctx);
      }
      lines.push(refs);
    }
    return { shipmentMethodId, lines };
  }

  shipmentMethodId(code: string, ctx: CallContext = {}): Promise<string> {
    const c = code.trim().toUpperCase();
    return this.cached(`shipmentMethod:${c}`, async () => {
      const url = await this.client.companyUrl('shipmentMethods', { $filter: `code eq ${odataString(c)}`, $select: 'id,code' });
      const [hit] = await this.client.list(url, ctx);
      if (!hit || typeof hit.id !== 'string') {
        throw notFound(`Shipment method ${c} does not exist in BC; create it in BC (Shipment Methods) or change the shipping method mapping`);
      }
      return hit.id;
    });
  }

  locationId(code: string, ctx: CallContext = {}): Promise<string> {
    const c = code.trim().toUpperCase();
    return this.cached(`location:${c}`, async () => {
      const url = await this.client.companyUrl('locations', { $filter: `code eq ${odataString(c)}`, $select: 'id,code' });
      const [hit] = await this.client.list(url, ctx);
      if (!hit || typeof hit.id !== 'string') {
        throw notFound(`Location ${c} does not exist in BC; create it in BC (Locations) or change the location mapping`);
      }
      return hit.id;
    });
  }

  itemVariantId(itemNumber: string, variantCode: string, ctx: CallContext = {}): Promise<string> {
    const item = itemNumber.trim().toUpperCase();
    const variant = variantCode.trim().toUpperCase();
    return this.cached(`variant:${item}:${variant}`, async () => {
      const itemUrl = await this.client.companyUrl('items', { $filter: `number eq ${odataString(item)}`, $select: 'id,number' });
      const [hit] = await this.client.list(itemUrl, ctx);
      if (!hit || typeof hit.id !== 'string') throw notFound(`Item ${item} does not exist in BC`);
      const url = await this.client.companyUrl(`items(${hit.id})/itemVariants`, { $filter: `code eq ${odataString(variant)}` });
      const [v] = await this.client.list(url, ctx);
      if (!v || typeof v.id !== 'string') {
        throw notFound(`Item ${item} has no variant ${variant} in BC; add the variant in BC or map the SKU to another item`);
      }
      return v.id;
    });
  }

  private cached(key: string, load: () => Promise<string>): Promise<string> {
    let p = this.cache.get(key);
    if (!p) {
      p = load().catch((err: unknown) => {
        // An API without the entity set (404 for the URL): say which code could not be resolved.
        if (err instanceof BcApiError && err.status === 404 && err.code === 'BC_NOT_FOUND') {
          throw notFound(`Cannot resolve ${key.replace(/:/g, ' ')} in BC: ${err.message}`);
        }
        throw err;
      });
      this.cache.set(key, p);
      // Only successes stay: a missing record may be added in BC any minute.
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }
}

function notFound(message: string): BcApiError {
  return new BcApiError('BC_REFERENCE_NOT_FOUND', message, { retryable: false });
}
