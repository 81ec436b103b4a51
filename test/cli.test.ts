import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bcbridge } from './helpers/cli.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

const SAMPLES = join(__dirname, '..', '..', 'shared', 'reference', 'samples');

describe('the bcbridge CLI', () => {
  let world: World;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    world = await startWorld();
    dir = mkdtempSync(join(tmpdir(), 'bcbridge-cli-'));
    configFile = join(dir, 'bcbridge.yaml');
    const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
    cfg.bc.test.clientSecret = '${TEST_BC_SECRET}';
    writeFileSync(configFile, stringify(cfg));
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = { TEST_BC_SECRET: 'demo-secret' };

  it('pull, export, verify and status --json agree with what happened', async () => {
    world.woo.generate(8, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    const pull = await bcbridge(['--config', configFile, 'pull'], { env });
    expect(pull.code).toBe(0);
    expect(pull.stdout).toContain('pull [woo]: new 8');
    expect((await bcbridge(['--config', configFile, 'export'], { env })).code).toBe(0);
    const verify = await bcbridge(['--config', configFile, 'verify', '--json'], { env });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)[0].counts.verified).toBe(8);
    const status = await bcbridge(['--config', configFile, 'status', '--json'], { env });
    const report = JSON.parse(status.stdout);
    expect(report.shops[0].counts.verified).toBe(8);
    expect(report.environment).toEqual({ active: 'test', name: 'sandbox' });
    const list = JSON.parse((await bcbridge(['--config', configFile, 'orders', 'list', '--state', 'verified', '--json'], { env })).stdout);
    expect(list).toHaveLength(8);
    const show = await bcbridge(['--config', configFile, 'orders', 'show', list[0].order_number], { env });
    expect(show.stdout).toContain('state: verified');
    expect(show.stdout).toContain('created in BC sandbox');
  });

  it('a held order is reported with exit 1, fixed in the config, retried and verified', async () => {
    const [o] = world.woo.generate(1, { unpaidShare: 0, unknownSkuShare: 0, statuses: ['processing'] });
    const realSku = o.line_items[0].sku;
    world.woo.updateOrder(o.id, { line_items: o.line_items.map((l, i) => (i === 0 ? { ...l, sku: 'LEGACY-BEANS' } : l)) } as never);
    await bcbridge(['--config', configFile, 'pull'], { env });
    const exp = await bcbridge(['--config', configFile, 'export'], { env });
    expect(exp.code).toBe(1);
    const held = JSON.parse((await bcbridge(['--config', configFile, 'orders', 'list', '--reason', 'UNKNOWN_SKU', '--json'], { env })).stdout);
    expect(held.map((h: { order_number: string }) => h.order_number)).toEqual([o.number]);
    expect(held[0].reason).toBe('SKU LEGACY-BEANS has no BC item.');

    const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
    cfg.bc.test.clientSecret = '${TEST_BC_SECRET}';
    cfg.shops[0].mapping.skuMap = { 'LEGACY-BEANS': realSku };
    writeFileSync(configFile, stringify(cfg));
    const retry = await bcbridge(['--config', configFile, 'orders', 'retry', o.number], { env });
    expect(retry.stdout).toContain('held → received');
    expect((await bcbridge(['--config', configFile, 'export'], { env })).code).toBe(0);
    const verify = await bcbridge(['--config', configFile, 'verify'], { env });
    expect(verify.stdout).toContain('verified 1');
    expect(verify.code).toBe(0);
    const show = JSON.parse((await bcbridge(['--config', configFile, 'orders', 'show', o.number, '--json'], { env })).stdout);
    expect(show.order.state).toBe('verified');
    expect(show.events.map((e: { to_state: string }) => e.to_state)).toEqual(['received', 'held', 'received', 'ready', 'exporting', 'exported', 'verified']);
  });

  it('a bad config exits 2 naming every field; a missing secret never leaks the others', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, stringify({ bc: { active: 'test', test: { name: 'sandbox' } }, shops: [{ code: 'x', platform: 'woocommerce', url: 'not a url', consumerKey: 'ck', consumerSecret: 'cs' }] }));
    const r = await bcbridge(['--config', bad, 'status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shops[0].url: must be an http(s) URL');
    expect(r.stderr).toContain('bc.test.tenant: is required');
    expect(r.stderr).toContain('bc.test.clientSecret: is required');
    const missing = await bcbridge(['--config', configFile, 'status']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('bc.test.clientSecret: environment variable TEST_BC_SECRET is not set');
  });

  it('map prints the BC document of a real sample, or the hold reason with exit 3, and writes nothing', async () => {
    const ok = await bcbridge(['map', '--platform', 'woocommerce', '--offline', join(SAMPLES, 'recorded', 'woocommerce-11.0.1-order-restapi-created-coupon-AT.json')]);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout);
    expect(doc.externalDocumentNumber).toBe('17');
    expect(doc.lines.length).toBeGreaterThan(0);
    const sample727 = join(SAMPLES, 'woocommerce', 'wc-v3-order-727-get-response.json');
    const held = await bcbridge(['map', '--platform', 'woocommerce', '--offline', sample727]);
    expect(held.code).toBe(3);
    expect(held.stdout).toMatch(/^MISSING_SKU: Line ".+" has no SKU/);
    const withBc = await bcbridge(['--config', configFile, 'map', '--platform', 'woocommerce', sample727], { env });
    expect(withBc.code).toBe(3);
  });

  it('env switches only after confirmation', async () => {
    const refused = await bcbridge(['--config', configFile, 'env', 'live'], { env });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('confirmation');
    expect((await bcbridge(['--config', configFile, 'env'], { env })).stdout).toContain('active: test');
    const ok = await bcbridge(['--config', configFile, 'env', 'live', '--yes'], { env });
    expect(ok.stdout).toContain('active BC environment: live (production)');
    expect((await bcbridge(['--config', configFile, 'env', 'test', '--yes'], { env })).code).toBe(0);
  });

  it('demo --once ends with "verified N/N"', async () => {
    const r = await bcbridge(['demo', '--orders', '6', '--once'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('verified 6/6');
  }, 150_000);
});
