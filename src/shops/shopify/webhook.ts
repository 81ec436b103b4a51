import { ShopError } from '../../domain/errors.js';
import type { ConnectorWebhooks, WebhookSubscription, WebhookVerdict } from '../connector.js';
import { bodyDigestId, signatureMatches } from '../webhook-hmac.js';
import { isObject } from '../json-fields.js';
import type { ShopifyClient } from './client.js';
import { CREATE_WEBHOOK, DELETE_WEBHOOK, LIST_WEBHOOKS } from './queries.js';

/** What `bcbridge webhooks register` subscribes to (webshop-api.md §2 "Webhooks"). */
export const SHOPIFY_WEBHOOK_TOPICS = ['orders/create', 'orders/updated', 'orders/cancelled'] as const;

/** orders/create → ORDERS_CREATE (the GraphQL enum spelling). */
export const toEnumTopic = (topic: string) => topic.replace('/', '_').toUpperCase();
/** ORDERS_CREATE → orders/create. */
export function toRestTopic(topic: string): string {
  const i = topic.indexOf('_');
  return i < 0 ? topic.toLowerCase() : `${topic.slice(0, i)}/${topic.slice(i + 1)}`.toLowerCase();
}

export interface ShopifyWebhookConfig {
  code: string;
  url: string;
  webhookSecret?: string;
  shopDomain?: string;
}

