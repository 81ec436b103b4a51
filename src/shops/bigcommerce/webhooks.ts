import type { Clock } from '../../domain/clock.js';
import { ShopError } from '../../domain/errors.js';
import type { ConnectorWebhooks, WebhookSubscription, WebhookVerdict } from '../connector.js';
import type { BigCommerceClient } from './client.js';
import { BIGCOMMERCE_WEBHOOK_TOPICS, parseBigCommerceWebhook, verifyBigCommerceWebhook, type BigCommerceWebhookSecrets } from './webhook.js';

interface HookJson {
  id?: unknown;
  scope?: unknown;
  destination?: unknown;
  is_active?: unknown;
}

function subscription(h: HookJson): WebhookSubscription | undefined {
  if ((typeof h.id !== 'number' && typeof h.id !== 'string') || typeof h.scope !== 'string' || typeof h.destination !== 'string') return undefined;
  return { id: String(h.id), topic: h.scope, address: h.destination, active: h.is_active !== false };
}

/**
 * The connector's webhook side (src/shops/connector.ts ConnectorWebhooks) over /v3/hooks. A delivery
 * carries only the order id, so `interpret` reads the order (with its sub-resources) like a poll would.
 * The de-duplication key is the body's `hash`, which BigCommerce repeats for duplicate firings of one
 * event; `webhook-id` when there is no hash.
 */
export function createBigCommerceWebhooks(client: BigCommerceClient, secrets: BigCommerceWebhookSecrets, clock: Clock): ConnectorWebhooks {
  return {
    topics: BIGCOMMERCE_WEBHOOK_TOPICS,

    verify(rawBody, headers): WebhookVerdict {
      const verdict = verifyBigCommerceWebhook(rawBody, headers, secrets, clock.now().getTime());
      if (!verdict.ok) return { kind: 'rejected', reason: verdict.reason };
      let event;
      try {
        event = parseBigCommerceWebhook(rawBody);
      } catch (err) {
        return { kind: 'rejected', reason: `signed, but ${(err as Error).message}` };
      }
      const deliveryId = event.hash ?? headers['webhook-id'] ?? `${event.scope}:${event.orderId ?? ''}:${event.createdAt ?? ''}`;
      return { kind: 'event', deliveryId, topic: event.scope, ...(event.orderId !== undefined && { shopOrderId: event.orderId }) };
    },

    async interpret(delivery, signal) {
      let event;
      try {
        event = parseBigCommerceWebhook(delivery.body);
      } catch (err) {
        return { kind: 'ignore', detail: (err as Error).message };
      }
      const id = event.orderId ?? delivery.shopOrderId;
      if (!id || !(event.scope.startsWith('store/order/') || event.scope.startsWith('store/shipment/'))) {
        return { kind: 'ignore', detail: `${event.scope} is not about an order` };
      }
      const order = await client.getOrder(id, signal);
      if (order === undefined) return { kind: 'gone', shopOrderId: id, detail: `BigCommerce has no order ${id} any more (${event.scope})` };
      return { kind: 'orders', orders: [order] };
    },

    async list() {
      const res = await client.send('GET', '/v3/hooks', { query: [['limit', '250']] });
      const data = (res.body as { data?: unknown } | undefined)?.data;
      if (!Array.isArray(data)) return [];
      return data.map((h) => subscription(h as HookJson)).filter((s): s is WebhookSubscription => s !== undefined);
    },

    async register(address) {
      const existing = await this.list();
      const out: Awaited<ReturnType<ConnectorWebhooks['register']>> = [];
      for (const topic of BIGCOMMERCE_WEBHOOK_TOPICS) {
        const found = existing.find((s) => s.topic === topic && s.address === address);
        if (found?.active) {
          out.push({ subscription: found, action: 'exists' });
          continue;
        }
        const headers = secrets.headerSecret ? { [secrets.headerSecret.name]: secrets.headerSecret.value } : undefined;
        const res = found
          ? await client.send('PUT', `/v3/hooks/${found.id}`, { body: { is_active: true } })
          : await client.send('POST', '/v3/hooks', { body: { scope: topic, destination: address, is_active: true, ...(headers && { headers }) } });
        const sub = subscription(((res.body as { data?: unknown } | undefined)?.data ?? {}) as HookJson);
        if (!sub) throw new ShopError('SHOP_BAD_RESPONSE', `BigCommerce answered the hook ${found ? 'update' : 'creation'} for ${topic} without a hook.`);
        out.push({ subscription: sub, action: found ? 'reactivated' : 'created' });
      }
      return out;
    },

    async remove(id) {
      if (!/^\d{1,15}$/.test(id)) throw new ShopError('SHOP_REQUEST_REJECTED', `"${id}" is not a BigCommerce hook id.`);
      await client.send('DELETE', `/v3/hooks/${id}`);
    },
  };
}
