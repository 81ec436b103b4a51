import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { collectSecrets, scrub } from '../../config/redact.js';
import { ConfigError, errorMessage } from '../../domain/errors.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { message } from '../../panel/layout.js';
import { apiRoutes } from './api.js';
import { PanelAuth } from './auth.js';
import { panelGuard } from './guard.js';
import { PanelInputError } from './input-error.js';
import { JobManager } from './jobs.js';
import { LiveFeed } from './live.js';
import { MappingEditor } from './mapping-file.js';
import { pageRoutes } from './pages.js';

export interface PanelOptions {
  /** The config file the process was started with: mapping fixes are saved there. */
  configPath?: string;
  /** How often the live feed looks for changes (ms). */
  liveIntervalMs?: number;
}

export interface Panel {
  rt: Runtime;
  auth: PanelAuth;
  jobs: JobManager;
  live: LiveFeed;
  mapping: MappingEditor;
  /** Ends open live-update streams (they would otherwise keep the HTTP server from closing). */
  streams: Set<() => void>;
  /** Must run before every route but /healthz and /webhooks/*: login, CSRF, security headers. */
  guard: MiddlewareHandler;
  /** Pages, fragments, actions and the JSON API. */
  routes: Hono;
  close(): Promise<void>;
}

/** The control panel of one bcbridge process (docs/panel.md). Nothing is started until a page is opened. */
export function createPanel(rt: Runtime, opts: PanelOptions = {}): Panel {
  const jobs = new JobManager(rt);
  const auth = new PanelAuth(rt.config.panel, rt.store, rt.clock);
  const panel: Panel = {
    rt,
    auth,
    jobs,
    live: new LiveFeed(rt, jobs, opts.liveIntervalMs),
    mapping: new MappingEditor(rt, opts.configPath),
    streams: new Set(),
    guard: panelGuard(auth),
    routes: new Hono(),
    async close() {
      for (const end of [...panel.streams]) end();
      panel.live.stop();
      await jobs.drain();
    },
  };
  const secrets = collectSecrets(rt.config);
  const onError = (err: Error, c: Context) => {
    const known = err instanceof PanelInputError || err instanceof ConfigError;
    const status = err instanceof PanelInputError ? err.status : err instanceof ConfigError ? 400 : 500;
    const text = scrub(err instanceof ConfigError ? err.problems.join('; ') : errorMessage(err), secrets);
    if (!known) rt.log.error({ err: text, path: c.req.path }, 'panel request failed');
    if (c.req.path.startsWith('/api/')) return c.json({ error: text, ...(err instanceof PanelInputError && err.field ? { field: err.field } : {}) }, status);
    return c.html(message('error', status === 500 ? `Something went wrong: ${text}` : text).toString(), status);
  };
  const pages = pageRoutes(panel);
  const api = apiRoutes(panel);
  pages.onError(onError);
  api.onError(onError);
  panel.routes.route('/', api);
  panel.routes.route('/', pages);
  return panel;
}
