import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { Config } from '../../config/schema.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { createApp } from '../app.js';
import { createPanel } from './panel.js';
import { hashPassword } from './password.js';

export const DEMO_PANEL_PORT = 8080;

/** A fresh random password for this demo run; its hash goes into the demo config (the password is printed, never stored). */
export async function setDemoPanelPassword(config: Config): Promise<string> {
  const password = randomBytes(9).toString('base64url');
  config.panel = { ...config.panel, hashedPassword: await hashPassword(password) };
  return password;
}

export interface ServedPanel {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the panel (and /healthz) for `bcbridge demo` on 127.0.0.1. Without an explicit port it tries
 * 8080 and falls back to any free port, so two demos (or a demo beside `bcbridge run`) never collide.
 */
export async function serveDemoPanel(rt: Runtime, opts: { port?: string; configPath?: string }): Promise<ServedPanel> {
  const explicit = opts.port !== undefined;
  const port = explicit ? Number(opts.port) : DEMO_PANEL_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--panel-port must be a port number (0 = any free port)');
  const panel = createPanel(rt, { configPath: opts.configPath });
  const app = createApp(rt, { startedAt: rt.clock.now().toISOString() }, { panel });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  let bound: number;
  try {
    bound = await listen(server, port);
  } catch (err) {
    if (explicit || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new Error(`cannot serve the control panel on 127.0.0.1:${port}: ${(err as Error).message}`);
    bound = await listen(server, 0);
  }
  return {
    url: `http://127.0.0.1:${bound}/`,
    async close() {
      await panel.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
