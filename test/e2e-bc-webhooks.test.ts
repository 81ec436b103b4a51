import { serve, type ServerType } from '@hono/node-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/log/logger.js';
import { ensureBcSubscriptions, listBcSubscriptions, removeBcSubscriptions } from '../src/pipeline/bc-subscriptions.js';
import { runCycle } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import { startTrigger, type Trigger } from '../src/pipeline/trigger.js';
import { createApp } from '../src/server/app.js';
import { createPanel, type Panel } from '../src/server/panel/panel.js';
import type { OrderRow } from '../src/store/schema.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type TestDb } from './helpers/databases.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

/**
 * BC webhooks trigger write-back (issue 9 A): bcbridge registers API v2.0 subscriptions (BC's handshake calls
 * the receiver back), BC notifies `/webhooks/bc/test` after a shipment, and the write-back stage runs without
 * waiting for a cycle — simulators and bcbridge's own HTTP server over real HTTP, on both databases.
 */
const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] };
const CLIENT_STATE = 'bc-client-state-for-tests-0123456789';

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(DATABASES)('BC webhook subscriptions → write-back on %s', (kind) => {
  let world: World;
  let tdb: TestDb;
  let store: Store;
  let rt: Runtime;
  let panel: Panel;
  let trigger: Trigger;
  let server: ServerType;
  let publicUrl: string;

  const overrides = (url: string) => {
    const base = rawConfig(world.bc, world.woo);
    return {
      server: { publicUrl: url },
      bc: { test: { ...base.bc.test, allowWriteBack: true, subscriptions: { enabled: true, clientState: CLIENT_STATE } } },
      shops: [{ ...base.shops[0], writeBack: { enabled: true, maxAttempts: 1, retryBaseSeconds: 0, retryMaxSeconds: 0 } }],
    };
  };

  beforeEach(async () => {
    world = await startWorld({ bc: { subscriptions: { notifyDelayMs: 40, retryDelayMs: 50 } } });
    tdb = testDb(kind);
    store = await tdb.open();
    // bcbridge's HTTP server listens first: the config needs its address, BC's handshake needs it up.
    let app: { fetch: (req: Request) => Response | Promise<Response> } | undefined;
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ hostname: '127.0.0.1', port: 0, fetch: (req) => (app ? app.fetch(req) : new Response('starting', { status: 503 })) }, () => resolve(s));
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    publicUrl = `http://127.0.0.1:${address.port}`;
    rt = await world.runtime(store, { overrides: overrides(publicUrl) });
    trigger = startTrigger(rt, { actor: 'webhook', writeBackDebounceMs: 20 });
    panel = createPanel(rt);
    app = createApp(rt, { startedAt: new Date().toISOString() }, { panel, webhooks: { onBcChange: (env) => trigger.writeBack(env) } });
  });
  afterEach(async () => {
    await trigger.stop();
    await panel.close();
    await new Promise<void>((r) => server.close(() => r()));
    await rt.close();
    await store.close();
    await tdb.cleanup();
    await world.close();
  });

  it('register (handshake), ship in BC, the notification writes back at once; register again keeps; remove', async () => {
    const made = await ensureBcSubscriptions(rt, 'test');
    expect(made.map((o) => [o.entitySet, o.action])).toEqual([['salesOrders', 'created'], ['salesInvoices', 'created']]);
    expect(world.bc.subscriptions.handshakes()).toBe(2);
    const inBc = world.bc.subscriptions.list('sandbox');
    expect(inBc.map((s) => s.notificationUrl)).toEqual([`${publicUrl}/webhooks/bc/test`, `${publicUrl}/webhooks/bc/test`]);
    expect(inBc.map((s) => s.resource)).toEqual([
      `/api/v2.0/companies(${world.bc.companyId('sandbox')})/salesOrders`,
      `/api/v2.0/companies(${world.bc.companyId('sandbox')})/salesInvoices`,
    ]);
    expect((await ensureBcSubscriptions(rt, 'test')).map((o) => o.action)).toEqual(['kept', 'kept']);
    expect(world.bc.subscriptions.handshakes()).toBe(2);

    world.woo.generate(2, PAID);
    let rows: OrderRow[] = [];
    for (let i = 0; i < 60 && rows.length < 2; i++) {
      await runCycle(rt, 'scheduler');
      rows = await store.orders.list({ state: 'verified', limit: 10 });
    }
    expect(rows).toHaveLength(2);
    await trigger.idle();
    const row = rows[0]!;
    const deliveredBefore = world.bc.subscriptions.deliveries().length;

    // The warehouse ships in BC; no cycle runs from here on: only BC's notification can bring the write-back.
    world.bc.ship({ env: 'sandbox', externalDocumentNumber: row.order_key!.toUpperCase() });
    const fulfilled = await until('the order to be fulfilled by the notification', async () => {
      const r = await store.orders.get(row.id);
      return r?.state === 'fulfilled' ? r : undefined;
    });
    expect(fulfilled.state).toBe('fulfilled');
    expect(world.woo.order(Number(row.shop_order_id))!.status).toBe('completed');
    const deliveries = world.bc.subscriptions.deliveries().slice(deliveredBefore);
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    expect(deliveries.every((d) => d.status === 202)).toBe(true);
    const events = await store.orders.events(row.id);
    expect(events.find((e) => e.to_state === 'fulfilled')!.actor).toBe('webhook');
    expect((await store.orders.get(rows[1]!.id))!.state).toBe('verified');

    const ours = (await listBcSubscriptions(rt, 'test')).filter((s) => s.ours);
    expect(ours).toHaveLength(2);
    const removed = await removeBcSubscriptions(rt, 'test');
    expect(removed.sort()).toEqual(ours.map((s) => s.id).sort());
    expect(world.bc.subscriptions.list('sandbox')).toEqual([]);
  });

  it('renews when less than renewBeforeHours is left, re-creates one BC dropped, and fails clearly when the handshake cannot reach bcbridge', async () => {
    await ensureBcSubscriptions(rt, 'test');
    const before = world.bc.subscriptions.list('sandbox');
    // 2.5 days later (of 3): less than 24 h left, so both are renewed — each with a new handshake.
    const later = await createRuntime(world.config(overrides(publicUrl)), { log: silentLogger, store, clock: { now: () => new Date(Date.now() + 2.5 * 86_400_000) } });
    try {
      expect((await ensureBcSubscriptions(later, 'test')).map((o) => o.action)).toEqual(['renewed', 'renewed']);
    } finally {
      await later.close();
    }
    expect(world.bc.subscriptions.handshakes()).toBe(4);
    const after = world.bc.subscriptions.list('sandbox');
    expect(after.map((s) => s.subscriptionId)).toEqual(before.map((s) => s.subscriptionId));
    expect(after.every((s, i) => String(s.lastModifiedDateTime) >= String(before[i]!.lastModifiedDateTime))).toBe(true);

    // BC dropped one (it expired): the next run creates it again.
    world.bc.subscriptions.setExpiration(String(after[0]!.subscriptionId), new Date(Date.now() - 1000).toISOString());
    await world.bc.subscriptions.sweep();
    expect(world.bc.subscriptions.list('sandbox')).toHaveLength(1);
    expect((await ensureBcSubscriptions(rt, 'test')).map((o) => o.action)).toEqual(['created', 'kept']);

    // A publicUrl BC cannot reach: BC refuses to create, and the outcome says why.
    await removeBcSubscriptions(rt, 'test');
    const unreachable = await world.runtime(store, { overrides: overrides('http://127.0.0.1:9') });
    try {
      const outcomes = await ensureBcSubscriptions(unreachable, 'test');
      expect(outcomes.map((o) => o.action)).toEqual(['failed', 'failed']);
      expect(outcomes[0]!.error).toContain('handshake');
    } finally {
      await unreachable.close();
    }
    expect(world.bc.subscriptions.list('sandbox')).toEqual([]);
  });

  it('the receiver: handshake echo, 401 for a wrong clientState (nothing runs), 404 for an environment without subscriptions', async () => {
    const handshake = await fetch(`${publicUrl}/webhooks/bc/test?validationToken=tok-123`, { method: 'POST' });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await handshake.text()).toBe('tok-123');

    const notify = (clientState: string) =>
      fetch(`${publicUrl}/webhooks/bc/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: [{ subscriptionId: 's1', clientState, expirationDateTime: '2030-01-01T00:00:00Z', resource: 'api/v2.0/companies(x)/salesOrders(y)', changeType: 'updated', lastModifiedDateTime: '2030-01-01T00:00:00Z' }] }),
      });
    const webhookRuns = async () =>
      Number((await store.db.kysely.selectFrom('runs').select((eb) => eb.fn.countAll().as('n')).where('stage', '=', 'writeback').where('actor', '=', 'webhook').executeTakeFirstOrThrow()).n);
    await trigger.idle();
    const before = await webhookRuns();
    const forged = await notify('not-the-secret-at-all-000000');
    expect(forged.status).toBe(401);
    expect(await forged.text()).not.toContain(CLIENT_STATE);
    await trigger.idle();
    expect(await webhookRuns()).toBe(before);
    expect((await notify(CLIENT_STATE)).status).toBe(202);
    await until('the write-back run the notification asked for', async () => (await webhookRuns()) > before);

    expect((await fetch(`${publicUrl}/webhooks/bc/live?validationToken=x`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${publicUrl}/webhooks/bc/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"value": []}' })).status).toBe(400);
  });
});
