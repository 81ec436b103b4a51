import { ConfigError, ShopError } from '../../domain/errors.js';
import type { ConnectorWebhooks, WebhookSubscription, WebhookVerdict } from '../connector.js';
import { bodyDigestId, signatureMatches } from '../webhook-hmac.js';
import type { WooClient } from './client.js';

/** What `bcbridge webhooks register` subscribes to (webshop-api.md §1 "Webhooks"). */
export const WOO_WEBHOOK_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'] as const;

export interface WooWebhookConfig {
  code: string;
  /** The secret bcbridge gives WooCommerce when registering; WooCommerce signs every delivery with it. */
  webhookSecret?: string;
}

/** WooCommerce's activation ping: a form-encoded `webhook_id=N`, no JSON, no signature (woocommerce-live-facts.md). */
const PING = /^webhook_id=\d+$/;

interface WooHook {
  id?: unknown;
  topic?: unknown;
  delivery_url?: unknown;
  status?: unknown;
}

function subscription(h: WooHook): WebhookSubscription | undefined {
  if ((typeof h.id !== 'number' && typeof h.id !== 'string') || typeof h.topic !== 'string' || typeof h.delivery_url !== 'string') return undefined;
  return { id: String(h.id), topic: h.topic, address: h.delivery_url, active: h.status === 'active' };
}

/**
 * WooCommerce webhooks (webshop-api.md §1): `X-WC-Webhook-Signature` = base64 HMAC-SHA256 of the raw body
 * under the webhook's secret; `X-WC-Webhook-Delivery-ID` names the delivery. Order topics deliver the full
 * order (built at delivery time), which is intake's input as it is; `order.deleted` delivers only
 * `{"id": N}`, so the order is read again (a trashed order still exists, with status `trash`).
 */
export function createWooWebhooks(config: WooWebhookConfig, client: WooClient): ConnectorWebhooks {
  async function list(): Promise<WebhookSubscription[]> {
    const out: WebhookSubscription[] = [];
    for (let page = 1; page < 100; page++) {
      const res = await client.send('GET', '/webhooks', { query: [['per_page', '100'], ['page', String(page)]] });
      if (!Array.isArray(res.body)) throw new ShopError('SHOP_BAD_RESPONSE', `WooCommerce answered GET /webhooks for shop "${config.code}" without a list.`);
      for (const h of res.body) {
        const s = subscription(h as WooHook);
        if (s) out.push(s);
      }
      if (res.body.length < 100) break;
    }
    return out;
  }

  return {
    topics: WOO_WEBHOOK_TOPICS,

    verify(rawBody, headers): WebhookVerdict {
      const signature = headers['x-wc-webhook-signature'];
      if (!signature) {
        const type = headers['content-type'] ?? '';
        if (type.startsWith('application/x-www-form-urlencoded') && PING.test(rawBody.toString('utf8').trim())) {
          return { kind: 'ping', detail: `WooCommerce ping (${rawBody.toString('utf8').trim()})` };
        }
        return { kind: 'rejected', reason: 'no X-WC-Webhook-Signature header' };
      }
      if (!config.webhookSecret) return { kind: 'rejected', reason: `shop "${config.code}" has no webhookSecret, so the signature cannot be checked` };
      if (!signatureMatches(rawBody, config.webhookSecret, signature)) return { kind: 'rejected', reason: 'X-WC-Webhook-Signature does not match the body' };
      // A signed ping (some versions sign it too) is still only a ping.
      if (PING.test(rawBody.toString('utf8').trim())) return { kind: 'ping', detail: 'WooCommerce ping (signed)' };
      const topic = headers['x-wc-webhook-topic'] ?? '';
      const deliveryId = headers['x-wc-webhook-delivery-id'] ?? bodyDigestId(topic, rawBody);
      const shopOrderId = orderIdOf(rawBody);
      return { kind: 'event', deliveryId, topic, ...(shopOrderId && { shopOrderId }) };
    },

    async interpret(delivery) {
      if (!delivery.topic.startsWith('order.')) return { kind: 'ignore', detail: `topic ${delivery.topic || '(none)'} is not about an order` };
      let body: unknown;
      try {
        body = JSON.parse(delivery.body);
      } catch {
        return { kind: 'ignore', detail: 'the body is not JSON' };
      }
      const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
      const id = obj && (typeof obj.id === 'number' || typeof obj.id === 'string') ? String(obj.id) : delivery.shopOrderId;
      if (!id) return { kind: 'ignore', detail: 'the body names no order' };
      if (delivery.topic === 'order.deleted' || !obj || !('line_items' in obj)) {
        const order = await client.getOrder(id);
        return order === undefined ? { kind: 'gone', shopOrderId: id, detail: `WooCommerce has no order ${id} any more (${delivery.topic})` } : { kind: 'orders', orders: [order] };
      }
      return { kind: 'orders', orders: [obj] };
    },

    list,

    async register(address) {
      if (!config.webhookSecret) {
        throw new ConfigError([`shops[code=${config.code}].webhookSecret: is needed to register WooCommerce webhooks (WooCommerce signs deliveries with it); set it to a long random value, e.g. \${WOO_WEBHOOK_SECRET}`]);
      }
      const existing = await list();
      const out: Awaited<ReturnType<ConnectorWebhooks['register']>> = [];
      for (const topic of WOO_WEBHOOK_TOPICS) {
        const found = existing.find((s) => s.topic === topic && s.address === address);
        if (found?.active) {
          out.push({ subscription: found, action: 'exists' });
          continue;
        }
        if (found) {
          // WooCommerce disables a hook after repeated failed deliveries; switching it on again keeps its id.
          // The secret is sent again so the hook signs with the configured one.
          const res = await client.send('PUT', `/webhooks/${found.id}`, { body: { status: 'active', secret: config.webhookSecret } });
          out.push({ subscription: subscription(res.body as WooHook) ?? { ...found, active: true }, action: 'reactivated' });
          continue;
        }
        const res = await client.send('POST', '/webhooks', { body: { name: `bcbridge ${topic}`, topic, delivery_url: address, secret: config.webhookSecret, status: 'active' } });
        const created = subscription(res.body as WooHook);
        if (!created) throw new ShopError('SHOP_BAD_RESPONSE', `WooCommerce did not return the ${topic} webhook it created for shop "${config.code}".`);
        out.push({ subscription: created, action: 'created' });
      }
      return out;
    },

    async remove(id) {
      if (!/^\d+$/.test(id)) throw new ShopError('SHOP_REQUEST_REJECTED', `"${id}" is not a WooCommerce webhook id.`);
      await client.send('DELETE', `/webhooks/${id}`, { query: [['force', 'true']] });
    },
  };
}

function orderIdOf(rawBody: Buffer): string | undefined {
  try {
    const body = JSON.parse(rawBody.toString('utf8'));
    if (body && typeof body === 'object' && (typeof body.id === 'number' || (typeof body.id === 'string' && /^\d+$/.test(body.id)))) return String(body.id);
  } catch {
    // Not JSON: interpret() decides what that means.
  }
  return undefined;
}
