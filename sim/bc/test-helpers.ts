import { fetch } from 'undici';
import { type BcSim, type BcSimOptions, DEFAULT_CLIENT, startBcSim } from './server.js';

/** Shared helpers for the simulator's own tests (real HTTP on 127.0.0.1 via undici). */

export const SCOPE = 'https://api.businesscentral.dynamics.com/.default';

export interface Harness {
  sim: BcSim;
  token: string;
  /** `${apiBase}/companies(<id>)` of the default environment. */
  company: string;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res>;
}

export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions on JSON
  text: string;
}

export async function getToken(sim: BcSim, clientId = DEFAULT_CLIENT.clientId, clientSecret = DEFAULT_CLIENT.clientSecret, scope = SCOPE) {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope }).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export async function send(url: string, method: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Res> {
  const h: Record<string, string> = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] ??= 'application/json';
  const res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers as unknown as Headers, body: parsed, text };
}

export async function harness(opts: BcSimOptions = {}): Promise<Harness> {
  const sim = await startBcSim(opts);
  const t = await getToken(sim);
  const token = t.body.access_token as string;
  const company = `${sim.apiBase()}/companies(${sim.companyId()})`;
  return {
    sim,
    token,
    company,
    call: (method, path, body, headers) =>
      send(path.startsWith('http') ? path : `${company}/${path}`, method, token, body, headers),
  };
}

/** A correct two-line order: 3 × MUG-01 at 20.92437 less 2.50, plus freight 4.95 on G/L 6810. */
export function sampleOrder(ext = 'woo-1001', extra: Record<string, unknown> = {}) {
  return {
    customerNumber: 'C10000',
    externalDocumentNumber: ext,
    orderDate: '2026-03-01',
    salesOrderLines: [
      { lineType: 'Item', lineObjectNumber: 'MUG-01', quantity: 3, unitPrice: 20.92437, discountAmount: 2.5 },
      { lineType: 'Account', lineObjectNumber: '6810', quantity: 1, unitPrice: 4.95, description: 'Shipping' },
    ],
    ...extra,
  };
}
