import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getConnInfo } from '@hono/node-server/conninfo';
import { ORDER_STATES } from '../../domain/states.js';
import { inlineStyleHash, panelAssets } from '../../panel/assets.js';
import { chartsFragment, dashboardFragment, dashboardPage } from '../../panel/dashboard-view.js';
import { envBadge, layout, message, type PageContext } from '../../panel/layout.js';
import { logFragment, logPage } from '../../panel/log-view.js';
import { loginView } from '../../panel/login-view.js';
import { html, type Html } from '../../panel/html.js';
import { jobsFragment, envConfirm, envFragment, operationsPage } from '../../panel/operations-view.js';
import { orderFragment, orderPage } from '../../panel/order-view.js';
import { actionResults, ordersPage, ordersTable } from '../../panel/orders-view.js';
import { fixMapping, parseIds, resolveOrderConflict, retryOrders, skipOrders, switchEnvironment } from './actions.js';
import { LOGIN_COOKIE, SESSION_COOKIE } from './auth.js';
import { crossSite, requestAuth, securityHeaders } from './guard.js';
import { PanelInputError } from './input-error.js';
import { isTrigger } from './jobs.js';
import { isMappingField } from './mapping-file.js';
import type { Panel } from './panel.js';
import { dashboard, isRange, logView, metrics, parseOrderQuery, reasonCodes, searchOrders } from './queries.js';
import { configYaml, envView, jobsWithProgress, orderPageData } from './view-data.js';
import { safeEqual } from './password.js';

