import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdmin, type SimShipRequest } from './admin.js';
import { posted, shipAndInvoice, shipOrder } from './api/posting.js';
import { type FaultController, type FaultRule, Faults } from './faults.js';
import { createHandler } from './gateway.js';
import { Limits } from './limits.js';
import { type SimStats, Stats } from './stats.js';
import { World } from './store.js';
import { type ClientRegistration, TokenService } from './token.js';
import type { SimSalesOrder, SimSalesOrderLine, Wire } from './types.js';
import { isSoapPath, type SoapSimControl, type SoapSimOptions, startSoapSim } from './soap/index.js';
import { type DeliveryRecord, type SubscriptionOptions, Subscriptions } from './subscriptions.js';

export type { FaultController, FaultKind, FaultRule } from './faults.js';
export type { SimSalesOrder, SimSalesOrderLine } from './types.js';
export type { SimStats } from './stats.js';
export type { SoapSimControl, SoapSimOptions, SoapFaultRule, BasicUser } from './soap/index.js';
export type { DeliveryRecord, SubscriptionOptions } from './subscriptions.js';

export interface BcSimOptions {
  /** 0 (default) = random free port. */
  port?: number;
  tenant?: string;
  /** Each environment has its own company GUIDs and data (bc-api.md §5). */
  environments?: string[];
  /** Each environment has one company of this name, plus 'CRONUS Other'. */
  companyName?: string;
  /** Accepted app registrations. */
  clients?: ClientRegistration[];
  /** Added to every API request while it holds its concurrency slot. */
  latencyMs?: number;
  /** bc-api.md §2 defaults 5 / 6000 / 300000 / 95; false = unlimited. */
  limits?: { concurrent?: number; perWindow?: number; windowMs?: number; maxQueue?: number } | false;
  /** Divides windowMs (and the 8-minute queue timeout) so benchmarks finish quickly. */
  timeScale?: number;
  /** Access token lifetime (default 3599 s, as Entra ID issues them). */
  tokenLifetimeSeconds?: number;
  /** SOAP page web services (AutoShoppingCartImport, Customer, Item) and the staging processor's delay. */
  soap?: SoapSimOptions;
  /** Webhook subscriptions: notification delay (BC ~30 s), lifetime (3 days), retry timing. */
  subscriptions?: SubscriptionOptions;
}

export interface BcSim {
  url: string;
  tokenUrl: string;
  apiBase(env?: string): string;
  companyId(env?: string): string;
  tenant: string;
  faults: FaultController;
  stats(): SimStats;
  salesOrders(env?: string): SimSalesOrder[];
  /** Invalidates all issued tokens (clients must re-authenticate). */
  revokeTokens(): void;
  /** Restores the seeded data, clears faults, stats and rate windows (ids stay the same). */
  reset(): void;
  close(): Promise<void>;
  /** The SOAP side: staging records, operation-aware faults, the processor. */
  soap: SoapSimControl;
  /** Posts a shipment of the order with this external document no. (warehouse work in BC); returns the shipment with its lines. */
  ship(req: SimShipRequest): Wire;
  /** Ships the rest and invoices the order fully; BC then deletes the sales order. Returns the posted invoice. */
  invoice(req: { env?: string; externalDocumentNumber: string }): Wire;
  /** Posted shipments with their lines (and tracking, when shipped with one). */
  salesShipments(env?: string): Wire[];
  salesInvoices(env?: string): Wire[];
  /** Webhook subscriptions (`api/v2.0/subscriptions`): what BC has registered and what it delivered. */
  subscriptions: {
    list(env?: string): Wire[];
    deliveries(): DeliveryRecord[];
    handshakes(): number;
    /** Makes a subscription expire at this ISO time (the next sweep drops it once it has passed). */
    setExpiration(id: string, at: string): void;
    /** Detects changes and sends what is due now (the simulator also does this on its own timer). */
    sweep(): Promise<void>;
  };
}

export const DEFAULT_TENANT = 'bcbridge-sim-tenant';
export const DEFAULT_CLIENT: ClientRegistration = { clientId: 'bcbridge-demo', clientSecret: 'demo-secret' };
const OTHER_COMPANY = 'CRONUS Other';

