import type { Dashboard, Metrics } from '../server/panel/queries.js';
import { lineChart } from './charts.js';
import { between, duration, plural, qs, seconds, stateBadge, time } from './format.js';
import { html, type Html } from './html.js';

/** The dashboard page: live parts refresh when the server says orders, runs, the log or the environment changed. */
export function dashboardPage(d: Dashboard, range: 'hour' | 'day'): Html {
  return html`
<div id="dashboard" hx-get="/fragments/dashboard" hx-trigger="bcb:orders from:body, bcb:runs from:body, bcb:log from:body, bcb:env from:body" hx-sync="this:queue last">
  ${dashboardFragment(d)}
</div>
<div class="card" id="charts" hx-get="/fragments/charts?range=${range}" hx-trigger="load">
  <div class="muted">Loading charts…</div>
</div>`;
}

export function dashboardFragment(d: Dashboard): Html {
  return html`<div data-generated="${d.generatedAt}">
<section class="card" aria-labelledby="h-counts">
  <h2 id="h-counts">Orders per state</h2>
  ${countsTable(d)}
  <div class="small muted">BC environment: <strong>${d.environment.active}</strong> (${d.environment.name ?? 'not configured'}) · database ${d.database}</div>
</section>
<div class="grid">
  <section class="card" aria-labelledby="h-attention" id="attention">
    <h2 id="h-attention">Needs attention</h2>
    ${attention(d)}
  </section>
  <section class="card" aria-labelledby="h-budget">
    <h2 id="h-budget">BC request budget</h2>
    ${d.budgets.map(
      (b) => html`<div class="budget" data-env="${b.env}">
        <div class="row"><strong>${b.env}</strong> <span class="muted">${b.name}</span>${b.active ? html`<span class="state state-ready">active</span>` : ''}
          <span class="spacer"></span><span><span data-budget-used>${b.used}</span> / ${b.limit} requests in the last ${duration(b.windowMs)}</span></div>
        <meter min="0" max="${b.limit}" low="${Math.round(b.limit * 0.7)}" high="${Math.round(b.limit * 0.9)}" optimum="0" value="${b.used}">${b.used}/${b.limit}</meter>
      </div>`,
    )}
    <div class="small muted">Counted from the request log (every BC call of every worker). BC allows 6,000 requests per 5 minutes per user.</div>
  </section>
</div>
<section class="card" aria-labelledby="h-runs">
  <h2 id="h-runs">Last run of each stage</h2>
  ${lastRuns(d)}
</section>
</div>`;
}

function countsTable(d: Dashboard): Html {
  const totals: Record<string, number> = Object.fromEntries(d.states.map((s) => [s, 0]));
  for (const s of d.shops) for (const st of d.states) totals[st] += s.counts[st] ?? 0;
  const cell = (shop: string | undefined, state: string, n: number) => {
    const hot = n > 0 && (state === 'held' || state === 'failed' || state === 'conflict');
    return html`<td class="num ${n === 0 ? 'zero' : ''} ${hot ? 'hot' : ''}" ${shop ? html`data-shop="${shop}"` : html`data-total`} data-state="${state}"><a href="/orders${qs({ shop, state })}">${n}</a></td>`;
  };
  return html`<div class="table-wrap"><table id="counts">
  <thead><tr><th>shop</th>${d.states.map((s) => html`<th class="num">${s}</th>`)}<th class="num">total</th></tr></thead>
  <tbody>
  ${d.shops.map((s) => html`<tr><td><a href="/orders${qs({ shop: s.shop })}">${s.shop}</a></td>${d.states.map((st) => cell(s.shop, st, s.counts[st] ?? 0))}<td class="num" data-shop="${s.shop}" data-state="total">${s.total}</td></tr>`)}
  ${d.shops.length > 1 ? html`<tr class="total"><td>all shops</td>${d.states.map((st) => cell(undefined, st, totals[st]))}<td class="num">${d.shops.reduce((a, s) => a + s.total, 0)}</td></tr>` : ''}
  </tbody></table></div>`;
}

