import type { Dispatcher } from 'undici';
import type { Clock } from '../../domain/clock.js';
import type { RequestLogSink } from '../../http/request-log.js';
import type { BcAuth } from '../auth.js';
import type { BcLimiter } from './limiter.js';

/**
 * One BC environment reached through API v2.0. The lead's zod schema (config/) produces this; nothing
 * here reads process.env.
 */
export interface BcApiConfig {
  /** Environment name as it appears in the URL, e.g. production or sandbox. */
  name: string;
  transport: 'api';
  tenant: string;
  /** Company name (or display name) or its GUID. */
  company: string;
  clientId: string;
  clientSecret: string;
  /** Default `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl?: string;
  /** Default `https://api.businesscentral.dynamics.com/.default`. */
  scope?: string;
  /** Default `https://api.businesscentral.dynamics.com`; the API lives at `{baseUrl}/v2.0/{tenant}/{name}/api/v2.0`. */
  baseUrl?: string;
  /** Full API root, e.g. on-prem `https://host:7048/instance/api/v2.0`; wins over baseUrl. */
  apiUrl?: string;
  /** Per request: no response headers / no body progress for this long → timeout. Default 60 000. */
  timeoutMs?: number;
  /** Requests in flight per BC user (app registration). BC online processes 5 at once. Default 5. */
  maxInFlight?: number;
  /** Client-side pacing per BC user, below BC's 6,000 per 5 minutes. Default 6000. */
  requestsPerWindow?: number;
  /** Default 300 000. */
  windowMs?: number;
  /**
   * Most sales orders created in one `$batch` when a backlog is exported (1 = one request per order). Each
   * still counts against BC's request limit; the batch saves round trips and bcbridge's own work. Default 20.
   */
  maxCreatesPerBatch?: number;
  /** Retries of one request after transient failures. Default 5. */
  maxRetries?: number;
  /**
   * Also look for posted sales invoices when an order key is not among the sales orders: an order that was
   * shipped and invoiced in BC is deleted, and only the invoice still carries the key. Default true.
   */
  lookupPostedInvoices?: boolean;
}

export interface BcApiDeps {
  clock: Clock;
  requestLog: RequestLogSink;
  /** Waits between retries and for pacing; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, 0 ≤ x < 1; tests pass a constant. */
  random?: () => number;
  /** Overrides the client-credentials flow (on-prem: static bearer or none). */
  auth?: BcAuth;
  /** Overrides the process-wide limiter shared by all users of the same credentials. */
  limiter?: BcLimiter;
  /** Overrides the undici Agent this target creates (and then does not close). */
  dispatcher?: Dispatcher;
}

export const DEFAULT_BASE_URL = 'https://api.businesscentral.dynamics.com';
export const DEFAULT_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_IN_FLIGHT = 5;
export const DEFAULT_REQUESTS_PER_WINDOW = 6000;
export const DEFAULT_WINDOW_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_MAX_CREATES_PER_BATCH = 20;

export function defaultTokenUrl(tenant: string): string {
  return `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
}

/** The API root every entity URL hangs off (reference/bc-api.md §1.1). */
export function apiRoot(config: Pick<BcApiConfig, 'apiUrl' | 'baseUrl' | 'tenant' | 'name'>): string {
  if (config.apiUrl) return config.apiUrl.replace(/\/+$/, '');
  const base = (config.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  return `${base}/v2.0/${encodeURIComponent(config.tenant)}/${encodeURIComponent(config.name)}/api/v2.0`;
}

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
