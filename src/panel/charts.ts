import { escapeHtml, html, raw, type Html } from './html.js';

export interface Series {
  name: string;
  /** CSS class suffix: s-<cls> on the line, l-<cls> in the legend. */
  cls: string;
  values: (number | null)[];
}

/** Nice upper bound for an axis: 1, 2, 5 × 10^n. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

/**
 * An inline SVG line chart (no script, no library). Gaps (null) break the line. Labels are bucket
 * start times (ISO); the first, middle and last are printed as HH:MM UTC.
 */
export function lineChart(opts: { title: string; unit: string; labels: string[]; series: Series[]; formatValue?: (v: number) => string }): Html {
  const W = 640;
  const H = 180;
  const L = 46;
  const R = 10;
  const T = 12;
  const B = 24;
  const n = opts.labels.length;
  const max = niceMax(Math.max(0, ...opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const x = (i: number) => L + (n <= 1 ? 0 : (i * (W - L - R)) / (n - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const format = opts.formatValue ?? fmt;
  const parts: string[] = [];
  for (const f of [0, 0.5, 1]) {
    const yy = y(max * f).toFixed(1);
    parts.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${yy}" y2="${yy}"/>`);
    parts.push(`<text x="${L - 4}" y="${(Number(yy) + 3).toFixed(1)}" text-anchor="end">${escapeHtml(format(max * f))}</text>`);
  }
  parts.push(`<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/><line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`);
  for (const i of n > 0 ? [0, Math.floor((n - 1) / 2), n - 1] : []) {
    const label = opts.labels[i].slice(11, 16);
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - 8}" text-anchor="${i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle'}">${escapeHtml(label)}</text>`);
  }
  for (const s of opts.series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    // A single point would be invisible as a path: mark lone points with a dot.
    s.values.forEach((v, i) => {
      if (v !== null && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null) parts.push(`<circle class="s-${s.cls}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2"/>`);
    });
    if (d) parts.push(`<path class="s-${s.cls}" d="${d}"><title>${escapeHtml(s.name)}</title></path>`);
  }
  const svg = `<svg class="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(opts.title)}">${parts.join('')}</svg>`;
  return html`<figure class="chart-figure">
  <div class="legend">${opts.series.map((s) => html`<span><i class="l-${s.cls}"></i>${s.name}</span>`)}<span class="muted">${opts.unit}</span></div>
  ${raw(svg)}
</figure>`;
}
