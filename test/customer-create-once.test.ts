import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { getToken, send } from '../sim/bc/test-helpers.js';
import type { WooOrder } from '../sim/shops/woocommerce/types.js';
import type { Clock } from '../src/domain/clock.js';
import { silentLogger } from '../src/log/logger.js';
import { evaluate } from '../src/pipeline/evaluate.js';
import { runStage } from '../src/pipeline/run-stage.js';
import { createRuntime, type Runtime } from '../src/pipeline/runtime.js';
import type { Store } from '../src/store/store.js';
import { DATABASES, testDb, type DatabaseKind, type TestDb } from './helpers/databases.js';
import { bcOrderOf, cycleUntil, orderOf, placeOrder, settled } from './helpers/rules-world.js';
import { rawConfig, soapEnvironment, startWorld, type World } from './helpers/world.js';

/**
 * Exactly one BC customer per shop customer (issue 3) across workers and crashes: two runtimes with their own
 * worker ids on one database (the PostgreSQL scale-out), WooCommerce simulator → bcbridge → BC simulator over
 * real HTTP, for both numbering modes.
 */

/** A clock the test moves forward (claims and re-checks expire by it). */
function testClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => new Date(Date.now() + offset), advance: (ms) => void (offset += ms) };
}

/**
 * Between one worker and BC: forwards everything, but the answer to the first request `hang` picks is never
 * delivered once BC has done the work (the worker froze or died after BC created the customer, before it
 * stored the binding). `release()` then cuts that connection, as a dying process's socket would be.
 */
async function startStallingProxy(target: string, hang: (method: string, url: string, soapAction: string) => boolean) {
  let stalled: ServerResponse | undefined;
  let signal!: () => void;
  const committed = new Promise<void>((r) => (signal = r));
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const up = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
      const answer = Buffer.from(await up.arrayBuffer());
      if (!stalled && hang(req.method ?? '', req.url ?? '', String(req.headers.soapaction ?? ''))) {
        stalled = res;
        signal();
        return;
      }
      const out: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(k)) out[k] = v;
      });
      res.writeHead(up.status, out).end(answer);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    committed,
    release: () => stalled?.socket?.destroy(),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

interface Setup {
  world: World;
  store: Store;
  clock: ReturnType<typeof testClock>;
  worker(id: string, bc?: Record<string, unknown>): Promise<Runtime>;
  customersWithEmail(email: string): Promise<Record<string, any>[]>;
  close(): Promise<void>;
}

async function setUp(kind: DatabaseKind, mapping: Record<string, unknown>, soap = false): Promise<Setup> {
  const world = await startWorld(soap ? { bc: { soap: { processDelayMs: [10, 40] } } } : {});
  const tdb: TestDb = testDb(kind);
  const store = await tdb.open();
  const clock = testClock();
  const runtimes: Runtime[] = [];
  const token = (await getToken(world.bc)).body.access_token as string;
  const base = `${world.bc.apiBase('sandbox')}/companies(${world.bc.companyId('sandbox')})`;
  return {
    world,
    store,
    clock,
    async worker(id, bc = {}) {
      const shop = rawConfig(world.bc, world.woo).shops[0];
      const test = { ...(soap ? soapEnvironment(world.bc, 'sandbox') : rawConfig(world.bc, world.woo).bc.test), ...bc };
      const config = world.config({ bc: { test }, shops: [{ ...shop, mapping: { ...shop.mapping, ...mapping } }] });
      const rt = await createRuntime(config, { log: silentLogger, store, clock, workerId: id });
      runtimes.push(rt);
      return rt;
    },
    async customersWithEmail(email) {
      const r = await send(`${base}/customers?$filter=${encodeURIComponent(`tolower(email) eq '${email}'`)}`, 'GET', token);
      return r.body.value as Record<string, any>[];
    },
    async close() {
      for (const rt of runtimes) await rt.close();
      await store.close();
      await tdb.cleanup();
      await world.close();
    },
  };
}

const buyer = (id: number, email: string, country = 'DE') => ({ customer_id: id, billing: { email, country, phone: '', state: '', company: '' } });

/** Sana style without the e-mail step: nothing but the claim stands between two workers and two cards. */
const mappingFor = (mode: string) => ({
  customerChain: ['binding', 'create'],
  customerTemplates: { '*': { template: 'B2C', paymentTermsCode: 'COD', shipmentMethodCode: 'DHL' } },
  newCustomerNumbers: { mode, prefix: 'WEB' },
});

async function states(store: Store, orders: WooOrder[]): Promise<string[]> {
  return Promise.all(orders.map(async (o) => (await orderOf(store, o)).state));
}

