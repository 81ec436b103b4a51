import type { CanonicalOrder } from '../domain/order.js';
import { RETRYABLE_BY_PERSON, SKIPPABLE_BY_PERSON, type OrderState } from '../domain/states.js';
import type { OrderDetail } from '../server/panel/queries.js';
import { duration, json, money, stateBadge, time } from './format.js';
import { html, type Html } from './html.js';

export interface OrderPageData {
  detail: OrderDetail;
  version: string;
  /** The shop's current mapping (to show what a fix would change). */
  mapping: { skuMap: Record<string, string>; customerMap: Record<string, string>; guestCustomerNo?: string; defaultCustomerNo?: string };
  /** Where a mapping fix is saved, or why it cannot be. */
  mappingTarget: { path: string } | { problem: string };
}

const SKU_REASONS = ['UNKNOWN_SKU', 'ITEM_BLOCKED'];
const CUSTOMER_REASONS = ['NO_CUSTOMER_MATCH', 'CUSTOMER_NOT_IN_BC', 'CUSTOMER_BLOCKED', 'NO_GUEST_CUSTOMER'];

export function orderPage(d: OrderPageData): Html {
  return html`
<div id="action-result"></div>
<div id="order" data-refresh hx-get="/fragments/order/${d.detail.order.id}" hx-trigger="bcb:orders from:body, bcb:log from:body" hx-sync="this:queue last">
  ${orderFragment(d)}
</div>`;
}

