import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bcbridge } from './helpers/cli.js';

/**
 * `bcbridge demo --once` for every platform and transport, each in its own --data-dir so they never share
 * a database. The README promises the woocommerce one; the issues promise the others.
 */
describe('bcbridge demo on every platform (the real binary, simulators in a child process)', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'bcbridge-demo-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const cases: { name: string; args: string[]; last: string }[] = [
    { name: 'shopify by webhook', args: ['--platform', 'shopify', '--webhooks', '--orders', '5'], last: 'verified 5/5' },
    { name: 'woocommerce by webhook', args: ['--webhooks', '--orders', '4'], last: 'verified 4/4' },
    { name: 'bigcommerce', args: ['--platform', 'bigcommerce', '--orders', '5'], last: 'verified 5/5' },
    { name: 'magento', args: ['--platform', 'magento', '--orders', '5'], last: 'verified 5/5' },
    { name: 'woocommerce over SOAP with --ship', args: ['--transport', 'soap', '--ship', '--orders', '3'], last: 'fulfilled 3/3' },
    { name: 'woocommerce with --ship', args: ['--ship', '--orders', '4'], last: 'fulfilled 4/4' },
    { name: 'shopify with --ship', args: ['--platform', 'shopify', '--ship', '--orders', '4'], last: 'fulfilled 4/4' },
    { name: 'bigcommerce with --ship', args: ['--platform', 'bigcommerce', '--ship', '--orders', '4'], last: 'fulfilled 4/4' },
    { name: 'magento with --ship', args: ['--platform', 'magento', '--ship', '--orders', '4'], last: 'fulfilled 4/4' },
  ];

  for (const c of cases) {
    it(`${c.name}: ends with "${c.last}" and leaves its database in --data-dir`, async () => {
      const dir = dataDir();
      const r = await bcbridge(['demo', '--once', '--panel-port', '0', '--data-dir', dir, ...c.args], { timeoutMs: 150_000 });
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.stdout.trim().split('\n').at(-1)).toBe(c.last);
      expect(r.code).toBe(0);
      expect(existsSync(join(dir, 'demo.db'))).toBe(true);
      expect(existsSync(join(dir, 'demo.yaml'))).toBe(true);
    }, 180_000);
  }
});
