import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: string;
  type: string;
  /** Content hash: part of the URL, so browsers may cache an asset until it changes. */
  hash: string;
}

function load(path: string, type: string): Asset {
  const body = readFileSync(path, 'utf8');
  return { body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

let cache: Record<string, Asset> | undefined;

/**
 * The panel's static files, read once. htmx comes from the installed `htmx.org` package (the panel
 * must work offline: no CDN).
 */
export function panelAssets(): Record<string, Asset> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    cache = {
      'htmx.min.js': load(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
      'panel.js': load(fileURLToPath(new URL('./assets/panel.js', import.meta.url)), 'text/javascript; charset=utf-8'),
      'panel.css': load(fileURLToPath(new URL('./assets/panel.css', import.meta.url)), 'text/css; charset=utf-8'),
    };
  }
  return cache;
}

export function assetUrl(name: string): string {
  return `/assets/${name}?v=${panelAssets()[name].hash}`;
}

/** CSP source for the login page's inline stylesheet (the login page is public, the stylesheet is not). */
export function inlineStyleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}
