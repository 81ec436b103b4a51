import { Hono } from 'hono';
import type { Runtime } from '../pipeline/runtime.js';
import { createPanel, type Panel } from './panel/panel.js';
import { type BcNotice, createBcNotificationRoutes } from './webhooks/bc-notifications.js';
import { createWebhookRoutes } from './webhooks/receiver.js';
import type { EnvironmentKey } from '../config/schema.js';

/**
 * The HTTP surface of `bcbridge run`. Issue 2 serves health only; webhooks, the panel and /metrics
 * are added beside it (DESIGN.md §2 server/).
 */
export function createApp(rt: Runtime, state: { startedAt: string; lastCycleAt?: string; lastCycleOk?: boolean }, extras: { panel?: Panel; webhooks?: { onStored?: (shop: string) => void; onBcChange?: (env: EnvironmentKey, notices: BcNotice[]) => void } } = {}): Hono {
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
  // BC's own notifications (write-back trigger) prove themselves by clientState.
  app.route('/webhooks/bc', createBcNotificationRoutes(rt, { maxBodyBytes: rt.config.server.webhookMaxBytes, onChange: extras.webhooks?.onBcChange }));
  app.route('/webhooks', createWebhookRoutes(rt, { maxBodyBytes: rt.config.server.webhookMaxBytes, onStored: extras.webhooks?.onStored }));
  app.route('/', panel.routes);
  return app;
}
