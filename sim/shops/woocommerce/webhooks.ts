/**
 * WooCommerce webhooks (webshop-api.md §1 "Webhooks", woocommerce-live-facts.md):
 * - managed at `/wc/v3/webhooks` {id, name, status active|paused|disabled, topic, resource, event, hooks,
 *   delivery_url, secret (write-only), api_version, date_created…};
 * - creating (or re-activating) an active hook POSTs a ping: form-encoded `webhook_id=N`, no signature;
 * - an order event POSTs the order's REST representation **built at delivery time** (a deletion sends
 *   `{"id": N}`), signed `base64(HMAC-SHA256(raw body, secret))` in X-WC-Webhook-Signature, with
 *   X-WC-Webhook-Source/-Topic/-Resource/-Event/-ID/-Delivery-ID;
 * - delivery is asynchronous and collapses: one hook + one order is queued at most once at a time (WooCommerce
 *   queues the same webhook+resource at most once per ~10 minutes; here: until the queued one is sent);
 * - no retries: success is HTTP 200–302; consecutive failures are counted and the hook is disabled once the
 *   count exceeds 5. A disabled hook is switched on again with PUT status=active.
 */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { SiteInfo } from './document.js';
import { WC_VERSION, WP_VERSION } from './world.js';
import { invalidParams, phpJson, wpError, type WpError } from './wp-json.js';

export const WOO_WEBHOOK_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'] as const;
const STATUSES = ['active', 'paused', 'disabled'];
/** WooCommerce's `woocommerce_max_webhook_delivery_failures` default. */
const MAX_FAILURES = 5;

const HOOKS: Record<string, string[]> = {
  'order.created': ['woocommerce_new_order'],
  'order.updated': ['woocommerce_update_order', 'woocommerce_order_refunded'],
  'order.deleted': ['wp_trash_post'],
  'order.restored': ['untrashed_post'],
};

interface Hook {
  id: number;
  name: string;
  status: string;
  topic: string;
  delivery_url: string;
  secret: string;
  api_version: string;
  created: string;
  modified: string;
  failures: number;
}

export interface WebhookDeliveryRecord {
  hookId: number;
  topic: string;
  orderId?: number;
  ping: boolean;
  status: number | string;
  at: string;
}

export type WebhookAnswer = { ok: true; status: number; body: unknown } | WpError;

export interface WooWebhooksOptions {
  site: SiteInfo;
  /** The order as GET /orders/{id} returns it now, or undefined when the shop has none. */
  orderDocument(id: number): unknown | undefined;
  now: () => number;
  /** Delay before an event is delivered (WooCommerce's Action Scheduler runs shortly after the request). */
  delayMs?: number;
  timeoutMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

export class WooWebhooks {
  private readonly hooks = new Map<number, Hook>();
  private seq = 140;
  /** `${hookId}:${orderId}` of deliveries queued and not sent yet (collapsing). */
  private readonly queued = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  readonly deliveries: WebhookDeliveryRecord[] = [];
  private closed = false;

  constructor(private readonly opts: WooWebhooksOptions) {}

