import type { OrderPage, OrderQuery } from '../server/panel/queries.js';
import type { OrderActionResult } from '../server/panel/actions.js';
import { money, plural, qs, stateBadge, time } from './format.js';
import { html, type Html } from './html.js';
import { message } from './layout.js';

export interface OrdersPageData {
  query: OrderQuery;
  page: OrderPage;
  states: readonly string[];
  shops: string[];
  reasons: string[];
}

function queryParams(q: OrderQuery, page = q.page) {
  return { state: q.state, shop: q.shop, reason: q.reason, from: q.from, to: q.to, q: q.q, page: page === 1 ? undefined : page, pageSize: q.pageSize === 50 ? undefined : q.pageSize };
}

export function ordersPage(d: OrdersPageData): Html {
  const q = d.query;
  const option = (value: string, current: string | undefined, label = value) => html`<option value="${value}" ${value === current ? 'selected' : ''}>${label}</option>`;
  return html`
<form class="filters card" method="get" action="/orders" id="filters">
  <label>State<select name="state"><option value="">any</option>${d.states.map((s) => option(s, q.state))}</select></label>
  <label>Shop<select name="shop"><option value="">any</option>${d.shops.map((s) => option(s, q.shop))}</select></label>
  <label>Hold/fail reason<select name="reason"><option value="">any</option>${d.reasons.map((r) => option(r, q.reason))}</select></label>
  <label>Order date from<input type="date" name="from" value="${q.from ?? ''}"></label>
  <label>to<input type="date" name="to" value="${q.to ?? ''}"></label>
  <label>Search<input type="search" name="q" value="${q.q ?? ''}" placeholder="order no., e-mail or BC no." size="28"></label>
  <button type="submit" class="primary">Filter</button>
  <a href="/orders" class="small">clear</a>
</form>
<form id="bulk" class="card" data-no-submit>
  <div class="row">
    <label class="row"><input type="checkbox" data-select-all="orders-table"> select all on this page</label>
    <button type="button" class="primary" hx-post="/actions/orders/retry" hx-target="#bulk-result" id="bulk-retry">Retry selected</button>
    <button type="button" hx-post="/actions/orders/skip" hx-target="#bulk-result" id="bulk-skip">Skip selected</button>
    <input type="text" name="reason" placeholder="why (optional, goes on the timeline)" size="34">
  </div>
  <div id="bulk-result"></div>
  <div id="orders-table" hx-get="/fragments/orders${qs(queryParams(q))}" hx-trigger="bcb:orders from:body" hx-sync="this:queue last">
    ${ordersTable(d.page, q)}
  </div>
</form>`;
}

export function ordersTable(p: OrderPage, q: OrderQuery): Html {
  const first = p.total === 0 ? 0 : (p.page - 1) * p.pageSize + 1;
  const last = Math.min(p.total, p.page * p.pageSize);
  return html`<div class="table-wrap"><table id="orders">
  <thead><tr><th></th><th>order</th><th>shop</th><th>state</th><th>placed</th><th class="num">total</th><th>e-mail</th><th>BC no.</th><th>reason</th></tr></thead>
  <tbody>
  ${p.orders.length === 0 ? html`<tr><td colspan="9" class="muted">No orders match.</td></tr>` : ''}
  ${p.orders.map(
    (o) => html`<tr data-order-id="${o.id}" data-state="${o.state}">
      <td><input type="checkbox" name="ids" value="${o.id}" aria-label="select order ${o.order_number ?? o.id}"></td>
      <td><a href="/orders/${o.id}">${o.order_number ?? o.shop_order_id}</a></td>
      <td>${o.shop}</td>
      <td>${stateBadge(o.state)}</td>
      <td>${time(o.placed_at ?? o.created_at)}</td>
      <td class="num">${money(o.total, o.currency)}</td>
      <td>${o.customer_email ?? ''}</td>
      <td>${o.bc_number ?? ''}</td>
      <td>${o.reason_code ? html`<code>${o.reason_code}</code> ` : ''}<span class="small">${o.reason ?? ''}</span></td>
    </tr>`,
  )}
  </tbody></table></div>
  <div class="pager" data-total="${p.total}">
    ${p.page > 1 ? html`<a href="/orders${qs(queryParams(q, p.page - 1))}">← newer</a>` : html`<span class="muted">← newer</span>`}
    <span>${first}–${last} of ${plural(p.total, 'order')} · page ${p.page} of ${p.pages}</span>
    ${p.page < p.pages ? html`<a href="/orders${qs(queryParams(q, p.page + 1))}">older →</a>` : html`<span class="muted">older →</span>`}
  </div>`;
}

export function actionResults(title: string, results: OrderActionResult[]): Html {
  const ok = results.filter((r) => r.ok).length;
  return html`<div class="message ${ok === results.length ? 'ok' : 'error'}" role="status" data-action-result>
    <strong>${title}: ${ok} of ${plural(results.length, 'order')} done.</strong>
    <ul>${results.map((r) => html`<li data-result-id="${r.id}" data-ok="${String(r.ok)}">${r.text}${r.state ? html` — now ${stateBadge(r.state)}${r.reason ? html` <span class="small">${r.reason}</span>` : ''}` : ''}</li>`)}</ul>
  </div>`;
}

export function errorMessage(text: string): Html {
  return message('error', text);
}
