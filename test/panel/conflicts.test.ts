import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WooOrder } from '../../sim/shops/woocommerce/server.js';
import { runCycle } from '../../src/pipeline/run-stage.js';
import { PASSWORD, TOKEN, startPanelHarness, type PanelHarness } from './panel-harness.js';

const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });

/** A shop modification stamped a few seconds after the stored one (WooCommerce stamps to the second). */
function later(o: WooOrder): string {
  return new Date(Date.parse(`${o.date_modified_gmt}Z`) + 5000).toISOString().slice(0, 19);
}

/**
 * The conflict decisions in the control panel (docs/panel.md): the diff on the order page, the three
 * buttons (CSRF like every action), and the JSON API route. Real Chromium, simulators over HTTP, SQLite.
 */
describe('control panel: orders changed in the shop after export', () => {
  let h: PanelHarness;
  let page: Page;
  let changed: { id: number; key: string };
  let cancelled: { id: number; key: string };

  beforeAll(async () => {
    h = await startPanelHarness('sqlite');
    const mk = () =>
      h.world.woo.addOrder({ status: 'processing', customer_id: 0, line_items: [{ sku: 'MUG-01', quantity: 2 }], shipping_lines: [{ total: '4.90' }], fee_lines: [], coupon_lines: [] });
    const a = mk();
    const b = mk();
    for (let i = 0; i < 30 && (await h.rt.store.orders.list({ state: 'verified' })).length < 2; i++) await runCycle(h.rt, 'test');
    const cur = h.world.woo.order(a.id)!;
    h.world.woo.updateOrder(a.id, { line_items: [{ id: cur.line_items[0]!.id, sku: 'MUG-01', quantity: 3 }], date_modified_gmt: later(cur) });
    h.world.woo.updateOrder(b.id, { status: 'cancelled', date_modified_gmt: later(h.world.woo.order(b.id)!) });
    await runCycle(h.rt, 'test');
    const rows = await h.rt.store.orders.list({ state: 'conflict' });
    expect(rows).toHaveLength(2);
    const of = (o: WooOrder) => rows.find((r) => Number(r.shop_order_id) === o.id)!;
    changed = { id: of(a).id, key: of(a).order_key! };
    cancelled = { id: of(b).id, key: of(b).order_key! };
    page = await h.newPage();
    await page.goto('/login');
    await page.fill('input[name=secret]', PASSWORD);
    await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('button[type=submit]')]);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('the order page shows the diff; Re-sync updates BC and the order becomes verified', async () => {
    await page.goto(`/orders/${changed.id}`);
    expect(await page.locator('#conflict-diff').textContent()).toContain('line MUG-01: quantity 2 → 3');
    expect(await page.locator('#order-reason').textContent()).toContain('SHOP_CHANGED');
    await h.screenshot(page, 'conflict-order');
    await page.click('#resolve-resync');
    await poll(() => page.locator('#action-result').textContent()).toContain('Re-sync: 1 of 1 order done');
    await page.waitForSelector('#order-state [data-state-badge="verified"]');
    const so = h.world.bc.salesOrders('sandbox').find((o) => o.externalDocumentNumber === changed.key.toUpperCase())!;
    expect(so.salesOrderLines.find((l) => l.lineObjectNumber === 'MUG-01')!.quantity).toBe(3);
    expect((await h.rt.store.orders.events(changed.id)).at(-1)).toMatchObject({ actor: 'panel:admin', to_state: 'verified' });
    expect(await page.locator('#resolve-resync').count()).toBe(0);
  });

  it('the JSON API: CSRF for sessions, a checked decision, cancel deletes the BC order, a second decision is refused', async () => {
    expect((await page.request.post(`/api/orders/${cancelled.id}/resolve`, { data: { decision: 'cancel' } })).status()).toBe(403);
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const call = (decision: string) => fetch(`${h.url}/api/orders/${cancelled.id}/resolve`, { method: 'POST', headers: auth, body: JSON.stringify({ decision }) });
    const bad = await call('explode');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'decision: must be one of resync, accept, cancel', field: 'decision' });
    const detail = (await (await fetch(`${h.url}/api/orders/${cancelled.id}`, { headers: auth })).json()) as { diff: string[] };
    expect(detail.diff).toEqual(['the order was cancelled in the shop']);

    const ok = await call('cancel');
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { result: unknown }).result).toMatchObject({ id: cancelled.id, ok: true, state: 'ignored' });
    expect(h.world.bc.salesOrders('sandbox').some((o) => o.externalDocumentNumber === cancelled.key.toUpperCase())).toBe(false);
    const again = await call('accept');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { result: { text: string } }).result.text).toContain('only orders in conflict can be resolved');
  });
});
