/**
 * WooCommerce 11 shop simulator over real HTTP on 127.0.0.1 (DESIGN.md §6). It follows
 * reference/webshop-api.md §1 and, where they differ, reference/woocommerce-live-facts.md.
 * Nothing here is shared with src/: the simulator is a stranger to the client it tests.
 */
import { Faults, type FaultRule } from '../common/faults.js';
import { startLocalServer } from '../common/local-server.js';
import { RequestStats } from '../common/request-stats.js';
import { shopRequestHandler } from '../common/shop-handler.js';
import { handleAdmin } from './admin.js';
import { handleApi } from './api.js';
import { Authenticator } from './auth.js';
import { parseOffset } from './dates.js';
import { HTML_429, HTML_503, PHP_FATAL_BODY } from './faults.js';
import { parsePhpQuery } from './params.js';
import { createRng } from '../common/rng.js';
import { OrderStore, type WooOrderInput } from './store.js';
import type { GenerateOptions, WooNote, WooOrder } from './types.js';
import { phpJson } from './wp-json.js';
import { trackingsOf, type WooTracking } from './shipment-tracking.js';
import { pickFields } from './list-query.js';
import { WooWebhooks, type WebhookDeliveryRecord } from './webhooks.js';

export type { GenerateOptions, WooOrder, WooNote, WooOrderInput, FaultRule };
export type {
  WooLineItem, WooTaxLine, WooShippingLine, WooFeeLine, WooCouponLine, WooRefundSummary, WooMeta, WooItemMeta,
  WooAddress, WooBilling, WooShipping, WooTax, WooLink,
} from './types.js';

export interface WooSimOptions {
  /** 0 = a free port. */
  port?: number;
  /** Default 'ck_demo'. */
  consumerKey?: string;
  /** Default 'cs_demo'. */
  consumerSecret?: string;
  /** Permissions of the key. Default 'read_write'. */
  keyPermissions?: 'read' | 'write' | 'read_write';
  /**
   * Behave as if behind a TLS-terminating proxy (X-Forwarded-Proto https): Basic auth and query-string
   * keys work, Link/_links URLs and the OAuth base string use https. Default false: plain http, where
   * only OAuth 1.0a authenticates (woocommerce-live-facts.md).
   */
  assumeHttps?: boolean;
  /** Delay before every API answer, ms. */
  latencyMs?: number;
  /** PRNG seed for the generator and for probabilistic faults. Default 1. */
  seed?: number;
  /** Site time zone as a fixed offset. Default '+01:00'. */
  siteTimezone?: string;
  /** Wall clock in ms, for tests that control time. Default Date.now. */
  now?: () => number;
  /**
   * Orders the shop already has at start, dated over the recent past up to now. (Orders from
   * generate() are dated from now on; a big burst runs the sim clock ahead of the wall clock, about
   * 0.65 s per order, because modification stamps never go backwards.)
   */
  initialOrders?: number;
  /** Options for the initial orders. */
  initialOptions?: GenerateOptions;
}

export interface WooSim {
  /** http://127.0.0.1:PORT; the API is at `${url}/wp-json/wc/v3`. */
  url: string;
  /** The URL the shop believes it has (https://… when assumeHttps); OAuth signs against this. */
  siteUrl: string;
  consumerKey: string;
  consumerSecret: string;
  generate(n: number, opts?: GenerateOptions): WooOrder[];
  addOrder(order: WooOrderInput): WooOrder;
  updateOrder(id: number, patch: WooOrderInput): WooOrder;
  orders(): WooOrder[];
  order(id: number): WooOrder | undefined;
  notes(id: number): WooNote[];
  /** Shipment Tracking extension entries of an order (write-back). */
  trackings(id: number): WooTracking[];
  /** Webhook deliveries made so far (pings included), and a wait until none is queued or in flight. */
  webhookDeliveries(): WebhookDeliveryRecord[];
  webhooksIdle(): Promise<void>;
  /** Sim clock now, epoch seconds (never behind the last date_modified_gmt). */
  nowSec(): number;
  faults: { add(rule: FaultRule): void; clear(): void };
  stats(): { requests: number; byStatus: Record<string, number> };
  close(): Promise<void>;
}

export async function startWooSim(opts: WooSimOptions = {}): Promise<WooSim> {
  const consumerKey = opts.consumerKey ?? 'ck_demo';
  const consumerSecret = opts.consumerSecret ?? 'cs_demo';
  const https = opts.assumeHttps ?? false;
  const seed = opts.seed ?? 1;
  const now = opts.now ?? Date.now;
  const tzOffsetMinutes = parseOffset(opts.siteTimezone ?? '+01:00');

  const stats = new RequestStats();
  const faults = new Faults(createRng(seed ^ 0x5eed));

  // Bound before the store exists: the port is part of the site URL baked into every order.
  const http = await startLocalServer(opts.port);
  const url = http.url;
  const siteUrl = `${https ? 'https' : 'http'}://127.0.0.1:${http.port}`;
  const site = { homeUrl: siteUrl, tzOffsetMinutes };

  const store = new OrderStore({ seed, site, now });
  if (opts.initialOrders) store.backfill(opts.initialOrders, opts.initialOptions);
  const auth = new Authenticator({
    key: { consumerKey, consumerSecret, permissions: opts.keyPermissions ?? 'read_write' },
    https,
    homeUrl: siteUrl,
    nowSec: () => Math.floor(now() / 1000),
  });
  const statsView = () => stats.view();
  const webhooks = new WooWebhooks({
    site,
    now,
    orderDocument: (id) => {
      const order = store.get(id);
      return order && pickFields(order, undefined);
    },
  });
  store.changeListeners.push((change, id) => webhooks.orderEvent(change === 'created' ? 'order.created' : 'order.updated', id));

  http.serve(shopRequestHandler({
    name: 'woocommerce-sim',
    latencyMs: opts.latencyMs,
    stats,
    hold: http.hold,
    admin: (r) => handleAdmin({ store, faults, stats: statsView }, r.method, r.path, r.body, r.res),
    // A rule with a method hits only that method (a POST of a note, not the GET before it), as on the other shops.
    fault: (r) => faults.match(r.target, r.method),
    answerFault: ({ res }, fault) => {
      if (fault.kind === '500') {
        const text = phpJson(PHP_FATAL_BODY);
        res.writeHead(500, { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
        return res.end(text);
      }
      const retry: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      const html = fault.kind === '429' ? HTML_429 : HTML_503;
      res.writeHead(Number(fault.kind), { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html), ...retry });
      res.end(html);
    },
    api: (r) => handleApi({ store, auth, https, webhooks }, { req: r.req, res: r.res, method: r.method, rawPath: r.path, query: parsePhpQuery(r.query), rawBody: r.body }),
    internalError: (res) => {
      res.writeHead(500, { 'Content-Type': 'application/json; charset=UTF-8' });
      res.end(phpJson(PHP_FATAL_BODY));
    },
  }));

  return {
    url,
    siteUrl,
    consumerKey,
    consumerSecret,
    generate: (n, o) => store.generate(n, o),
    addOrder: (o) => store.add(o),
    updateOrder: (id, patch) => store.update(id, patch),
    orders: () => store.all(),
    order: (id) => store.get(id),
    notes: (id) => store.notes(id),
    trackings: (id) => trackingsOf(store, id),
    webhookDeliveries: () => [...webhooks.deliveries],
    webhooksIdle: () => webhooks.idle(),
    nowSec: () => store.nowSec(),
    faults: { add: (r) => faults.add(r), clear: () => faults.clear() },
    stats: statsView,
    close: async () => {
      webhooks.close();
      await http.close();
    },
  };
}
