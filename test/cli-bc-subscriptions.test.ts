import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bcbridge } from './helpers/cli.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

/**
 * `bcbridge bc-subscriptions register|list|remove` against the BC simulator. BC's handshake needs someone at
 * publicUrl answering `?validationToken=` (in production: `bcbridge run`); a plain echo stands in for it here,
 * the receiver itself is tested in e2e-bc-webhooks.test.ts.
 */
describe('bcbridge bc-subscriptions', () => {
  let world: World;
  let dir: string;
  let configFile: string;
  let echo: Server;
  let publicUrl: string;
  const env = { BC_CLIENT_STATE: 'cli-client-state-secret-0123456789' };

  beforeAll(async () => {
    world = await startWorld();
    echo = createServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      req.resume();
      res.writeHead(token ? 200 : 202, { 'Content-Type': 'text/plain' }).end(token ?? '');
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    publicUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'bcbridge-bcsubs-'));
    const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
    cfg.server = { publicUrl };
    cfg.bc.test.subscriptions = { enabled: true, clientState: '${BC_CLIENT_STATE}' };
    configFile = join(dir, 'bcbridge.yaml');
    writeFileSync(configFile, stringify(cfg));
  });
  afterAll(async () => {
    await new Promise<void>((r) => echo.close(() => r()));
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers once, lists them as ours without the clientState, removes them; a bad --env is a config error', async () => {
    const first = await bcbridge(['--config', configFile, 'bc-subscriptions', 'register', '--env', 'test', '--json'], { env });
    expect(first.code).toBe(0);
    const made = JSON.parse(first.stdout);
    expect(made.address).toBe(`${publicUrl}/webhooks/bc/test`);
    expect(made.subscriptions.map((s: { entitySet: string; action: string }) => `${s.entitySet}:${s.action}`)).toEqual(['salesOrders:created', 'salesInvoices:created']);
    const again = await bcbridge(['--config', configFile, 'bc-subscriptions', 'register', '--env', 'test'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout.match(/kept/g)).toHaveLength(2);

    const list = await bcbridge(['--config', configFile, 'bc-subscriptions', 'list', '--env', 'test', '--json'], { env });
    const listed = JSON.parse(list.stdout);
    expect(listed.subscriptions.map((s: { ours: boolean }) => s.ours)).toEqual([true, true]);

    const removed = await bcbridge(['--config', configFile, 'bc-subscriptions', 'remove', '--env', 'test'], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('removed 2 BC subscription(s) in test');
    expect(world.bc.subscriptions.list('sandbox')).toEqual([]);
    for (const r of [first, again, list, removed]) expect(r.stdout + r.stderr).not.toContain(env.BC_CLIENT_STATE);

    const bad = await bcbridge(['--config', configFile, 'bc-subscriptions', 'list', '--env', 'prod'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--env: must be live or test');
    const notEnabled = await bcbridge(['--config', configFile, 'bc-subscriptions', 'register', '--env', 'live'], { env });
    expect(notEnabled.code).toBe(2);
    expect(notEnabled.stderr).toContain('bc.live.subscriptions');
  });
});
