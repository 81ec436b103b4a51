import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultRule } from './faults.js';
import { readRaw, send } from './http-io.js';

/**
 * `/_sim/…`: control and inspection for a simulator running in another process. Not part of BC;
 * never faulted, limited or counted.
 */
export interface AdminTarget {
  stats(): object;
  salesOrders(env?: string): object[];
  info(): object;
  addFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  activeFaults(): FaultRule[];
  setLatency(ms: number): void;
  reset(): void;
  revokeTokens(): void;
  /** Posts a shipment (partial with `lines`) of the sales order with this external document no. */
  ship?(req: SimShipRequest): object;
  /** Ships what is left, invoices the order fully and deletes it, like Microsoft.NAV.shipAndInvoice. */
  invoice?(req: { env?: string; externalDocumentNumber: string }): object;
}

/** Body of `POST /_sim/ship`. */
export interface SimShipRequest {
  env?: string;
  externalDocumentNumber: string;
  lines?: { sequence?: number; lineObjectNumber?: string; quantity: number }[];
  trackingNo?: string;
  shippingAgentCode?: string;
}

const json = { 'Content-Type': 'application/json; charset=utf-8' };

export async function handleAdmin(t: AdminTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  const route = `${(req.method ?? 'GET').toUpperCase()} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    const raw = await readRaw(req);
    const body = raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : undefined;
    switch (route) {
      case 'GET /_sim/stats':
        return send(res, 200, json, t.stats());
      case 'GET /_sim/info':
        return send(res, 200, json, t.info());
      case 'GET /_sim/sales-orders': {
        const orders = t.salesOrders(url.searchParams.get('env') ?? undefined);
        // `fields=a,b`: only those fields (100,000 orders with their lines exceed the longest string V8 makes).
        const fields = url.searchParams.get('fields')?.split(',').filter(Boolean);
        if (!fields) return send(res, 200, json, orders);
        return send(res, 200, json, orders.map((o) => Object.fromEntries(fields.map((f) => [f, (o as Record<string, unknown>)[f]]))));
      }
      case 'GET /_sim/faults':
        return send(res, 200, json, t.activeFaults());
      case 'POST /_sim/faults': {
        const rules = (Array.isArray(body) ? body : [body]) as FaultRule[];
        t.addFaults(rules);
        return send(res, 200, json, { active: t.activeFaults().length });
      }
      case 'DELETE /_sim/faults':
        t.clearFaults();
        return send(res, 204, {});
      case 'POST /_sim/latency':
        t.setLatency(Number((body as { ms?: unknown } | undefined)?.ms ?? 0));
        return send(res, 204, {});
      case 'POST /_sim/reset':
        t.reset();
        return send(res, 204, {});
      case 'POST /_sim/ship':
        if (!t.ship) break;
        return send(res, 201, json, t.ship(body as SimShipRequest));
      case 'POST /_sim/invoice':
        if (!t.invoice) break;
        return send(res, 201, json, t.invoice(body as { env?: string; externalDocumentNumber: string }));
      case 'POST /_sim/revoke-tokens':
        t.revokeTokens();
        return send(res, 204, {});
      default:
        break;
    }
    return send(res, 404, json, { error: `unknown admin route ${route}` });
  } catch (e) {
    return send(res, 400, json, { error: (e as Error).message });
  }
}
