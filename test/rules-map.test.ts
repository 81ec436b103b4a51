import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bcbridge } from './helpers/cli.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

const SAMPLE = join(__dirname, '..', '..', 'shared', 'reference', 'samples', 'recorded', 'woocommerce-11.0.1-order-restapi-created-coupon-AT.json');

/** `bcbridge map` with the order rules: the document or the hold, against the BC simulator, writing nothing. */
describe('bcbridge map with the order rules', () => {
  let world: World;
  let dir: string;
  const write = (mapping: Record<string, unknown>) => {
    const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
    cfg.shops[0].mapping = { ...cfg.shops[0].mapping, ...mapping };
    const file = join(dir, `cfg-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(cfg));
    return file;
  };
  beforeAll(async () => {
    world = await startWorld();
    dir = mkdtempSync(join(tmpdir(), 'bcbridge-map-'));
  });
  afterAll(async () => {
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds with the code, the sentence and the fix (exit 3)', async () => {
    const r = await bcbridge(['--config', write({}), 'map', '--platform', 'woocommerce', SAMPLE]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('UNKNOWN_SKU: SKU ESP-1KG has no BC item.\nfix: Add the item in BC, or map the SKU in shops[0].mapping.skuMap.\n');
  });

  it('prints the document a new customer would get, says so, and creates nothing in BC', async () => {
    const before = world.bc.stats().requests;
    const r = await bcbridge(['--config', write({
      skuMap: { 'ESP-1KG': 'BEAN-1KG' },
      customerChain: ['binding', 'email', 'create'],
      customerTemplates: { AT: { template: 'B2C-AT', locationCode: 'EAST' } },
      coupons: { mode: 'orderDiscount' },
      dimensions: { SALESCHANNEL: 'WEB' },
    }), 'map', '--platform', 'woocommerce', SAMPLE]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ externalDocumentNumber: 'WOO-17', customerNumber: 'NEW', locationCode: 'EAST', dimensions: [{ code: 'SALESCHANNEL', valueCode: 'WEB' }] });
    expect(doc.discountAmount).toBeDefined();
    expect(doc.lines[0]).toMatchObject({ lineType: 'Comment', description: 'Shop order 17 (id 17), guest' });
    expect(r.stderr).toContain('note: A new BC customer "Max Muster" would be created from template B2C-AT (AT).');
    // It looked things up (e-mail, items, location …) but posted nothing.
    expect(world.bc.stats().requests).toBeGreaterThan(before);
    expect(world.bc.salesOrders('sandbox')).toHaveLength(0);
    expect(world.bc.stats().byStatus['201'] ?? 0).toBe(0);
    const search = await bcbridge(['--config', write({ skuMap: { 'ESP-1KG': 'BEAN-1KG' }, customerChain: ['email', 'create'], customerTemplates: { '*': { template: 'B2C' } } }), 'map', '--platform', 'woocommerce', SAMPLE]);
    expect(JSON.parse(search.stdout).customerNumber).toBe('NEW');
  });
});
