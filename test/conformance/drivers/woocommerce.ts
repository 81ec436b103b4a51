import { startWooSim } from '../../../sim/shops/woocommerce/server.js';
import type { AddressInput, DriverInstance, PlatformDriver } from '../driver.js';

function wooAddress(a: AddressInput) {
  return {
    first_name: a.firstName, last_name: a.lastName, company: a.company ?? '', address_1: a.line1, address_2: a.line2 ?? '', city: a.city,
    state: '', postcode: a.postalCode, country: a.country, phone: a.phone ?? '',
  };
}

/**
 * A burst from generate() runs the WooCommerce sim's clock ahead of the wall clock (its stamps never go
 * backwards); a real shop's later change happens later. Changes wait until the wall clock is past the
 * sim's newest stamp, so they get a newer second, as in a live shop.
 */
async function afterNewestStamp(orders: () => { date_modified_gmt: string }[]): Promise<void> {
  const newest = Math.max(0, ...orders().map((o) => Date.parse(`${o.date_modified_gmt}Z`) / 1000));
  while (Math.floor(Date.now() / 1000) <= newest) await new Promise((r) => setTimeout(r, 50));
}

export const woocommerceDriver: PlatformDriver = {
  platform: 'woocommerce',
  async start(seed = 11): Promise<DriverInstance> {
    const sim = await startWooSim({ seed });
    return {
      shopConfig: (overrides = {}) => ({
        code: 'conf-woo', platform: 'woocommerce', url: sim.url, consumerKey: sim.consumerKey, consumerSecret: sim.consumerSecret,
        mapping: { guestCustomerNo: 'WEB-GUEST', defaultCustomerNo: 'WEB-GUEST', freight: { type: 'Account', no: '6810' }, fees: { type: 'Account', no: '6820' } },
        rules: { exportStatuses: ['processing', 'completed'], recheckMinutes: 0.001 },
        ...overrides,
      }),
      badCredentials: { consumerSecret: 'cs_not_the_secret_0000' },
      secrets: [sim.consumerSecret, 'cs_not_the_secret_0000'],
      async generate(n) {
        return sim.generate(n, { unpaidShare: 0, unknownSkuShare: 0, refundShare: 0, statuses: ['processing'] }).map((o) => String(o.id));
      },
      async addOrder(input) {
        const order = sim.addOrder({
          status: input.exportable === false ? 'on-hold' : 'processing',
          // Paid unless asked otherwise: the base order's gateway may be one that leaves processing orders unpaid.
          ...(input.exportable === false
            ? { date_paid_gmt: null, payment_method: 'bacs' }
            : { date_paid_gmt: new Date(sim.nowSec() * 1000).toISOString().slice(0, 19), payment_method: 'stripe' }),
          ...(input.billing && { billing: { ...wooAddress(input.billing), email: input.billing.email ?? 'conformance@example.com' } }),
          ...((input.shipping ?? input.billing) && { shipping: wooAddress((input.shipping ?? input.billing)!) }),
          ...(input.lines && { line_items: input.lines.map((l) => ({ sku: l.sku, quantity: l.quantity ?? 1, ...(l.unitPrice !== undefined && { price: Number(l.unitPrice) }) })) }),
          ...(input.shippingCost !== undefined && {
            shipping_lines: [Number(input.shippingCost) === 0
              ? { method_id: 'free_shipping', method_title: 'Free shipping', total: '0.00', total_tax: '0.00' }
              : { method_id: 'flat_rate', method_title: 'Flat rate', total: input.shippingCost }],
          }),
          ...(input.lines && { fee_lines: [] }),
        });
        return String(order.id);
      },
      async touch(id) {
        sim.updateOrder(Number(id), { customer_note: `touched ${Date.now()}` });
      },
      async cancel(id) {
        await afterNewestStamp(() => sim.orders());
        sim.updateOrder(Number(id), { status: 'cancelled' });
      },
      async refund(id, amount) {
        await afterNewestStamp(() => sim.orders());
        const order = sim.order(Number(id))!;
        sim.updateOrder(Number(id), { refunds: [...order.refunds, { id: 90000 + order.refunds.length, reason: 'conformance', total: `-${amount}`, total_tax: '0.00' }] });
      },
      async listableIds() {
        return sim.orders().filter((o) => o.status !== 'trash' && o.status !== 'checkout-draft').map((o) => String(o.id));
      },
      close: () => sim.close(),
    };
  },
};
