import type { Context } from 'hono';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { redact } from '../../config/redact.js';
import { fixMapping, parseIds, resolveOrderConflict, retryOrders, skipOrders, switchEnvironment } from './actions.js';
import { requestAuth } from './guard.js';
import { PanelInputError } from './input-error.js';
import { isTrigger, type Job } from './jobs.js';
import { isMappingField } from './mapping-file.js';
import type { Panel } from './panel.js';
import { dashboard, isRange, logView, metrics, orderDetail, parseOrderQuery, searchOrders } from './queries.js';
import { envView } from './view-data.js';

/**
 * The JSON API under the pages (docs/panel.md): the same data and actions, for scripts. Authenticated
 * by the session cookie (+ X-CSRF-Token on writes) or by `Authorization: Bearer <token>`.
 */
export function apiRoutes(panel: Panel): Hono {
  const { rt, jobs, mapping, live } = panel;
  const app = new Hono();

  /** JSON or form bodies, as a flat record. */
  const body = async (c: Context): Promise<Record<string, unknown>> => {
    const type = c.req.header('content-type') ?? '';
    if (/^application\/json/i.test(type)) {
      try {
        const v: unknown = await c.req.json();
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        // fall through to the error below
      }
      throw new PanelInputError('body: must be a JSON object', 400, 'body');
    }
    return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
  };
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const jobJson = async (job: Job) => ({ ...job, progress: await jobs.progress(job) });

  app.get('/api/status', async (c) => c.json(await dashboard(rt)));

  app.get('/api/metrics', async (c) => {
    const range = c.req.query('range') ?? 'hour';
    if (!isRange(range)) throw new PanelInputError('range: must be "hour" or "day"', 400, 'range');
    return c.json(await metrics(rt, range));
  });

  app.get('/api/orders', async (c) => c.json(await searchOrders(rt, parseOrderQuery(c.req.query(), rt))));

  app.get('/api/orders/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const detail = Number.isInteger(id) && id > 0 ? await orderDetail(rt, id) : undefined;
    if (!detail) return c.json({ error: `no order ${c.req.param('id')}` }, 404);
    return c.json(detail);
  });

  app.post('/api/orders/retry', async (c) => {
    const b = await body(c);
    return c.json({ results: await retryOrders(rt, parseIds(b.ids), requestAuth(c).identity.actor, str(b.reason)) });
  });
  app.post('/api/orders/skip', async (c) => {
    const b = await body(c);
    return c.json({ results: await skipOrders(rt, parseIds(b.ids), requestAuth(c).identity.actor, str(b.reason)) });
  });

  app.post('/api/orders/:id/resolve', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id < 1) return c.json({ error: `no order ${c.req.param('id')}` }, 404);
    const b = await body(c);
    const result = await resolveOrderConflict(rt, id, b.decision, requestAuth(c).identity.actor);
    return c.json({ result }, result.ok ? 200 : 409);
  });

  app.post('/api/orders/:id/mapping', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id < 1) return c.json({ error: `no order ${c.req.param('id')}` }, 404);
    const b = await body(c);
    const f = str(b.field) ?? '';
    if (!isMappingField(f)) throw new PanelInputError('field: must be skuMap, customerMap, guestCustomerNo or defaultCustomerNo', 400, 'field');
    return c.json(await fixMapping(rt, mapping, id, { field: f, key: str(b.key), value: str(b.value) ?? '' }, requestAuth(c).identity.actor));
  });

  app.get('/api/jobs', async (c) => c.json({ jobs: await Promise.all(jobs.list().map(jobJson)) }));
  app.get('/api/jobs/:id', async (c) => {
    const job = jobs.get(Number(c.req.param('id')));
    if (!job) return c.json({ error: `no run ${c.req.param('id')}` }, 404);
    return c.json(await jobJson(job));
  });
  app.post('/api/jobs', async (c) => {
    const b = await body(c);
    const trigger = str(b.trigger) ?? '';
    if (!isTrigger(trigger)) throw new PanelInputError('trigger: must be pull, export or verify', 400, 'trigger');
    const shop = str(b.shop) || null;
    if (shop !== null && !rt.config.shops.some((s) => s.code === shop)) throw new PanelInputError(`shop: no shop "${shop}"`, 400, 'shop');
    const { job, started } = await jobs.start(trigger, shop, requestAuth(c).identity.actor);
    return c.json({ started, job: await jobJson(job) }, started ? 202 : 200);
  });

  app.get('/api/environment', async (c) => c.json(await envView(rt)));
  app.post('/api/environment', async (c) => {
    const b = await body(c);
    return c.json(await switchEnvironment(rt, str(b.to) ?? '', str(b.confirm), requestAuth(c).identity.actor));
  });

  app.get('/api/config', (c) => c.json(redact(rt.config)));

  app.get('/api/log', async (c) => {
    const system = c.req.query('system');
    if (system !== undefined && system !== 'bc' && system !== 'shop') throw new PanelInputError('system: must be bc or shop', 400, 'system');
    const limit = Number(c.req.query('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new PanelInputError('limit: must be a whole number from 1 to 1000', 400, 'limit');
    return c.json(await logView(rt, { limit, system }));
  });

  /**
   * Live updates: server-sent events. Each `change` event says which parts moved
   * ({orders, runs, log, env, jobs}); the pages refresh just those fragments.
   */
  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      stream.onAbort(() => done());
      panel.streams.add(done);
      const unsubscribe = live.subscribe((change) => {
        stream.writeSSE({ event: 'change', data: JSON.stringify(change) }).catch(() => done());
      });
      // Comments keep proxies from closing an idle stream.
      const ping = setInterval(() => void stream.write(': ping\n\n').catch(() => done()), 15_000);
      try {
        await stream.writeSSE({ event: 'hello', data: JSON.stringify({ user: requestAuth(c).identity.user }), retry: 3000 });
        await finished;
      } finally {
        clearInterval(ping);
        unsubscribe();
        panel.streams.delete(done);
      }
    }),
  );

  return app;
}
