import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ORDER_STATES } from '../../src/domain/states.js';
import { runCycle } from '../../src/pipeline/run-stage.js';
import { DATABASES } from '../helpers/databases.js';
import { PASSWORD, TOKEN, startPanelHarness, type PanelHarness } from './panel-harness.js';

/** What the browser-side callbacks touch (the project compiles without the DOM library). */
/** Waits for a value with room for a loaded machine (vitest's default is 1 s). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

type Dom = { dataset: Record<string, string | undefined>; id: string };
type Win = { __sameDocument?: boolean; document: { body: { getAttribute(name: string): string | null } } };

/**
 * The control panel as an operator uses it, in a real headless Chromium against bcbridge's HTTP app,
 * the BC and WooCommerce simulators, on SQLite and PostgreSQL. Screenshots go to test-artifacts/panel/.
 */
describe.each(DATABASES)('control panel in Chromium (%s)', (kind) => {
  let h: PanelHarness;
  let page: Page;
  let ops: Page;
  let held: { id: number; number: string; realSku: string };

  /** Counts per shop and state straight from the database (an independent query, not the panel's). */
  async function dbCounts(): Promise<Record<string, number>> {
    const rows = await sql<{ shop: string; state: string; n: number | string }>`select shop, state, count(*) as n from orders group by shop, state`.execute(h.store.db.kysely);
    const out: Record<string, number> = {};
    for (const shop of h.rt.config.shops) {
      let total = 0;
      for (const state of ORDER_STATES) {
        const n = Number(rows.rows.find((r) => r.shop === shop.code && r.state === state)?.n ?? 0);
        out[`${shop.code}/${state}`] = n;
        total += n;
      }
      out[`${shop.code}/total`] = total;
    }
    return out;
  }

  async function shownCounts(p: Page): Promise<Record<string, number>> {
    const cells = await p.$$eval('#counts td[data-shop][data-state]', (tds) => tds.map((td) => [`${(td as Dom).dataset.shop}/${(td as Dom).dataset.state}`, td.textContent!.trim()] as const));
    return Object.fromEntries(cells.map(([k, v]) => [k, Number(v)]));
  }

  async function stateOf(id: number): Promise<string | undefined> {
    return (await h.rt.store.orders.get(id))?.state;
  }

  beforeAll(async () => {
    h = await startPanelHarness(kind);
    h.world.woo.generate(5, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    // One order with a SKU BC does not know: it will be held with UNKNOWN_SKU.
    const [o] = h.world.woo.generate(1, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    const realSku = o.line_items[0].sku;
    h.world.woo.updateOrder(o.id, { line_items: o.line_items.map((l, i) => (i === 0 ? { ...l, sku: 'LEGACY-BEANS' } : l)) } as never);
    // Two unpaid orders: waiting.
    h.world.woo.generate(2, { unpaidShare: 1, statuses: ['on-hold'] });
    await runCycle(h.rt, 'test');
    const [row] = await h.rt.store.orders.list({ state: 'held' });
    expect(row?.order_number).toBe(o.number);
    expect(row.reason_code).toBe('UNKNOWN_SKU');
    held = { id: row.id, number: row.order_number!, realSku };
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('anonymous requests get the login page or 401', async () => {
    for (const path of ['/api/status', '/api/orders', `/api/orders/${held.id}`, '/api/events', '/api/config']) {
      const res = await fetch(h.url + path);
      expect(res.status, path).toBe(401);
    }
    for (const path of ['/', '/orders', `/orders/${held.id}`, '/operations', '/log', '/assets/panel.js', '/no-such-page']) {
      const res = await fetch(h.url + path, { redirect: 'manual' });
      expect(res.status, path).toBe(302);
      expect(res.headers.get('location'), path).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    const post = await fetch(`${h.url}/actions/orders/retry`, { method: 'POST', body: new URLSearchParams({ ids: String(held.id) }) });
    expect(post.status).toBe(401);
    const apiPost = await fetch(`${h.url}/api/orders/retry`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids: [held.id] }) });
    expect(apiPost.status).toBe(401);
    const htmx = await fetch(`${h.url}/fragments/dashboard`, { headers: { 'HX-Request': 'true' } });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get('hx-redirect')).toBe('/login');
    expect((await fetch(`${h.url}/api/status`, { headers: { authorization: 'Bearer not-a-valid-token-at-all-0000000' } })).status).toBe(401);
    // Nothing changed for anyone who is not logged in.
    expect(await stateOf(held.id)).toBe('held');
    // Health stays public for load balancers.
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);

    const p = await h.newPage();
    await p.goto('/orders');
    expect(new URL(p.url()).pathname).toBe('/login');
    expect(await p.locator('input[name=secret]').count()).toBe(1);
    await h.screenshot(p, 'login');
    await p.close();
  });

  it('logs in with the password; a wrong one is refused', async () => {
    page = await h.newPage();
    await page.goto('/orders');
    await page.fill('input[name=secret]', 'not the password');
    await page.click('button[type=submit]');
    await poll(() => page.locator('[role=alert]').textContent()).toContain('Wrong password or token.');
    expect(new URL(page.url()).pathname).toBe('/login');

    await page.fill('input[name=secret]', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname === '/orders'), page.click('button[type=submit]')]);
    const session = (await h.browser.cookies()).find((c) => c.name === 'bcbridge_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    // The cookie is not readable from scripts.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).not.toContain('bcbridge_session');
  });

  it("the dashboard's counts equal the database's; held orders, budget, runs and charts are shown", async () => {
    await page.goto('/');
    expect(await shownCounts(page)).toEqual(await dbCounts());
    expect(await page.locator('[data-attention=held] .big').textContent()).toBe('1');
    expect(await page.locator('#attention').textContent()).toContain('SKU LEGACY-BEANS has no BC item');

    await h.rt.store.requestLog.flush();
    const budgetRow = await sql<{ n: number | string }>`select count(*) as n from request_log where system = 'bc' and target = 'sandbox'`.execute(h.store.db.kysely);
    expect(Number(await page.locator('[data-env=test] [data-budget-used]').textContent())).toBe(Number(budgetRow.rows[0].n));
    expect(await page.locator('[data-env=test] meter').getAttribute('max')).toBe('6000');

    const stages = await page.$$eval('#last-runs tr[data-stage]', (trs) => trs.map((tr) => (tr as Dom).dataset.stage));
    expect(stages).toEqual(expect.arrayContaining(['pull', 'evaluate', 'export', 'verify']));
    await page.waitForSelector('#charts svg.chart');
    expect(await page.locator('#charts svg.chart').count()).toBe(2);
    await h.screenshot(page, 'dashboard');
  });

  it('orders: filter by state, reason and date, search by order no., e-mail and BC no., paging', async () => {
    const rowIds = () => page.$$eval('#orders tr[data-order-id]', (trs) => trs.map((tr) => Number((tr as Dom).dataset.orderId)));
    await page.goto('/orders?state=held');
    expect(await rowIds()).toEqual([held.id]);
    await page.goto('/orders?reason=UNKNOWN_SKU');
    expect(await rowIds()).toEqual([held.id]);

    const [verified] = await h.rt.store.orders.list({ state: 'verified', limit: 1 });
    for (const q of [verified.order_number!, verified.customer_email!, verified.customer_email!.toUpperCase(), verified.bc_number!]) {
      await page.goto(`/orders?q=${encodeURIComponent(q)}`);
      expect(await rowIds(), q).toEqual([verified.id]);
    }

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/orders?from=${tomorrow}`);
    expect(await rowIds()).toEqual([]);
    await page.goto(`/orders?from=${today}&to=${today}`);
    expect((await rowIds()).length).toBe(8);

    await page.goto('/orders?pageSize=3');
    const first = await rowIds();
    expect(first.length).toBe(3);
    expect(await page.locator('.pager').getAttribute('data-total')).toBe('8');
    await Promise.all([page.waitForURL(/page=2/), page.click('text=older →')]);
    const second = await rowIds();
    expect(second.length).toBe(3);
    expect(second.filter((id) => first.includes(id))).toEqual([]);

    await page.goto('/orders?state=bogus');
    expect(await page.locator('[role=alert]').textContent()).toContain('state: unknown state "bogus"');

    await page.goto('/orders');
    await page.selectOption('select[name=state]', 'verified');
    await Promise.all([page.waitForURL(/state=verified/), page.click('form.filters button[type=submit]')]);
    expect((await rowIds()).length).toBe(5);
    await h.screenshot(page, 'orders');
  });

  it('bulk skip and bulk retry from the orders table', async () => {
    const waiting = (await h.rt.store.orders.list({ state: 'waiting' })).map((r) => r.id).sort();
    expect(waiting.length).toBe(2);
    await page.goto('/orders?state=waiting');
    await page.check('input[data-select-all]');
    await page.click('#bulk-skip');
    await poll(() => page.locator('[data-action-result]').textContent()).toContain('Skip: 2 of 2 orders done');
    for (const id of waiting) expect(await stateOf(id)).toBe('ignored');
    const events = await h.rt.store.orders.events(waiting[0]);
    expect(events.at(-1)).toMatchObject({ to_state: 'ignored', actor: 'panel:admin' });

    await page.goto('/orders?state=ignored');
    for (const id of waiting) await page.check(`input[name=ids][value="${id}"]`);
    await page.click('#bulk-retry');
    await poll(() => page.locator('[data-action-result]').textContent()).toContain('Retry: 2 of 2 orders done');
    // Retried and evaluated at once: still unpaid, so waiting again.
    for (const id of waiting) expect(await stateOf(id)).toBe('waiting');
  });

  it('a held order is fixed from the panel, retried, and watched until verified without a reload', async () => {
    await page.goto(`/orders/${held.id}`);
    expect(await page.locator('#order-reason').textContent()).toContain('SKU LEGACY-BEANS has no BC item');
    expect(await page.locator('#sec-document pre').textContent()).toContain('UNKNOWN_SKU');
    expect(await page.locator('#sec-raw pre').textContent({ timeout: 5000 })).toContain('LEGACY-BEANS');
    await h.screenshot(page, 'held-order');
    await page.evaluate(() => ((globalThis as unknown as Win).__sameDocument = true));

    expect(await page.inputValue('#fix-sku input[name=key]')).toBe('LEGACY-BEANS');
    await page.fill('#fix-sku input[name=value]', held.realSku);
    await page.click('#fix-sku button[type=submit]');
    await poll(() => page.locator('#action-result').textContent()).toContain('Retry: 1 of 1 order done');
    expect(await stateOf(held.id)).toBe('ready');
    // Saved in the config file (comments kept) and in the running process.
    const text = readFileSync(h.configFile, 'utf8');
    expect(text).toContain('# bcbridge test config: keep this comment');
    expect(loadConfig(h.configFile, {}).shops[0].mapping.skuMap).toEqual({ 'LEGACY-BEANS': held.realSku });
    expect(h.rt.config.shops[0].mapping.skuMap['LEGACY-BEANS']).toBe(held.realSku);
    const retryEvent = (await h.rt.store.orders.events(held.id)).find((e) => e.actor === 'panel:admin' && e.to_state === 'received');
    expect(retryEvent?.reason).toContain(`shops[0].mapping.skuMap.LEGACY-BEANS = ${held.realSku}`);
    await page.waitForSelector('#order-state [data-state-badge="ready"]');

    // A second tab runs export, then verify; the first one follows along by itself.
    ops = await h.newPage();
    await ops.goto('/operations');
    await ops.click('button[data-trigger=export][data-shop=woo]');
    await poll(() => ops.locator('#job-result').textContent()).toContain('Started export for woo');
    await ops.waitForSelector('#jobs-table tr[data-job="1"]:not([data-status="running"])');
    expect(await ops.locator('#jobs-table tr[data-job="1"]').getAttribute('data-status')).toBe('ok');
    expect(await ops.locator('#jobs-table tr[data-job="1"] [data-progress]').textContent()).toMatch(/exported\s+1/);
    await page.waitForSelector('#order-state [data-state-badge="exported"], #order-state [data-state-badge="verified"]');

    // One transient BC error during verify: retried, and listed first in the log later.
    h.world.bc.faults.add({ kind: '503', method: 'GET', pathIncludes: 'salesOrders', times: 1, retryAfterSeconds: 1 });
    await ops.click('button[data-trigger=verify][data-shop=woo]');
    await ops.waitForSelector('#jobs-table tr[data-job="2"]:not([data-status="running"])');
    await page.waitForSelector('#order-state [data-state-badge="verified"]');
    expect(await page.evaluate(() => (globalThis as unknown as Win).__sameDocument)).toBe(true);

    const row = (await h.rt.store.orders.get(held.id))!;
    expect(row.state).toBe('verified');
    expect(row.bc_number).toBeTruthy();
    await poll(() => page.locator('#bc-number').textContent()).toContain(row.bc_number!);
    const timeline = await page.$$eval('#timeline tr[data-to]', (trs) => trs.map((tr) => (tr as Dom).dataset.to));
    expect(timeline).toEqual(['received', 'held', 'received', 'ready', 'exporting', 'exported', 'verified']);
    expect(await page.locator('#sec-document pre').textContent()).toContain(`"externalDocumentNumber": "${row.order_key}"`);
    expect(await page.locator('#sec-requests').textContent()).toContain('POST');
    await h.screenshot(page, 'verified-order');
    await h.screenshot(ops, 'operations');
  });

  it('a manual pull runs and the dashboard follows it live', async () => {
    await page.goto('/');
    await page.evaluate(() => ((globalThis as unknown as Win).__sameDocument = true));
    await page.waitForFunction(() => (globalThis as unknown as Win).document.body.getAttribute('data-live') === 'on');
    h.world.woo.generate(2, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    await ops.goto('/operations');
    await ops.click('button[data-trigger=pull][data-shop=woo]');
    await ops.waitForSelector('#jobs-table tr[data-job="3"][data-status="ok"]');
    expect(await ops.locator('#jobs-table tr[data-job="3"] [data-progress]').textContent()).toMatch(/received\s+2/);
    await page.waitForSelector('#counts td[data-shop="woo"][data-state="received"] >> text="2"');
    expect(await page.evaluate(() => (globalThis as unknown as Win).__sameDocument)).toBe(true);
    expect(await shownCounts(page)).toEqual(await dbCounts());
    const runs = await h.rt.store.runs.latest();
    expect(runs.find((r) => r.stage === 'pull')?.actor).toBe('panel:admin/job-3');
  });

  it('the Live/Test switch asks to confirm and refuses a wrong confirmation', async () => {
    await ops.goto('/operations');
    expect(await ops.locator('[data-active-env]').getAttribute('data-active-env')).toBe('test');
    await ops.click('#switch-env');
    await ops.waitForSelector('#env-confirm-form');
    expect(await ops.locator('#env-confirm-form').textContent()).toContain('Switch new exports from test (sandbox) to live (production');
    // Asking is not switching.
    expect(await h.rt.activeEnvironment()).toBe('test');
    await h.screenshot(ops, 'env-confirm');

    await ops.fill('#env-confirm-input', 'yes');
    await ops.click('#env-confirm-button');
    await poll(() => ops.locator('#env [role=alert]').textContent()).toContain('Not switched');
    expect(await h.rt.activeEnvironment()).toBe('test');

    await ops.fill('#env-confirm-input', 'live');
    await ops.click('#env-confirm-button');
    await ops.waitForSelector('[data-active-env="live"]');
    expect(await h.rt.activeEnvironment()).toBe('live');
    await poll(() => ops.locator('#env-badge').textContent()).toContain('LIVE');

    await ops.click('#switch-env');
    await ops.fill('#env-confirm-input', 'test');
    await ops.click('#env-confirm-button');
    await ops.waitForSelector('[data-active-env="test"]');
    expect(await h.rt.activeEnvironment()).toBe('test');
  });

  it('every action needs the CSRF token; API tokens work without a session', async () => {
    const csrf = await page.evaluate(() => JSON.parse((globalThis as unknown as Win).document.body.getAttribute('hx-headers')!)['X-CSRF-Token'] as string);
    expect(csrf.length).toBeGreaterThan(20);
    // page.request shares the browser's cookies: a logged-in session without the token is refused.
    expect((await page.request.post('/api/orders/skip', { data: { ids: [held.id] } })).status()).toBe(403);
    expect((await page.request.post('/actions/jobs', { form: { trigger: 'pull', shop: 'woo' } })).status()).toBe(403);
    expect((await page.request.post('/actions/env', { form: { to: 'live', confirm: 'live', _csrf: 'forged' } })).status()).toBe(403);
    expect((await page.request.post('/api/jobs', { data: { trigger: 'verify', shop: 'woo' }, headers: { 'x-csrf-token': csrf, origin: 'http://evil.example' } })).status()).toBe(403);
    expect(await stateOf(held.id)).toBe('verified');
    expect(await h.rt.activeEnvironment()).toBe('test');
    const ok = await page.request.post('/api/jobs', { data: { trigger: 'verify', shop: 'woo' }, headers: { 'x-csrf-token': csrf } });
    expect(ok.status()).toBe(202);
    const bad = await page.request.post('/api/jobs', { data: { trigger: 'explode' }, headers: { 'x-csrf-token': csrf } });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toEqual({ error: 'trigger: must be pull, export or verify', field: 'trigger' });

    const auth = { authorization: `Bearer ${TOKEN}` };
    const status = (await (await fetch(`${h.url}/api/status`, { headers: auth })).json()) as { shops: { shop: string; counts: Record<string, number>; total: number }[] };
    expect(Object.fromEntries(status.shops.flatMap((s) => [...Object.entries(s.counts).map(([k, v]) => [`${s.shop}/${k}`, v]), [`${s.shop}/total`, s.total]]))).toEqual(await dbCounts());
    const detail = (await (await fetch(`${h.url}/api/orders/${held.id}`, { headers: auth })).json()) as { order: { state: string }; events: { to: string }[] };
    expect(detail.order.state).toBe('verified');
    expect(detail.events.at(-1)?.to).toBe('verified');
    const config = (await (await fetch(`${h.url}/api/config`, { headers: auth })).json()) as { bc: { test: { clientSecret: string } }; panel: { hashedPassword: string } };
    expect(config.bc.test.clientSecret).toBe('[redacted]');
    expect(config.panel.hashedPassword).toBe('[redacted]');
    expect(JSON.stringify(config)).not.toContain('demo-secret');
    // A token request needs no CSRF token (browsers never send it on their own).
    const viaToken = await fetch(`${h.url}/api/orders/retry`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ ids: [held.id] }) });
    expect(viaToken.status).toBe(200);
    expect(((await viaToken.json()) as { results: unknown[] }).results[0]).toMatchObject({ id: held.id, ok: false });
  });

  it('the log view shows errors first and the retention', async () => {
    await page.goto('/log');
    expect(await page.locator('[data-retention-days]').textContent()).toBe('14 days');
    const errors = await page.locator('#errors').textContent();
    expect(errors).toContain('503');
    const order = await page.$$eval('section.card[id]', (els) => els.map((e) => (e as Dom).id));
    expect(order.indexOf('errors')).toBeLessThan(order.indexOf('recent'));
    await h.screenshot(page, 'log');
  });

  it('logging out ends the session', async () => {
    await page.goto('/');
    await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('header form button[type=submit]')]);
    expect((await page.request.get('/api/status')).status()).toBe(401);
    await page.goto('/operations');
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
