import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { redact } from '../config/redact.js';
import { ConfigError } from '../domain/errors.js';

const bc = { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'c', clientId: 'id', clientSecret: 'secret' } };
const problems = (shop: Record<string, unknown>, env: Record<string, string> = {}): string[] => {
  try {
    parseConfig({ bc, shops: [shop] }, env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('BigCommerce and Magento shops in the config', () => {
  it('a BigCommerce shop: store hash, token from the environment, BigCommerce status defaults', () => {
    const cfg = parseConfig({ bc, shops: [{ code: 'big', platform: 'bigcommerce', storeHash: 'abc123', accessToken: '${BC_TOKEN}' }] }, { BC_TOKEN: 'tok-xyz' });
    const shop = cfg.shops[0]!;
    expect(shop.platform).toBe('bigcommerce');
    if (shop.platform !== 'bigcommerce') throw new Error('narrowing');
    expect(shop.apiUrl).toBe('https://api.bigcommerce.com');
    expect(shop.pageSize).toBe(100);
    expect(shop.rules.exportStatuses).toContain('awaiting-fulfillment');
    expect(shop.rules.ignoreStatuses).toEqual(expect.arrayContaining(['incomplete', 'cancelled', 'refunded']));
    // Partial rules keep the platform's status defaults.
    const partial = parseConfig({ bc, shops: [{ code: 'big', platform: 'bigcommerce', storeHash: 'abc123', accessToken: 't', rules: { requirePaid: false } }] }, {});
    expect(partial.shops[0]!.rules.exportStatuses).toContain('awaiting-fulfillment');
    expect(JSON.stringify(redact(cfg))).not.toContain('tok-xyz');
  });

  it('names what is wrong with a BigCommerce shop', () => {
    expect(problems({ code: 'big', platform: 'bigcommerce', storeHash: 'stores/abc', accessToken: 't', pageSize: 500 })).toEqual([
      expect.stringMatching(/^shops\[0\]\.storeHash: must be the store hash/),
      expect.stringMatching(/^shops\[0\]\.pageSize:/),
    ]);
    expect(problems({ code: 'big', platform: 'bigcommerce', storeHash: 'abc' })).toEqual([expect.stringMatching(/^shops\[0\]\.accessToken:/)]);
  });

  it('a Magento shop: auto auth, Magento status defaults; oauth1 names each missing credential', () => {
    const cfg = parseConfig({ bc, shops: [{ code: 'mag', platform: 'magento', url: 'https://shop.example.com', accessToken: 'a', consumerKey: 'k', consumerSecret: '${MG_CS}', accessTokenSecret: '${MG_TS}' }] }, { MG_CS: 'cs-1', MG_TS: 'ts-1' });
    const shop = cfg.shops[0]!;
    if (shop.platform !== 'magento') throw new Error('narrowing');
    expect(shop.authMode).toBe('auto');
    expect(shop.rules.exportStatuses).toEqual(['processing', 'complete']);
    expect(shop.rules.ignoreStatuses).toEqual(['canceled', 'closed']);
    const dump = JSON.stringify(redact(cfg));
    for (const s of ['cs-1', 'ts-1', '"a"']) expect(dump).not.toContain(s);
    expect(problems({ code: 'mag', platform: 'magento', url: 'https://shop.example.com', accessToken: 'a', authMode: 'oauth1' })).toEqual([
      expect.stringMatching(/^shops\[0\]\.consumerKey: is required with authMode "oauth1"/),
      expect.stringMatching(/^shops\[0\]\.consumerSecret: is required/),
      expect.stringMatching(/^shops\[0\]\.accessTokenSecret: is required/),
    ]);
    expect(problems({ code: 'mag', platform: 'magento', url: 'shop.example.com', accessToken: 'a', storeCode: 'de store' })).toEqual([
      expect.stringMatching(/^shops\[0\]\.url: must be an http\(s\) URL/),
      expect.stringMatching(/^shops\[0\]\.storeCode:/),
    ]);
  });
});
