import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { parseConfig } from './load.js';

const base = {
  bc: { active: 'test', test: { name: 'sandbox', tenant: 't', company: 'CRONUS', clientId: 'id', clientSecret: 's' } },
  shops: [{ code: 'main', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'ck', consumerSecret: 'cs' }],
};
const withMapping = (mapping: Record<string, unknown>, rules: Record<string, unknown> = {}) => ({ ...base, shops: [{ ...base.shops[0], mapping, rules }] });

function problems(raw: unknown): string[] {
  try {
    parseConfig(raw, {});
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('shop rules and mapping settings', () => {
  it('defaults keep the old behaviour: binding → map → guest → default, SKU map then SKU, options in Description 2', () => {
    const m = parseConfig(base, {}).shops[0].mapping;
    expect(m.customerChain).toEqual(['binding', 'map', 'guest', 'default']);
    expect(m.itemChain).toEqual(['skuMap', 'sku']);
    expect(m.options.mode).toBe('description2');
    expect(m.coupons.mode).toBe('lineDiscount');
    expect(m.bundles).toBe('all');
    expect(m.taxMode).toBe('shop');
    expect(m.shopIds).toBe('commentLine');
    expect(m.unknownItems).toBe('hold');
  });

  it('names the field when a mode lacks what it needs', () => {
    expect(problems(withMapping({ coupons: { mode: 'separateLine' } }))).toContain('shops[0].mapping.coupons.line: is required when coupons.mode is separateLine (type and no. of the discount line)');
    expect(problems(withMapping({ options: { mode: 'field', label: 'Size' } }))).toContain('shops[0].mapping.options.field: is required when options.mode is field');
    expect(problems(withMapping({ options: { mode: 'dimensions' } })).some((p) => p.startsWith('shops[0].mapping.options.dimensions: must map at least one'))).toBe(true);
    expect(problems(withMapping({ customerChain: ['create'] }))).toContain('shops[0].mapping.customerTemplates: must have at least one country (or "*") when customerChain contains "create"');
    expect(problems(withMapping({ customerChain: ['email', 'email'] }))).toContain('shops[0].mapping.customerChain: lists "email" twice');
    expect(problems(withMapping({ customerChain: ['e-mail'] })).some((p) => p.startsWith('shops[0].mapping.customerChain[0]:'))).toBe(true);
  });

  it('refuses a dimension set both on every header and by an option (BC rejects it twice on a line)', () => {
    const p = problems(withMapping({ dimensions: { COLOR: 'RED' }, options: { mode: 'dimensions', dimensions: { Color: 'COLOR' } } }));
    expect(p.some((x) => x.startsWith('shops[0].mapping.options.dimensions.Color: dimension COLOR is already set'))).toBe(true);
  });

  it('checks country keys and template fields', () => {
    const p = problems(withMapping({ customerTemplates: { de: { template: 'B2C' }, AT: { template: 'B2C-AT', taxAreaId: 'nope' } } }));
    expect(p.some((x) => x.startsWith('shops[0].mapping.customerTemplates.de'))).toBe(true);
    expect(p).toContain('shops[0].mapping.customerTemplates.AT.taxAreaId: must be a BC record id (GUID)');
  });

  it('accepts a full Sana/Tinx style setup', () => {
    const cfg = parseConfig(withMapping({
      customerChain: ['binding', 'email', 'phone', 'map', 'guest', 'country', 'create'],
      countryCustomers: { CH: 'WEB-CH' },
      differentCustomerNo: { C10000: 'C20000' },
      customerTemplates: { DE: { template: 'B2C-DE', paymentTermsCode: '14 DAYS', locationCode: 'MAIN' }, '*': { template: 'B2C-EU' } },
      itemChain: ['skuMap', 'sku', 'gtin', 'variant'],
      coupons: { mode: 'orderDiscount' },
      options: { mode: 'dimensions', dimensions: { Color: 'COLOR' } },
      bundles: 'children', taxMode: 'excludingTax', dimensions: { SALESCHANNEL: 'WEB' },
    }, { registeredOnly: true, giveUpAfterDays: 14 }), {});
    expect(cfg.shops[0].rules).toMatchObject({ registeredOnly: true, giveUpAfterDays: 14 });
    expect(cfg.shops[0].mapping.customerTemplates.DE.type).toBe('Person');
  });
});
