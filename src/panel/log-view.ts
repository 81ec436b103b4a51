import type { LogView } from '../server/panel/queries.js';
import { between, plural, qs, time } from './format.js';
import { html, type Html } from './html.js';
import { requestTable } from './order-view.js';

export function logPage(v: LogView, system: string | undefined): Html {
  return html`
<div class="row card">
  <span>Show:</span>
  ${[undefined, 'bc', 'shop'].map((s) => (s === system ? html`<strong>${s ?? 'all'}</strong>` : html`<a href="/log${qs({ system: s })}">${s ?? 'all'}</a>`))}
</div>
<div id="log" hx-get="/fragments/log${qs({ system })}" hx-trigger="bcb:log from:body, bcb:runs from:body" hx-sync="this:queue last">${logFragment(v)}</div>`;
}

export function logFragment(v: LogView): Html {
  return html`
<section class="card" id="retention">
  <h2>Retention</h2>
  <div>Request log entries are kept for <strong data-retention-days>${plural(v.retentionDays, 'day')}</strong> (<code>log.retentionDays</code>);
    <code>bcbridge run</code> deletes older ones every hour (everything before ${time(v.prunedBefore)}).</div>
  <div class="muted">${plural(v.entries, 'entry', 'entries')} stored${v.oldest ? html`, the oldest from ${time(v.oldest)}` : ''}.</div>
</section>
<section class="card" id="errors">
  <h2>Errors</h2>
  <h3>Stage runs with errors or problem orders (${v.runErrors.length})</h3>
  ${v.runErrors.length === 0
    ? html`<div class="muted">None.</div>`
    : html`<table><thead><tr><th>started</th><th>stage</th><th>shop</th><th>by</th><th>took</th><th>what went wrong</th></tr></thead><tbody>
      ${v.runErrors.map((r) => html`<tr><td>${time(r.started_at)}</td><td>${r.stage}</td><td>${r.shop ?? 'all'}</td><td>${r.actor}</td><td>${between(r.started_at, r.finished_at)}</td>
        <td>${r.errors.map((e) => html`<div>${e}</div>`)}</td></tr>`)}</tbody></table>`}
  <h3>Failed requests (${v.requestErrors.length}) <span class="small muted">among the latest 50,000 requests</span></h3>
  ${requestTable(v.requestErrors, 'None.')}
</section>
<section class="card" id="recent">
  <h2>Recent requests</h2>
  ${requestTable(v.recent, 'No requests logged yet.')}
</section>`;
}