export async function startBcSim(opts: BcSimOptions = {}): Promise<BcSim> {
  const tenant = opts.tenant ?? DEFAULT_TENANT;
  const environments = opts.environments ?? ['production', 'sandbox'];
  const companyName = opts.companyName ?? 'CRONUS Webshop';
  const timeScale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
  const world = new World(environments, companyName === OTHER_COMPANY ? [companyName] : [companyName, OTHER_COMPANY]);
  const tokens = new TokenService(tenant, opts.clients ?? [DEFAULT_CLIENT], opts.tokenLifetimeSeconds ?? 3599);
  const faults = new Faults(opts.latencyMs ?? 0);
  const l = opts.limits === false ? null : (opts.limits ?? {});
  const limits = new Limits(
    l === null
      ? null
      : {
          concurrent: l.concurrent ?? 5,
          perWindow: l.perWindow ?? 6000,
          windowMs: (l.windowMs ?? 300_000) / timeScale,
          maxQueue: l.maxQueue ?? 95,
          queueTimeoutMs: 480_000 / timeScale, // queued up to 8 min, then 503 (bc-api.md §2)
        },
  );
  const stats = new Stats();
  const hung = new Set<ServerResponse>();
  let url = '';

  const company = (env?: string) => {
    const e = world.env(env ?? environments[0]!);
    if (!e) throw new Error(`unknown environment '${env}'`);
    return world.companyByName(e, companyName)!;
  };
  const salesOrders = (env?: string): SimSalesOrder[] => {
    const c = company(env);
    const dims = (id: unknown) => (c.data.dimensionSetLines.get(String(id)) ?? []).map((r) => ({ ...r.data }));
    return c.data.salesOrders.map(
      (o) =>
        ({
          ...o.data,
          salesOrderLines: o.lines.map((x) => ({ ...x.data, dimensionSetLines: dims(x.data.id) }) as SimSalesOrderLine),
          dimensionSetLines: dims(o.data.id),
        }) as SimSalesOrder,
    );
  };
  const orderByKey = (env: string | undefined, key: string) => {
    const c = company(env);
    if (typeof key !== 'string' || !key) throw new Error('externalDocumentNumber is required');
    const o = c.data.salesOrders.find((x) => x.data.externalDocumentNumber === key);
    if (!o) throw new Error(`no sales order with externalDocumentNumber ${key} in ${env ?? environments[0]}`);
    return { c, o };
  };
  const asErr = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      // BC dialog errors become plain errors for the admin caller (the admin route answers 400 with the message).
      throw new Error((e as Error).message);
    }
  };
  const ship = (req: SimShipRequest): Wire => asErr(() => {
    const { c, o } = orderByKey(req.env, req.externalDocumentNumber);
    const s = shipOrder(c, o, req, null);
    return { ...s.data, salesShipmentLines: s.lines.map((l) => ({ ...l.data })), packageTrackingNo: req.trackingNo ?? '' };
  });
  const invoice = (req: { env?: string; externalDocumentNumber: string }): Wire => asErr(() => {
    const { c, o } = orderByKey(req.env, req.externalDocumentNumber);
    return { ...shipAndInvoice(c, o, null).data };
  });
  const salesShipments = (env?: string): Wire[] => posted(company(env)).shipments.map((s) => ({
    ...s.data,
    salesShipmentLines: s.lines.map((l) => ({ ...l.data })),
    packageTrackingNo: posted(company(env)).tracking.find((t) => t.data.shipmentNo === s.data.number)?.data.packageTrackingNo ?? '',
  }));
  const salesInvoices = (env?: string): Wire[] => posted(company(env)).invoices.map((i) => ({ ...i.data }));
  const reset = () => {
    subscriptions.reset();
    world.reset();
    faults.clear();
    stats.reset();
    limits.reset();
  };

  const subscriptions = new Subscriptions(world, opts.subscriptions);
  subscriptions.start();
  const apiHandler = createHandler({ tenant, world, tokens, faults, limits, stats, baseUrl: () => url, hung, subscriptions });
  const soap = startSoapSim({ tenant, world, tokens, faults, stats, baseUrl: () => url, hung }, opts.soap ?? {}, company, environments[0]!);
  const admin = {
    stats: () => stats.snapshot(),
    salesOrders,
    info: () => ({
      url,
      tokenUrl: `${url}/${tenant}/oauth2/v2.0/token`,
      tenant,
      scope: 'https://api.businesscentral.dynamics.com/.default',
      environments: Object.fromEntries(
        environments.map((e) => [e, { apiBase: `${url}/v2.0/${tenant}/${e}/api/v2.0`, companyId: company(e).row.data.id }]),
      ),
    }),
    addFaults: (rules: FaultRule[]) => rules.forEach((r) => faults.add(r)),
    clearFaults: () => faults.clear(),
    activeFaults: () => faults.active(),
    setLatency: (ms: number) => faults.setLatency(ms),
    reset,
    revokeTokens: () => tokens.revokeAll(),
    ship,
    invoice,
  };

  const server = createServer((req, res) => {
    const p = req.url ?? '';
    const work = p.startsWith('/_sim/') ? handleAdmin(admin, req, res) : isSoapPath(p.split('?')[0]!) ? soap.handle(req, res) : apiHandler(req, res);
    work.catch((err: unknown) => {
      console.error('[bc-sim] request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    tokenUrl: `${url}/${tenant}/oauth2/v2.0/token`,
    apiBase: (env) => `${url}/v2.0/${tenant}/${env ?? environments[0]}/api/v2.0`,
    companyId: (env) => company(env).row.data.id as string,
    tenant,
    faults,
    stats: () => stats.snapshot(),
    salesOrders,
    revokeTokens: () => tokens.revokeAll(),
    reset: () => {
      reset();
      soap.reset();
    },
    soap: soap.control,
    ship,
    invoice,
    salesShipments,
    salesInvoices,
    subscriptions: {
      list: (env) => subscriptions.list(env),
      deliveries: () => [...subscriptions.deliveries],
      handshakes: () => subscriptions.handshakes,
      setExpiration: (id, at) => subscriptions.setExpiration(id, at),
      sweep: () => subscriptions.sweep(),
    },
    close: async () => {
      subscriptions.stop();
      soap.close();
      limits.dispose();
      for (const r of hung) r.destroy();
      hung.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