  /** REST: `/wc/v3/webhooks[/{id}]`. `rest` is the path after `wc/v3/`. */
  handle(method: string, rest: string, query: Record<string, string>, body: Record<string, unknown>): WebhookAnswer {
    const seg = rest.split('/');
    if (seg.length === 1) {
      if (method === 'GET') {
        const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 10) || 10));
        const page = Math.max(1, Number(query.page ?? 1) || 1);
        const all = [...this.hooks.values()].filter((h) => !query.status || query.status === 'all' || h.status === query.status).sort((a, b) => b.id - a.id);
        return { ok: true, status: 200, body: all.slice((page - 1) * perPage, page * perPage).map((h) => this.view(h)) };
      }
      if (method === 'POST') return this.create(body);
      return noRoute();
    }
    if (seg.length !== 2 || !/^\d+$/.test(seg[1]!)) return noRoute();
    const hook = this.hooks.get(Number(seg[1]));
    if (!hook) return wpError(404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
    if (method === 'GET') return { ok: true, status: 200, body: this.view(hook) };
    if (method === 'PUT' || method === 'POST' || method === 'PATCH') return this.update(hook, body);
    if (method === 'DELETE') {
      if (query.force !== 'true' && query.force !== '1') {
        return wpError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
      }
      this.hooks.delete(hook.id);
      return { ok: true, status: 200, body: this.view(hook) };
    }
    return noRoute();
  }

  /** The shop changed an order: one delivery per active hook on that topic, unless one is already queued. */
  orderEvent(topic: 'order.created' | 'order.updated' | 'order.deleted', orderId: number): void {
    for (const hook of this.hooks.values()) {
      if (hook.status !== 'active' || hook.topic !== topic) continue;
      const key = `${hook.id}:${orderId}`;
      if (this.queued.has(key)) continue;
      this.queued.add(key);
      this.later(() => {
        this.queued.delete(key);
        // Built at delivery time: the order as it is now, not as it was when the event happened.
        const doc = topic === 'order.deleted' ? { id: orderId } : this.opts.orderDocument(orderId);
        if (doc === undefined) return Promise.resolve();
        return this.deliver(hook, phpJson(doc), orderId);
      });
    }
  }

  /** Resolves when nothing is queued or in flight (tests and the demo). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    this.settle();
  }

  private create(body: Record<string, unknown>): WebhookAnswer {
    const topic = typeof body.topic === 'string' ? body.topic : '';
    const url = typeof body.delivery_url === 'string' ? body.delivery_url : '';
    if (!topic) return missing('topic');
    if (!url) return missing('delivery_url');
    if (!/^https?:\/\//.test(url)) return invalid('delivery_url', 'delivery_url is not a valid URL.');
    if (!isTopic(topic)) return invalid('topic', 'Webhook topic unknown. Please select a valid topic.');
    const status = typeof body.status === 'string' ? body.status : 'active';
    if (!STATUSES.includes(status)) return invalid('status', `status is not one of ${STATUSES.join(', ')}.`);
    const at = iso(this.opts.now());
    const hook: Hook = {
      id: ++this.seq,
      name: typeof body.name === 'string' && body.name ? body.name : `Webhook created on ${at}`,
      status,
      topic,
      delivery_url: url,
      // No secret given: WooCommerce derives one from the user; the simulator makes a random-looking one.
      secret: typeof body.secret === 'string' && body.secret ? body.secret : createHash('md5').update(`${this.seq}|admin`).digest('hex'),
      api_version: typeof body.api_version === 'string' ? body.api_version : 'wp_api_v3',
      created: at,
      modified: at,
      failures: 0,
    };
    this.hooks.set(hook.id, hook);
    if (hook.status === 'active') this.ping(hook);
    return { ok: true, status: 201, body: this.view(hook) };
  }

  private update(hook: Hook, body: Record<string, unknown>): WebhookAnswer {
    if (body.status !== undefined && (typeof body.status !== 'string' || !STATUSES.includes(body.status))) {
      return invalid('status', `status is not one of ${STATUSES.join(', ')}.`);
    }
    if (body.topic !== undefined && (typeof body.topic !== 'string' || !isTopic(body.topic))) return invalid('topic', 'Webhook topic unknown. Please select a valid topic.');
    const wasActive = hook.status === 'active';
    if (typeof body.name === 'string') hook.name = body.name;
    if (typeof body.topic === 'string') hook.topic = body.topic;
    if (typeof body.delivery_url === 'string') hook.delivery_url = body.delivery_url;
    if (typeof body.secret === 'string' && body.secret) hook.secret = body.secret;
    if (typeof body.status === 'string') {
      hook.status = body.status;
      // Activating resets the failure count (WC_Webhook::set_status → delivery failures back to 0).
      if (body.status === 'active') hook.failures = 0;
    }
    hook.modified = iso(this.opts.now());
    if (!wasActive && hook.status === 'active') this.ping(hook);
    return { ok: true, status: 200, body: this.view(hook) };
  }

  private view(h: Hook): Record<string, unknown> {
    const [resource, event] = h.topic.split('.');
    const base = `${this.opts.site.homeUrl}/wp-json/wc/v3/webhooks`;
    return {
      id: h.id, name: h.name, status: h.status, topic: h.topic, resource, event, hooks: HOOKS[h.topic] ?? [],
      delivery_url: h.delivery_url, date_created: h.created, date_created_gmt: h.created, date_modified: h.modified, date_modified_gmt: h.modified,
      _links: { self: [{ href: `${base}/${h.id}` }], collection: [{ href: base }] },
    };
  }

  private ping(hook: Hook): void {
    this.later(() => this.post(hook, `webhook_id=${hook.id}`, { 'Content-Type': 'application/x-www-form-urlencoded' }, undefined, true));
  }

  private deliver(hook: Hook, body: string, orderId: number): Promise<void> {
    const [resource, event] = hook.topic.split('.');
    const signature = createHmac('sha256', hook.secret).update(body).digest('base64');
    const deliveryId = createHash('md5').update(`${hook.id}:${orderId}:${body}:${Date.now()}:${Math.random()}`).digest('hex');
    return this.post(hook, body, {
      'Content-Type': 'application/json',
      'X-WC-Webhook-Source': `${this.opts.site.homeUrl}/`,
      'X-WC-Webhook-Topic': hook.topic,
      'X-WC-Webhook-Resource': resource!,
      'X-WC-Webhook-Event': event!,
      'X-WC-Webhook-Signature': signature,
      'X-WC-Webhook-ID': String(hook.id),
      'X-WC-Webhook-Delivery-ID': deliveryId,
    }, orderId, false);
  }

  private post(hook: Hook, body: string, headers: Record<string, string>, orderId: number | undefined, ping: boolean): Promise<void> {
    return new Promise((resolve) => {
      const record = (status: number | string) => {
        this.deliveries.push({ hookId: hook.id, topic: hook.topic, ...(orderId !== undefined && { orderId }), ping, status, at: new Date(this.opts.now()).toISOString() });
        const ok = typeof status === 'number' && status >= 200 && status <= 302;
        // The ping's answer is only reported, never counted (webshop-api.md §1).
        if (!ping) {
          hook.failures = ok ? 0 : hook.failures + 1;
          if (hook.failures > MAX_FAILURES) hook.status = 'disabled';
        }
        resolve();
      };
      let req;
      try {
        req = request(hook.delivery_url, {
          method: 'POST',
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': `WooCommerce/${WC_VERSION} Hookshot (WordPress/${WP_VERSION})` },
          timeout: this.opts.timeoutMs ?? 5000,
        });
      } catch (e) {
        record(`error: ${(e as Error).message}`);
        return;
      }
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => record(res.statusCode ?? 0));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (e) => record(`error: ${e.message}`));
      req.end(body);
    });
  }

  private later(job: () => Promise<void>): void {
    if (this.closed) return;
    this.pending++;
    const t = setTimeout(() => {
      this.timers.delete(t);
      job().finally(() => {
        this.pending = Math.max(0, this.pending - 1);
        this.settle();
      });
    }, this.opts.delayMs ?? 0);
    this.timers.add(t);
  }

  private settle(): void {
    if (this.pending > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function isTopic(topic: string): boolean {
  return (WOO_WEBHOOK_TOPICS as readonly string[]).includes(topic) || /^(coupon|customer|product)\.(created|updated|deleted|restored)$/.test(topic) || /^action\.[\w-]+$/.test(topic);
}

function noRoute(): WebhookAnswer {
  return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
}

function missing(param: string): WebhookAnswer {
  return wpError(400, 'rest_missing_callback_param', `Missing parameter(s): ${param}`, { params: [param] });
}

function invalid(param: string, message: string): WebhookAnswer {
  return invalidParams({ [param]: { code: 'rest_invalid_param', message } });
}