export function orderFragment(d: OrderPageData): Html {
  const o = d.detail.order;
  const state = o.state as OrderState;
  const canonical = d.detail.canonical as CanonicalOrder | null;
  return html`<div data-version="${d.version}" data-order-id="${o.id}">
<div class="grid">
  <section class="card">
    <h2>Order ${o.order_number ?? o.shop_order_id} <span id="order-state">${stateBadge(o.state)}</span></h2>
    ${o.reason ? html`<div class="callout ${o.state === 'failed' ? 'bad' : ''}" id="order-reason">${o.reason_code ? html`<code>${o.reason_code}</code> ` : ''}${o.reason}${o.hint ? html`<div><strong>Fix:</strong> ${o.hint}</div>` : ''}</div>` : ''}
    <dl class="facts">
      <dt>shop</dt><dd>${o.shop} (${o.platform}), shop order id ${o.shop_order_id}</dd>
      <dt>order key</dt><dd><code>${o.order_key ?? '–'}</code> (BC externalDocumentNumber)</dd>
      <dt>BC sales order</dt><dd id="bc-number">${o.bc_number ? html`<strong>${o.bc_number}</strong> in ${o.bc_environment_name ?? o.bc_env}` : html`<span class="muted">none yet</span>`}</dd>
      <dt>total</dt><dd>${money(o.total, o.currency)}</dd>
      <dt>customer</dt><dd>${o.customer_email ?? '–'}${canonical ? html` · ${canonical.customer.guest ? 'guest' : `shop customer ${canonical.customer.shopCustomerId ?? '?'}`}` : ''}</dd>
      <dt>placed</dt><dd>${time(o.placed_at)}</dd>
      <dt>received</dt><dd>${time(o.created_at)}</dd>
      <dt>exported</dt><dd>${time(o.exported_at)}</dd>
      <dt>verified</dt><dd>${time(o.verified_at)}${o.placed_at && o.verified_at ? html` <span class="muted">(${duration(Date.parse(o.verified_at) - Date.parse(o.placed_at))} after it was placed)</span>` : ''}</dd>
      <dt>export attempts</dt><dd>${o.attempts}${o.next_attempt_at ? html` · next try ${time(o.next_attempt_at)}` : ''}</dd>
    </dl>
    <div class="row actions">
      ${RETRYABLE_BY_PERSON.includes(state) ? html`<button class="primary" hx-post="/actions/orders/retry" hx-vals="${JSON.stringify({ ids: String(o.id) })}" hx-target="#action-result" id="retry">Retry</button>` : ''}
      ${SKIPPABLE_BY_PERSON.includes(state) ? html`<button hx-post="/actions/orders/skip" hx-vals="${JSON.stringify({ ids: String(o.id) })}" hx-target="#action-result" id="skip">Skip (never export)</button>` : ''}
    </div>
  </section>
  ${o.state === 'held' || o.state === 'failed' ? fixSection(d, canonical) : ''}
  ${o.state === 'conflict' || d.detail.diff.length > 0 ? conflictSection(d) : ''}
</div>

<section class="card">
  <h2>Timeline</h2>
  <table id="timeline">
    <thead><tr><th>when</th><th>from</th><th>to</th><th>by</th><th>why</th></tr></thead>
    <tbody>${d.detail.events.map(
      (e) => html`<tr data-to="${e.to}"><td>${time(e.at)}</td><td>${e.from ?? ''}</td><td>${stateBadge(e.to)}</td><td>${e.actor}</td>
        <td>${e.reason ?? ''}${e.details ? html`<div class="small muted mono">${JSON.stringify(e.details)}</div>` : ''}</td></tr>`,
    )}</tbody>
  </table>
</section>

<section class="card">
  <details id="sec-document" open>
    <summary>BC document${o.bc_number ? ` (sales order ${o.bc_number})` : ''}</summary>
    ${d.detail.document
      ? json(d.detail.document)
      : o.reason_code
        ? html`<pre class="json">${o.reason_code}: ${o.reason ?? ''}\nfix: ${o.hint ?? ''}</pre><div class="small muted">No BC document: the order does not map (this is what <code>bcbridge map</code> prints for it).</div>`
        : html`<div class="muted">Not evaluated yet.</div>`}
  </details>
  <details id="sec-canonical"><summary>Canonical order</summary>${canonical ? json(canonical) : html`<div class="muted">The raw order could not be read.</div>`}</details>
  ${d.detail.bcSnapshot ? html`<details id="sec-snapshot"><summary>BC's view after export</summary>${json(d.detail.bcSnapshot)}</details>` : ''}
  <details id="sec-raw"><summary>Raw shop payload</summary>${json(d.detail.raw)}</details>
  <details id="sec-requests" open>
    <summary>Request log (${d.detail.requests.length})</summary>
    ${requestTable(d.detail.requests)}
  </details>
</section>
</div>`;
}

/**
 * The shop changed the order after it went to BC (docs/write-back.md "Conflicts"): what changed, and, while
 * the order is in conflict, the three decisions (each a POST with the page's CSRF token, like retry/skip).
 */
function conflictSection(d: OrderPageData): Html {
  const o = d.detail.order;
  const open = o.state === 'conflict';
  const button = (decision: string, label: string, help: string, primary = false) =>
    html`<button class="${primary ? 'primary' : ''}" hx-post="/actions/orders/${o.id}/resolve" hx-vals="${JSON.stringify({ decision })}" hx-target="#action-result" id="resolve-${decision}" title="${help}">${label}</button>`;
  return html`<section class="card" id="conflict">
    <h2>${open ? 'Changed in the shop after export: decide' : 'Changed in the shop since the BC document was made'}</h2>
    ${d.detail.diff.length > 0
      ? html`<ul id="conflict-diff">${d.detail.diff.map((line) => html`<li>${line}</li>`)}</ul>`
      : html`<div class="muted" id="conflict-diff">The shop's version matches BC again.</div>`}
    ${open
      ? html`<div class="row actions">
          ${button('resync', 'Re-sync BC', 'change the BC sales order to match the shop (only if BC has shipped none of it); totals are verified again', true)}
          ${button('accept', 'Accept (keep BC as it is)', "the shop's version becomes the baseline; BC is not changed")}
          ${button('cancel', 'Cancel in BC', 'delete the BC sales order (only if BC has shipped none of it); the order becomes ignored')}
        </div>
        <div class="small muted">Nothing is changed in BC until you decide. Same as <code>bcbridge orders resolve ${o.order_number ?? o.id} --resync | --accept | --cancel</code>.</div>`
      : ''}
  </section>`;
}

export function requestTable(rows: OrderDetail['requests'], empty = 'No requests recorded for this order.'): Html {
  if (rows.length === 0) return html`<div class="muted">${empty}</div>`;
  return html`<div class="table-wrap"><table class="requests">
  <thead><tr><th>when</th><th>system</th><th>target</th><th>request</th><th class="num">status</th><th class="num">took</th><th>correlation id</th><th>error</th></tr></thead>
  <tbody>${rows.map(
    (r) => html`<tr class="${r.error || (r.status ?? 0) >= 400 ? 'error' : ''}"><td>${time(r.at)}</td><td>${r.system}</td><td>${r.target}</td>
      <td class="mono small url">${r.method} ${r.url}</td><td class="num">${r.status ?? '–'}</td><td class="num">${duration(r.duration_ms)}</td>
      <td class="mono small">${r.correlation_id ?? ''}</td><td class="small">${r.error ?? ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function fixSection(d: OrderPageData, canonical: CanonicalOrder | null): Html {
  const o = d.detail.order;
  const code = o.reason_code ?? '';
  const target = d.mappingTarget;
  const saveNote =
    'path' in target
      ? html`<div class="small muted">Saved to <code>${target.path}</code> (shops[].mapping), used at once by this process and by every bcbridge started from that file.</div>`
      : html`<div class="message error">${target.problem}. Change the mapping in your config file, then press Retry.</div>`;
  const disabled = !('path' in target);
  const skus = [...new Set((canonical?.lines ?? []).map((l) => l.sku?.trim()).filter((s): s is string => Boolean(s)))];
  const reasonSku = skus.find((s) => (o.reason ?? '').includes(`SKU ${s} `) || (o.reason ?? '').includes(`SKU ${s}.`)) ?? skus[0] ?? '';
  const customerId = canonical?.customer.shopCustomerId;
  const guest = canonical?.customer.guest ?? false;

  const skuForm = html`<form class="fix" hx-post="/actions/orders/${o.id}/mapping" hx-target="#action-result" id="fix-sku">
      <input type="hidden" name="field" value="skuMap">
      <div class="row">
        <label>Shop SKU<input name="key" list="skus-${o.id}" value="${reasonSku}" required size="18"></label>
        <datalist id="skus-${o.id}">${skus.map((s) => html`<option value="${s}">`)}</datalist>
        <label>→ BC item no.<input name="value" required maxlength="20" size="14" placeholder="${d.mapping.skuMap[reasonSku] ?? 'e.g. 1996-S'}"></label>
        <button type="submit" class="primary" ${disabled ? 'disabled' : ''}>Save mapping and retry</button>
      </div>
      ${skus.length > 0 ? html`<div class="small muted">Lines: ${skus.map((s) => `${s}${d.mapping.skuMap[s] ? ` → ${d.mapping.skuMap[s]}` : ''}`).join(', ')}</div>` : ''}
    </form>`;
  const customerForm = guest
    ? html`<form class="fix" hx-post="/actions/orders/${o.id}/mapping" hx-target="#action-result" id="fix-guest">
        <input type="hidden" name="field" value="guestCustomerNo">
        <div class="row"><label>BC customer no. for guest orders<input name="value" required maxlength="20" size="14" value="${d.mapping.guestCustomerNo ?? ''}"></label>
        <button type="submit" class="primary" ${disabled ? 'disabled' : ''}>Save and retry</button></div>
      </form>`
    : html`<form class="fix" hx-post="/actions/orders/${o.id}/mapping" hx-target="#action-result" id="fix-customer">
        <input type="hidden" name="field" value="customerMap">
        <div class="row"><label>Shop customer id<input name="key" required size="10" value="${customerId ?? ''}"></label>
        <label>→ BC customer no.<input name="value" required maxlength="20" size="14" value="${customerId ? (d.mapping.customerMap[customerId] ?? '') : ''}"></label>
        <button type="submit" class="primary" ${disabled ? 'disabled' : ''}>Save mapping and retry</button></div>
      </form>`;
  const defaultForm = html`<form class="fix" hx-post="/actions/orders/${o.id}/mapping" hx-target="#action-result" id="fix-default">
      <input type="hidden" name="field" value="defaultCustomerNo">
      <div class="row"><label>Default BC customer no. (registered customers without a mapping)<input name="value" required maxlength="20" size="14" value="${d.mapping.defaultCustomerNo ?? ''}"></label>
      <button type="submit" ${disabled ? 'disabled' : ''}>Save and retry</button></div>
    </form>`;

  const primary = SKU_REASONS.includes(code) ? [skuForm] : CUSTOMER_REASONS.includes(code) ? [customerForm] : [];
  const others = [skuForm, customerForm, defaultForm].filter((f) => !primary.includes(f));
  return html`<section class="card" id="fix">
    <h2>Fix and retry</h2>
    <div class="small">Fix the cause in BC (then press Retry), or change the shop's mapping here: the order is retried and evaluated at once.</div>
    ${primary}
    <details id="fix-more-${o.id}" ${primary.length === 0 ? 'open' : ''}><summary>Other mapping changes</summary>${others}</details>
    ${saveNote}
  </section>`;
}
