import { Hono } from 'hono';
import type { Runtime } from '../pipeline/runtime.js';
import { createPanel, type Panel } from './panel/panel.js';
import { createWebhookRoutes } from './webhooks/receiver.js';

/**
 * The HTTP surface of `bcbridge run`. Issue 2 serves health only; webhooks, the panel and /metrics
 * are added beside it (DESIGN.md §2 server/).
 */
export function createApp(rt: Runtime, state: { startedAt: string; lastCycleAt?: string; lastCycleOk?: boolean }, extras: { panel?: Panel; webhooks?: { onStored?: (shop: string) => void } } = {}): Hono {
  const app = new Hono();
  // The control panel (docs/panel.md): everything but /healthz and /webhooks/* needs a login.
  const panel = extras.panel ?? createPanel(rt);
  app.use('*', panel.guard);
  app.get('/healthz', async (c) => {
    let db = true;
    try {
      await rt.store.orders.counts();
    } catch {
      db = false;
    }
    const body = { ok: db, database: db ? 'ok' : 'unreachable', environment: await rt.activeEnvironment().catch(() => null), startedAt: state.startedAt, lastCycleAt: state.lastCycleAt ?? null, lastCycleOk: state.lastCycleOk ?? null };
    return c.json(body, db ? 200 : 503);
  });
  // Webhooks (docs/webhooks.md): they prove themselves by signature, so the panel login does not apply.
  app.route('/webhooks', createWebhookRoutes(rt, { maxBodyBytes: rt.config.server.webhookMaxBytes, onStored: extras.webhooks?.onStored }));
  app.route('/', panel.routes);
  return app;
}