/** The myshopify.com domain deliveries must name: configured, or the url's host when it is one. */
export function expectedShopDomain(config: ShopifyWebhookConfig): string | undefined {
  if (config.shopDomain) return config.shopDomain.toLowerCase();
  try {
    const host = new URL(config.url).hostname.toLowerCase();
    return host.endsWith('.myshopify.com') ? host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shopify webhooks: `X-Shopify-Hmac-Sha256` = base64 HMAC-SHA256 of the raw body under the app's client
 * secret; `X-Shopify-Webhook-Id` names a delivery (its retries repeat it), so it is the dedupe key.
 *
 * The body is the order in the REST shape even for GraphQL-only apps; toOrder reads that shape, so a
 * delivery is stored as it came, without an API call. Only a body that is not a whole order (a
 * subscription with `includeFields`) is read again by id over GraphQL.
 */
export function createShopifyWebhooks(config: ShopifyWebhookConfig, client: ShopifyClient, getOrder: (id: string) => Promise<unknown | undefined>): ConnectorWebhooks {
  const domain = expectedShopDomain(config);

  async function list(): Promise<WebhookSubscription[]> {
    const out: WebhookSubscription[] = [];
    let after: string | null = null;
    for (;;) {
      const data: { webhookSubscriptions: { nodes: { id: string; topic: string; uri: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
        await client.graphql('ListWebhooks', LIST_WEBHOOKS, { after });
      for (const n of data.webhookSubscriptions.nodes) out.push({ id: n.id, topic: toRestTopic(n.topic), address: n.uri, active: true });
      if (!data.webhookSubscriptions.pageInfo.hasNextPage || !data.webhookSubscriptions.pageInfo.endCursor) return out;
      after = data.webhookSubscriptions.pageInfo.endCursor;
    }
  }

  return {
    topics: SHOPIFY_WEBHOOK_TOPICS,

    verify(rawBody, headers): WebhookVerdict {
      const signature = headers['x-shopify-hmac-sha256'];
      if (!signature) return { kind: 'rejected', reason: 'no X-Shopify-Hmac-Sha256 header' };
      if (!config.webhookSecret) return { kind: 'rejected', reason: `shop "${config.code}" has no webhookSecret (the app's client secret), so the signature cannot be checked` };
      if (!signatureMatches(rawBody, config.webhookSecret, signature)) return { kind: 'rejected', reason: 'X-Shopify-Hmac-Sha256 does not match the body' };
      // One app secret signs the webhooks of every shop the app is installed in: the domain says which.
      const from = headers['x-shopify-shop-domain']?.toLowerCase();
      if (domain && from && from !== domain) return { kind: 'rejected', reason: `the webhook is from ${from}, not from this shop's ${domain}` };
      const topic = headers['x-shopify-topic'] ?? '';
      const deliveryId = headers['x-shopify-webhook-id'] ?? headers['x-shopify-event-id'] ?? bodyDigestId(topic, rawBody);
      const shopOrderId = orderIdOf(rawBody);
      return { kind: 'event', deliveryId, topic, ...(shopOrderId && { shopOrderId }) };
    },

    async interpret(delivery) {
      if (!delivery.topic.startsWith('orders/')) return { kind: 'ignore', detail: `topic ${delivery.topic || '(none)'} is not about an order` };
      let body: unknown;
      try {
        body = JSON.parse(delivery.body);
      } catch {
        return { kind: 'ignore', detail: 'the body is not JSON' };
      }
      const id = isObject(body) && (typeof body.id === 'number' || typeof body.id === 'string') ? String(body.id) : delivery.shopOrderId;
      if (!id) return { kind: 'ignore', detail: 'the body names no order' };
      if (delivery.topic === 'orders/delete') return { kind: 'gone', shopOrderId: id, detail: `Shopify deleted order ${id}` };
      if (isObject(body) && Array.isArray(body.line_items) && body.updated_at !== undefined) return { kind: 'orders', orders: [body] };
      // A partial body (includeFields): read the whole order.
      const order = await getOrder(id);
      return order === undefined ? { kind: 'gone', shopOrderId: id, detail: `Shopify has no order ${id} any more (${delivery.topic})` } : { kind: 'orders', orders: [order] };
    },

    list,

    async register(address) {
      const existing = await list();
      const out: Awaited<ReturnType<ConnectorWebhooks['register']>> = [];
      for (const topic of SHOPIFY_WEBHOOK_TOPICS) {
        const found = existing.find((s) => s.topic === topic && s.address === address);
        if (found) {
          out.push({ subscription: found, action: 'exists' });
          continue;
        }
        const data = await client.graphql<{ webhookSubscriptionCreate: { webhookSubscription: { id: string; topic: string; uri: string } | null; userErrors: { field?: string[]; message: string }[] } }>(
          'CreateWebhook', CREATE_WEBHOOK, { topic: toEnumTopic(topic), uri: address }, { mutation: true },
        );
        const result = data.webhookSubscriptionCreate;
        if (result.userErrors.length > 0 || !result.webhookSubscription) {
          const messages = result.userErrors.map((e) => e.message).join('; ');
          throw new ShopError('SHOP_REQUEST_REJECTED', `Shopify refused the ${topic} subscription to ${address} for shop "${config.code}": ${messages || 'no subscription returned'}.`);
        }
        const s = result.webhookSubscription;
        out.push({ subscription: { id: s.id, topic: toRestTopic(s.topic), address: s.uri, active: true }, action: 'created' });
      }
      return out;
    },

    async remove(id) {
      const data = await client.graphql<{ webhookSubscriptionDelete: { deletedWebhookSubscriptionId: string | null; userErrors: { message: string }[] } }>(
        'DeleteWebhook', DELETE_WEBHOOK, { id }, { mutation: true },
      );
      const result = data.webhookSubscriptionDelete;
      if (result.userErrors.length > 0 || !result.deletedWebhookSubscriptionId) {
        throw new ShopError('SHOP_REQUEST_REJECTED', `Shopify did not delete webhook subscription ${id} of shop "${config.code}": ${result.userErrors.map((e) => e.message).join('; ') || 'unknown reason'}.`);
      }
    },
  };
}

/** The order id of a delivery, read after the signature matched; undefined when the body names none. */
function orderIdOf(rawBody: Buffer): string | undefined {
  try {
    const body = JSON.parse(rawBody.toString('utf8'));
    if (isObject(body) && (typeof body.id === 'number' || (typeof body.id === 'string' && /^\d+$/.test(body.id)))) return String(body.id);
  } catch {
    // Not JSON: interpret() decides what that means.
  }
  return undefined;
}
