/**
 * The `/wp-json` routes: WordPress index, the wc/v3 namespace index, system_status, orders (list, get,
 * update, batch update), order notes and order refunds. Check order follows WP_REST_Server:
 * authentication error → route match → parameter validation → permission → handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { keyAllows, type Authenticator, type AuthOutcome } from './auth.js';
import { apiBase } from './document.js';
import { applyListQuery, isListQueryError, ListMemo, parseListQuery, pickFields } from './list-query.js';
import { CURRENCY_SYMBOL } from './money.js';
import { buildPhpQuery, parsePhpQuery, type PhpParams } from './params.js';
import type { OrderStore } from './store.js';
import type { WooOrder } from './types.js';
import { WC_VERSION, WP_VERSION } from './world.js';
import { handleShipmentTracking } from './shipment-tracking.js';
import { invalidParams, sendJson, sendWpError, wpError, type WpError } from './wp-json.js';
import type { WooWebhooks } from './webhooks.js';

const memos = new WeakMap<OrderStore, ListMemo>();
function listMemos(store: OrderStore): ListMemo {
  let memo = memos.get(store);
  if (!memo) memos.set(store, (memo = new ListMemo()));
  return memo;
}

const ORDER_STATUS_ENUM = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'];

export interface ApiContext {
  store: OrderStore;
  auth: Authenticator;
  https: boolean;
  webhooks: WooWebhooks;
}

export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  rawPath: string;
  query: PhpParams;
  rawBody: string;
}

const NO_ROUTE = wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');

function commonHeaders(ctx: ApiContext): Record<string, string | string[]> {
  return {
    'X-Robots-Tag': 'noindex',
    'X-Content-Type-Options': 'nosniff',
    'Access-Control-Expose-Headers': 'X-WP-Total, X-WP-TotalPages, Link',
    'Access-Control-Allow-Headers': 'Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type',
    Link: `<${ctx.store.site.homeUrl}/wp-json/>; rel="https://api.w.org/"`,
  };
}

function parseBody(r: ApiRequest): Record<string, unknown> | WpError {
  if (!r.rawBody) return {};
  const type = String(r.req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(parsePhpQuery(r.rawBody));
  try {
    const v = JSON.parse(r.rawBody);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.', { json_error_code: 4, json_error_message: 'Syntax error' });
  }
}

export function handleApi(ctx: ApiContext, r: ApiRequest): void {
  const headers = commonHeaders(ctx);
  const send = (status: number, body: unknown, extra: Record<string, string | string[]> = {}) => {
    const link = extra.Link ? [headers.Link as string, ...(Array.isArray(extra.Link) ? extra.Link : [extra.Link])] : headers.Link;
    sendJson(r.res, status, body, { ...headers, ...extra, Link: link });
  };
  const fail = (e: WpError) => sendWpError(r.res, e, headers);

  const path = r.rawPath.replace(/\/+$/, '');
  const site = ctx.store.site;

  if (path === '/wp-json' && r.method === 'GET') {
    return send(200, {
      name: 'bcbridge demo shop', description: 'WooCommerce simulator', url: site.homeUrl, home: site.homeUrl,
      gmt_offset: site.tzOffsetMinutes / 60, timezone_string: '', namespaces: ['oembed/1.0', 'wc/v3', 'wc/store/v1', 'wp/v2'],
      authentication: [], routes: {},
    });
  }
  // wc-shipment-tracking/v3: the Shipment Tracking extension, authenticated like wc/ (it extends the WC REST API).
  if (!path.startsWith('/wp-json/wc/') && !path.startsWith('/wp-json/wc-shipment-tracking/')) return fail(NO_ROUTE);

  // WooCommerce authenticates every request to wp-json/wc/ before routing.
  const form = r.method === 'POST' && String(r.req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
    ? parsePhpQuery(r.rawBody) : null;
  const auth: AuthOutcome = ctx.auth.authenticate(r.req, r.rawPath, r.query, form);
  if (auth.kind === 'error') return fail(auth.error);
  if (auth.kind === 'user') {
    const denied = keyAllows(auth.key, r.method);
    if (denied) return fail(denied);
  }
  const authed = auth.kind === 'user';
  const cannot = (code: string, message: string) => fail(wpError(401, code, message));

  const tracking = /^\/wp-json\/wc-shipment-tracking\/v3\/(.*)$/.exec(path);
  if (tracking) {
    if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
    const body = parseBody(r);
    if (isWpError(body)) return fail(body);
    const answer = handleShipmentTracking(ctx.store, r.method, tracking[1]!, body);
    return 'code' in answer ? fail(answer) : send(answer.status, answer.body);
  }
  const m = /^\/wp-json\/wc\/v3(?:\/(.*))?$/.exec(path);
  if (!m) return fail(NO_ROUTE);
  const rest = m[1] ?? '';
  const seg = rest.split('/');

  if (rest === '' && r.method === 'GET') {
    return send(200, {
      namespace: 'wc/v3',
      routes: Object.fromEntries(['/wc/v3', '/wc/v3/orders', '/wc/v3/orders/(?P<id>[\\d]+)', '/wc/v3/orders/(?P<order_id>[\\d]+)/notes', '/wc/v3/orders/(?P<order_id>[\\d]+)/refunds', '/wc/v3/orders/batch', '/wc/v3/system_status', '/wc/v3/webhooks', '/wc/v3/webhooks/(?P<id>[\\d]+)']
        .map((route) => [route, { namespace: 'wc/v3', methods: route.endsWith('status') ? ['GET'] : ['GET', 'POST'], _links: { self: [{ href: `${site.homeUrl}/wp-json${route}` }] } }])),
    });
  }

  if (rest === 'system_status' && r.method === 'GET') {
    if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    return send(200, {
      environment: {
        home_url: site.homeUrl, site_url: site.homeUrl, version: WC_VERSION, wp_version: WP_VERSION, wp_multisite: false,
        php_version: '8.2.29', server_info: 'nginx/1.26.3', default_timezone: 'UTC', secure_connection: ctx.https, hide_errors: true,
      },
      database: { wc_database_version: WC_VERSION },
      active_plugins: [{ plugin: 'woocommerce/woocommerce.php', name: 'WooCommerce', version: WC_VERSION }],
      settings: {
        api_enabled: true, force_ssl: false, currency: 'EUR', currency_symbol: CURRENCY_SYMBOL.EUR, currency_position: 'right_space',
        thousand_separator: '.', decimal_separator: ',', number_of_decimals: 2, geolocation_enabled: false,
        woocommerce_com_connected: 'no', enforce_approved_download_dirs: true, order_datastore: 'Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\OrdersTableDataStore',
        HPOS_enabled: true, HPOS_sync_enabled: false,
      },
      security: { secure_connection: ctx.https, hide_errors: true },
    });
  }

  if (seg[0] === 'webhooks') {
    if (!authed) return cannot(r.method === 'GET' ? 'woocommerce_rest_cannot_view' : 'woocommerce_rest_cannot_create', r.method === 'GET' ? 'Sorry, you cannot list resources.' : 'Sorry, you are not allowed to create resources.');
    const body = ['POST', 'PUT', 'PATCH'].includes(r.method) ? parseBody(r) : {};
    if (isWpError(body)) return fail(body);
    const query = Object.fromEntries(['per_page', 'page', 'status', 'force'].map((k) => [k, r.query.get(k)]).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const answer = ctx.webhooks.handle(r.method, rest, query, body);
    return 'ok' in answer ? send(answer.status, answer.body) : fail(answer);
  }

  if (seg[0] !== 'orders') return fail(NO_ROUTE);

  // /orders
  if (seg.length === 1) {
    if (r.method !== 'GET') return fail(NO_ROUTE);
    const q = parseListQuery(r.query, site.tzOffsetMinutes);
    if (isListQueryError(q)) return fail(q);
    if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    const { total, pages, items } = applyListQuery(ctx.store, q, listMemos(ctx.store));
    const links: string[] = [];
    const base = `${apiBase(site)}/orders`;
    if (q.page > 1) {
      const prev = Math.min(q.page - 1, Math.max(pages, 1));
      links.push(`<${base}?${buildPhpQuery(r.query, { page: String(prev) })}>; rel="prev"`);
    }
    if (pages > q.page) links.push(`<${base}?${buildPhpQuery(r.query, { page: String(q.page + 1) })}>; rel="next"`);
    const extra: Record<string, string | string[]> = { 'X-WP-Total': String(total), 'X-WP-TotalPages': String(pages), Allow: 'GET, POST' };
    if (links.length) extra.Link = links;
    return send(200, items.map((o) => pickFields(o, q.fields)), extra);
  }

  // /orders/batch
  if (seg.length === 2 && seg[1] === 'batch') {
    if (!['POST', 'PUT', 'PATCH'].includes(r.method)) return fail(NO_ROUTE);
    const body = parseBody(r);
    if (isWpError(body)) return fail(body);
    const b = body as { create?: unknown[]; update?: { id?: number }[]; delete?: unknown[] };
    const count = (b.create?.length ?? 0) + (b.update?.length ?? 0) + (b.delete?.length ?? 0);
    if (count > 100) return fail(wpError(413, 'woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.'));
    if (!authed) return cannot('woocommerce_rest_cannot_batch', 'Sorry, you are not allowed to batch manipulate this resource.');
    const update = (b.update ?? []).map((u) => {
      const id = Number(u.id);
      if (!ctx.store.get(id)) return { id, error: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.', data: { status: 400 } } };
      return ctx.store.apiUpdate(id, u as Record<string, unknown>);
    });
    const unsupported = { code: 'woocommerce_rest_batch_unsupported', message: 'The simulator only batch-updates orders.', data: { status: 400 } };
    return send(200, {
      ...(b.create ? { create: b.create.map(() => ({ id: 0, error: unsupported })) } : {}),
      ...(b.update ? { update } : {}),
      ...(b.delete ? { delete: b.delete.map(() => ({ id: 0, error: unsupported })) } : {}),
    });
  }

  if (!/^\d+$/.test(seg[1])) return fail(NO_ROUTE);
  const id = Number(seg[1]);
  const order = ctx.store.get(id);

  // /orders/{id}
  if (seg.length === 2) {
    if (r.method === 'GET') {
      if (order && !authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
      if (!order) return fail(wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.'));
      return send(200, pickFields(order, parseListFields(r.query)), { Allow: 'GET, POST, PUT, PATCH, DELETE' });
    }
    if (['PUT', 'POST', 'PATCH'].includes(r.method)) {
      const body = parseBody(r);
      if (isWpError(body)) return fail(body);
      if (body.status !== undefined && (typeof body.status !== 'string' || !ORDER_STATUS_ENUM.includes(body.status))) {
        return fail(invalidParams({ status: { code: 'rest_not_in_enum', message: `status is not one of ${ORDER_STATUS_ENUM.slice(0, -1).join(', ')}, and ${ORDER_STATUS_ENUM[ORDER_STATUS_ENUM.length - 1]}.` } }));
      }
      if (order && !authed) return cannot('woocommerce_rest_cannot_edit', 'Sorry, you are not allowed to edit this resource.');
      if (!order) return fail(wpError(400, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.'));
      return send(200, ctx.store.apiUpdate(id, body), { Allow: 'GET, POST, PUT, PATCH, DELETE' });
    }
    return fail(NO_ROUTE);
  }

  // /orders/{id}/notes[/{note_id}]
  if (seg[2] === 'notes' && seg.length <= 4) {
    if (seg.length === 4) {
      if (r.method !== 'GET' || !/^\d+$/.test(seg[3])) return fail(NO_ROUTE);
      if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot view this resource.');
      if (!order) return fail(wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.'));
      const note = ctx.store.notes(id).find((n) => n.id === Number(seg[3]));
      if (!note) return fail(wpError(404, 'woocommerce_rest_invalid_id', 'Invalid resource ID.'));
      return send(200, note);
    }
    if (r.method === 'GET') {
      const type = (r.query.get('type') as string | undefined) ?? 'any';
      if (!['any', 'customer', 'internal'].includes(type)) {
        return fail(invalidParams({ type: { code: 'rest_not_in_enum', message: 'type is not one of any, customer, and internal.' } }));
      }
      if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
      if (!order) return fail(wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.'));
      const notes = ctx.store.notes(id).filter((n) => type === 'any' || (type === 'customer') === n.customer_note);
      return send(200, notes);
    }
    if (r.method === 'POST') {
      const body = parseBody(r);
      if (isWpError(body)) return fail(body);
      if (body.note === undefined) {
        return fail(wpError(400, 'rest_missing_callback_param', 'Missing parameter(s): note', { params: ['note'] }));
      }
      if (!authed) return cannot('woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
      if (!order) return fail(wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.'));
      if (String(body.note).trim() === '') return fail(wpError(500, 'woocommerce_api_cannot_create_order_note', 'Cannot create order note, please try again.'));
      const note = ctx.store.addNote(id, String(body.note), toBool(body.customer_note), toBool(body.added_by_user));
      return send(201, note, { Location: note._links.self[0].href });
    }
    return fail(NO_ROUTE);
  }

  // /orders/{id}/refunds
  if (seg[2] === 'refunds' && seg.length === 3 && r.method === 'GET') {
    if (!authed) return cannot('woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
    if (!order) return fail(wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.'));
    return send(200, refundsOf(order, apiBase(site)), { 'X-WP-Total': String(order.refunds.length), 'X-WP-TotalPages': order.refunds.length ? '1' : '0' });
  }

  return fail(NO_ROUTE);
}

function parseListFields(q: PhpParams): string[] | undefined {
  const f = q.get('_fields');
  if (f === undefined) return undefined;
  return (Array.isArray(f) ? f : f.split(',')).map((x) => x.trim()).filter(Boolean);
}

function isWpError(x: unknown): x is WpError {
  return typeof x === 'object' && x !== null && 'code' in x && 'status' in x && typeof (x as WpError).status === 'number' && (x as WpError).code === 'rest_invalid_json';
}

function toBool(v: unknown): boolean {
  return v === true || v === 'true' || v === 1 || v === '1';
}

/** Full refund documents rebuilt from the order's refund summaries (shape of woocommerce-11.0.1-order-14-refunds.json). */
function refundsOf(order: WooOrder, api: string) {
  return order.refunds.map((r) => ({
    id: r.id,
    date_created: order.date_modified,
    date_created_gmt: order.date_modified_gmt,
    amount: r.total.replace(/^-/, ''),
    reason: r.reason,
    refunded_by: 1,
    refunded_payment: order.payment_method === 'stripe' || order.payment_method === 'ppcp-gateway',
    meta_data: [],
    line_items: [],
    shipping_lines: [],
    tax_lines: [],
    fee_lines: [],
    _links: {
      self: [{ href: `${api}/orders/${order.id}/refunds/${r.id}`, targetHints: { allow: ['GET', 'DELETE'] } }],
      collection: [{ href: `${api}/orders/${order.id}/refunds` }],
      up: [{ href: `${api}/orders/${order.id}` }],
    },
  }));
}

