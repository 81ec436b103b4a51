import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { isoNow } from '../../domain/clock.js';
import { errorMessage } from '../../domain/errors.js';
import type { PipelineContext } from '../../pipeline/context.js';
import type { WebhookHeaders } from '../../shops/connector.js';

export interface WebhookReceiverOptions {
  /** Largest body accepted; a bigger one is answered 413 and not read further. */
  maxBodyBytes: number;
  /** Called after an event was stored (the trigger processes it soon). */
  onStored?: (shop: string) => void;
}

/**
 * `POST /webhooks/<shop code>` (docs/webhooks.md). In order:
 * 1. the shop must be configured and its platform take webhooks (404 otherwise);
 * 2. the body is read raw, up to the size limit (413 beyond it);
 * 3. the connector checks the signature over those bytes, timing-safe (401 and nothing stored when it is
 *    missing or wrong); WooCommerce's unsigned form-encoded ping is answered 200 and not stored;
 * 4. the event is stored, deduplicated on the platform's delivery id, and only then answered 2xx
 *    (guarantee 2): a crash after the answer loses nothing, a crash before it makes the shop retry;
 * 5. processing happens later, asynchronously (src/pipeline/trigger.ts).
 * A store failure is answered 503, so shops that retry (Shopify) deliver again.
 */
export function createWebhookRoutes(ctx: PipelineContext, opts: WebhookReceiverOptions): Hono {
  const app = new Hono();
  app.post(
    '/:shop',
    bodyLimit({ maxSize: opts.maxBodyBytes, onError: (c) => c.json({ error: `body larger than ${opts.maxBodyBytes} bytes` }, 413) }),
    async (c) => {
      const code = c.req.param('shop');
      if (!ctx.config.shops.some((s) => s.code === code)) return c.json({ error: `no shop "${code}" is configured` }, 404);
      const hooks = ctx.connector(code).webhook;
      if (!hooks) return c.json({ error: `shop "${code}" does not take webhooks` }, 404);

      const raw = Buffer.from(await c.req.arrayBuffer());
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const verdict = hooks.verify(raw, headers as WebhookHeaders);
      if (verdict.kind === 'ping') {
        ctx.log.info({ shop: code, detail: verdict.detail }, 'webhook ping answered');
        return c.json({ ok: true, ping: true }, 200);
      }
      if (verdict.kind === 'rejected') {
        // The reason names what was wrong (missing header, mismatch); it never holds the secret or the signature.
        ctx.log.warn({ shop: code, reason: verdict.reason, bytes: raw.length }, 'webhook refused');
        return c.json({ error: 'unauthorized: webhook signature missing or invalid' }, 401);
      }
      let result: 'stored' | 'duplicate';
      try {
        result = await ctx.store.webhookEvents.record({
          shop: code,
          deliveryId: verdict.deliveryId,
          topic: verdict.topic,
          ...(verdict.shopOrderId && { shopOrderId: verdict.shopOrderId }),
          body: raw.toString('utf8'),
          receivedAt: isoNow(ctx.clock),
        });
      } catch (err) {
        ctx.log.error({ shop: code, deliveryId: verdict.deliveryId, err: errorMessage(err) }, 'webhook event could not be stored');
        return c.json({ error: 'the event could not be stored; deliver it again later' }, 503);
      }
      if (result === 'stored') opts.onStored?.(code);
      return c.json({ ok: true, ...(result === 'duplicate' && { duplicate: true }) }, 200);
    },
  );
  app.all('/:shop', (c) => c.json({ error: 'webhooks are delivered with POST' }, 405));
  return app;
}
