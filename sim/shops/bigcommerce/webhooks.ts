/**
 * Webhook registry (POST/GET/PUT/DELETE /v3/hooks) and delivery. A delivery is the thin BigCommerce
 * payload {scope, store_id, data, hash, created_at, producer}, signed per Standard Webhooks with the
 * app's client secret (headers webhook-id, webhook-timestamp, webhook-signature "v1,<base64>"), plus
 * the custom headers set on the hook. Real BigCommerce only calls https on port 443; the simulator also
 * calls http://127.0.0.1 so tests can receive. Failed deliveries are retried a few times.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { OrderEvent } from './store.js';

export interface Hook {
  id: number;
  client_id: string;
  store_hash: string;
  scope: string;
  destination: string;
  headers: Record<string, string>;
  is_active: boolean;
  created_at: number;
  updated_at: number;
}

export interface Delivery {
  hookId: number;
  scope: string;
  body: string;
  headers: Record<string, string>;
  attempts: number;
  status?: number;
  error?: string;
}

export interface WebhookOptions {
  clientSecret: string;
  storeHash: string;
  storeId: string;
  nowSec: () => number;
  /** Extra attempts after a failed delivery. Default 2. */
  retries?: number;
  retryDelayMs?: number;
}

function matches(hookScope: string, scope: string): boolean {
  if (hookScope === scope) return true;
  return hookScope.endsWith('/*') && scope.startsWith(hookScope.slice(0, -1));
}

export class Webhooks {
  private hooks = new Map<number, Hook>();
  private nextId = 20000;
  readonly deliveries: Delivery[] = [];
  private pending = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: WebhookOptions) {}

  list(): Hook[] {
    return [...this.hooks.values()];
  }

  get(id: number): Hook | undefined {
    return this.hooks.get(id);
  }

  create(input: { scope?: unknown; destination?: unknown; is_active?: unknown; headers?: unknown }): Hook {
    if (typeof input.scope !== 'string' || !input.scope.startsWith('store/')) throw new Error('scope is required, e.g. store/order/created');
    if (typeof input.destination !== 'string' || !/^https?:\/\//.test(input.destination)) throw new Error('destination must be a URL');
    const now = this.opts.nowSec();
    const hook: Hook = {
      id: this.nextId++, client_id: 'bcbridge-sim-client', store_hash: this.opts.storeHash, scope: input.scope, destination: input.destination,
      headers: typeof input.headers === 'object' && input.headers !== null ? (input.headers as Record<string, string>) : {},
      is_active: input.is_active !== false, created_at: now, updated_at: now,
    };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  update(id: number, patch: Partial<Hook>): Hook | undefined {
    const hook = this.hooks.get(id);
    if (!hook) return undefined;
    if (typeof patch.is_active === 'boolean') hook.is_active = patch.is_active;
    if (typeof patch.destination === 'string') hook.destination = patch.destination;
    if (typeof patch.headers === 'object' && patch.headers !== null) hook.headers = patch.headers;
    hook.updated_at = this.opts.nowSec();
    return hook;
  }

  remove(id: number): Hook | undefined {
    const hook = this.hooks.get(id);
    this.hooks.delete(id);
    return hook;
  }

  /** Deliver one store event to every active hook whose scope matches (asynchronously). */
  dispatch(event: OrderEvent): void {
    if (this.closed) return;
    const createdAt = this.opts.nowSec();
    // Identical for duplicate firings of the same event, as BigCommerce's own hash.
    const hash = createHash('sha1').update(JSON.stringify([event.scope, event.data, createdAt])).digest('hex');
    for (const hook of this.hooks.values()) {
      if (!hook.is_active || !matches(hook.scope, event.scope)) continue;
      const body = JSON.stringify({ scope: event.scope, store_id: this.opts.storeId, data: event.data, hash, created_at: createdAt, producer: `stores/${this.opts.storeHash}` });
      const id = `msg_${randomUUID().replace(/-/g, '')}`;
      const timestamp = String(this.opts.nowSec());
      const signature = createHmac('sha256', Buffer.from(this.opts.clientSecret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64');
      const headers: Record<string, string> = {
        'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}`, ...hook.headers,
      };
      const delivery: Delivery = { hookId: hook.id, scope: event.scope, body, headers, attempts: 0 };
      this.deliveries.push(delivery);
      const p = this.deliver(hook, delivery).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  private async deliver(hook: Hook, d: Delivery): Promise<void> {
    const retries = this.opts.retries ?? 2;
    for (let attempt = 0; attempt <= retries && !this.closed; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 1000));
      d.attempts++;
      try {
        d.status = await post(hook.destination, d.body, d.headers);
        d.error = undefined;
        if (d.status >= 200 && d.status < 300) return;
      } catch (e) {
        d.error = (e as Error).message;
      }
    }
  }

  /** Resolves when every delivery in flight has finished (tests). */
  async settle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  close(): void {
    this.closed = true;
  }
}

function post(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
