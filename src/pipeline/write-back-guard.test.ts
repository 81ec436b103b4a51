import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { mayWriteBack } from './write-back-guard.js';

describe('mayWriteBack', () => {
  it('defaults: live writes back, test does not', () => {
    expect(mayWriteBack('live', {})).toBe(true);
    expect(mayWriteBack('test', {})).toBe(false);
  });

  it('allowWriteBack decides when set, either way', () => {
    expect(mayWriteBack('test', { allowWriteBack: true })).toBe(true);
    expect(mayWriteBack('live', { allowWriteBack: false })).toBe(false);
  });

  it('an environment that is not configured never writes back', () => {
    expect(mayWriteBack('live', undefined)).toBe(false);
    expect(mayWriteBack('test', undefined)).toBe(false);
  });

  it('reads allowWriteBack from each environment of a parsed config', () => {
    const env = { name: 'x', tenant: 't', company: 'C', clientId: 'id', clientSecret: 'secret' };
    const cfg = parseConfig({
      bc: { active: 'test', live: { ...env, name: 'production' }, test: { ...env, name: 'sandbox', transport: 'soap', allowWriteBack: true } },
      shops: [{ code: 'woo', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'ck', consumerSecret: 'cs' }],
    }, {});
    expect(mayWriteBack('live', cfg.bc.live)).toBe(true);
    expect(mayWriteBack('test', cfg.bc.test)).toBe(true);
    const noTestWrites = parseConfig({
      bc: { active: 'test', test: { ...env, name: 'sandbox' } },
      shops: [{ code: 'woo', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'ck', consumerSecret: 'cs' }],
    }, {});
    expect(mayWriteBack('test', noTestWrites.bc.test)).toBe(false);
  });
});
