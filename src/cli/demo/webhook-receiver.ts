import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Runtime } from '../../pipeline/runtime.js';
import { startTrigger, type Trigger } from '../../pipeline/trigger.js';
import { createWebhookRoutes } from '../../server/webhooks/receiver.js';

export interface DemoReceiver {
  /** http://127.0.0.1:PORT: the demo config's server.publicUrl. */
  url: string;
  /** Serves POST /webhooks/<shop> for this runtime and starts the trigger that exports at once. */
  attach(rt: Runtime): Trigger;
  close(): Promise<void>;
}

/**
 * `bcbridge demo --webhooks`: the webhook receiver of `bcbridge run` on a free local port. It listens before
 * the demo config exists (the config needs its address), and answers 503 until attached to the runtime.
 */
export async function startDemoReceiver(): Promise<DemoReceiver> {
  let app: Hono | undefined;
  let trigger: Trigger | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => (app ? app.fetch(req) : new Response('starting', { status: 503 })) }, () => resolve(s));
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the demo webhook receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    attach(rt) {
      trigger = startTrigger(rt, { actor: 'webhook' });
      const t = trigger;
      const a = new Hono();
      a.route('/webhooks', createWebhookRoutes(rt, { maxBodyBytes: rt.config.server.webhookMaxBytes, onStored: () => t.notify() }));
      app = a;
      return t;
    },
    async close() {
      await trigger?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