function attention(d: Dashboard): Html {
  const a = d.attention;
  if (a.held === 0 && a.failed === 0) return html`<div class="callout good">No held or failed orders.</div>`;
  return html`
  <div class="row">
    <a class="callout ${a.failed > 0 ? 'bad' : ''}" href="/orders?state=failed" data-attention="failed"><span class="big">${a.failed}</span>failed</a>
    <a class="callout" href="/orders?state=held" data-attention="held"><span class="big">${a.held}</span>held</a>
  </div>
  <table>
    <thead><tr><th>state</th><th>reason</th><th class="num">orders</th></tr></thead>
    <tbody>${a.byReason.map((r) => html`<tr><td>${stateBadge(r.state)}</td><td><a href="/orders${qs({ state: r.state, reason: r.reasonCode ?? undefined })}">${r.reasonCode ?? '(no code)'}</a></td><td class="num">${r.n}</td></tr>`)}</tbody>
  </table>
  <h3>Latest</h3>
  <table>
    <tbody>${a.latest.map(
      (o) => html`<tr><td><a href="/orders/${o.id}">${o.order_number ?? o.shop_order_id}</a> <span class="muted small">${o.shop}</span></td><td>${stateBadge(o.state)}</td>
        <td>${o.reason ?? ''}${o.hint ? html`<div class="small muted">Fix: ${o.hint}</div>` : ''}</td></tr>`,
    )}</tbody>
  </table>`;
}

function lastRuns(d: Dashboard): Html {
  if (d.lastRuns.length === 0) return html`<div class="muted">No stage has run yet.</div>`;
  const order = ['pull', 'evaluate', 'export', 'verify', 'conflicts', 'writeback'];
  const runs = [...d.lastRuns].sort((a, b) => order.indexOf(a.stage) - order.indexOf(b.stage) || String(a.shop ?? '').localeCompare(String(b.shop ?? '')));
  return html`<table id="last-runs">
  <thead><tr><th>stage</th><th>shop</th><th>started</th><th>took</th><th>result</th><th>counts</th></tr></thead>
  <tbody>${runs.map((r) => {
    const summary = (r.summary ?? {}) as { counts?: Record<string, number>; errors?: string[]; problems?: number };
    const result = r.ok === null ? html`<span class="state">running</span>` : r.ok ? html`<span class="state state-verified">ok</span>` : html`<span class="state state-failed">problems</span>`;
    return html`<tr data-stage="${r.stage}"><td>${r.stage}</td><td>${r.shop ?? 'all'}</td><td>${time(r.startedAt)}</td><td>${between(r.startedAt, r.finishedAt)}</td><td>${result}</td>
      <td class="small">${Object.entries(summary.counts ?? {}).map(([k, v]) => `${k} ${v}`).join(' · ') || '–'}${(summary.errors ?? []).map((e) => html`<div class="message error">${e}</div>`)}</td></tr>`;
  })}</tbody></table>`;
}

export function chartsFragment(m: Metrics): Html {
  const labels = m.buckets.map((b) => b.start);
  const other = m.range === 'hour' ? 'day' : 'hour';
  return html`<div class="row"><h2>Throughput and latency — last ${m.range}</h2><span class="spacer"></span>
    <button hx-get="/fragments/charts?range=${other}" hx-target="#charts" hx-swap="innerHTML" data-range="${other}">Show last ${other}</button></div>
  <div class="grid">
    <div>
      <h3>Orders per minute <span class="muted small">(${m.totals.received} received, ${m.totals.verified} verified${m.bucketMinutes > 1 ? `; ${m.bucketMinutes}-minute averages` : ''})</span></h3>
      ${lineChart({ title: 'orders per minute', unit: 'orders/min', labels, series: [
        { name: 'received', cls: 'received', values: m.buckets.map((b) => b.receivedPerMinute) },
        { name: 'verified', cls: 'verified', values: m.buckets.map((b) => b.verifiedPerMinute) },
      ] })}
    </div>
    <div>
      <h3>Placed → verified <span class="muted small">(p50 ${seconds(m.totals.latencyP50)}, p95 ${seconds(m.totals.latencyP95)} over ${plural(m.totals.latencySample, 'order')})</span></h3>
      ${lineChart({ title: 'placed to verified latency', unit: 'seconds', labels, formatValue: (v) => seconds(v), series: [
        { name: 'p50', cls: 'p50', values: m.buckets.map((b) => b.latencyP50) },
        { name: 'p95', cls: 'p95', values: m.buckets.map((b) => b.latencyP95) },
      ] })}
    </div>
  </div>
  <div hx-get="/fragments/charts?range=${m.range}" hx-trigger="bcb:charts from:body" hx-target="#charts" hx-swap="innerHTML"></div>`;
}
