import type { Config } from '../config/schema.js';
import type { Job } from '../server/panel/jobs.js';
import { TRIGGERS } from '../server/panel/jobs.js';
import { between, duration, plural, stateBadge, time } from './format.js';
import { html, type Html } from './html.js';
import { message } from './layout.js';

export interface EnvView {
  active: 'live' | 'test';
  /** When the switch was last made in the panel/CLI (null = the config's bc.active). */
  switchedAt: string | null;
  envs: { key: 'live' | 'test'; name: string; company: string; tenant: string; transport: string; url: string }[];
}

export interface OperationsData {
  shops: string[];
  jobs: { job: Job; progress: Record<string, number> }[];
  env: EnvView;
  /** The config with secrets redacted, as YAML. */
  configYaml: string;
  mappingTarget: { path: string } | { problem: string };
  retentionDays: number;
}

export function operationsPage(d: OperationsData): Html {
  const targets = [...d.shops.map((s) => ({ shop: s, label: s })), { shop: '', label: 'all shops' }];
  return html`
<div class="grid">
  <section class="card">
    <h2>Run a stage now</h2>
    <table id="triggers">
      <thead><tr><th>shop</th>${Object.values(TRIGGERS).map((t) => html`<th title="${t.help}">${t.label}</th>`)}</tr></thead>
      <tbody>${targets.map(
        (t) => html`<tr><td>${t.label}</td>${Object.entries(TRIGGERS).map(
          ([name, spec]) => html`<td><button hx-post="/actions/jobs" hx-vals="${JSON.stringify({ trigger: name, shop: t.shop })}" hx-target="#job-result" title="${spec.help}"
            data-trigger="${name}" data-shop="${t.shop || 'all'}">${spec.label}</button></td>`,
        )}</tr>`,
      )}</tbody>
    </table>
    <div class="small muted">Export evaluates received orders first (like <code>bcbridge export</code>). Write-back is not available yet.</div>
    <div id="job-result"></div>
    <h3>Manual runs</h3>
    <div id="jobs" hx-get="/fragments/jobs" hx-trigger="bcb:jobs from:body, bcb:orders from:body" hx-sync="this:queue last">${jobsFragment(d.jobs)}</div>
  </section>
  <section class="card">
    <h2>BC environment (Live/Test)</h2>
    <div id="env">${envFragment(d.env)}</div>
  </section>
</div>
<section class="card">
  <h2>Mapping changes</h2>
  ${'path' in d.mappingTarget
    ? html`<div>Mapping fixes made on an order's page (SKU map, customer map, guest/default customer) are written to <code>${d.mappingTarget.path}</code> and used at once.</div>`
    : html`<div class="message error">${d.mappingTarget.problem}.</div>`}
</section>
<section class="card">
  <h2>Log</h2>
  <div>Every shop and BC request is logged and kept for ${plural(d.retentionDays, 'day')} (<code>log.retentionDays</code>). <a href="/log">Open the log (errors first)</a>.</div>
</section>
<section class="card">
  <h2>Configuration <span class="muted small">(secrets redacted)</span></h2>
  <pre id="config">${d.configYaml}</pre>
