import { assetUrl } from './assets.js';
import { html, type Html } from './html.js';

export interface PageContext {
  user: string;
  /** CSRF token: sent by htmx as X-CSRF-Token (hx-headers on body) and by plain forms as `_csrf`. */
  csrf: string;
  env: { active: string; name: string | undefined };
}

export const NAV = [
  { href: '/', label: 'Dashboard', key: 'dashboard' },
  { href: '/orders', label: 'Orders', key: 'orders' },
  { href: '/operations', label: 'Operations', key: 'operations' },
  { href: '/log', label: 'Log', key: 'log' },
] as const;

/**
 * htmx settings: swap 4xx answers too (they carry the message naming the field to fix), never eval,
 * no injected indicator styles (the Content-Security-Policy allows no inline styles).
 */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  includeIndicatorStyles: false,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '4..', swap: true, error: false },
    { code: '5..', swap: true, error: true },
  ],
});

export function envBadge(env: PageContext['env']): Html {
  return html`<span class="env-badge env-${env.active}" id="env-badge" title="BC environment new exports go to">${env.active === 'live' ? 'LIVE' : 'TEST'} · ${env.name ?? 'not configured'}</span>`;
}

export function layout(ctx: PageContext, page: { title: string; current: string; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${page.title} · bcbridge</title>
<link rel="stylesheet" href="${assetUrl('panel.css')}">
<script src="${assetUrl('htmx.min.js')}" defer></script>
<script src="${assetUrl('panel.js')}" defer></script>
</head>
<body hx-headers="${JSON.stringify({ 'X-CSRF-Token': ctx.csrf })}">
<header class="top">
  <span class="brand">bcbridge</span>
  <nav>${NAV.map((n) => html`<a href="${n.href}" class="${n.key === page.current ? 'current' : ''}">${n.label}</a>`)}</nav>
  <span hx-get="/fragments/env-badge" hx-trigger="bcb:env from:body" hx-swap="innerHTML">${envBadge(ctx.env)}</span>
  <span class="spacer"></span>
  <span class="small"><span id="live-dot" class="live-dot"></span><span id="live-label">connecting…</span></span>
  <span class="small">${ctx.user}</span>
  <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">Log out</button></form>
</header>
<main>
<h1>${page.title}</h1>
${page.body}
</main>
</body>
</html>`;
}

export function message(kind: 'ok' | 'error' | 'info', text: string | Html): Html {
  return html`<div class="message ${kind === 'info' ? '' : kind}" role="${kind === 'error' ? 'alert' : 'status'}">${text}</div>`;
}
