/**
 * Webhook subscriptions and deliveries (webshop-api.md §2 "Webhooks"): a POST of the REST-shaped body
 * serialized at event time, signed `base64(HMAC-SHA256(body, app secret))` in X-Shopify-Hmac-Sha256, with
 * X-Shopify-Topic/-Shop-Domain/-API-Version/-Webhook-Id/-Event-Id/-Triggered-At. A delivery succeeds on 2xx
 * within the timeout; otherwise it is retried with the original body and the same webhook id (Shopify: 8
 * times over 4 hours; here on a configurable, shorter schedule). Faults: lose the next N deliveries.
 */
import { createHmac, randomUUID } from 'node:crypto';

export interface Subscription {
  id: number;
  /** Enum spelling, e.g. ORDERS_CREATE. */
  topic: string;
  uri: string;
  format: 'JSON';
  apiVersion: string;
  includeFields: string[];
  createdAt: number;
  updatedAt: number;
}

export interface Delivery {
  webhookId: string;
  eventId: string;
  subscriptionId: number;
  /** REST spelling, e.g. orders/create. */
  topic: string;
  uri: string;
  body: string;
  triggeredAt: string;
  apiVersion: string;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed' | 'dropped';
  responses: (number | string)[];
}

export interface DispatcherOptions {
  apiSecret: string;
  shopDomain: string;
  /** Waits before each retry; the delivery fails after the last. */
  retryDelaysMs: number[];
  timeoutMs: number;
  concurrency: number;
  now: () => number;
}

/** ORDERS_CREATE → orders/create. */
export function restTopic(enumTopic: string): string {
  const i = enumTopic.indexOf('_');
  return `${enumTopic.slice(0, i)}/${enumTopic.slice(i + 1)}`.toLowerCase();
}

export class WebhookDispatcher {
  readonly subscriptions = new Map<number, Subscription>();
  readonly deliveries: Delivery[] = [];
  private subSeq = 0;
  private dropNext = 0;
  private readonly queue: Delivery[] = [];
  private inFlight = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly aborts = new Set<AbortController>();
  private waiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly opts: DispatcherOptions) {}

  subscribe(topic: string, uri: string, apiVersion: string, includeFields: string[] = []): Subscription {
    const at = Math.floor(this.opts.now() / 1000);
    const sub: Subscription = { id: 1_390_000_000 + ++this.subSeq, topic, uri, format: 'JSON', apiVersion, includeFields, createdAt: at, updatedAt: at };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  unsubscribe(id: number): boolean {
    return this.subscriptions.delete(id);
  }

  /** The next `n` deliveries are lost on the way (never reach the receiver, never retried). */
  drop(n: number): void {
    this.dropNext += n;
  }

  /** An event happened: one delivery per subscription to its topic, body serialized now. */
  emit(enumTopic: string, payload: Record<string, unknown>): Delivery[] {
    const eventId = randomUUID();
    const triggeredAt = new Date(this.opts.now()).toISOString();
    const out: Delivery[] = [];
    for (const sub of this.subscriptions.values()) {
      if (sub.topic !== enumTopic) continue;
      const body = JSON.stringify(sub.includeFields.length ? Object.fromEntries(sub.includeFields.filter((f) => f in payload).map((f) => [f, payload[f]])) : payload);
      const d: Delivery = {
        webhookId: randomUUID(), eventId, subscriptionId: sub.id, topic: restTopic(enumTopic), uri: sub.uri, body, triggeredAt,
        apiVersion: sub.apiVersion, attempts: 0, status: 'pending', responses: [],
      };
      this.deliveries.push(d);
      out.push(d);
      if (this.dropNext > 0) {
        this.dropNext--;
        d.status = 'dropped';
        continue;
      }
      this.queue.push(d);
    }
    this.pump();
    return out;
  }

  /** Sends a delivery again exactly as before (same webhook id, same body): a duplicate, as Shopify may send. */
  redeliver(webhookId: string): Delivery {
    const d = this.deliveries.find((x) => x.webhookId === webhookId);
    if (!d) throw new Error(`no delivery ${webhookId}`);
    d.status = 'pending';
    this.queue.push(d);
    this.pump();
    return d;
  }

  sign(body: string): string {
    return createHmac('sha256', this.opts.apiSecret).update(body).digest('base64');
  }

  /** Resolves when every delivery has reached a final state (delivered, failed or dropped). */
  settled(): Promise<void> {
    if (this.deliveries.every((d) => d.status !== 'pending')) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const a of this.aborts) a.abort();
    for (const w of this.waiters.splice(0)) w();
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      const d = this.queue.shift()!;
      this.inFlight++;
      void this.attempt(d).finally(() => {
        this.inFlight--;
        this.pump();
        this.notify();
      });
    }
  }

  private notify(): void {
    if (this.deliveries.every((d) => d.status !== 'pending')) for (const w of this.waiters.splice(0)) w();
  }

  private async attempt(d: Delivery): Promise<void> {
    d.attempts++;
    const abort = new AbortController();
    this.aborts.add(abort);
    const timer = setTimeout(() => abort.abort(), this.opts.timeoutMs);
    let ok = false;
    try {
      const res = await fetch(d.uri, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Shopify-Captain-Hook',
          'x-shopify-topic': d.topic,
          'x-shopify-hmac-sha256': this.sign(d.body),
          'x-shopify-shop-domain': this.opts.shopDomain,
          'x-shopify-api-version': d.apiVersion,
          'x-shopify-webhook-id': d.webhookId,
          'x-shopify-event-id': d.eventId,
          'x-shopify-triggered-at': d.triggeredAt,
        },
        body: d.body,
        signal: abort.signal,
      });
      await res.arrayBuffer().catch(() => undefined);
      d.responses.push(res.status);
      ok = res.status >= 200 && res.status < 300;
    } catch (e) {
      d.responses.push(abort.signal.aborted ? 'timeout' : (e as Error).message);
    } finally {
      clearTimeout(timer);
      this.aborts.delete(abort);
    }
    if (ok) {
      d.status = 'delivered';
      return;
    }
    const wait = this.opts.retryDelaysMs[d.attempts - 1];
    if (wait === undefined || this.closed) {
      d.status = 'failed';
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.queue.push(d);
      this.pump();
    }, wait);
    this.timers.add(t);
  }
}