</section>`;
}

export function jobsFragment(jobs: OperationsData['jobs']): Html {
  if (jobs.length === 0) return html`<div class="muted">No manual runs since bcbridge started.</div>`;
  return html`<table id="jobs-table">
  <thead><tr><th>#</th><th>run</th><th>by</th><th>started</th><th>took</th><th>status</th><th>progress</th></tr></thead>
  <tbody>${jobs.map(({ job, progress }) => {
    const counts = job.results.flatMap((r) => Object.entries(r.counts).map(([k, v]) => `${r.stage}${r.shop ? ` [${r.shop}]` : ''}: ${k} ${v}`));
    const errors = job.results.flatMap((r) => r.errors).concat(job.error ? [job.error] : []);
    const status =
      job.status === 'running' ? html`<span class="state state-exporting">running${job.stage ? ` ${job.stage}` : ''}</span>`
      : job.status === 'ok' ? html`<span class="state state-verified">ok</span>`
      : job.status === 'problems' ? html`<span class="state state-held">problems</span>`
      : html`<span class="state state-failed">error</span>`;
    return html`<tr data-job="${job.id}" data-status="${job.status}">
      <td>${job.id}</td><td>${TRIGGERS[job.trigger].label} ${job.shop ?? 'all shops'}</td><td>${job.startedBy}</td><td>${time(job.startedAt)}</td>
      <td>${job.finishedAt ? between(job.startedAt, job.finishedAt) : duration(Date.now() - Date.parse(job.startedAt))}</td><td>${status}</td>
      <td class="small"><div data-progress>${Object.entries(progress).map(([k, v]) => html`${stateBadge(k)} ${v} `)}${Object.keys(progress).length === 0 ? html`<span class="muted">no order changed${job.status === 'running' ? ' yet' : ''}</span>` : ''}</div>
        ${counts.length ? html`<div class="muted">${counts.join(' · ')}</div>` : ''}${errors.map((e) => html`<div class="message error">${e}</div>`)}</td></tr>`;
  })}</tbody></table>`;
}

export function envFragment(env: EnvView, note?: Html, confirm?: Html): Html {
  const other = env.active === 'live' ? 'test' : 'live';
  const otherCfg = env.envs.find((e) => e.key === other);
  return html`<div data-active-env="${env.active}">
  ${note ?? ''}
  <div>New exports go to <strong class="env-badge env-${env.active}">${env.active}</strong>
    ${env.switchedAt ? html`<span class="small muted">(switched ${time(env.switchedAt)})</span>` : html`<span class="small muted">(from the config's bc.active)</span>`}</div>
  <table>
    <thead><tr><th></th><th>environment</th><th>company</th><th>transport</th><th>API</th></tr></thead>
    <tbody>${env.envs.map((e) => html`<tr><td>${e.key}${e.key === env.active ? html` <span class="state state-ready">active</span>` : ''}</td><td>${e.name}</td><td>${e.company}</td><td>${e.transport}</td><td class="small mono">${e.url}</td></tr>`)}</tbody>
  </table>
  ${otherCfg
    ? html`<button hx-get="/fragments/env/confirm?to=${other}" hx-target="#env-confirm" id="switch-env" data-to="${other}">Switch new exports to ${other}…</button>`
    : html`<div class="small muted">bc.${other} is not configured, so there is nothing to switch to.</div>`}
  <div id="env-confirm">${confirm ?? ''}</div>
  <div class="small muted">Orders already sent to BC finish in the environment they started in; each order records where it went.</div>
</div>`;
}

export function envConfirm(env: EnvView, to: 'live' | 'test', error?: string): Html {
  const from = env.envs.find((e) => e.key === env.active);
  const target = env.envs.find((e) => e.key === to)!;
  return html`<form class="confirm" hx-post="/actions/env" hx-target="#env" id="env-confirm-form">
  <input type="hidden" name="to" value="${to}">
  <p><strong>Switch new exports from ${env.active} (${from?.name ?? '?'}) to ${to} (${target.name}, company ${target.company})?</strong></p>
  ${to === 'live' ? html`<p>Orders will be created in your <strong>live</strong> Business Central company.</p>` : html`<p>New orders will go to the test environment and will not reach live BC until you switch back.</p>`}
  ${error ? message('error', error) : ''}
  <div class="row">
    <label><span>Type <code>${to}</code> to confirm</span><input name="confirm" autocomplete="off" required id="env-confirm-input"></label>
    <button type="submit" class="danger" id="env-confirm-button">Switch to ${to}</button>
    <button type="button" hx-get="/fragments/empty" hx-target="#env-confirm">Cancel</button>
  </div>
</form>`;
}

/** Where an environment's requests go, whatever its transport (no credentials in it). */
export function envUrl(cfg: Config['bc']['live']): string {
  if (!cfg) return '';
  const c = cfg as { apiUrl?: string; soapUrl?: string; baseUrl?: string };
  return c.apiUrl ?? c.soapUrl ?? c.baseUrl ?? 'https://api.businesscentral.dynamics.com';
}
