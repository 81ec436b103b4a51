import { startBigCommerceSim } from '../../../sim/shops/bigcommerce/server.js';
import type { AddressInput, DriverInstance, PlatformDriver } from '../driver.js';

const COUNTRY: Record<string, string> = { DE: 'Germany', AT: 'Austria', SI: 'Slovenia', IS: 'Iceland', JP: 'Japan', US: 'United States' };

function bcAddress(a: AddressInput) {
  return {
    first_name: a.firstName, last_name: a.lastName, company: a.company ?? '', street_1: a.line1, street_2: a.line2 ?? '', city: a.city, state: '',
    zip: a.postalCode, country: COUNTRY[a.country] ?? a.country, country_iso2: a.country, phone: a.phone ?? '', email: a.email ?? 'conformance@example.com',
  };
}

export const bigcommerceDriver: PlatformDriver = {
  platform: 'bigcommerce',
  async start(seed = 11): Promise<DriverInstance> {
    // A small quota keeps the client's pacing honest without slowing the suite much.
    const sim = await startBigCommerceSim({ seed, quota: 400, windowMs: 30_000 });
    return {
      shopConfig: (overrides = {}) => ({
        code: 'conf-bigcommerce', platform: 'bigcommerce', apiUrl: sim.url, storeHash: sim.storeHash, accessToken: sim.accessToken,
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
        rules: { recheckMinutes: 0.001 },
        ...overrides,
      }),
      badCredentials: { accessToken: 'bc_not_the_token_00000' },
      secrets: [sim.accessToken, 'bc_not_the_token_00000'],
      async generate(n) {
        return sim.generate(n, { unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['awaiting-fulfillment'] }).map((r) => String(r.order.id));
      },
      async addOrder(input) {
        const r = sim.addOrder({
          status: input.exportable === false ? 'awaiting-payment' : 'awaiting-fulfillment',
          ...(input.billing && { billing: bcAddress(input.billing) }),
          ...((input.shipping ?? input.billing) && { shipping: bcAddress((input.shipping ?? input.billing)!) }),
          ...(input.lines && { lines: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitPrice: l.unitPrice })) }),
          ...(input.shippingCost !== undefined && { shippingCost: input.shippingCost }),
          couponPercent: 0,
        });
        return String(r.order.id);
      },
      async touch(id) {
        sim.updateOrder(Number(id), { staffNotes: `touched ${Date.now()}` });
      },
      async cancel(id) {
        sim.updateOrder(Number(id), { status: 'cancelled' });
      },
      async refund(id, amount) {
        sim.updateOrder(Number(id), { refund: { amount, reason: 'conformance' } });
      },
      async listableIds() {
        // Incomplete orders (status 0) are not listed by BigCommerce.
        return sim.orders().filter((r) => !r.deleted && r.order.status_id !== 0).map((r) => String(r.order.id));
      },
      close: () => sim.close(),
    };
  },
};
