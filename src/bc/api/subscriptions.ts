import type { BcSubscription, BcSubscriptions } from '../target.js';
import type { BcApiClient } from './client.js';
import { BcApiError } from './errors.js';

/**
 * BC API v2.0 webhook subscriptions (bc-api.md §6; docs/webhooks.md "BC → bcbridge"). The set lives beside
 * `companies`, not inside a company: `…/api/v2.0/subscriptions`; one subscription is addressed by its string
 * key, `subscriptions('…')`. Create and renew make BC call the notificationUrl with `?validationToken=…`
 * before it answers, so the receiver must already be reachable.
 */
export class BcApiSubscriptions implements BcSubscriptions {
  constructor(private readonly client: BcApiClient) {}

  async resourceOf(entitySet: string): Promise<string> {
    const company = await this.client.resolveCompany();
    // The resource is a path from the API root's parent: `/api/v2.0/companies({id})/salesOrders`.
    return `/api/v2.0/companies(${company.id})/${entitySet}`;
  }

  async list(): Promise<BcSubscription[]> {
    const rows = await this.client.list(`${this.client.apiUrl}/subscriptions`, { consistent: true });
    return rows.map((r) => toSubscription(r));
  }

  async create(notificationUrl: string, resource: string, clientState: string): Promise<BcSubscription> {
    const res = await this.client.post(`${this.client.apiUrl}/subscriptions`, { notificationUrl, resource, clientState });
    return toSubscription(res.json() as Record<string, unknown>, res.headers.etag);
  }

  async renew(sub: BcSubscription, clientState: string): Promise<BcSubscription> {
    const res = await this.client.patch(this.url(sub), { notificationUrl: sub.notificationUrl, clientState }, {}, sub.etag || '*');
    return toSubscription(res.json() as Record<string, unknown>, res.headers.etag);
  }

  async remove(sub: BcSubscription): Promise<void> {
    try {
      await this.client.delete(this.url(sub), {}, sub.etag || '*');
    } catch (err) {
      // Already gone (BC deletes subscriptions whose deliveries were refused): that is what was wanted.
      if (err instanceof BcApiError && err.status === 404) return;
      throw err;
    }
  }

  private url(sub: BcSubscription): string {
    // A string key in OData quotes (bc-api.md §6): `subscriptions('5a1e…')`.
    return `${this.client.apiUrl}/subscriptions('${encodeURIComponent(sub.id.replace(/'/g, "''"))}')`;
  }
}

function toSubscription(row: Record<string, unknown>, etagHeader?: string | string[]): BcSubscription {
  const etag = typeof row['@odata.etag'] === 'string' ? row['@odata.etag'] : Array.isArray(etagHeader) ? etagHeader[0] ?? '' : etagHeader ?? '';
  return {
    id: String(row.subscriptionId ?? ''),
    notificationUrl: String(row.notificationUrl ?? ''),
    resource: String(row.resource ?? ''),
    expirationDateTime: String(row.expirationDateTime ?? ''),
    etag,
  };
}
