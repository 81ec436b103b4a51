import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.js';
import { createApp } from '../../src/server/app.js';
import { createPanel, type Panel } from '../../src/server/panel/panel.js';
import { hashPassword, hashToken } from '../../src/server/panel/password.js';
import type { Store } from '../../src/store/store.js';
import { testDb, type DatabaseKind, type TestDb } from '../helpers/databases.js';
import { rawConfig, startWorld, type World } from '../helpers/world.js';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'panel');

export const PASSWORD = 'correct horse battery staple';
export const TOKEN = 'bcb_test_token_0123456789abcdefghijkl';

/** The flags the panel tests always start Chromium with (the machine is offline and shared). */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * bcbridge as `bcbridge run` serves it (the Hono app with the panel, started from a real config file),
 * the BC and WooCommerce simulators over HTTP, a store on SQLite or PostgreSQL, and a real headless
 * Chromium with a fresh profile.
 */
export interface PanelHarness {
  kind: DatabaseKind;
  world: World;
  store: Store;
  rt: Runtime;
  panel: Panel;
  url: string;
  configFile: string;
  browser: BrowserContext;
  newPage(): Promise<Page>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startPanelHarness(kind: DatabaseKind): Promise<PanelHarness> {
  const world = await startWorld();
  const db: TestDb = testDb(kind);
  const dir = mkdtempSync(join(tmpdir(), 'bcbridge-panel-'));
  const configFile = join(dir, 'bcbridge.yaml');
  const cfg = rawConfig(world.bc, world.woo, kind === 'sqlite' ? db.url : ':memory:');
  cfg.panel = { hashedPassword: await hashPassword(PASSWORD), tokens: [{ name: 'ci', hashedToken: hashToken(TOKEN) }] };
  // A comment the panel's mapping edit must keep (it edits the file as a YAML document).
  writeFileSync(configFile, `# bcbridge test config: keep this comment\n${stringify(cfg)}`);
  const config = loadConfig(configFile, {});
  const store = await db.open();
  const rt = await createRuntime(config, { log: silentLogger, store, workerId: `panel-test-${kind}` });
  const panel = createPanel(rt, { configPath: configFile, liveIntervalMs: 500 });
  const server = createAdaptorServer({ fetch: createApp(rt, { startedAt: new Date().toISOString() }, { panel }).fetch }) as Server;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const profile = mkdtempSync(join(tmpdir(), 'bcbridge-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    baseURL: url,
    viewport: { width: 1400, height: 1000 },
  });
  browser.setDefaultTimeout(30_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    kind,
    world,
    store,
    rt,
    panel,
    url,
    configFile,
    browser,
    newPage: () => browser.newPage(),
    async screenshot(page, name) {
      await page.screenshot({ path: join(ARTIFACTS, `${kind}-${name}.png`), fullPage: true });
    },
    async close() {
      await browser.close().catch(() => {});
      await panel.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await rt.close();
      await store.close();
      await db.cleanup();
      await world.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