/** The HTML side of the panel: pages, the fragments htmx refreshes, and the form actions. */
export function pageRoutes(panel: Panel): Hono {
  const { rt, auth, jobs, mapping } = panel;
  const app = new Hono();

  const pageContext = async (c: Context): Promise<PageContext> => {
    const a = requestAuth(c);
    const active = await rt.activeEnvironment();
    return { user: a.identity.user, csrf: a.csrf, env: { active, name: rt.config.bc[active]?.name } };
  };
  const page = async (c: Context, title: string, current: string, body: Html, status: 200 | 404 = 200) =>
    c.html(layout(await pageContext(c), { title, current, body }).toString(), status);
  const fragment = (c: Context, body: Html, status: 200 | 400 | 403 | 404 | 409 | 422 = 200) => c.html(body.toString(), status);
  const form = async (c: Context) => (await c.req.parseBody({ all: true })) as Record<string, string | string[] | File | File[]>;
  const field = (body: Record<string, unknown>, name: string): string | undefined => {
    const v = body[name];
    const one = Array.isArray(v) ? v[0] : v;
    return typeof one === 'string' ? one : undefined;
  };
  const orderId = (c: Context) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || id < 1) throw new PanelInputError('id: not an order id', 404, 'id');
    return id;
  };

  // --- login -----------------------------------------------------------------------------------------

  const css = panelAssets()['panel.css'].body;
  const loginCsp = `default-src 'none'; style-src ${inlineStyleHash(css)}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
  const safeNext = (next: string | undefined) => (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/');
  const renderLogin = (c: Context, next: string, error?: string, status: 200 | 401 | 403 | 429 = 200) => {
    const nonce = randomBytes(18).toString('base64url');
    setCookie(c, LOGIN_COOKIE, nonce, { httpOnly: true, sameSite: 'Strict', path: '/login', maxAge: 3600, secure: isHttps(c) });
    const res = c.html(loginView({ css, csrf: nonce, next, error, configured: auth.configured() }).toString(), status);
    securityHeaders(c, loginCsp);
    return res;
  };

  app.get('/login', async (c) => {
    if (await auth.read(getCookie(c, SESSION_COOKIE))) return c.redirect(safeNext(c.req.query('next')), 302);
    return renderLogin(c, safeNext(c.req.query('next')));
  });

  app.post('/login', async (c) => {
    const body = await form(c);
    const next = safeNext(field(body, 'next'));
    // Login CSRF: the form's nonce must match the cookie set with the form (and the request be same-site).
    const nonce = getCookie(c, LOGIN_COOKIE);
    if (crossSite(c) || !nonce || !safeEqual(nonce, field(body, '_csrf') ?? '')) return renderLogin(c, next, 'The login form expired. Please try again.', 403);
    const client = clientAddress(c);
    if (!auth.loginAllowed(client)) return renderLogin(c, next, 'Too many failed logins. Wait 10 minutes and try again.', 429);
    const identity = await auth.login(field(body, 'secret') ?? '');
    if (!identity) {
      auth.loginFailed(client);
      rt.log.warn({ client }, 'panel login failed');
      return renderLogin(c, next, 'Wrong password or token.', 401);
    }
    auth.loginSucceeded(client);
    const cookie = await auth.issue(identity);
    setCookie(c, SESSION_COOKIE, cookie.value, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: cookie.maxAgeSeconds, secure: isHttps(c) });
    deleteCookie(c, LOGIN_COOKIE, { path: '/login' });
    rt.log.info({ user: identity.user, via: identity.via }, 'panel login');
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });

  // --- static assets (behind the login like everything else) ----------------------------------------

  app.get('/assets/:name', (c) => {
    const asset = panelAssets()[c.req.param('name')];
    if (!asset) return c.notFound();
    // The URL carries the content hash (assetUrl), so the browser may keep it.
    const cache = c.req.query('v') === asset.hash ? 'private, max-age=31536000, immutable' : 'no-cache';
    return c.body(asset.body, 200, { 'Content-Type': asset.type, 'Cache-Control': cache });
  });

  // --- dashboard ---------------------------------------------------------------------------------------

  app.get('/', async (c) => {
    const range = isRange(c.req.query('range')) ? (c.req.query('range') as 'hour' | 'day') : 'hour';
    return page(c, 'Dashboard', 'dashboard', dashboardPage(await dashboard(rt), range));
  });
  app.get('/fragments/dashboard', async (c) => fragment(c, dashboardFragment(await dashboard(rt))));
  app.get('/fragments/charts', async (c) => {
    const range = c.req.query('range') ?? 'hour';
    if (!isRange(range)) throw new PanelInputError('range: must be "hour" or "day"', 400, 'range');
    return fragment(c, chartsFragment(await metrics(rt, range)));
  });
  app.get('/fragments/env-badge', async (c) => fragment(c, envBadge((await pageContext(c)).env)));
  app.get('/fragments/empty', (c) => c.html(''));

  // --- orders ------------------------------------------------------------------------------------------

  app.get('/orders', async (c) => {
    let query;
    try {
      query = parseOrderQuery(c.req.query(), rt);
    } catch (err) {
      if (!(err instanceof PanelInputError)) throw err;
      return page(c, 'Orders', 'orders', html`${message('error', err.message)}<a href="/orders">Show all orders</a>`);
    }
    const [result, reasons] = await Promise.all([searchOrders(rt, query), reasonCodes(rt)]);
    return page(c, 'Orders', 'orders', ordersPage({ query, page: result, states: ORDER_STATES, shops: rt.config.shops.map((s) => s.code), reasons }));
  });
  app.get('/fragments/orders', async (c) => {
    const query = parseOrderQuery(c.req.query(), rt);
    return fragment(c, ordersTable(await searchOrders(rt, query), query));
  });

  for (const action of ['retry', 'skip'] as const) {
    app.post(`/actions/orders/${action}`, async (c) => {
      const body = await form(c);
      const ids = parseIds(body.ids);
      const why = field(body, 'reason')?.trim() || undefined;
      const actor = requestAuth(c).identity.actor;
      const results = action === 'retry' ? await retryOrders(rt, ids, actor, why) : await skipOrders(rt, ids, actor, why);
      c.header('HX-Trigger', 'bcb:orders');
      return fragment(c, actionResults(action === 'retry' ? 'Retry' : 'Skip', results));
    });
  }

  app.get('/orders/:id', async (c) => {
    const data = await orderPageData(rt, mapping, orderId(c));
    if (!data) return page(c, 'Order not found', 'orders', message('error', `There is no order ${c.req.param('id')}.`), 404);
    const o = data.detail.order;
    return page(c, `Order ${o.order_number ?? o.shop_order_id}`, 'orders', orderPage(data));
  });
  app.get('/fragments/order/:id', async (c) => {
    const data = await orderPageData(rt, mapping, orderId(c));
    if (!data) return fragment(c, message('error', 'This order no longer exists.'), 404);
    if (c.req.query('v') === data.version) return c.body(null, 204);
    return fragment(c, orderFragment(data));
  });

  app.post('/actions/orders/:id/resolve', async (c) => {
    const id = orderId(c);
    const body = await form(c);
    const decision = field(body, 'decision');
    const result = await resolveOrderConflict(rt, id, decision, requestAuth(c).identity.actor);
    c.header('HX-Trigger', 'bcb:orders');
    const title = decision === 'resync' ? 'Re-sync' : decision === 'cancel' ? 'Cancel in BC' : 'Accept';
    return fragment(c, actionResults(title, [result]));
  });

  app.post('/actions/orders/:id/mapping', async (c) => {
    const id = orderId(c);
    const body = await form(c);
    const f = field(body, 'field') ?? '';
    if (!isMappingField(f)) throw new PanelInputError('field: must be skuMap, customerMap, guestCustomerNo or defaultCustomerNo', 400, 'field');
    const { saved, result } = await fixMapping(rt, mapping, id, { field: f, key: field(body, 'key'), value: field(body, 'value') ?? '' }, requestAuth(c).identity.actor);
    c.header('HX-Trigger', 'bcb:orders');
    return fragment(c, html`${message('ok', html`Saved <code>${saved.yamlPath}</code> = <code>${(field(body, 'value') ?? '').trim()}</code> in ${saved.path}.`)}${actionResults('Retry', [result])}`);
  });

  // --- operations --------------------------------------------------------------------------------------

  app.get('/operations', async (c) =>
    page(c, 'Operations', 'operations', operationsPage({
      shops: rt.config.shops.map((s) => s.code),
      jobs: await jobsWithProgress(jobs),
      env: await envView(rt),
      configYaml: configYaml(rt),
      mappingTarget: mapping.target(),
      retentionDays: rt.config.log.retentionDays,
    })),
  );
  app.get('/fragments/jobs', async (c) => fragment(c, jobsFragment(await jobsWithProgress(jobs))));
  app.post('/actions/jobs', async (c) => {
    const body = await form(c);
    const trigger = field(body, 'trigger') ?? '';
    if (!isTrigger(trigger)) throw new PanelInputError('trigger: must be pull, export or verify', 400, 'trigger');
    const shop = field(body, 'shop') || null;
    if (shop !== null && !rt.config.shops.some((s) => s.code === shop)) throw new PanelInputError(`shop: no shop "${shop}"`, 400, 'shop');
    const { job, started } = await jobs.start(trigger, shop, requestAuth(c).identity.actor);
    c.header('HX-Trigger', 'bcb:jobs');
    return fragment(c, message(started ? 'ok' : 'info', `${started ? 'Started' : 'Already running:'} ${trigger} for ${shop ?? 'all shops'} (run #${job.id}).`));
  });

  app.get('/fragments/env', async (c) => fragment(c, envFragment(await envView(rt))));
  app.get('/fragments/env/confirm', async (c) => {
    const to = c.req.query('to');
    const env = await envView(rt);
    if ((to !== 'live' && to !== 'test') || !env.envs.some((e) => e.key === to)) throw new PanelInputError('to: must be a configured environment (live or test)', 400, 'to');
    if (to === env.active) return fragment(c, message('info', `${to} is already active.`));
    return fragment(c, envConfirm(env, to));
  });
  app.post('/actions/env', async (c) => {
    const body = await form(c);
    const to = field(body, 'to') ?? '';
    try {
      const r = await switchEnvironment(rt, to, field(body, 'confirm'), requestAuth(c).identity.actor);
      c.header('HX-Trigger', 'bcb:env');
      const note = r.changed ? message('ok', `New exports now go to ${r.to} (${r.name}).`) : message('info', `${r.to} was already active.`);
      return fragment(c, envFragment(await envView(rt), note));
    } catch (err) {
      if (!(err instanceof PanelInputError) || (to !== 'live' && to !== 'test')) throw err;
      const env = await envView(rt);
      return fragment(c, envFragment(env, undefined, envConfirm(env, to, `Not switched: ${err.message}`)), 400);
    }
  });

  // --- log ---------------------------------------------------------------------------------------------

  const logSystem = (c: Context) => {
    const s = c.req.query('system');
    if (s !== undefined && s !== '' && s !== 'bc' && s !== 'shop') throw new PanelInputError('system: must be bc or shop', 400, 'system');
    return s || undefined;
  };
  app.get('/log', async (c) => {
    const system = logSystem(c);
    return page(c, 'Log', 'log', logPage(await logView(rt, { limit: 100, system }), system));
  });
  app.get('/fragments/log', async (c) => fragment(c, logFragment(await logView(rt, { limit: 100, system: logSystem(c) }))));

  return app;
}

function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
