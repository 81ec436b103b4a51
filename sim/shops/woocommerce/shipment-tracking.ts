/**
 * The WooCommerce Shipment Tracking extension's REST routes (webshop-api.md "Writing back"):
 * `wc-shipment-tracking/v3/orders/{id}/shipment-trackings` (list, create), `…/{tracking_id}` (get, delete)
 * and `…/providers`. Create takes `tracking_number` plus `tracking_provider` (a known name) or
 * `custom_tracking_provider` + `custom_tracking_link`, optionally `date_shipped` (YYYY-MM-DD); answers 201.
 */
import { randomBytes } from 'node:crypto';
import type { OrderStore } from './store.js';
import { wpError, type WpError } from './wp-json.js';

export interface WooTracking {
  tracking_id: string;
  tracking_provider: string;
  tracking_link: string;
  tracking_number: string;
  date_shipped: string;
}

/** A few of the extension's predefined providers, with their link patterns (%1$s = tracking no.). */
const PROVIDERS: Record<string, Record<string, string>> = {
  Germany: { DHL: 'https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode=%1$s', DPD: 'https://tracking.dpd.de/parcelstatus?query=%1$s' },
  'United States': { UPS: 'https://www.ups.com/track?tracknum=%1$s', USPS: 'https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s', FedEx: 'https://www.fedex.com/apps/fedextrack/?tracknumbers=%1$s' },
};

const TRACKINGS = new WeakMap<OrderStore, Map<number, WooTracking[]>>();

export function trackingsOf(store: OrderStore, orderId: number): WooTracking[] {
  return [...(TRACKINGS.get(store)?.get(orderId) ?? [])];
}

function list(store: OrderStore, orderId: number): WooTracking[] {
  let byOrder = TRACKINGS.get(store);
  if (!byOrder) TRACKINGS.set(store, (byOrder = new Map()));
  let l = byOrder.get(orderId);
  if (!l) byOrder.set(orderId, (l = []));
  return l;
}

function providerLink(name: string): string | undefined {
  for (const group of Object.values(PROVIDERS)) {
    for (const [p, link] of Object.entries(group)) if (p.toLowerCase() === name.toLowerCase()) return link;
  }
  return undefined;
}

export type TrackingAnswer = { status: number; body: unknown } | WpError;

/** `rest` = the path after `/wp-json/wc-shipment-tracking/v3/`. Authentication has been checked by the caller. */
export function handleShipmentTracking(store: OrderStore, method: string, rest: string, body: Record<string, unknown>): TrackingAnswer {
  const m = /^orders\/(\d+)\/shipment-trackings(?:\/([^/]+))?$/.exec(rest);
  if (!m) return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  const orderId = Number(m[1]);
  if (!store.get(orderId)) return wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
  const sub = m[2];
  if (sub === 'providers') {
    if (method !== 'GET') return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
    return { status: 200, body: PROVIDERS };
  }
  const items = list(store, orderId);
  if (sub) {
    const i = items.findIndex((t) => t.tracking_id === sub);
    if (i < 0) return wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid tracking ID.');
    if (method === 'GET') return { status: 200, body: items[i] };
    if (method === 'DELETE') {
      items.splice(i, 1);
      return { status: 200, body: { message: 'Deleted' } };
    }
    return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  }
  if (method === 'GET') return { status: 200, body: items };
  if (method !== 'POST') return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  const number = typeof body.tracking_number === 'string' ? body.tracking_number.trim() : '';
  if (!number) return wpError(400, 'rest_missing_callback_param', 'Missing parameter(s): tracking_number', { params: ['tracking_number'] });
  const provider = typeof body.tracking_provider === 'string' ? body.tracking_provider : '';
  const custom = typeof body.custom_tracking_provider === 'string' ? body.custom_tracking_provider : '';
  const customLink = typeof body.custom_tracking_link === 'string' ? body.custom_tracking_link : '';
  const date = typeof body.date_shipped === 'string' && body.date_shipped ? body.date_shipped : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): date_shipped', { params: { date_shipped: 'date_shipped must be YYYY-MM-DD.' } });
  let link = '';
  let name = custom;
  if (provider) {
    const pattern = providerLink(provider);
    if (!pattern) return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): tracking_provider', { params: { tracking_provider: `${provider} is not a known provider.` } });
    link = pattern.replace('%1$s', encodeURIComponent(number));
    name = provider;
  } else {
    link = customLink.replace('%1$s', encodeURIComponent(number));
  }
  const t: WooTracking = { tracking_id: randomBytes(16).toString('hex'), tracking_provider: name, tracking_link: link, tracking_number: number, date_shipped: date };
  items.push(t);
  return { status: 201, body: t };
}
