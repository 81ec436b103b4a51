import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRuntime, type Runtime } from '../../src/pipeline/runtime.js';
import { MappingEditor } from '../../src/server/panel/mapping-file.js';
import { PanelInputError } from '../../src/server/panel/input-error.js';
import { openStore, type Store } from '../../src/store/store.js';
import { rawConfig } from '../helpers/world.js';

/** Mapping fixes from the panel are written into the config file (docs/panel.md "Fix and retry"). */
describe('mapping changes saved to the config file', () => {
  let dir: string;
  let store: Store;
  const fakeSims = { bc: { url: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/token', tenant: 't' }, woo: { url: 'http://127.0.0.1:9' } };
  const runtimes: Runtime[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bcbridge-mapping-'));
    store = await openStore(':memory:');
  });
  afterEach(async () => {
    for (const rt of runtimes.splice(0)) await rt.close();
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setup(name: string, text: (cfg: Record<string, any>) => string) {
    const file = join(dir, name);
    const cfg = rawConfig(fakeSims.bc as never, fakeSims.woo as never);
    cfg.bc.test.clientSecret = '${MAPPING_TEST_SECRET}';
    cfg.bc.live.clientSecret = '${MAPPING_TEST_SECRET}';
    writeFileSync(file, text(cfg));
    process.env.MAPPING_TEST_SECRET = 'demo-secret';
    const rt = await createRuntime(loadConfig(file), { log: silentLogger, store });
    runtimes.push(rt);
    return { file, rt, editor: new MappingEditor(rt, file) };
  }

  it('edits YAML in place: comments and ${ENV} references stay, the running mapping changes at once', async () => {
    const { file, rt, editor } = await setup('a.yaml', (cfg) => `# top comment\n${stringify(cfg)}`.replace('platform: woocommerce', 'platform: woocommerce # the shop'));
    const saved = await editor.set({ shop: 'woo', field: 'skuMap', key: 'LEGACY-BEANS', value: ' 1996-S ' });
    expect(saved.yamlPath).toBe('shops[0].mapping.skuMap.LEGACY-BEANS');
    await editor.set({ shop: 'woo', field: 'customerMap', key: '42', value: 'C00042' });
    await editor.set({ shop: 'woo', field: 'guestCustomerNo', value: 'GUEST-2' });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# top comment');
    expect(text).toContain('platform: woocommerce # the shop');
    expect(text).toContain('clientSecret: ${MAPPING_TEST_SECRET}');
    expect(text).not.toContain('demo-secret');
    const reloaded = loadConfig(file).shops[0].mapping;
    expect(reloaded.skuMap).toEqual({ 'LEGACY-BEANS': '1996-S' });
    expect(reloaded.customerMap).toEqual({ '42': 'C00042' });
    expect(reloaded.guestCustomerNo).toBe('GUEST-2');
    expect(rt.shop('woo').mapping.skuMap['LEGACY-BEANS']).toBe('1996-S');
    expect(rt.shop('woo').mapping.guestCustomerNo).toBe('GUEST-2');
  });

  it('keeps a JSON config JSON', async () => {
    const { file, editor } = await setup('b.json', (cfg) => JSON.stringify(cfg, null, 2));
    await editor.set({ shop: 'woo', field: 'skuMap', key: 'A B', value: 'ITEM-1' });
    expect(JSON.parse(readFileSync(file, 'utf8')).shops[0].mapping.skuMap).toEqual({ 'A B': 'ITEM-1' });
  });

  it('refuses bad values naming the field, and leaves the file alone', async () => {
    const { file, editor } = await setup('c.yaml', (cfg) => stringify(cfg));
    const before = readFileSync(file, 'utf8');
    await expect(editor.set({ shop: 'woo', field: 'skuMap', key: 'X', value: 'TOO-LONG-FOR-A-BC-ITEM-NO' })).rejects.toThrow('BC item no.: must be 1-20 characters');
    await expect(editor.set({ shop: 'woo', field: 'skuMap', key: ' ', value: 'I1' })).rejects.toThrow('shop SKU: must be 1-100 characters');
    await expect(editor.set({ shop: 'nope', field: 'skuMap', key: 'X', value: 'I1' })).rejects.toMatchObject({ field: 'shop' });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('says what to do by hand when there is no file or it cannot be written', async () => {
    const { file, rt } = await setup('d.yaml', (cfg) => stringify(cfg));
    const noFile = new MappingEditor(rt, undefined);
    const err = await noFile.set({ shop: 'woo', field: 'skuMap', key: 'X', value: 'I1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PanelInputError);
    expect((err as Error).message).toContain('Set shops[0].mapping.skuMap.X: I1 in your config');
    const missing = new MappingEditor(rt, join(dir, 'moved-away.yaml'));
    await expect(missing.set({ shop: 'woo', field: 'skuMap', key: 'X', value: 'I1' })).rejects.toThrow(/cannot read .*moved-away\.yaml \(ENOENT\); set shops\[0\]\.mapping\.skuMap\.X: I1 by hand/);
    // A file edited since start so that the shop moved: refused rather than written to the wrong shop.
    writeFileSync(file, readFileSync(file, 'utf8').replace('code: woo', 'code: other'));
    await expect(new MappingEditor(rt, file).set({ shop: 'woo', field: 'skuMap', key: 'X', value: 'I1' })).rejects.toThrow('the config file changed since bcbridge started');
    expect(rt.shop('woo').mapping.skuMap.X).toBeUndefined();
  });

  it('two edits at once both land', async () => {
    const { file, editor } = await setup('e.yaml', (cfg) => stringify(cfg));
    await Promise.all([editor.set({ shop: 'woo', field: 'skuMap', key: 'S1', value: 'I1' }), editor.set({ shop: 'woo', field: 'skuMap', key: 'S2', value: 'I2' })]);
    expect(loadConfig(file).shops[0].mapping.skuMap).toEqual({ S1: 'I1', S2: 'I2' });
  });
});
