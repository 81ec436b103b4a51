import { html, type Html } from './html.js';

/** Small formatting helpers shared by the views. */

export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">–</span>`;
  return html`<time datetime="${iso}">${iso.replace('T', ' ').slice(0, 19)} UTC</time>`;
}

export function stateBadge(state: string): Html {
  return html`<span class="state state-${state}" data-state-badge="${state}">${state}</span>`;
}

export function json(value: unknown): Html {
  return html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  const m = s / 60;
  if (m < 90) return `${m.toFixed(1)} min`;
  return `${(m / 60).toFixed(1)} h`;
}

export function seconds(s: number | null | undefined): string {
  return s === null || s === undefined ? '–' : duration(s * 1000);
}

export function between(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '–';
  return duration(Date.parse(to) - Date.parse(from));
}

export function money(total: string | null, currency: string | null): string {
  return total ? `${total} ${currency ?? ''}`.trim() : '';
}

/** A query string from the non-empty values (for links that keep the current filters). */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
