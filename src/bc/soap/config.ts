import type { Dispatcher } from 'undici';
import type { Clock } from '../../domain/clock.js';
import type { RequestLogSink } from '../../http/request-log.js';
import type { BcAuth } from '../auth.js';
import type { BcLimiter } from '../api/limiter.js';

/**
 * One BC environment reached through a SOAP page web service (docs/bc-soap-page.md). The zod schema in
 * config/bc-environment.ts produces this; nothing here reads process.env.
 */
export interface BcSoapConfig {
  /** Environment name as it appears in the online URL (production, sandbox); on-premises a label. */
  name: string;
  transport: 'soap';
  /** Company name: part of every SOAP URL (reference/bc-api.md §4). */
  company: string;
  /** `oauth` (Entra client credentials) or `basic` (user name + web service access key). Default oauth. */
  auth?: 'oauth' | 'basic';
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  scope?: string;
  username?: string;
  password?: string;
  /** Online BC host; SOAP lives at `{baseUrl}/v2.0/{tenant}/{name}/WS`. Default https://api.businesscentral.dynamics.com. */
  baseUrl?: string;
  /** The WS root, on-premises `https://host:7047/{instance}/WS`; wins over baseUrl. */
  soapUrl?: string;
  /** The staging page's web service name. Default AutoShoppingCartImport. */
  service?: string;
  /** The posted shipment lines page write-back reads ('' = none: no write-back). Default AutoShoppingCartShipments. */
  shipmentService?: string;
  /** Customer page service for the customer check ('' = no check). Default Customer. */
  customerService?: string;
  /** Item page service for the item check ('' = no check). Default Item. */
  itemService?: string;
  /** Standard pages published for the order rules' master data ('' = not published); see soapPageServices. */
  soapPages?: Partial<Record<SoapPageName, string>>;
  timeoutMs?: number;
  maxInFlight?: number;
  requestsPerWindow?: number;
  windowMs?: number;
  maxRetries?: number;
}

export interface BcSoapDeps {
  clock: Clock;
  requestLog: RequestLogSink;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Overrides the auth the config asks for (tests, a proxy that adds credentials). */
  auth?: BcAuth;
  limiter?: BcLimiter;
  dispatcher?: Dispatcher;
}

export const DEFAULT_SERVICE = 'AutoShoppingCartImport';
export const DEFAULT_SHIPMENT_SERVICE = 'AutoShoppingCartShipments';
const DEFAULT_BASE_URL = 'https://api.businesscentral.dynamics.com';

/** The WS root every SOAP URL hangs off (reference/bc-api.md §4). */
export function wsRoot(config: Pick<BcSoapConfig, 'soapUrl' | 'baseUrl' | 'tenant' | 'name'>): string {
  if (config.soapUrl) return config.soapUrl.replace(/\/+$/, '');
  const base = (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  return `${base}/v2.0/${encodeURIComponent(config.tenant ?? '')}/${encodeURIComponent(config.name)}/WS`;
}

/** `{ws}/{Company%20Encoded}/Page/{Service}`: the company name is percent-encoded (`CRONUS%20USA%2C%20Inc.`). */
export function pageUrl(config: Pick<BcSoapConfig, 'soapUrl' | 'baseUrl' | 'tenant' | 'name' | 'company'>, service: string): string {
  return `${wsRoot(config)}/${encodeURIComponent(config.company)}/Page/${encodeURIComponent(service)}`;
}

/** Page services live in `urn:microsoft-dynamics-schemas/page/{service lower-cased}` (WSDL targetNamespace). */
export function pageNamespace(service: string): string {
  return `urn:microsoft-dynamics-schemas/page/${service.toLowerCase()}`;
}

/** The standard pages bcbridge reads (and, for customers, writes) over SOAP for the order rules. */
export type SoapPageName = 'customer' | 'item' | 'itemVariant' | 'shipmentMethod' | 'location' | 'dimensionValue' | 'customerTemplate';

/**
 * Default service names: the standard pages as an administrator typically publishes them on the Web Services
 * page (docs/bc-soap-page.md "Master data"): Customer Card 21, Item Card 30, Item Variants 5401, Shipment
 * Methods 11, Location List 15, Dimension Values 537, Customer Templ. Card 1382.
 */
export const DEFAULT_SOAP_PAGES: Record<SoapPageName, string> = {
  customer: 'Customer',
  item: 'Item',
  itemVariant: 'ItemVariants',
  shipmentMethod: 'ShipmentMethods',
  location: 'Locations',
  dimensionValue: 'DimensionValues',
  customerTemplate: 'CustomerTemplates',
};

/** The service name of each standard page for this environment ('' = not published there). */
export function soapPageServices(config: Pick<BcSoapConfig, 'soapPages' | 'customerService' | 'itemService'>): Record<SoapPageName, string> {
  const pages = config.soapPages ?? {};
  return {
    ...DEFAULT_SOAP_PAGES,
    // The older single settings still count when soapPages does not name the page.
    ...(config.customerService !== undefined && { customer: config.customerService }),
    ...(config.itemService !== undefined && { item: config.itemService }),
    ...Object.fromEntries(Object.entries(pages).filter(([, v]) => v !== undefined)),
  };
}
