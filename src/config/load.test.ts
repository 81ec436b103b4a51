import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { parseConfig } from './load.js';
import { collectSecrets, redact } from './redact.js';

const valid = {
  bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'CRONUS', clientId: 'id', clientSecret: '${BC_SECRET}' } },
  shops: [{ code: 'main', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'ck_1', consumerSecret: '${WOO_SECRET}' }],
};

describe('config', () => {
  it('reads secrets from the environment and fills defaults', () => {
    const cfg = parseConfig(valid, { BC_SECRET: 'bc-s3cret', WOO_SECRET: 'cs_s3cret' });
    expect(cfg.bc.test?.clientSecret).toBe('bc-s3cret');
    expect(cfg.shops[0].rules.exportStatuses).toEqual(['processing']);
    expect(cfg.database.url).toBe('./data/bcbridge.db');
    expect(cfg.schedule.pull).toBe('* * * * *');
  });

  it('reports every problem at once, each with its path', () => {
    const bad = {
      bc: { active: 'live', test: { ...valid.bc.test, maxInFlight: 0 } },
      shops: [{ ...valid.shops[0], url: 'ftp://nope', code: 'Main Shop', pageSize: 500 }],
    };
    let err: unknown;
    try {
      parseConfig(bad, { WOO_SECRET: 'x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain('bc.test.clientSecret: environment variable BC_SECRET is not set');
    expect(problems).toContain('shops[0].url: must be an http(s) URL');
    expect(problems.some((p) => p.startsWith('shops[0].code: must be lower-case'))).toBe(true);
    expect(problems.some((p) => p.startsWith('shops[0].pageSize:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('bc.test.maxInFlight:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('bc.live: is missing'))).toBe(true);
  });

  it('Magento msiSources: a source code with spaces and a BC location named twice are refused by path', () => {
    const magento = { code: 'mag', platform: 'magento', url: 'https://mg.example', accessToken: 'tok', msiSources: { EAST: 'ne wh', East: 'ne_wh', '*': 'default' } };
    let err: unknown;
    try {
      parseConfig({ ...valid, shops: [magento] }, { BC_SECRET: 'x' });
    } catch (e) {
      err = e;
    }
    const problems = (err as ConfigError).problems;
    expect(problems).toContain('shops[0].msiSources.EAST: must be a Magento source code (no spaces)');
    expect(problems).toContain('shops[0].msiSources: names BC location EAST twice (location codes are not case-sensitive)');
    const ok = parseConfig({ ...valid, shops: [{ ...magento, msiSources: { EAST: 'ne_wh', '*': 'default' } }] }, { BC_SECRET: 'x' });
    expect(ok.shops[0]).toMatchObject({ msiSources: { EAST: 'ne_wh', '*': 'default' } });
  });

  it('DATABASE_URL overrides database.url', () => {
    const cfg = parseConfig(valid, { BC_SECRET: 'a', WOO_SECRET: 'b', DATABASE_URL: 'postgres://u@h/db' });
    expect(cfg.database.url).toBe('postgres://u@h/db');
  });

  it('redacts secrets in dumps and lists them for scrubbing', () => {
    const cfg = parseConfig(valid, { BC_SECRET: 'bc-s3cret', WOO_SECRET: 'cs_s3cret', DATABASE_URL: 'postgres://u:pw@h/db' });
    const dump = JSON.stringify(redact(cfg));
    expect(dump).not.toContain('bc-s3cret');
    expect(dump).not.toContain('cs_s3cret');
    expect(dump).not.toContain('ck_1');
    expect(dump).not.toContain(':pw@');
    expect(collectSecrets(cfg)).toEqual(expect.arrayContaining(['bc-s3cret', 'cs_s3cret']));
  });
});

describe('the shipped example config', () => {
  it('is valid once its secrets are set', async () => {
    const { loadConfig } = await import('./load.js');
    const path = new URL('../../bcbridge.example.yaml', import.meta.url).pathname;
    const cfg = loadConfig(path, { BC_CLIENT_ID: 'id', BC_CLIENT_SECRET: 's', WOO_CONSUMER_KEY: 'ck', WOO_CONSUMER_SECRET: 'cs' });
    expect(cfg.shops[0].platform).toBe('woocommerce');
    expect(cfg.bc.live?.name).toBe('production');
  });
});