describe.each(DATABASES)('one BC customer per shop customer on %s', (kind) => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it.each(['series', 'shopCustomerId'])('two workers evaluating orders of the same new customer at once create one customer (%s)', async (mode) => {
    s = await setUp(kind, mappingFor(mode));
    const { world, store, clock } = s;
    const [a, b] = [await s.worker('worker-A'), await s.worker('worker-B')];
    const orders = [
      placeOrder(world, buyer(903, 'twin.buyer@example.test')),
      placeOrder(world, buyer(903, 'twin.buyer@example.test')),
      placeOrder(world, buyer(0, 'guest.twin@example.test')),
      placeOrder(world, buyer(0, 'guest.twin@example.test')),
    ];
    await runStage(a, 'pull', 'scheduler');

    // Both workers evaluate all four orders at the same time; an order whose customer the other worker is
    // creating waits (CUSTOMER_BEING_CREATED) and is evaluated again when its re-check is due.
    for (let round = 0; round < 5 && (await states(store, orders)).some((st) => st !== 'ready'); round++) {
      if (round > 0) clock.advance(16_000);
      await Promise.all([evaluate(a, 'scheduler'), evaluate(b, 'scheduler')]);
    }
    expect(await states(store, orders)).toEqual(['ready', 'ready', 'ready', 'ready']);

    const registered = await s.customersWithEmail('twin.buyer@example.test');
    const guest = await s.customersWithEmail('guest.twin@example.test');
    expect(registered).toHaveLength(1);
    expect(guest).toHaveLength(1);
    if (mode === 'shopCustomerId') expect(registered[0].number).toBe('WEB903');

    await cycleUntil(a, () => settled(store, orders));
    const rows = await Promise.all(orders.map((o) => orderOf(store, o)));
    expect(rows.map((r) => r.state)).toEqual(['verified', 'verified', 'verified', 'verified']);
    expect(rows.map((r) => bcOrderOf(world, r)!.customerNumber)).toEqual([registered[0].number, registered[0].number, guest[0].number, guest[0].number]);
    const bindings = await store.customerBindings.list({ shop: 'woo' });
    expect(bindings.map((x) => [x.customer_key, x.bc_customer_no, x.state])).toEqual([
      ['email:guest.twin@example.test', guest[0].number, 'bound'],
      ['id:903', registered[0].number, 'bound'],
    ]);
  });

  it.each(['series', 'shopCustomerId'])('a worker stalled after BC created the customer, before the binding: the next worker finds it (%s)', async (mode) => {
    s = await setUp(kind, mappingFor(mode));
    const { world, store, clock } = s;
    const proxy = await startStallingProxy(world.bc.url, (method, url) => method === 'POST' && /\/customers(\?|$)/.test(url));
    try {
      const a = await s.worker('worker-A', { baseUrl: proxy.url });
      const b = await s.worker('worker-B');
      const first = placeOrder(world, buyer(904, 'stalled.buyer@example.test'));
      await runStage(b, 'pull', 'scheduler');

      const stalled = evaluate(a, 'scheduler');
      await proxy.committed;
      // BC has the card; the database has only worker A's claim, marked as sent.
      const cards = await s.customersWithEmail('stalled.buyer@example.test');
      expect(cards).toHaveLength(1);
      const [claim] = await store.customerBindings.list({ shop: 'woo' });
      expect(claim).toMatchObject({ customer_key: 'id:904', state: 'creating', claim_owner: 'worker-A', bc_customer_no: '' });
      expect(claim.create_sent_at).not.toBeNull();

      // While A's claim lasts, B waits for it instead of creating a card.
      await evaluate(b, 'scheduler');
      expect(await orderOf(store, first)).toMatchObject({ state: 'waiting', reason_code: 'CUSTOMER_BEING_CREATED' });

      // The claim's lease runs out (pipeline.leaseSeconds = 30 in the tests): B takes it over and finds the card.
      clock.advance(31_000);
      await evaluate(b, 'scheduler');
      expect(await orderOf(store, first)).toMatchObject({ state: 'ready' });
      expect(await s.customersWithEmail('stalled.buyer@example.test')).toHaveLength(1);
      expect(await store.customerBindings.get({ shop: 'woo', bcScope: 'sandbox/CRONUS Webshop', customerKey: 'id:904' })).toMatchObject({ bc_customer_no: cards[0].number, state: 'bound', origin: 'created' });

      // A comes back to life (its connection breaks): it finds the same card and creates nothing.
      proxy.release();
      await stalled;
      expect(await s.customersWithEmail('stalled.buyer@example.test')).toHaveLength(1);

      // The customer's next order is booked on the same card; both reach BC on it.
      const second = placeOrder(world, buyer(904, 'stalled.buyer@example.test'));
      await cycleUntil(b, () => settled(store, [first, second]));
      const rows = await Promise.all([first, second].map((o) => orderOf(store, o)));
      expect(rows.map((r) => r.state)).toEqual(['verified', 'verified']);
      expect(rows.map((r) => bcOrderOf(world, r)!.customerNumber)).toEqual([cards[0].number, cards[0].number]);
      expect(await s.customersWithEmail('stalled.buyer@example.test')).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('a create lost without an answer is looked up, not repeated, by the same worker (series)', async () => {
    s = await setUp(kind, mappingFor('series'));
    const { world, store, clock } = s;
    const a = await s.worker('worker-A', { maxRetries: 1 });
    // BC creates the card but the answer is lost, and the look-up that would resolve it at once fails too
    // (both tries): the attempt ends without knowing whether BC has the customer.
    world.bc.faults.add({ kind: 'drop-after-commit', method: 'POST', pathIncludes: '/customers' });
    world.bc.faults.add({ kind: 'reset', method: 'GET', pathIncludes: 'tolower(email)', times: 2 });
    const order = placeOrder(world, buyer(905, 'lost.answer@example.test'));
    await runStage(a, 'pull', 'scheduler');
    await evaluate(a, 'scheduler');
    expect(await orderOf(store, order)).toMatchObject({ state: 'waiting' });
    expect((await store.customerBindings.list())[0]).toMatchObject({ state: 'creating', claim_owner: 'worker-A' });

    clock.advance(61_000);
    await evaluate(a, 'scheduler');
    const cards = await s.customersWithEmail('lost.answer@example.test');
    expect(cards).toHaveLength(1);
    expect(await orderOf(store, order)).toMatchObject({ state: 'ready' });
    expect((await store.customerBindings.list())[0]).toMatchObject({ state: 'bound', bc_customer_no: cards[0].number });
  });

  it('holds an order whose interrupted create cannot be recognised (series, no e-mail); a retry creates the card', async () => {
    s = await setUp(kind, mappingFor('series'));
    const { world, store, clock } = s;
    const proxy = await startStallingProxy(world.bc.url, (method, url) => method === 'POST' && /\/customers(\?|$)/.test(url));
    try {
      const a = await s.worker('worker-A', { baseUrl: proxy.url });
      const b = await s.worker('worker-B');
      const order = placeOrder(world, { ...buyer(906, ''), billing: { email: '', country: 'DE', phone: '', state: '', company: '', first_name: 'Nomail', last_name: 'Buyer' } });
      await runStage(b, 'pull', 'scheduler');
      const stalled = evaluate(a, 'scheduler');
      await proxy.committed;
      clock.advance(31_000);
      await evaluate(b, 'scheduler');
      const row = await orderOf(store, order);
      expect(row).toMatchObject({ state: 'held', reason_code: 'CUSTOMER_CREATE_UNCERTAIN' });
      expect(row.hint).toContain('Nomail Buyer');
      // The claim is given up, so a person's retry (after checking BC) goes ahead.
      expect(await store.customerBindings.list()).toEqual([]);
      proxy.release();
      await stalled;
    } finally {
      await proxy.close();
    }
  });
});

describe.each(DATABASES)('one BC customer per shop customer over SOAP on %s', (kind) => {
  let s: Setup | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it('two workers, one Customer Card; a stalled create is found on the Customer page by e-mail and name', async () => {
    s = await setUp(kind, mappingFor('series'), true);
    const { world, store, clock } = s;
    const [a, b] = [await s.worker('worker-A'), await s.worker('worker-B')];
    const orders = [placeOrder(world, buyer(907, 'soap.twin@example.test')), placeOrder(world, buyer(907, 'soap.twin@example.test'))];
    await runStage(a, 'pull', 'scheduler');
    for (let round = 0; round < 5 && (await states(store, orders)).some((st) => st !== 'ready'); round++) {
      if (round > 0) clock.advance(16_000);
      await Promise.all([evaluate(a, 'scheduler'), evaluate(b, 'scheduler')]);
    }
    expect(await states(store, orders)).toEqual(['ready', 'ready']);
    expect(await s.customersWithEmail('soap.twin@example.test')).toHaveLength(1);

    // A Create on the Customer Card whose answer never comes: the next worker finds the card.
    const proxy = await startStallingProxy(world.bc.url, (_method, _url, action) => /page\/customer:Create/i.test(action));
    try {
      const c = await s.worker('worker-C', { baseUrl: proxy.url });
      const order = placeOrder(world, buyer(908, 'soap.stalled@example.test'));
      await runStage(b, 'pull', 'scheduler');
      const stalled = evaluate(c, 'scheduler');
      await proxy.committed;
      clock.advance(31_000);
      await evaluate(b, 'scheduler');
      expect(await orderOf(store, order)).toMatchObject({ state: 'ready' });
      const cards = await s.customersWithEmail('soap.stalled@example.test');
      expect(cards).toHaveLength(1);
      proxy.release();
      await stalled;
      expect(await s.customersWithEmail('soap.stalled@example.test')).toHaveLength(1);
      expect(await store.customerBindings.get({ shop: 'woo', bcScope: 'sandbox/CRONUS Webshop', customerKey: 'id:908' })).toMatchObject({ bc_customer_no: cards[0].number });
    } finally {
      await proxy.close();
    }
  });
});
