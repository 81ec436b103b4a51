import { getToken, send, type Res } from '../../sim/bc/test-helpers.js';
import type { WooOrder } from '../../sim/shops/woocommerce/types.js';
import { runCycle } from '../../src/pipeline/run-stage.js';
import type { Runtime } from '../../src/pipeline/runtime.js';
import type { Store } from '../../src/store/store.js';
import type { OrderRow } from '../../src/store/schema.js';
import { testDb, type DatabaseKind, type TestDb } from './databases.js';
import { rawConfig, startWorld, type World } from './world.js';

/** Paid, processing EUR orders with catalog SKUs only. */
export const PAID = { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'], currency: 'EUR', refundShare: 0 };

/**
 * A world (BC + WooCommerce simulators), a store on the given database and a runtime whose first shop has
 * these order rules and mapping on top of the test defaults (test/helpers/world.ts).
 */
export interface RulesWorld {
  world: World;
  store: Store;
  rt: Runtime;
  /** Another runtime on the same store: a second process (e.g. the CLI next to `bcbridge run`). */
  otherProcess(): Promise<Runtime>;
  /** Restarts the runtime with another mapping (a config change) on the same store. */
  reconfigure(mapping: Record<string, unknown>, rules?: Record<string, unknown>): Promise<void>;
  bc: BcApi;
  close(): Promise<void>;
}

export async function startRulesWorld(kind: DatabaseKind, mapping: Record<string, unknown> = {}, rules: Record<string, unknown> = {}): Promise<RulesWorld> {
  const world = await startWorld();
  const tdb: TestDb = testDb(kind);
  let store: Store;
  try {
    store = await tdb.open();
  } catch (err) {
    // A half-made schema must not stay behind (other test runs' migrations would trip over it).
    await tdb.cleanup();
    await world.close();
    throw err;
  }
  const overrides = (m: Record<string, unknown>, r: Record<string, unknown>) => {
    const shop = rawConfig(world.bc, world.woo).shops[0];
    return { shops: [{ ...shop, mapping: { ...shop.mapping, ...m }, rules: { ...shop.rules, ...r } }] };
  };
  const extra: Runtime[] = [];
  const rw: RulesWorld = {
    world,
    store,
    rt: await world.runtime(store, { overrides: overrides(mapping, rules) }),
    async otherProcess() {
      const r = await world.runtime(store, { overrides: overrides(mapping, rules) });
      extra.push(r);
      return r;
    },
    async reconfigure(m, r = rules) {
      await rw.rt.close();
      mapping = m;
      rules = r;
      rw.rt = await world.runtime(store, { overrides: overrides(m, r) });
    },
    bc: await bcApi(world),
    async close() {
      for (const r of extra) await r.close();
      await rw.rt.close();
      await store.close();
      await tdb.cleanup();
      await world.close();
    },
  };
  return rw;
}

/** BC's API v2.0 in the sandbox company, as an operator's other tools would use it (real HTTP). */
export interface BcApi {
  get(path: string): Promise<Res>;
  post(path: string, body: unknown): Promise<Res>;
  patch(path: string, body: unknown): Promise<Res>;
  /** The first entity of a filtered collection. */
  one(set: string, filter: string, extra?: string): Promise<Record<string, any> | undefined>;
}

async function bcApi(world: World): Promise<BcApi> {
  const token = (await getToken(world.bc)).body.access_token as string;
  const company = `${world.bc.apiBase('sandbox')}/companies(${world.bc.companyId('sandbox')})`;
  const url = (p: string) => `${company}/${p}`;
  const api: BcApi = {
    get: (p) => send(url(p), 'GET', token),
    post: (p, body) => send(url(p), 'POST', token, body),
    patch: (p, body) => send(url(p), 'PATCH', token, body, { 'If-Match': '*' }),
    async one(set, filter, extra = '') {
      const r = await api.get(`${set}?$filter=${encodeURIComponent(filter)}${extra}`);
      return r.body?.value?.[0];
    },
  };
  return api;
}

/** One paid order in the shop, then changed as the test needs (customer, lines …). */
export function placeOrder(world: World, patch: Parameters<World['woo']['updateOrder']>[1] = {}): WooOrder {
  const [o] = world.woo.generate(1, PAID);
  return world.woo.updateOrder(o.id, patch);
}

/** Runs scheduler cycles until `done` holds (or fails after `max`). */
export async function cycleUntil(rt: Runtime, done: () => Promise<boolean>, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    await runCycle(rt, 'scheduler');
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('pipeline did not settle');
}

export async function orderOf(store: Store, o: WooOrder): Promise<OrderRow> {
  const row = await store.orders.find(o.number, 'woo');
  if (!row) throw new Error(`order ${o.number} not stored`);
  return row;
}

export async function settled(store: Store, orders: WooOrder[], states = ['verified', 'held', 'failed', 'ignored']): Promise<boolean> {
  for (const o of orders) {
    const row = await store.orders.find(o.number, 'woo');
    if (!row || !states.includes(row.state)) return false;
  }
  return true;
}

/** The BC sales order created for a shop order (sandbox). */
export function bcOrderOf(world: World, row: OrderRow) {
  return world.bc.salesOrders('sandbox').find((s) => s.externalDocumentNumber === row.order_key);
}
