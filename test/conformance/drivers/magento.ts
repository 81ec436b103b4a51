import { startMagentoSim } from '../../../sim/shops/magento/server.js';
import type { AddressInput, DriverInstance, PlatformDriver } from '../driver.js';

function mgAddress(a: AddressInput) {
  return {
    firstname: a.firstName, lastname: a.lastName, ...(a.company && { company: a.company }), street: [a.line1, ...(a.line2 ? [a.line2] : [])], city: a.city,
    region: '', region_code: '', postcode: a.postalCode, country_id: a.country, telephone: a.phone ?? '', email: a.email ?? 'conformance@example.com',
  };
}

export const magentoDriver: PlatformDriver = {
  platform: 'magento',
  async start(seed = 11): Promise<DriverInstance> {
    const sim = await startMagentoSim({ seed });
    const i = sim.integration;
    return {
      shopConfig: (overrides = {}) => ({
        code: 'conf-magento', platform: 'magento', url: sim.url, consumerKey: i.consumerKey, consumerSecret: i.consumerSecret, accessToken: i.accessToken, accessTokenSecret: i.accessTokenSecret,
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' }, bundles: 'children' },
        rules: { recheckMinutes: 0.001 },
        ...overrides,
      }),
      badCredentials: { accessTokenSecret: 'mg0wrong0secret00000000000000001' },
      secrets: [i.consumerSecret, i.accessTokenSecret, i.accessToken, 'mg0wrong0secret00000000000000001'],
      async generate(n) {
        return sim.generate(n, { unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['processing'] }).map((o) => String(o.entity_id));
      },
      async addOrder(input) {
        const o = sim.addOrder({
          status: input.exportable === false ? 'pending' : 'processing',
          ...(input.billing && { billing: mgAddress(input.billing) }),
          ...((input.shipping ?? input.billing) && { shipping: mgAddress((input.shipping ?? input.billing)!) }),
          ...(input.lines && { lines: input.lines }),
          ...(input.shippingCost !== undefined && { shippingCost: input.shippingCost }),
          couponPercent: 0,
        });
        return String(o.entity_id);
      },
      async touch(id) {
        sim.updateOrder(Number(id), { comment: `touched ${Date.now()}` });
      },
      async cancel(id) {
        sim.updateOrder(Number(id), { status: 'canceled' });
      },
      async refund(id, amount) {
        sim.updateOrder(Number(id), { refund: { amount } });
      },
      async listableIds() {
        return sim.orders().map((o) => String(o.entity_id));
      },
      close: () => sim.close(),
    };
  },
};
