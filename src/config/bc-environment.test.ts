import { describe, expect, it } from 'vitest';
import { ConfigError } from '../domain/errors.js';
import { soapPageServices } from '../bc/soap/config.js';
import { parseConfig } from './load.js';

const shops = [{ code: 'woo', platform: 'woocommerce', url: 'https://shop.example', consumerKey: 'ck', consumerSecret: 'cs' }];
const problems = (test: Record<string, unknown>): string[] => {
  try {
    parseConfig({ bc: { active: 'test', test }, shops }, {});
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('bc environments: transport api | soap', () => {
  it('transport defaults to api; each environment picks its own', () => {
    const cfg = parseConfig({
      bc: {
        active: 'live',
        live: { name: 'OnPrem', transport: 'soap', auth: 'basic', company: 'CRONUS AG', username: 'WEB', password: 'key', soapUrl: 'https://bc.local:7047/BC/WS' },
        test: { name: 'sandbox', tenant: 't', company: 'CRONUS', clientId: 'id', clientSecret: 's' },
      },
      shops,
    }, {});
    expect(cfg.bc.test?.transport).toBe('api');
    expect(cfg.bc.live).toMatchObject({ transport: 'soap', service: 'AutoShoppingCartImport', customerService: 'Customer', itemService: 'Item', verifyPollSeconds: 30, verifyGiveUpMinutes: 60 });
    expect(cfg.bc.live?.allowWriteBack).toBeUndefined();
  });

  it('names every missing field of a soap environment with why it is needed', () => {
    expect(problems({ name: 'x', transport: 'soap' })).toEqual(expect.arrayContaining([
      'bc.test.company: is required',
      'bc.test.tenant: is required for auth "oauth"',
      'bc.test.clientId: is required for auth "oauth"',
      'bc.test.clientSecret: is required for auth "oauth"',
    ]));
    expect(problems({ name: 'x', transport: 'soap', auth: 'basic', company: 'C' })).toEqual(expect.arrayContaining([
      'bc.test.username: is required for auth "basic"',
      'bc.test.password: is required for auth "basic" (the web service access key)',
      'bc.test.tenant: is required unless soapUrl is set (the online URL contains the tenant)',
    ]));
    expect(problems({ name: 'x', transport: 'soap', auth: 'basic', company: 'C', username: 'u', password: 'p', soapUrl: 'https://h:7047/BC/WS' })).toEqual([]);
  });

  it('refuses an unknown transport and a service name that is not one', () => {
    expect(problems({ name: 'x', transport: 'ftp' })).toEqual(["bc.test.transport: transport must be 'api' or 'soap'"]);
    expect(problems({ name: 'x', transport: 'soap', auth: 'basic', company: 'C', username: 'u', password: 'p', soapUrl: 'https://h/WS', service: 'Auto Cart' })[0]).toContain('bc.test.service');
  });

  it('soapPages: service names of the standard pages per environment, "" = not published; defaults fill the rest', () => {
    const base = { name: 'x', transport: 'soap', auth: 'basic', company: 'C', username: 'u', password: 'p', soapUrl: 'https://h/WS' };
    expect(problems({ ...base, soapPages: { customer: 'CustomerCard', location: '' } })).toEqual([]);
    expect(problems({ ...base, soapPages: { customer: 'Customer Card' } })[0]).toContain('bc.test.soapPages.customer');
    expect(problems({ ...base, soapPages: { vendor: 'Vendor' } })[0]).toContain('bc.test.soapPages');
    const cfg = parseConfig({ bc: { active: 'test', test: { ...base, soapPages: { customer: 'CustomerCard', location: '' } } }, shops }, {});
    const env = cfg.bc.test as Parameters<typeof soapPageServices>[0];
    expect(soapPageServices(env)).toEqual({
      customer: 'CustomerCard', item: 'Item', itemVariant: 'ItemVariants', shipmentMethod: 'ShipmentMethods', location: '', dimensionValue: 'DimensionValues', customerTemplate: 'CustomerTemplates',
    });
  });

  it('api environments still report their required fields', () => {
    expect(problems({ name: 'x', company: 'C' })).toEqual(expect.arrayContaining(['bc.test.tenant: is required', 'bc.test.clientSecret: is required']));
  });
});
