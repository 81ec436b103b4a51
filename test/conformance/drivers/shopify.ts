import { startShopifySim, type SimOrder } from '../../../sim/shops/shopify/server.js';
import type { AddressInput, DriverInstance, PlatformDriver } from '../driver.js';

/**
 * The Shopify simulator (issue 5) generates orders but has no "add this order" control, so hand-made
 * orders are generated and then edited in the simulator's own order model (sim.order(id) is the live
 * record; its renderings compute every total from the lines), then touched so updatedAt moves.
 */
function shopifyAddress(a: AddressInput): NonNullable<SimOrder['billing']> {
  return {
    firstName: a.firstName, lastName: a.lastName, company: a.company ?? null, address1: a.line1, address2: a.line2 ?? null, city: a.city,
    province: null, provinceCode: null, zip: a.postalCode, country: a.country, countryCode: a.country, phone: a.phone ?? null,
  };
}

export const shopifyDriver: PlatformDriver = {
  platform: 'shopify',
  async start(seed = 11): Promise<DriverInstance> {
    const sim = await startShopifySim({ seed });
    const paid = { financialStatuses: ['paid' as const], unknownSkuShare: 0, cancelledShare: 0 };
    const zero = () => ({ shop: '0.00', presentment: '0.00' });
    return {
      shopConfig: (overrides = {}) => ({
        code: 'conf-shopify', platform: 'shopify', url: sim.url, accessToken: sim.accessToken,
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
        rules: { recheckMinutes: 0.001 },
        ...overrides,
      }),
      badCredentials: { accessToken: 'shpat_not_the_token_000' },
      secrets: [sim.accessToken, sim.apiSecret, 'shpat_not_the_token_000'],
      async generate(n) {
        return sim.generate(n, paid).map((o) => String(o.id));
      },
      async addOrder(input) {
        const o = sim.generate(1, input.exportable === false ? { ...paid, financialStatuses: ['pending'] } : paid)[0]!;
        if (input.billing) {
          o.billing = shopifyAddress(input.billing);
          if (input.billing.email) o.email = input.billing.email;
        }
        if (input.shipping ?? input.billing) o.shipping = shopifyAddress((input.shipping ?? input.billing)!);
        if (input.lines) {
          const template = o.lines[0]!;
          o.discountApplications = [];
          o.discountCodes = [];
          for (const s of o.shippingLines) s.allocations = [];
          o.lines = input.lines.map((l, i) => {
            const free = l.unitPrice !== undefined && Number(l.unitPrice) === 0;
            return {
              ...structuredClone(template), id: template.id + 100_000 + i, sku: l.sku, title: l.sku, allocations: [],
              ...(free && { quantity: l.quantity ?? 1, price: zero(), taxLines: [] }),
            };
          });
        }
        if (input.shippingCost !== undefined && Number(input.shippingCost) === 0) {
          for (const s of o.shippingLines) Object.assign(s, { price: zero(), discountedPrice: zero(), taxLines: [], allocations: [] });
        }
        sim.update(o.id, { note: 'conformance order' });
        return String(o.id);
      },
      async touch(id) {
        sim.update(Number(id), { note: `touched ${Date.now()}` });
      },
      async cancel(id) {
        sim.cancel(Number(id));
      },
      async refund(id, amount) {
        const o = sim.order(Number(id))!;
        o.refunds.push({ id: 9_400_000_000_000 + o.refunds.length, createdAt: sim.order(Number(id))!.updatedAt, note: 'conformance', amount: { shop: amount, presentment: amount } });
        sim.update(Number(id), { financialStatus: 'partially_refunded' });
      },
      async listableIds() {
        return sim.orders().map((o) => String(o.id));
      },
      close: () => sim.close(),
    };
  },
};
